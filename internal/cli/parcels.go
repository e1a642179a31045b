package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"
)

// ParcelsCmd groups the parcel commands.
type ParcelsCmd struct {
	Track     ParcelsTrackCmd     `cmd:"" help:"Ask a carrier's tracking API about a parcel now and print its events (stores nothing): a check of the credentials."`
	Subscribe ParcelsSubscribeCmd `cmd:"" help:"Register shopcare's push address with a carrier that takes one (CDEK)."`
}

// ParcelsTrackCmd asks a carrier about one parcel.
type ParcelsTrackCmd struct {
	Carrier        string `arg:"" help:"The carrier's code in the settings."`
	TrackingNumber string `arg:"" help:"The parcel's tracking number."`
}

// Run prints the carrier's events, oldest first.
func (c *ParcelsTrackCmd) Run(g *Globals) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	events, err := a.Parcels.Ask(ctx, c.Carrier, c.TrackingNumber)
	if err != nil {
		return err
	}
	if len(events) == 0 {
		fmt.Fprintf(g.stdout, "%s knows no events of %s\n", c.Carrier, c.TrackingNumber)
		return nil
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	loc := a.Settings.Shop.Location()
	for _, e := range events {
		st := string(e.Status)
		if st == "" {
			st = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.At.In(loc).Format("2006-01-02 15:04"), st, e.Code, e.Description, e.Location)
	}
	return tw.Flush()
}

// ParcelsSubscribeCmd registers the push address.
type ParcelsSubscribeCmd struct {
	Carrier string `arg:"" help:"The carrier's code in the settings."`
}

// Run subscribes and prints the address.
func (c *ParcelsSubscribeCmd) Run(g *Globals) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	url, err := a.Parcels.Subscribe(ctx, c.Carrier)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "%s now pushes its events to %s\n", c.Carrier, url)
	return nil
}
