package actionlog

import (
	"context"
	"os/user"
	"strings"
	"time"
)

// ActorKind says what kind of actor acted.
type ActorKind string

// The kinds of actors.
const (
	// ActorUser is a person signed in to the admin.
	ActorUser ActorKind = "user"
	// ActorToken is a script or platform with an API token.
	ActorToken ActorKind = "token"
	// ActorCLI is someone at the server's command line.
	ActorCLI ActorKind = "cli"
	// ActorSystem is shopcare itself acting for a person (the demo's
	// scripted owner).
	ActorSystem ActorKind = "system"
)

// ActorKinds lists the kinds, in the order the page offers them.
var ActorKinds = []ActorKind{ActorUser, ActorToken, ActorCLI, ActorSystem}

// Actor is who acts, and from where.
type Actor struct {
	Kind ActorKind
	// UserID is the signed-in user's id; 0 for other kinds.
	UserID int64
	// Name is the user's e-mail, the token's name or the operating
	// system's user, as it is at the time: a user removed later still
	// has their lines named.
	Name string
	// Addr is the client's address, RequestID the request's id, when
	// the action came over HTTP.
	Addr, RequestID string
	// ShopNow, when set, reads the shop's clock, kept beside the real
	// time of each line (the demo's clock runs faster).
	ShopNow func() time.Time
}

type actorKey struct{}

// WithActor returns ctx carrying a: what services record in its name.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor ctx carries.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok && a.Kind != ""
}

// CLIActor is the actor of a command run at the server: "cli" and the
// operating system's user who ran it.
func CLIActor() Actor {
	name := "cli"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return Actor{Kind: ActorCLI, Name: clip(name, maxName)}
}

// maxName bounds an actor's name as stored; maxText other short texts.
const (
	maxName = 200
	maxText = 200
)

// clip cuts s to at most n runes and one line.
func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
