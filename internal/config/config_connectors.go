package config

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
)

// ConnectorPlatforms are the shop platforms shopcare connects to; custom
// is any other platform or a shop's own site, read through a Mapping.
var ConnectorPlatforms = []string{"shopify", "woocommerce", "insales", "tilda", "ecwid", "custom"}

// Connector is one shop connected to shopcare: its platform, the
// credentials of the platform's API and the secret its webhooks are
// checked with. Secrets may come from the environment instead:
// SHOPCARE_CONNECTORS_<NAME>_WEBHOOK_SECRET, _ACCESS_TOKEN, _API_KEY,
// _API_SECRET and _PASSWORD, with the connector's name in capitals
// (- and . as _); they are kept out of the export.
type Connector struct {
	// Name is the connector's address (POST /hooks/{name}) and the
	// prefix of its orders' external ids ({name}:{platform order id}):
	// lower-case letters, digits and -.
	Name string `yaml:"name"`
	// Platform is one of ConnectorPlatforms.
	Platform string `yaml:"platform"`
	// URL is the shop's address on its platform: https://myshop.myshopify.com,
	// https://shop.example.lv (WooCommerce), https://myshop.myinsales.ru;
	// for Ecwid, the API's base (https://app.ecwid.com/api/v3 by default).
	URL string `yaml:"url"`
	// StoreID is Ecwid's store id.
	StoreID string `yaml:"store_id"`
	// AccessToken is Shopify's Admin API access token or Ecwid's secret token.
	AccessToken string `yaml:"access_token"`
	// APIKey and APISecret are WooCommerce's consumer key and secret,
	// InSales' API identifier and password (APIKey, Password), Ecwid's
	// client secret (APISecret, which signs its webhooks).
	APIKey    string `yaml:"api_key"`
	APISecret string `yaml:"api_secret"`
	Password  string `yaml:"password"`
	// WebhookSecret checks inbound deliveries: Shopify's app secret,
	// WooCommerce's webhook secret; for platforms that do not sign
	// (InSales, Tilda, custom without a signature) it is the secret in
	// the address: POST /hooks/{name}/{webhook_secret} or ?secret=.
	WebhookSecret string `yaml:"webhook_secret"`
	// Carriers maps the platform's shipping and carrier names to
	// shopcare's carrier codes: {"СДЭК": cdek, "Omniva pakomāts": omniva}.
	// Unmapped names are matched to a carrier's code or name, ignoring case.
	Carriers map[string]string `yaml:"carriers,omitempty"`
	// Statuses maps the platform's order statuses to shopcare's, where
	// the shop has statuses of its own (InSales, custom): {"Собран": ready_to_ship}.
	Statuses map[string]string `yaml:"statuses,omitempty"`
	// WriteBack puts the promised dates and the tracking link on the
	// platform's order where its API allows (Shopify, WooCommerce).
	WriteBack bool `yaml:"write_back"`
	// Mapping reads a custom platform's payloads (custom only).
	Mapping *Mapping `yaml:"mapping,omitempty"`
}

// OrderStatuses are shopcare's order statuses, the values a connector's
// statuses map may name (package order has them as its own type; config
// cannot import it).
var OrderStatuses = []string{"new", "processing", "ready_to_ship", "shipped", "ready_for_pickup", "delivered", "cancelled", "returned"}

