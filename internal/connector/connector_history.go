package connector

import (
	"strings"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/order"
)

// historyFields name a platform order's inputs in errors, as the
// platform's order reads in shopcare's words ("customer.email").
var historyFields = order.Fields{
	ExternalID: "id", CustomerPrefix: "customer.", Total: "total", Currency: "currency", Status: "status",
	DeliveredAt: "delivered_at", PromisedTo: "promised_to", Carrier: "carrier", Payment: "payment.method",
	PlacedAt: "placed_at", Items: "items", Address: "address", Channel: "channel", ReferralCode: "referral_code",
}

// ExternalID is the shopcare external id of a platform's order or
// customer: "{connector name}:{platform id}", so that two connected shops
// never share an id.
func ExternalID(connectorName, platformID string) string {
	return connectorName + ":" + platformID
}

// PlatformID is the platform's own id in a shopcare external id of the
// connector's, and whether ext is one of the connector's.
func PlatformID(connectorName, ext string) (string, bool) {
	id, ok := strings.CutPrefix(ext, connectorName+":")
	return id, ok && id != ""
}

// HistoryOrder turns a platform's order into a past order for shopcare,
// as the CSV import stores its rows: History set, so it feeds the
// customers' figures and the analytics and never messages anyone. It is
// not normalized yet.
func HistoryOrder(c config.Connector, s config.Settings, o Order) order.NewOrder {
	n := order.NewOrder{
		ExternalID: ExternalID(c.Name, o.ID),
		PlacedAt:   o.PlacedAt,
		Customer:   o.Customer,
		Items:      o.Items,
		TotalMinor: o.TotalMinor,
		TotalGiven: o.TotalMinor != 0 || len(o.Items) == 0,
		Currency:   o.Currency,
		Payment:    o.Payment,
		History:    true,
		Status:     o.Status,
		Address:    o.Address,
	}
	if id := strings.TrimSpace(o.Customer.ExternalID); id != "" {
		n.Customer.ExternalID = ExternalID(c.Name, id)
	}
	carrier := o.Shipping
	for _, f := range o.Fulfillments {
		if strings.TrimSpace(f.Carrier) != "" {
			carrier = f.Carrier
			break
		}
	}
	n.Carrier, _ = Carrier(s, c, carrier)
	if n.Status == "" && len(o.Fulfillments) > 0 {
		n.Status = order.Shipped
	}
	return n
}
