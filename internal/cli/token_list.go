package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
)

// TokenListCmd lists the API tokens, never the tokens themselves.
type TokenListCmd struct{}

// Run prints one line per token: name, scopes, created, last used.
func (c *TokenListCmd) Run(g *Globals) error {
	ctx := context.Background()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	tokens, err := auth.TokenList(ctx, a.DB.Read())
	if err != nil {
		return err
	}
	if len(tokens) == 0 {
		fmt.Fprintln(g.stdout, "no API tokens; create one with: shopcare token add NAME")
		return nil
	}
	loc := a.Settings.Shop.Location()
	at := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.In(loc).Format("2006-01-02 15:04 MST")
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSCOPES\tCREATED\tLAST USED")
	for _, t := range tokens {
		scopes := t.ScopeNames()
		if scopes == "" {
			scopes = "all"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, scopes, at(t.CreatedAt), at(t.LastUsedAt))
	}
	return tw.Flush()
}
