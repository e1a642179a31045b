package cli

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/auth"
)

// TokenAddCmd creates an API token.
type TokenAddCmd struct {
	Name string `arg:"" help:"What the token is for, such as the shop platform."`
}

// Run prints the new token as the last line of output.
func (c *TokenAddCmd) Run(g *Globals) error {
	ctx := context.Background()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	token, err := auth.TokenAdd(ctx, a.DB, c.Name, a.Clock.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "API token %q created; it is shown only once:\n%s\n", c.Name, token)
	return nil
}
