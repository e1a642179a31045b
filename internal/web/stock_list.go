package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/stock"
)

// The day's picture shows at most this many shortages and of the orders
// waiting longest; the waiting orders and the SKUs are paged.
const (
	stockShortLimit   = 50
	stockLongestLimit = 5
)

// stockListPage is /stock: the day's picture first — the items short
// today, the orders waiting on stock by the day their stock is expected,
// what waits longest — then the tracked SKUs, searchable and paged, and
// the CSV upload (with its outcome after an upload).
type stockListPage struct {
	adminPage
	Query      string
	Shortages  []stockShortRow
	Waiting    []stockWaitRow
	WaitPages  pageLinks
	Longest    []stockWaitRow
	Items      []stockItemRow
	Pages      pageLinks
	Import     *stockImportOutcome
	ImportErr  string
	HasWaiting bool
}

// stockShortRow is a SKU short today, in the reader's words and numbers.
type stockShortRow struct {
	SKU, Name, Link  string
	Tracked          bool
	OnHand, Waiting  string
	Orders           int
	OrdersText       string
	Since, Next      string
	NextQty, NextDay string
}

// stockWaitRow is an order waiting on stock.
type stockWaitRow struct {
	CustomerID           int64
	OrderID              int64
	Number, Customer     string
	Lines                []stockWaitLine
	Since, Waited, Until string
	Late                 bool // its expected day has passed
}

// stockWaitLine is one short line of a waiting order.
type stockWaitLine struct {
	SKU, Name, Link string
	Qty, Held       string
	Until           string
}

// stockItemRow is a tracked SKU of the list.
type stockItemRow struct {
	SKU, Name, Link                    string
	OnHand, Reserved, Available        string
	Waiting, Incoming, NextDay         string
	Waitlist                           string
	Short                              bool
	HasIncoming, HasWaitlist, HasWaits bool
}

// stockList shows the stock page; ?open=SKU goes to that SKU's page.
func (h *Handler) stockList(w http.ResponseWriter, r *http.Request, v *visitor) {
	if sku := strings.TrimSpace(r.URL.Query().Get("open")); sku != "" {
		http.Redirect(w, r, stockPath(sku), http.StatusSeeOther)
		return
	}
	p, err := h.stockListData(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "stock_list", p)
}

// stockListData reads the day's picture and the page of SKUs the query
// asks for.
func (h *Handler) stockListData(r *http.Request, v *visitor) (*stockListPage, error) {
	ctx, qs, lang := r.Context(), r.URL.Query(), v.Lang
	desk := h.stockDesk()
	p := &stockListPage{adminPage: h.adminPage(v, stockArea), Query: strings.TrimSpace(qs.Get("q"))}
	p.current("/stock")
	now := h.app.Clock.Now()
	shorts, err := desk.Shortages(ctx, stockShortLimit)
	if err != nil {
		return nil, err
	}
	for _, s := range shorts {
		p.Shortages = append(p.Shortages, h.stockShortRowOf(lang, s))
	}
	waiting, more, err := desk.WaitingOrders(ctx, stock.WaitingFilter{After: qs.Get("wait"), Limit: pageSize})
	if err != nil {
		return nil, err
	}
	last := ""
	for _, o := range waiting {
		p.Waiting, last = append(p.Waiting, h.stockWaitRowOf(lang, o, now)), o.Cursor
	}
	p.WaitPages = newPagerOf("/stock", qs, "wait").links(last, more)
	longest, _, err := desk.WaitingOrders(ctx, stock.WaitingFilter{Oldest: true, Limit: stockLongestLimit})
	if err != nil {
		return nil, err
	}
	for _, o := range longest {
		p.Longest = append(p.Longest, h.stockWaitRowOf(lang, o, now))
	}
	p.HasWaiting = len(p.Shortages) > 0 || len(p.Waiting) > 0 || len(p.Longest) > 0
	items, more, err := desk.Items(ctx, stock.ItemFilter{Query: p.Query, After: qs.Get("after"), Limit: pageSize})
	if err != nil {
		return nil, err
	}
	last = ""
	for _, it := range items {
		p.Items, last = append(p.Items, stockItemRowOf(lang, it)), it.SKU
	}
	p.Pages = newPager("/stock", qs).links(last, more)
	return p, nil
}

