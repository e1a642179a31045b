package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/platforms"
)

// ConnectCmd groups the commands of the shop platforms connected to
// shopcare (the connectors: of the settings).
type ConnectCmd struct {
	List     ConnectListCmd     `cmd:"" help:"List the connected shops: platform, webhook address, write-back, backfill."`
	Test     ConnectTestCmd     `cmd:"" help:"Check a connector's credentials, print the webhook address to paste into the platform, and register the webhooks where the platform's API allows."`
	Backfill ConnectBackfillCmd `cmd:"" help:"Read a connected shop's order history from its platform (history: never messages anyone); a stopped run resumes where it was."`
	DryRun   ConnectDryRunCmd   `cmd:"" name:"dry-run" help:"Show what a sample webhook payload of a connector maps to; stores nothing."`
}

// unsignedPlatforms send webhooks without a signature: their address
// carries the webhook secret instead.
var unsignedPlatforms = map[string]bool{"insales": true, "tilda": true, "custom": true}

// platformNames are the platforms as people write them.
var platformNames = map[string]string{"shopify": "Shopify", "woocommerce": "WooCommerce", "insales": "InSales",
	"tilda": "Tilda", "ecwid": "Ecwid", "custom": "the platform"}

func platformName(p string) string {
	if n, ok := platformNames[p]; ok {
		return n
	}
	return p
}

// findConnector returns the connector of the settings named name.
func findConnector(s config.Settings, name string) (config.Connector, error) {
	names := make([]string, 0, len(s.Connectors))
	for _, c := range s.Connectors {
		if c.Name == name {
			return c, nil
		}
		names = append(names, c.Name)
	}
	if len(names) == 0 {
		return config.Connector{}, fmt.Errorf("the settings have no connectors: add one under connectors: in the settings file, then run this again")
	}
	return config.Connector{}, fmt.Errorf("no connector is named %q in the settings (they have: %s)", name, strings.Join(names, ", "))
}

// buildAdapter builds the connector's adapter; build replaces
// platforms.New in tests.
func buildAdapter(build connector.AdapterFunc, c config.Connector) (connector.Adapter, error) {
	if build != nil {
		return build(c)
	}
	return platforms.New(c, platforms.Deps{Clock: clock.System{}})
}

// webhookAddresses are where a connector's platform sends its webhooks:
// the plain address, and the one with the secret in the path for
// platforms that do not sign ("" when the secret is not set).
func webhookAddresses(s config.Settings, c config.Connector) (plain, withSecret string) {
	plain = strings.TrimSuffix(s.Shop.PublicURL, "/") + "/hooks/" + c.Name
	if unsignedPlatforms[c.Platform] && c.WebhookSecret != "" {
		withSecret = plain + "/" + c.WebhookSecret
	}
	return plain, withSecret
}

// ConnectListCmd lists the connectors.
type ConnectListCmd struct{}

// Run prints one line per connector.
func (c *ConnectListCmd) Run(g *Globals) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	if len(a.Settings.Connectors) == 0 {
		fmt.Fprintln(g.stdout, "No connectors in the settings: add one under connectors: in the settings file (platform, credentials, webhook_secret).")
		return nil
	}
	backfills := map[string]connector.BackfillState{}
	list, err := connector.BackfillList(ctx, a.DB.Read())
	if err != nil {
		return err
	}
	for _, b := range list {
		backfills[b.Connector] = b
	}
	loc := a.Settings.Shop.Location()
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPLATFORM\tWRITE-BACK\tWEBHOOK ADDRESS\tBACKFILL")
	for _, cn := range a.Settings.Connectors {
		plain, secret := webhookAddresses(a.Settings, cn)
		if secret != "" {
			plain = strings.TrimSuffix(secret, cn.WebhookSecret) + "{webhook_secret}"
		}
		wb := "no"
		if cn.WriteBack {
			wb = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", cn.Name, cn.Platform, wb, plain, backfillLine(backfills, cn.Name, loc))
	}
	return tw.Flush()
}

// backfillLine says where a connector's backfill stands, in a few words.
func backfillLine(b map[string]connector.BackfillState, name string, loc *time.Location) string {
	st, ok := b[name]
	switch {
	case !ok:
		return "never run"
	case st.FinishedAt != nil:
		return fmt.Sprintf("done %s: %d orders", st.FinishedAt.In(loc).Format("2006-01-02 15:04"), st.Done())
	case st.LastError != "":
		return fmt.Sprintf("stopped after page %d (%d orders): %s", st.Pages, st.Done(), st.LastError)
	default:
		return fmt.Sprintf("running or stopped after page %d (%d orders)", st.Pages, st.Done())
	}
}
