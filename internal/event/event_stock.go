package event

// StockLine is one line of an order against the shop's stock: Qty wanted,
// Held from on hand; Held < Qty means the line waits for stock, expected
// on ExpectedOn (YYYY-MM-DD, shop-local; "" when nobody knows).
type StockLine struct {
	SKU        string `json:"sku"`
	Name       string `json:"name,omitempty"`
	Qty        int    `json:"qty"`
	Held       int    `json:"held"`
	ExpectedOn string `json:"expected_on,omitempty"`
}

// StockShortPayload is the payload of stock.short: an order came in with
// items not on hand (the event's order). Lines are the short ones only.
type StockShortPayload struct {
	Lines []StockLine `json:"lines"`
}

// EventKind returns StockShort.
func (StockShortPayload) EventKind() Kind { return StockShort }

// StockFilledPayload is the payload of stock.filled: stock came in and
// every line the order (the event's) waited for is held now.
type StockFilledPayload struct {
	SKUs []string `json:"skus"`
}

// EventKind returns StockFilled.
func (StockFilledPayload) EventKind() Kind { return StockFilled }

// StockResolvedPayload is the payload of stock.resolved: an operator
// settled an order's short lines with the customer. Resolution is
// alternative (another item instead), split (what is on hand ships now,
// the rest when it comes), refund (the short items are refunded and
// dropped) or wait (the customer waits for the delivery).
type StockResolvedPayload struct {
	Resolution string   `json:"resolution"`
	SKUs       []string `json:"skus"`
	// Alternative names the item offered instead, for alternative.
	Alternative string `json:"alternative,omitempty"`
	// RefundMinor is the amount refunded, for refund.
	RefundMinor int64  `json:"refund_minor,omitempty"`
	Note        string `json:"note,omitempty"`
}

// EventKind returns StockResolved.
func (StockResolvedPayload) EventKind() Kind { return StockResolved }

// StockBackPayload is the payload of stock.back_in_stock: an item the
// customer (the event's) asked about is in stock again and they are to
// be told, once (RequestID is their stock_waitlist row).
type StockBackPayload struct {
	SKU       string `json:"sku"`
	Name      string `json:"name,omitempty"`
	RequestID int64  `json:"request_id"`
	Channel   string `json:"channel"`
	Language  string `json:"language,omitempty"`
}

// EventKind returns StockBack.
func (StockBackPayload) EventKind() Kind { return StockBack }
