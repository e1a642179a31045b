package playbook

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
)

var _ message.BatchComposer = (*Playbook)(nil)

// Compose writes a due message for its customer, from the order as it is
// now, or says why it must not go after all.
func (p *Playbook) Compose(ctx context.Context, q store.Querier, m *message.Message, c *message.Contact) (message.Draft, error) {
	return p.compose(ctx, q, m, c, read{})
}

// read is what a batch read of a message's order for it: nil fields are
// read by the message itself.
type read struct {
	order    *order.Order
	holds    []stock.OrderHold // the order's stock reservations; nil: not read
	referral string            // the customer's referral code, for loyalty news; "": not read
}

// Batch returns a Composer for the messages ms that reads what they are
// about once, together: their orders, and the stock held for them
// (issue 22: a sweep's batch read each message's order with four
// statements of its own, and its reservations with one more). The
// tracking tokens of imported orders, which have none, are made together
// too, in one transaction instead of one a message, and the referral
// codes loyalty news links to are read together. Should a read fail, each
// message reads (or makes) what it lacks itself.
func (p *Playbook) Batch(ctx context.Context, q store.Querier, ms []*message.Message) message.Composer {
	ids := make([]int64, 0, len(ms))
	var members []int64
	for _, m := range ms {
		if m.OrderID != 0 && !slices.Contains(ids, m.OrderID) {
			ids = append(ids, m.OrderID)
		}
		if r := p.rule(m.Rule); r != nil && referralNews(r) && m.CustomerID != 0 {
			members = append(members, m.CustomerID)
		}
	}
	b := batchComposer{p: p}
	if len(members) > 0 && p.loyalty != nil {
		codes, err := p.loyalty.ReferralCodes(ctx, members)
		if err != nil {
			p.warn("compose: the referral codes of a batch", len(members), err)
		}
		b.codes = codes
	}
	if len(ids) == 0 {
		return b
	}
	orders, err := order.GetMany(ctx, q, ids)
	if err != nil {
		p.warn("compose: read the orders of a batch", len(ids), err)
		return b
	}
	var tokenless []int64
	for id, o := range orders {
		if o.TrackingToken == "" {
			tokenless = append(tokenless, id)
		}
	}
	if len(tokenless) > 0 {
		var tokens map[int64]string
		err := p.db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			tokens, err = order.TrackingTokens(ctx, tx, tokenless)
			return err
		})
		if err != nil {
			p.warn("compose: make the tracking tokens of a batch", len(tokenless), err)
		}
		for id, token := range tokens { // committed: each message links to its order's
			orders[id].TrackingToken = token
		}
	}
	holds, err := stock.OrderHoldsMany(ctx, q, ids)
	if err != nil {
		p.warn("compose: read the stock held for the orders of a batch", len(ids), err)
		holds = nil
	}
	b.reads = make(map[int64]read, len(orders))
	for id, o := range orders {
		r := read{order: o}
		if holds != nil {
			r.holds = holds[id]
			if r.holds == nil {
				r.holds = []stock.OrderHold{} // read: none
			}
		}
		b.reads[id] = r
	}
	return b
}

// warn logs a batch read that failed (each message then reads alone).
func (p *Playbook) warn(what string, orders int, err error) {
	if p.log != nil {
		p.log.Warn(what, "orders", orders, "err", err)
	}
}

// batchComposer composes from what was read for its batch.
type batchComposer struct {
	p     *Playbook
	reads map[int64]read   // by order; read-only: composed side by side
	codes map[int64]string // referral codes by customer; read-only
}

func (b batchComposer) Compose(ctx context.Context, q store.Querier, m *message.Message, c *message.Contact) (message.Draft, error) {
	pre := b.reads[m.OrderID]
	pre.referral = b.codes[m.CustomerID]
	return b.p.compose(ctx, q, m, c, pre)
}

