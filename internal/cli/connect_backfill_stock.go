package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
)

// runStock is `shopcare connect backfill NAME --stock`: every product's
// level read from the platform, page by page, and set in shopcare's
// stock with the connector as its source.
func (c *ConnectBackfillCmd) runStock(ctx context.Context, g *Globals, a *app.App, cn config.Connector) error {
	start := time.Now()
	res, err := a.Connectors.BackfillStock(ctx, cn.Name, func(r connector.StockBackfillResult) {
		fmt.Fprintf(g.stderr, "\r%s: %d items read in %d pages", cn.Name, r.Levels+r.Skipped, r.Pages)
	})
	if res.Pages > 0 {
		fmt.Fprintln(g.stderr)
	}
	if err != nil && res.Pages == 0 {
		return err
	}
	fmt.Fprintf(g.stdout, "%s: stock of %d items set in %s: %d new, %d changed, %d as they were; %d items not tracked (unlimited, unmanaged or without a SKU)\n",
		cn.Name, res.Levels, time.Since(start).Round(time.Millisecond), res.Set.Created, res.Set.Updated, res.Set.Unchanged, res.Skipped)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("stock backfill of %s interrupted after page %d: run the same command again (levels are set, not added)", cn.Name, res.Pages)
		}
		return fmt.Errorf("%w; run the same command again (levels are set, not added)", explainAPIError(err))
	}
	return nil
}