// connectorName is a connector's name: it is a path segment of its
// webhook address and the prefix of its orders' external ids.
var connectorName = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$`)

// PathSecret tells whether the platform's deliveries carry no signature,
// so that the secret in their address is all that guards it (InSales,
// Tilda, custom).
func (c Connector) PathSecret() bool {
	switch c.Platform {
	case "insales", "tilda", "custom":
		return true
	}
	return false
}

// connectorSecrets adds each connector's secrets to the environment's map:
// SHOPCARE_CONNECTORS_<NAME>_WEBHOOK_SECRET and the like.
func (s *Settings) connectorSecrets(m map[string]*string) {
	for i := range s.Connectors {
		c := &s.Connectors[i]
		if c.Name == "" {
			continue
		}
		prefix := "SHOPCARE_CONNECTORS_" + strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(c.Name)) + "_"
		m[prefix+"WEBHOOK_SECRET"] = &c.WebhookSecret
		m[prefix+"ACCESS_TOKEN"] = &c.AccessToken
		m[prefix+"API_KEY"] = &c.APIKey
		m[prefix+"API_SECRET"] = &c.APISecret
		m[prefix+"PASSWORD"] = &c.Password
	}
}

// validateConnectors checks the connectors: unique names fit for an
// address, known platforms, the credentials each platform's webhooks
// need (the API's are checked when they are used), and mappings that
// name the shop's carriers and shopcare's statuses.
func (s *Settings) validateConnectors(errs *problems) {
	seen := map[string]bool{}
	for i := range s.Connectors {
		c := &s.Connectors[i]
		key := fmt.Sprintf("connectors[%d]", i)
		c.Name = strings.TrimSpace(c.Name)
		switch {
		case c.Name == "":
			errs.add(key+".name", "required", "settings.error.required", nil)
		case !connectorName.MatchString(c.Name):
			errs.add(key+".name", "invalid", "settings.error.connector_name", arg(c.Name))
		case seen[c.Name]:
			errs.add(key+".name", "duplicate", "settings.error.connector_duplicate", arg(c.Name))
		case c.Name == "telegram":
			// POST /hooks/telegram is the shop's Telegram bot's address.
			errs.add(key+".name", "reserved", "settings.error.connector_reserved", arg(c.Name))
		}
		seen[c.Name] = true
		if !slices.Contains(ConnectorPlatforms, c.Platform) {
			errs.add(key+".platform", "invalid", "settings.error.connector_platform",
				map[string]any{"Value": c.Platform, "Platforms": strings.Join(ConnectorPlatforms, ", ")})
			continue
		}
		if c.URL != "" {
			if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs.add(key+".url", "invalid", "settings.error.connector_url", nil)
			} else {
				c.URL = strings.TrimSuffix(c.URL, "/")
			}
		}
		for _, need := range connectorNeeds(c.Platform) {
			if strings.TrimSpace(*need.value(c)) == "" {
				errs.add(key+"."+need.key, "required", "settings.error.connector_needs_"+need.why,
					map[string]any{"Platform": c.Platform})
			}
		}
		if c.PathSecret() && c.WebhookSecret != "" && len(c.WebhookSecret) < 16 {
			errs.add(key+".webhook_secret", "invalid", "settings.error.connector_secret_short", nil)
		}
		switch {
		case c.Platform == "custom" && c.Mapping == nil:
			errs.add(key+".mapping", "required", "settings.error.connector_mapping_required", nil)
		case c.Platform != "custom" && c.Mapping != nil:
			errs.add(key+".mapping", "invalid", "settings.error.connector_mapping_custom", arg(c.Platform))
		default:
			if c.Mapping != nil {
				var mapping invalid.List
				c.Mapping.Validate(key+".mapping", &mapping)
				errs.merge(mapping)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(c.Carriers)) {
			if _, ok := s.Carrier(c.Carriers[name]); !ok {
				errs.add(key+".carriers."+name, "unknown", "settings.error.connector_carrier", arg(c.Carriers[name]))
			}
		}
		for _, name := range slices.Sorted(maps.Keys(c.Statuses)) {
			if !slices.Contains(OrderStatuses, c.Statuses[name]) {
				errs.add(key+".statuses."+name, "invalid", "settings.error.connector_status",
					map[string]any{"Value": c.Statuses[name], "Statuses": strings.Join(OrderStatuses, ", ")})
			}
		}
	}
}

// connectorNeed is a credential a platform's webhooks cannot do without.
type connectorNeed struct {
	key   string
	value func(*Connector) *string
	// why is the feature that needs it: "signature", "secret", "api".
	why string
}

// connectorNeeds lists what each platform's inbound webhooks need:
// Shopify's and WooCommerce's signatures are keyed by webhook_secret,
// Ecwid's by its client secret (api_secret), and Ecwid's deliveries name
// only the order, which is then read through its API (store_id,
// access_token); InSales, Tilda and custom sign nothing, so the secret of
// their address is required.
func connectorNeeds(platform string) []connectorNeed {
	secret := func(c *Connector) *string { return &c.WebhookSecret }
	switch platform {
	case "shopify", "woocommerce":
		return []connectorNeed{{"webhook_secret", secret, "signature"}}
	case "ecwid":
		return []connectorNeed{
			{"api_secret", func(c *Connector) *string { return &c.APISecret }, "signature"},
			{"store_id", func(c *Connector) *string { return &c.StoreID }, "api"},
			{"access_token", func(c *Connector) *string { return &c.AccessToken }, "api"},
		}
	default:
		return []connectorNeed{{"webhook_secret", secret, "secret"}}
	}
}
