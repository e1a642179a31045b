package web

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

// The form offers the deliveries on their way and a few empty rows, at
// most stockIncomingMax; on hand and a name are bounded too.
const (
	stockIncomingBlank = 3
	stockIncomingMax   = 20
	stockOnHandMax     = 1_000_000_000
	stockNameMax       = 200
)

// stockItemPage is /stock/{sku}: one SKU's level, its deliveries on the
// way, the orders holding or waiting for it, the waitlist, and the form
// that sets on hand and the deliveries.
type stockItemPage struct {
	adminPage
	SKU     string
	Path    string // the page's own address, where its form posts
	Tracked bool
	Item    stockItemRow
	Source  string
	Updated string
	// Incoming are the deliveries on their way, in words.
	Incoming []stockIncomingRow
	Holders  []stockHolderRow
	Pages    pageLinks
	Form     stockForm
}

// stockIncomingRow is a delivery on its way.
type stockIncomingRow struct {
	Qty, Day string
}

// stockHolderRow is an open order of the SKU.
type stockHolderRow struct {
	CustomerID       int64
	OrderID          int64
	Number, Customer string
	Qty, Held        string
	Waits            bool
	Until, Since     string
	Waited           string
}

// stockForm is the form of a SKU's level, as typed, with what is wrong
// on each field.
type stockForm struct {
	Name, OnHand string
	Incoming     []stockIncomingField
	// Errors are the fields' problems: "name", "on_hand", and "form"
	// for one that belongs to no field.
	Errors map[string]string
}

// stockIncomingField is one delivery row of the form.
type stockIncomingField struct {
	Qty, Date         string
	QtyErr, DateErr   string
	QtyName, DateName string
}

// stockItem shows a SKU's page; an untracked SKU gets the form alone,
// which starts tracking it.
func (h *Handler) stockItem(w http.ResponseWriter, r *http.Request, v *visitor) {
	p, err := h.stockItemData(r, v, r.PathValue("sku"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = "admin.saved"
	}
	h.render(w, r, http.StatusOK, "stock_item", p)
}

func (h *Handler) stockItemData(r *http.Request, v *visitor, sku string) (*stockItemPage, error) {
	ctx, lang, loc := r.Context(), v.Lang, h.app.Settings.Shop.Location()
	desk := h.stockDesk()
	p := &stockItemPage{adminPage: h.adminPage(v, stockArea), SKU: sku, Path: stockPath(sku), Form: stockForm{Errors: map[string]string{}}}
	p.current("/stock")
	it, err := desk.Item(ctx, sku)
	switch {
	case errors.Is(err, app.ErrNotFound):
		p.Form.OnHand = "0"
	case err != nil:
		return nil, err
	default:
		p.Tracked, p.Item = true, stockItemRowOf(lang, it)
		p.Updated = formatWhen(lang, loc, it.UpdatedAt)
		if it.Source != "" {
			p.Source = stockSourceName(lang, it.Source)
		}
		p.Form.Name, p.Form.OnHand = it.Name, strconv.Itoa(it.OnHand)
		for _, in := range it.Incoming {
			p.Incoming = append(p.Incoming, stockIncomingRow{Qty: stockQty(lang, in.Qty), Day: stockIncomingDay(lang, in.Date)})
			p.Form.Incoming = append(p.Form.Incoming, stockIncomingField{Qty: strconv.Itoa(in.Qty), Date: in.Date})
		}
	}
	p.Form.pad()
	now := h.app.Clock.Now()
	today := calendar.DayOf(now.In(loc))
	qs := r.URL.Query()
	holders, more, err := desk.Holders(ctx, stock.HolderFilter{SKU: sku, After: qs.Get("after"), Limit: pageSize})
	if err != nil {
		return nil, err
	}
	last := ""
	for _, o := range holders {
		p.Holders = append(p.Holders, stockHolderRow{OrderID: o.OrderID, CustomerID: o.CustomerID, Number: orderNumber(o.ExternalID), Customer: o.CustomerName,
			Qty: stockQty(lang, o.Qty), Held: stockQty(lang, o.Held), Waits: o.Waits(), Until: stockDay(lang, o.ExpectedOn),
			Since: formatWhen(lang, loc, o.Since), Waited: waitedText(lang, today, o.Since, loc)})
		last = o.Cursor
	}
	p.Pages = newPager(stockPath(sku), qs).links(last, more)
	return p, nil
}

// pad names the delivery rows and adds the empty ones.
func (f *stockForm) pad() {
	for range stockIncomingBlank {
		if len(f.Incoming) >= stockIncomingMax {
			break
		}
		f.Incoming = append(f.Incoming, stockIncomingField{})
	}
	for i := range f.Incoming {
		f.Incoming[i].QtyName, f.Incoming[i].DateName = "incoming_qty", "incoming_date"
	}
}

// stockSourceName says who set a level last: the API, a file, the admin,
// or a connector by its name.
func stockSourceName(lang i18n.Lang, source string) string {
	switch source {
	case "api", "csv", "admin":
		return i18n.Text(lang, "stock_item.source."+source, nil)
	}
	return i18n.Text(lang, "stock_item.source.connector", map[string]any{"Name": source})
}

// stockItemSave sets a SKU's on hand and its deliveries on the way
// (stock.Service.Put, source "admin"); what is wrong comes back on its
// field, and nothing is written.
func (h *Handler) stockItemSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	sku := r.PathValue("sku")
	form := stockForm{Name: strings.TrimSpace(r.PostFormValue("name")), OnHand: strings.TrimSpace(r.PostFormValue("on_hand"))}
	qtys, dates := r.PostForm["incoming_qty"], r.PostForm["incoming_date"]
	for i := range max(len(qtys), len(dates)) {
		var f stockIncomingField
		if i < len(qtys) {
			f.Qty = strings.TrimSpace(qtys[i])
		}
		if i < len(dates) {
			f.Date = strings.TrimSpace(dates[i])
		}
		form.Incoming = append(form.Incoming, f)
	}
	level, ok := parseStockForm(v.Lang, sku, &form)
	var err error
	if ok {
		_, err = h.stockDesk().Put(r.Context(), "admin", []stock.Level{level})
		if err == nil {
			h.recordExport(r, actionlog.Entry{Action: actionlog.StockSet, TargetKind: actionlog.TargetStock, TargetID: sku,
				Detail: map[string]any{"on_hand": level.OnHand, "incoming": len(level.Incoming)}})
			http.Redirect(w, r, stockPath(sku)+"?saved=1", http.StatusSeeOther)
			return
		}
		if _, isInvalid := invalid.First(err); !isInvalid {
			h.fail(w, r, err)
			return
		}
		form.putErrors(v.Lang, err)
	}
	p, err := h.stockItemData(r, v, sku)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.pad()
	p.Form = form
	h.render(w, r, http.StatusUnprocessableEntity, "stock_item", p)
}

