package cli

import (
	"context"
	"fmt"
)

// SpendSetCmd records a month's marketing spend on a channel.
type SpendSetCmd struct {
	Month   string `arg:"" help:"The month (YYYY-MM)."`
	Channel string `arg:"" help:"The acquisition channel, as orders name it (their channel field)."`
	Amount  string `arg:"" help:"The amount in the shop's currency, like 15000 or 15000.50."`
}

// Run saves the spend.
func (c *SpendSetCmd) Run(g *Globals) error {
	ctx := context.Background()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	sp, err := a.Analytics.SpendSet(ctx, c.Month, c.Channel, c.Amount)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "%s %s: %s %s\n", sp.Month, sp.Channel, sp.Amount, sp.Currency)
	return nil
}

// SpendListCmd lists the spend entered.
type SpendListCmd struct{}

// Run prints the spend, newest month first.
func (c *SpendListCmd) Run(g *Globals) error {
	ctx := context.Background()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	list, err := a.Analytics.SpendList(ctx)
	if err != nil {
		return err
	}
	for _, sp := range list {
		fmt.Fprintf(g.stdout, "%s  %-20s %s %s\n", sp.Month, sp.Channel, sp.Amount, sp.Currency)
	}
	return nil
}