// compose is Compose with what a batch read for the message (pre).
func (p *Playbook) compose(ctx context.Context, q store.Querier, m *message.Message, c *message.Contact, pre read) (message.Draft, error) {
	r := p.rule(m.Rule)
	if r == nil || !r.Enabled {
		return message.Draft{Suppress: "rule " + m.Rule + " is switched off"}, nil
	}
	o := pre.order
	if m.OrderID != 0 && o == nil {
		var err error
		if o, err = order.Get(ctx, q, m.OrderID); err != nil {
			return message.Draft{}, err
		}
	}
	if o != nil {
		if slices.Contains(r.Unless, o.Status) {
			return message.Draft{Suppress: "the order is " + string(o.Status) + " now"}, nil
		}
		if r.Supersede && o.Status != r.Status {
			return message.Draft{Suppress: "the order moved on to " + string(o.Status) + " before this could be sent"}, nil
		}
	}
	lang := p.language(m.Language, c.Language)
	d, err := p.data(ctx, q, o, c, m, r)
	if err != nil {
		return message.Draft{}, err
	}
	if o != nil {
		if err := p.stockData(ctx, q, o, pre.holds, r, m.About, lang, &d); err != nil {
			return message.Draft{}, err
		}
	}
	if m.Rule == SurveyRule {
		why, err := p.surveyData(ctx, q, m, c, &d)
		if err != nil {
			return message.Draft{}, err
		}
		if why != "" {
			return message.Draft{Suppress: why}, nil
		}
	}
	if p.templates.UsesLoyalty(m.Template) {
		if d.Loyalty, err = p.loyaltyData(ctx, q, m, lang, r, pre.referral); err != nil {
			return message.Draft{}, err
		}
		if why := loyaltyMoot(r, d.Loyalty); why != "" {
			return message.Draft{Suppress: why}, nil
		}
	}
	if m.Rule == ConfirmRule {
		link, why, err := p.optInURL(ctx, q, m)
		if err != nil {
			return message.Draft{}, err
		}
		if why != "" {
			return message.Draft{Suppress: why}, nil
		}
		d.OptInURL = link
	}
	channels := r.Channels
	if r.Event == journal.StockBack {
		why, asked, err := p.backInStockData(ctx, q, m, &d)
		if err != nil {
			return message.Draft{}, err
		}
		if why != "" {
			return message.Draft{Suppress: why}, nil
		}
		if len(asked) > 0 && len(r.Channels) == 0 {
			channels = asked // where the customer asked to be told
		}
	}
	out, err := p.templates.Render(lang, m.Template, d)
	if err != nil {
		return message.Draft{}, err
	}
	draft := message.Draft{Channels: channels, Urgent: r.Urgent, Advertising: r.Advertising, Subject: out.Subject,
		Text: out.Text, HTML: out.HTML, Short: out.SMS, Unsubscribe: d.UnsubscribeURL, Buttons: p.surveyButtons(m, d)}
	if m.OrderID != 0 && m.Rule != FirstRule {
		// The order's confirmation is its first message: an apology for
		// moved dates or a status never arrives before it.
		draft.After = FirstKey(m.OrderID)
	}
	return draft, nil
}

// FirstRule is the rule of an order's first message, its confirmation.
const FirstRule = "order_ack"

// FirstKey is the dedupe key of the order's confirmation.
func FirstKey(orderID int64) string { return fmt.Sprintf("o%d:%s", orderID, FirstRule) }

// language is the customer's language when shopcare writes it, else the
// shop's first.
func (p *Playbook) language(tags ...string) i18n.Lang {
	fallback := i18n.EN
	if langs := p.settings.Shop.Languages; len(langs) > 0 {
		fallback = i18n.Pick(langs[0], i18n.EN)
	}
	for _, t := range tags {
		if l, ok := i18n.Parse(t); ok {
			return l
		}
	}
	return fallback
}

