package playbook

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
)

// The rules of an order with items not in stock (issue 27). The order's
// confirmation (order_ack) names what waits and until when; these tell
// the customer what an operator agreed with them, and that the missing
// items came in.
const (
	StockAlternativeRule = "stock_alternative"
	StockSplitRule       = "stock_split"
	StockRefundRule      = "stock_refund"
	StockFilledRule      = "stock_filled"
)

// StockData is what a message knows of the order's items against the
// shop's stock, read from the order's reservations when it is written:
// {{range .Stock.Short}}{{.Name}} — {{on .ExpectedOn}}{{end}}.
type StockData struct {
	// Short are the order's lines that wait for stock now (none once they
	// came in or were settled by a refund or an alternative).
	Short []StockLine
	// ShipsOn is the day the whole order ships, when the promise covers
	// the last expected day; zero when no day is known for every line.
	ShipsOn calendar.Day
	// Resolution is what a stock_* resolution message is about:
	// alternative, split, refund; Lines are the lines it settled (and,
	// in stock_filled, those that came in), Items their names joined
	// ("Blue mug, Teapot").
	Resolution string
	Lines      []StockLine
	Items      string
	// Alternative is the item offered instead (stock_alternative).
	Alternative string
	// Refund is the amount refunded, in the order's currency, written in
	// the customer's language (stock_refund).
	Refund string
}

// StockLine is one line of the order against the shop's stock.
type StockLine struct {
	Name string
	Qty  int
	// Missing is how many units of it wait for stock.
	Missing int
	// ExpectedOn is the day the stock is expected; zero when nobody
	// knows.
	ExpectedOn calendar.Day
}

// stockRules are the default rules of the stock messages: order news,
// transactional, in the customer's hours like every such message.
func stockRules() []Rule {
	resolved := func(name, resolution string, unless []order.Status) Rule {
		return Rule{Name: name, Event: journal.StockResolved, Template: name, Transactional: true,
			Reasons: []string{resolution}, Unless: unless, Enabled: true}
	}
	return []Rule{
		resolved(StockAlternativeRule, stock.ResolveAlternative, closed),
		resolved(StockSplitRule, stock.ResolveSplit, closed),
		// A refund is news even when the shop then cancels the order.
		resolved(StockRefundRule, stock.ResolveRefund, nil),
		{Name: StockFilledRule, Event: journal.StockFilled, Template: StockFilledRule, Transactional: true,
			Unless: append([]order.Status{order.Shipped, order.ReadyForPickup, order.Delivered}, closed...), Enabled: true},
	}
}

// stockEvent reads what a stock event's rules look at: the resolution
// (the rules' Reasons narrow by it) and what the message is about.
func stockEvent(e journal.Event) (detail, about string, err error) {
	switch e.Kind {
	case journal.StockResolved:
		var pl event.StockResolvedPayload
		if err := e.Decode(&pl); err != nil {
			return "", "", err
		}
		v := url.Values{"resolution": {pl.Resolution}, "skus": {strings.Join(pl.SKUs, ",")}}
		if pl.Alternative != "" {
			v.Set("alternative", pl.Alternative)
		}
		if pl.RefundMinor != 0 {
			v.Set("refund", strconv.FormatInt(pl.RefundMinor, 10))
		}
		return pl.Resolution, v.Encode(), nil
	case journal.StockFilled:
		var pl event.StockFilledPayload
		if err := e.Decode(&pl); err != nil {
			return "", "", err
		}
		return "", url.Values{"skus": {strings.Join(pl.SKUs, ",")}}.Encode(), nil
	}
	return "", "", nil
}

// stockData fills d.Stock for a message about o: the lines waiting for
// stock, read from the order's reservations as they are now (holds, when
// a batch read them already; nil: read here), and what a stock message
// is about (m.About).
func (p *Playbook) stockData(ctx context.Context, q store.Querier, o *order.Order, holds []stock.OrderHold, r *Rule, about string,
	lang i18n.Lang, d *Data) error {
	if r.Event != journal.StockResolved && r.Event != journal.StockFilled {
		about = ""
	}
	if holds == nil {
		var err error
		if holds, err = stock.OrderHolds(ctx, q, o.ID); err != nil {
			return err
		}
	}
	if len(holds) == 0 {
		return nil
	}
	line := func(h stock.OrderHold) StockLine {
		name := h.Name
		if name == "" {
			name = itemName(o, h.SKU)
		}
		return StockLine{Name: name, Qty: h.Qty, Missing: h.Qty - h.Held, ExpectedOn: h.ExpectedOn}
	}
	var last calendar.Day
	dated := true
	for _, h := range holds {
		if !h.Waits() {
			continue
		}
		l := line(h)
		d.Stock.Short = append(d.Stock.Short, l)
		if l.ExpectedOn == 0 {
			dated = false
		}
		last = max(last, l.ExpectedOn)
	}
	if len(d.Stock.Short) > 0 && dated && d.Promise.Known && d.Promise.Ship >= last {
		d.Stock.ShipsOn = d.Promise.Ship
	}
	if about == "" {
		return nil
	}
	v, _ := url.ParseQuery(about)
	skus := strings.Split(v.Get("skus"), ",")
	d.Stock.Resolution = v.Get("resolution")
	d.Stock.Alternative = v.Get("alternative")
	if minor, err := strconv.ParseInt(v.Get("refund"), 10, 64); err == nil && minor > 0 {
		d.Stock.Refund = i18n.Money(lang, minor, o.Currency)
	}
	var names []string
	for _, h := range holds {
		if slices.Contains(skus, h.SKU) {
			l := line(h)
			d.Stock.Lines = append(d.Stock.Lines, l)
			names = append(names, l.Name)
		}
	}
	d.Stock.Items = strings.Join(names, ", ")
	return nil
}

// itemName is the name the order gives a SKU, else the SKU.
func itemName(o *order.Order, sku string) string {
	for _, it := range o.Items {
		if it.SKU == sku && it.Name != "" {
			return it.Name
		}
	}
	return sku
}

// sampleStock is StockData of SampleData.
func sampleStock() StockData {
	mug := StockLine{Name: "Синяя кружка", Qty: 2, Missing: 2, ExpectedOn: calendar.MustParseDay("2026-11-30")}
	return StockData{Short: []StockLine{mug}, ShipsOn: calendar.MustParseDay("2026-12-01"), Resolution: "alternative",
		Lines: []StockLine{mug}, Items: mug.Name, Alternative: "Зелёная кружка", Refund: "1 000.00 RUB"}
}