// stockDate is how a delivery's day is typed (the date input sends it so).
var stockDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// parseStockForm checks the form and returns the level it sets; ok is
// false when a field is wrong, each wrong field then carrying its reason.
// Rows with neither a quantity nor a day are left out.
func parseStockForm(lang i18n.Lang, sku string, f *stockForm) (stock.Level, bool) {
	f.Errors = map[string]string{}
	msg := func(id string) string { return i18n.Text(lang, id, nil) }
	level := stock.Level{SKU: sku, Name: f.Name}
	if strings.TrimSpace(sku) == "" || len(sku) > 100 || strings.ContainsFunc(sku, unicode.IsControl) {
		f.Errors["form"] = msg("stock_item.error.sku")
	}
	if utf8.RuneCountInString(f.Name) > stockNameMax || strings.ContainsFunc(f.Name, unicode.IsControl) {
		f.Errors["name"] = msg("stock_item.error.name")
	}
	if n, ok := wholeNumber(f.OnHand, 0, stockOnHandMax); ok {
		level.OnHand = n
	} else {
		f.Errors["on_hand"] = msg("stock_item.error.on_hand")
	}
	var kept []stockIncomingField
	for _, in := range f.Incoming {
		if in.Qty == "" && in.Date == "" {
			continue
		}
		n, ok := wholeNumber(in.Qty, 1, stockOnHandMax)
		if !ok {
			in.QtyErr = msg("stock_item.error.incoming_qty")
		}
		d, err := calendar.ParseDay(in.Date)
		if !stockDate.MatchString(in.Date) || err != nil || d.Year() < 2000 || d.Year() > 2100 {
			in.DateErr = msg("stock_item.error.incoming_date")
		}
		if in.QtyErr == "" && in.DateErr == "" {
			level.Incoming = append(level.Incoming, stock.Incoming{Qty: n, Date: d.String()})
		}
		kept = append(kept, in)
	}
	if len(kept) > stockIncomingMax {
		f.Errors["form"] = msg("stock_item.error.too_many")
		kept = kept[:stockIncomingMax]
	}
	f.Incoming = kept
	ok := len(f.Errors) == 0
	for _, in := range kept {
		ok = ok && in.QtyErr == "" && in.DateErr == ""
	}
	return level, ok
}

// wholeNumber reads a whole number from lo to hi as people type it, with
// spaces between thousands ("1 000").
func wholeNumber(s string, lo, hi int) (int, bool) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// putErrors puts the stock service's validation errors on the form's
// fields, in the reader's language: the service's field names a level's
// on_hand, name or incoming[i].qty / .date.
func (f *stockForm) putErrors(lang i18n.Lang, err error) {
	var list invalid.List
	var one *invalid.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = invalid.List{one}
	}
	for _, e := range list {
		field := e.Field
		switch {
		case strings.Contains(field, "incoming"):
			i := incomingIndex(field)
			if i < 0 || i >= len(f.Incoming) {
				f.Errors["form"] = i18n.Text(lang, "stock_item.error.incoming", nil)
				continue
			}
			if strings.HasSuffix(field, "qty") {
				f.Incoming[i].QtyErr = i18n.Text(lang, "stock_item.error.incoming_qty", nil)
			} else {
				f.Incoming[i].DateErr = i18n.Text(lang, "stock_item.error.incoming_date", nil)
			}
		case strings.HasSuffix(field, "on_hand"):
			f.Errors["on_hand"] = i18n.Text(lang, "stock_item.error.on_hand", nil)
		case strings.HasSuffix(field, "name"):
			f.Errors["name"] = i18n.Text(lang, "stock_item.error.name", nil)
		default:
			f.Errors["form"] = i18n.Text(lang, "stock_item.error.general", nil)
		}
	}
	if len(list) == 0 {
		f.Errors["form"] = i18n.Text(lang, "stock_item.error.general", nil)
	}
}

// incomingIndex reads i from "…incoming[i]…"; -1 when there is none.
func incomingIndex(field string) int {
	_, rest, ok := strings.Cut(field, "incoming[")
	if !ok {
		return -1
	}
	num, _, ok := strings.Cut(rest, "]")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return -1
	}
	return n
}
