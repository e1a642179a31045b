package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
)

// TokenAddCmd creates an API token.
type TokenAddCmd struct {
	Name  string   `arg:"" help:"What the token is for, such as the shop platform; unique."`
	Scope []string `help:"Limit the token to a part of the API: orders:write, read, loyalty or shop; repeat for more. None: the whole API." placeholder:"SCOPE"`
}

// Run prints the new token as the last line of output.
func (c *TokenAddCmd) Run(g *Globals) error {
	scopes, err := auth.ParseScopes(c.Scope)
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	// A token's times are a person's, on the real clock.
	token, err := auth.TokenAdd(ctx, a.DB, c.Name, scopes, time.Now())
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
	fmt.Fprintf(g.stdout, "API token %q created for %s; it is shown only once:\n%s\n", strings.TrimSpace(c.Name), access, token)
	return nil
}
