package connector

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
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
		Items:      platformItems(o.Items),
		TotalMinor: o.TotalMinor,
		TotalGiven: o.TotalMinor != 0 || len(o.Items) == 0,
		Currency:   o.Currency,
		Payment:    o.Payment,
		History:    true,
		Status:     o.Status,
		Address:    o.Address,
		Channel:    o.Channel,
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

// droppable are the customer's contact details a platform's order may
// carry in a form shopcare cannot use (a US sample number in a Russian
// shop, a typo in an e-mail, an unknown time zone): the platform took the
// order already, and no retry of its delivery can mend them, so the order
// is kept without them rather than lost.
var droppable = []contactField{
	{"phone", func(c *customer.Input) { c.Phone = "" }},
	{"email", func(c *customer.Input) { c.Email = "" }},
	{"language", func(c *customer.Input) { c.Language = "" }},
	{"timezone", func(c *customer.Input) { c.Timezone = "" }},
	{"country", func(c *customer.Input) { c.Country = "" }},
	{"birthday", func(c *customer.Input) { c.Birthday = "" }},
	{"telegram_chat_id", func(c *customer.Input) { c.TelegramChatID = "" }},
}

// contactField is a customer's detail and how to leave it out.
type contactField struct {
	field string
	clear func(*customer.Input)
}

// Normalize checks a platform's order as order.NormalizeAt does, but a
// contact detail that does not validate is left out, not fatal: the order
// is normalized without it, and dropped lists each one left out with why
// ("customer.phone: \"(555) 555-5555\" is not a valid phone number").
// What remains wrong (no way to tell the customer, a negative quantity)
// is the error, naming its field.
func Normalize(n *order.NewOrder, s config.Settings, f order.Fields, now time.Time) (dropped []string, err error) {
	orig := *n
	err = order.NormalizeAt(n, s, f, now)
	var list invalid.List
	if err == nil || !errors.As(err, &list) {
		return nil, err
	}
	retry := orig
	retry.Customer.Consent = slices.Clone(orig.Customer.Consent)
	for _, e := range list {
		i := slices.IndexFunc(droppable, func(d contactField) bool { return e.Field == f.CustomerPrefix+d.field })
		if i < 0 {
			return nil, err // something a customer's detail does not explain
		}
		droppable[i].clear(&retry.Customer)
		dropped = append(dropped, e.Error())
	}
	if err := order.NormalizeAt(&retry, s, f, now); err != nil {
		return nil, err
	}
	*n = retry
	return dropped, nil
}