// data is the template data of a message about o (nil for none).
func (p *Playbook) data(ctx context.Context, q store.Querier, o *order.Order, c *message.Contact, m *message.Message, rule *Rule) (Data, error) {
	d := Data{Shop: ShopData{Name: p.settings.Shop.Name, Phone: p.settings.Shop.Phone},
		Customer: CustomerData{Name: c.Name, Phone: c.Phone}}
	if f := strings.Fields(c.Name); len(f) > 0 {
		d.Customer.FirstName = f[0]
	}
	base := p.settings.Shop.PublicURL
	if p.myLinks != nil && c.CustomerID != 0 {
		// Real time, not the business clock the demo speeds up: the
		// link is checked against the clock of people.
		d.MyURL = p.myLinks.URL(c.CustomerID, signin.ViaMessage, time.Now())
	}
	if !m.Transactional && m.UnsubscribeToken != "" {
		d.UnsubscribeURL = base + "/u/" + m.UnsubscribeToken
	}
	if o == nil {
		if rule.Name == NotSeenRule && c.CustomerID != 0 {
			last, err := p.lastOrderOn(ctx, q, c.CustomerID)
			if err != nil {
				return d, err
			}
			if !last.IsZero() {
				d.Customer.LastOrderOn = calendar.DayOf(last.In(p.settings.Shop.Location()))
			}
		}
		return d, nil
	}
	if p.reviews != nil && c.CustomerID != 0 {
		// Real time, as MyURL: the link is checked against people's clock.
		d.ReviewURL = p.reviews.WriteURL(c.CustomerID, o.ID, time.Now())
		d.ReviewBonus = int(p.settings.Loyalty.Bonuses.Review)
	}
	d.Order = OrderData{Number: order.Number(o.ExternalID), Status: string(o.Status), TrackingNumber: o.TrackingNumber,
		Total:          i18n.Money(p.language(m.Language), o.TotalMinor, o.Currency),
		CashOnDelivery: o.Payment.Method == "cod", Paid: o.Payment.Paid}
	for _, it := range o.Items {
		d.Order.MadeToOrder = d.Order.MadeToOrder || it.MadeToOrder
	}
	if carrier, ok := p.settings.Carrier(o.Carrier); ok {
		d.Order.Carrier = i18n.CarrierName(p.language(m.Language), carrier.Code, carrier.DisplayName())
		d.Order.Delivery = string(carrier.DeliveryType())
		country := ""
		if o.Customer != nil {
			country = o.Customer.Country
		}
		d.Transit.Min, d.Transit.Max = carrier.Transit(country)
		d.Transit.Working = carrier.TransitWorkingDays
		d.Pickup.HoldDays = carrier.PickupHoldDays
	} else {
		d.Order.Carrier = o.Carrier
	}
	if rule.Event == journal.ParcelWaiting {
		about, _ := url.ParseQuery(m.About)
		d.Pickup.Days, _ = strconv.Atoi(about.Get("days"))
		d.Pickup.TrackingNumber = about.Get("tracking")
		if day, err := calendar.ParseDay(about.Get("kept_until")); err == nil {
			d.Pickup.KeptUntil = day
		}
	}
	d.Promise = promiseData(o.Promise(), o.PromiseGiven)
	d.Promise.Changed = o.PromiseVersion > 1
	if rule.Event == journal.OrderPromiseChanged {
		changes, err := promise.Changes(ctx, q, o.ID)
		if err != nil {
			return d, err
		}
		if n := len(changes); n > 0 {
			last := changes[n-1]
			old := promiseData(last.Old, false)
			d.Change = ChangeData{ReasonCode: last.Reason, OldFrom: old.From, OldTo: old.To, OldKnown: old.Delivers}
			if last.Reason == promise.ReasonDayOff {
				d.Change.Reason = last.Detail // the shop's own words: "stocktaking"
			}
		}
	}
	token := o.TrackingToken
	if token == "" {
		err := p.db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			token, err = order.TrackingToken(ctx, tx, o.ID)
			return err
		})
		if err != nil {
			return d, err
		}
	}
	d.TrackingURL = base + "/t/" + token
	return d, nil
}

// promiseData reads stored dates; a date the shop gave alone (given) is a
// window of one day.
func promiseData(s promise.Stored, given bool) PromiseData {
	var d PromiseData
	parse := func(v string) calendar.Day {
		day, err := calendar.ParseDay(v)
		if err != nil {
			return 0
		}
		return day
	}
	d.Production, d.Ship = parse(s.ProductionDate), parse(s.ShipDate)
	d.From, d.To = parse(s.DeliveryFrom), parse(s.DeliveryTo)
	if given && d.From == 0 {
		d.From = d.To
	}
	d.Known = d.Ship != 0
	d.Delivers = d.From != 0 && d.To != 0
	if d.From > d.To {
		d.From = d.To
	}
	return d
}
