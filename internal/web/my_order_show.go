package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
)

// myOrderPage is one order on its customer's own page: everything the
// tracking page shows (timeline, promise with its changes, parcels with
// their events) and what only its signed-in customer may see: the
// items, the delivery address and the messages sent about it.
type myOrderPage struct {
	myPage
	T      trackingPage // the tracking page's view of the order
	ID     int64
	Placed string
	Total  string
	Items  []myItemRow
	// Address and Window are where and when it goes, as the shop knows
	// them; "" when not known.
	Address, Window string
	Messages        []myMessageRow
	// CanReturn shows "Return items" for a delivered order; the returns
	// page itself says whether the shop's window is still open.
	CanReturn bool
	// ReorderKey makes "Order again" once per form: a double click
	// posts the same key.
	ReorderKey string
}

// myItemRow is one line of the order.
type myItemRow struct {
	Name, SKU   string
	Qty         int64
	Price, Line string // the price of one and of the line, in the order's currency
	// Out marks an item out of stock now (my_stock.go); Waiting one the
	// customer asked to be told about already.
	Out, Waiting bool
}

// myMessageRow is one message sent about the order, as its customer
// received it: the channel in words, when, and its subject or first
// line. Messages that were not sent (suppressed, failed, still waiting)
// are the shop's business, not shown.
type myMessageRow struct {
	Channel, At, Subject string
}

// myMessageSubject bounds the first line shown of a message without a
// subject (an SMS, a Telegram message).
const myMessageSubject = 140

// myOrderShow shows one of the signed-in customer's orders; another
// customer's order is the plain 404 of one that does not exist.
func (h *Handler) myOrderShow(w http.ResponseWriter, r *http.Request, v *myVisit) {
	o, err := h.myOrder(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	ex, err := h.orders.ExplainOrder(ctx, o, v.Lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := myOrderPage{myPage: h.myPageOf(r, v, v.Lang, "orders"), T: h.trackingPage(o, ex, v.Lang), ID: o.ID, ReorderKey: myReorderKey(),
		Total: i18n.Money(v.Lang, o.TotalMinor, o.Currency), Address: o.Address, Window: o.DeliveryWindow,
		CanReturn: o.Status == order.Delivered}
	if p.T.Parcels, err = h.trackingParcels(ctx, o.ID, v.Lang, p.T.Loc); err != nil {
		h.fail(w, r, err)
		return
	}
	if !o.PlacedAt.IsZero() {
		p.Placed = i18n.FormatDay(v.Lang, calendar.DayOf(o.PlacedAt.In(p.T.Loc)))
	}
	for _, it := range o.Items {
		p.Items = append(p.Items, myItemRow{Name: it.Name, SKU: it.SKU, Qty: it.Qty,
			Price: i18n.Money(v.Lang, it.PriceMinor, o.Currency), Line: i18n.Money(v.Lang, it.PriceMinor*it.Qty, o.Currency)})
	}
	if err := h.myStockMarks(ctx, v, p.Items); err != nil {
		h.fail(w, r, err)
		return
	}
	if p.Messages, err = h.myOrderMessages(ctx, o.ID, v, p.T.Loc); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "my_order", p)
}

// myOrderMessages are the messages sent to the customer about their
// order, oldest first, with the time in loc.
func (h *Handler) myOrderMessages(ctx context.Context, orderID int64, v *myVisit, loc *time.Location) ([]myMessageRow, error) {
	msgs, err := h.messages.ListByOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	var out []myMessageRow
	for _, m := range msgs {
		if m.Status != message.Sent || m.SentAt == nil || m.CustomerID != v.Customer.ID {
			continue
		}
		out = append(out, myMessageRow{Channel: myChannelName(v.Lang, m.Channel),
			At: i18n.FormatDayTime(v.Lang, m.SentAt.In(loc)), Subject: myMessageLine(m)})
	}
	return out, nil
}

// myMessageLine is what a message's row says: its subject, else its
// first line that has words, bounded.
func myMessageLine(m message.Message) string {
	s := strings.TrimSpace(m.Subject)
	if s == "" {
		for line := range strings.Lines(m.Body) {
			if s = strings.TrimSpace(line); s != "" {
				break
			}
		}
	}
	if utf8.RuneCountInString(s) > myMessageSubject {
		s = string([]rune(s)[:myMessageSubject-1]) + "…"
	}
	return s
}

// myChannelName names the channel a message went on, in the customer's
// words; a channel of the shop's own (a webhook) is "a message".
func myChannelName(lang i18n.Lang, channel string) string {
	switch channel {
	case message.Email:
		return i18n.Text(lang, "myorders.channel.email", nil)
	case message.SMS:
		return i18n.Text(lang, "myorders.channel.sms", nil)
	case message.Telegram:
		return i18n.Text(lang, "myorders.channel.telegram", nil)
	}
	return i18n.Text(lang, "myorders.channel.other", nil)
}

// myOrderURL is the path of the customer's order page.
func myOrderURL(id int64) string { return "/my/orders/" + strconv.FormatInt(id, 10) }
