package config

// Mapping reads a custom platform's webhook payloads: a JSON pointer
// (RFC 6901) per field, and the platform's statuses in shopcare's words.
type Mapping struct {
	// OrderID points at the platform's id of the order ("/id").
	OrderID string `yaml:"order_id"`
}
