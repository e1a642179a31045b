package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/auth"
)

// TokenAddCmd creates an API token.
type TokenAddCmd struct {
	Name  string   `arg:"" help:"What the token is for, such as the shop platform; a name in use gets a number (NAME #2)."`
	Scope []string `help:"Limit the token to a part of the API: orders:write, read, loyalty or shop; repeat for more. None: the whole API." placeholder:"SCOPE"`
}

// Run prints the new token as the last line of output.
func (c *TokenAddCmd) Run(g *Globals) error {
	scopes, err := auth.ParseScopes(c.Scope)
	if err != nil {
		return err
	}
	ctx := actionlog.WithActor(context.Background(), actionlog.CLIActor())
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	// A token's times are a person's, on the real clock.
	token, named, err := auth.TokenAddNumbered(ctx, a.DB, c.Name, scopes, time.Now())
	if err != nil {
		return err
	}
	access := "the whole API"
	if len(scopes) > 0 {
		names := make([]string, len(scopes))
		for i, s := range scopes {
			names[i] = string(s)
		}
		access = "the scopes " + strings.Join(names, ", ")
	}
	if named != strings.TrimSpace(c.Name) {
		fmt.Fprintf(g.stdout, "a token named %q exists already; this one is named %q\n", strings.TrimSpace(c.Name), named)
	}
	fmt.Fprintf(g.stdout, "API token %q created for %s; it is shown only once:\n%s\n", named, access, token)
	return nil
}