// stockPath is the page of a SKU.
func stockPath(sku string) string { return "/stock/" + url.PathEscape(sku) }

// stockQty writes a count of units as the reader's language writes numbers.
func stockQty(lang i18n.Lang, n int) string { return i18n.Number(lang, int64(n)) }

// stockDay writes a stored day short ("Fri 4 Dec"); "" for none.
func stockDay(lang i18n.Lang, d calendar.Day) string {
	if d == 0 {
		return ""
	}
	return i18n.FormatDayShort(lang, d)
}

// stockIncomingDay reads an incoming delivery's stored day.
func stockIncomingDay(lang i18n.Lang, s string) string {
	d, err := calendar.ParseDay(s)
	if err != nil {
		return s
	}
	return stockDay(lang, d)
}

func (h *Handler) stockShortRowOf(lang i18n.Lang, s stock.Shortage) stockShortRow {
	row := stockShortRow{SKU: s.SKU, Name: s.Name, Link: stockPath(s.SKU), Tracked: s.Tracked, OnHand: stockQty(lang, s.OnHand),
		Waiting: stockQty(lang, s.Waiting), Orders: s.Orders,
		OrdersText: i18n.Text(lang, "stock_list.orders_count", map[string]any{"Count": s.Orders}),
		Since:      formatWhen(lang, h.app.Settings.Shop.Location(), s.Since)}
	if len(s.Incoming) > 0 {
		row.NextQty, row.NextDay = stockQty(lang, s.Incoming[0].Qty), stockIncomingDay(lang, s.Incoming[0].Date)
	}
	return row
}

// stockWaitRowOf puts a waiting order in the reader's words: since when
// and how many days it waits, until when.
func (h *Handler) stockWaitRowOf(lang i18n.Lang, o stock.WaitingOrder, now time.Time) stockWaitRow {
	loc := h.app.Settings.Shop.Location()
	today := calendar.DayOf(now.In(loc))
	row := stockWaitRow{OrderID: o.OrderID, CustomerID: o.CustomerID, Number: orderNumber(o.ExternalID), Customer: o.CustomerName,
		Since: formatWhen(lang, loc, o.Since), Waited: waitedText(lang, today, o.Since, loc),
		Until: stockDay(lang, o.ExpectedOn), Late: o.ExpectedOn != 0 && o.ExpectedOn < today}
	for _, l := range o.Lines {
		row.Lines = append(row.Lines, stockWaitLine{SKU: l.SKU, Name: l.Name, Link: stockPath(l.SKU), Qty: stockQty(lang, l.Qty),
			Held: stockQty(lang, l.Held), Until: stockDay(lang, l.ExpectedOn)})
	}
	return row
}

// waitedText says how long something has waited since a moment, in
// the shop's days: "since today", "waiting 3 days".
func waitedText(lang i18n.Lang, today calendar.Day, since time.Time, loc *time.Location) string {
	if since.IsZero() {
		return ""
	}
	days := int(today - calendar.DayOf(since.In(loc)))
	if days <= 0 {
		return i18n.Text(lang, "stock_list.waiting_today", nil)
	}
	return i18n.Text(lang, "stock_list.waiting_days", map[string]any{"Count": days})
}

func stockItemRowOf(lang i18n.Lang, it stock.Item) stockItemRow {
	row := stockItemRow{SKU: it.SKU, Name: it.Name, Link: stockPath(it.SKU), OnHand: stockQty(lang, it.OnHand),
		Reserved: stockQty(lang, it.Reserved), Available: stockQty(lang, it.Available), Waiting: stockQty(lang, it.Waiting),
		Waitlist: stockQty(lang, it.Waitlist), Short: it.Waiting > 0, HasWaits: it.Waiting > 0, HasWaitlist: it.Waitlist > 0}
	if n := it.IncomingQty(); n > 0 {
		row.HasIncoming, row.Incoming, row.NextDay = true, stockQty(lang, n), stockIncomingDay(lang, it.Incoming[0].Date)
	}
	return row
}
