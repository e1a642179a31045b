package config

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
