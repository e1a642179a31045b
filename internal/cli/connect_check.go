package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
)

// ConnectTestCmd checks a connector.
type ConnectTestCmd struct {
	Name string `arg:"" help:"The connector's name in the settings."`

	build connector.AdapterFunc // tests replace platforms.New
}

// Run checks the credentials with the platform, prints the webhook
// address and registers it where the platform's API allows.
func (c *ConnectTestCmd) Run(g *Globals) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := g.settings()
	if err != nil {
		return err
	}
	cn, err := findConnector(s, c.Name)
	if err != nil {
		return err
	}
	a, err := buildAdapter(c.build, cn)
	if err != nil {
		return err
	}
	out := g.stdout
	platform := platformName(cn.Platform)
	if a.API == nil {
		fmt.Fprintf(out, "%s: %s has no orders API, so there are no credentials to check and no history to read; its orders come by webhook only.\n", cn.Name, platform)
	} else {
		shop, err := a.API.Check(ctx)
		if err != nil {
			return fmt.Errorf("%s: %s did not accept the credentials: %w", cn.Name, platform, explainAPIError(err))
		}
		fmt.Fprintf(out, "%s: connected to %q on %s", cn.Name, shop.Name, platform)
		if shop.Currency != "" {
			fmt.Fprintf(out, " (currency %s)", shop.Currency)
		}
		fmt.Fprintln(out)
		if shop.Currency != "" && !strings.EqualFold(shop.Currency, s.Shop.Currency) {
			fmt.Fprintf(out, "warning: the shop sells in %s but shopcare counts %s (shop.currency): its orders will count only in the revenue by currency\n",
				shop.Currency, s.Shop.Currency)
		}
	}

	plain, withSecret := webhookAddresses(s, cn)
	address := plain
	switch {
	case withSecret != "":
		address = withSecret
		fmt.Fprintf(out, "webhook address: %s\n", withSecret)
		fmt.Fprintf(out, "  (%s does not sign its webhooks: the address carries webhook_secret; keep it private)\n", platform)
		if cn.Platform == "custom" {
			fmt.Fprintf(out, "  when the mapping checks a signature instead, use %s\n", plain)
		}
	case unsignedPlatforms[cn.Platform]:
		fmt.Fprintf(out, "webhook address: %s/{webhook_secret}\n", plain)
		fmt.Fprintf(out, "warning: %s has no webhook_secret: set one (or SHOPCARE_CONNECTORS_%s_WEBHOOK_SECRET); deliveries without it are refused\n",
			cn.Name, envName(cn.Name))
	default:
		fmt.Fprintf(out, "webhook address: %s\n", plain)
	}
	if u, err := url.Parse(s.Shop.PublicURL); err == nil && isLocalHost(u.Hostname()) {
		fmt.Fprintf(out, "warning: shop.public_url is %s, which %s cannot reach: set it to the address the internet reaches shopcare at\n",
			s.Shop.PublicURL, platform)
	}

	if a.Registrar == nil {
		fmt.Fprintf(out, "Paste the webhook address into %s's settings for order events (created, updated, paid, fulfilled, cancelled).\n", platform)
		return nil
	}
	topics, err := a.Registrar.Register(ctx, address)
	if err != nil {
		if len(topics) > 0 {
			fmt.Fprintf(out, "registered: %s\n", strings.Join(topics, ", "))
		}
		return fmt.Errorf("%s: registering the webhooks with %s failed: %w", cn.Name, platform, explainAPIError(err))
	}
	fmt.Fprintf(out, "registered the webhooks with %s: %s\n", platform, strings.Join(topics, ", "))
	return nil
}

// explainAPIError adds what a platform's refusal usually means.
func explainAPIError(err error) error {
	var ae *connector.APIError
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Status {
	case 401:
		return fmt.Errorf("%w (the token or key is wrong or revoked)", err)
	case 403:
		return fmt.Errorf("%w (the token lacks a permission: give the app access to orders and webhooks)", err)
	case 404:
		return fmt.Errorf("%w (is url the shop's address?)", err)
	}
	return err
}

// envName is a connector's name as the environment spells it.
func envName(name string) string {
	return strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(name))
}

// isLocalHost tells an address only this computer reaches.
func isLocalHost(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1" || host == "0.0.0.0"
}
