package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/invalid"
)

// cannedLanguage picks the language a canned reply is written in for a
// conversation: the conversation's, else the shop's first, else English,
// else the first the reply has.
func cannedLanguage(cr config.CannedReply, conv string, shop []string) string {
	cands := []string{conv}
	if len(shop) > 0 {
		cands = append(cands, shop[0])
	}
	for _, l := range append(cands, "en", "ru", "lv") {
		if _, ok := cr.Text[l]; ok && l != "" {
			return l
		}
	}
	return ""
}

// cannedReply writes the canned reply named name for a conversation, in
// its language, with its order (the one it is about, else the customer's
// latest) filled in; signer is the operator's name.
func (h *Handler) cannedReply(ctx context.Context, c *inbox.Conversation, orders []inboxOrder, who, signer, name string) (string, error) {
	var cr *config.CannedReply
	for i := range h.app.Settings.Support.Canned {
		if h.app.Settings.Support.Canned[i].Name == name {
			cr = &h.app.Settings.Support.Canned[i]
		}
	}
	if cr == nil {
		return "", invalid.Field("canned", "invalid", "there is no canned reply %q", name)
	}
	code := cannedLanguage(*cr, c.Language, h.app.Settings.Shop.Languages)
	lang := i18n.Pick(code, i18n.EN)
	d := config.CannedData{Shop: config.CannedShop{Name: h.app.Settings.Shop.Name, Phone: h.app.Settings.Shop.Phone},
		Customer: config.CannedCustomer{Name: who}, Operator: config.CannedOperator{Name: signer}}
	if f := strings.Fields(who); len(f) > 0 {
		d.Customer.FirstName = f[0]
	}
	if len(orders) > 0 {
		o := orders[0].Order
		names := map[string]string{}
		for _, cc := range h.app.Settings.Carriers {
			names[cc.Code] = cc.Name
		}
		d.Order = config.CannedOrder{Number: o.ExternalID, Status: statusName(lang, o.Status),
			Total: i18n.Money(lang, o.TotalMinor, o.Currency), TrackingNumber: o.TrackingNumber}
		if o.Carrier != "" {
			d.Order.Carrier = carrierName(lang, names, o.Carrier)
		}
		if ship, err := calendar.ParseDay(o.ShipDate); err == nil {
			d.Promise.Ships = i18n.FormatDay(lang, ship)
		}
		from, err1 := calendar.ParseDay(o.DeliveryFrom)
		to, err2 := calendar.ParseDay(o.PromisedTo)
		switch {
		case err2 != nil:
		case err1 != nil || from > to:
			d.Promise.Delivery = i18n.FormatOnDay(lang, to)
		default:
			d.Promise.Delivery = i18n.FormatOnRange(lang, from, to)
		}
		token := o.TrackingToken
		if token == "" {
			var err error
			if token, err = h.orders.TrackingToken(ctx, o.ID); err != nil {
				return "", err
			}
		}
		d.TrackingURL = h.app.Settings.Shop.PublicURL + "/t/" + token
	}
	t, err := config.ParseCanned(name, cr.Text[code])
	if err != nil {
		return "", fmt.Errorf("canned reply %q: %w", name, err)
	}
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return "", fmt.Errorf("canned reply %q: %w", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}
