package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/auth"
)

// TokenRevokeCmd revokes an API token by its name.
type TokenRevokeCmd struct {
	Name string `arg:"" help:"The token's name, as token list shows it."`
}

// Run revokes the token: requests bearing it are refused from then on.
func (c *TokenRevokeCmd) Run(g *Globals) error {
	ctx := actionlog.WithActor(context.Background(), actionlog.CLIActor())
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	err = auth.TokenRevoke(ctx, a.DB, c.Name)
	if errors.Is(err, auth.ErrNoToken) {
		return fmt.Errorf("no API token is named %q (see shopcare token list)", c.Name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "API token %q revoked\n", c.Name)
	return nil
}
