package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/stock"
)

// myStockRoutes are the customer page's back-in-stock routes: the items
// they wait for, asking with one click on an order's item that is out of
// stock, and cancelling.
func (h *Handler) myStockRoutes() []myRoute {
	return []myRoute{
		{pattern: "GET /my/stock", mine: h.myStockShow},
		{pattern: "POST /my/stock", mine: h.myStockAsk},
		{pattern: "POST /my/stock/{id}/cancel", mine: h.myStockCancel},
	}
}

// myStockPage lists the customer's back-in-stock requests.
type myStockPage struct {
	myPage
	Rows []myStockRow
}

// myStockRow is one request: the item, what became of it, and whether it
// can still be cancelled.
type myStockRow struct {
	ID    int64
	SKU   string
	State string
	Open  bool
}

// myStockShow lists the items the customer waits for, and those they
// were told about or cancelled.
func (h *Handler) myStockShow(w http.ResponseWriter, r *http.Request, v *myVisit) {
	list, err := h.app.Stock.ByCustomer(r.Context(), v.Customer.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	loc := notify.Location(v.Customer.Timezone, h.app.Settings.Shop.Location())
	p := myStockPage{myPage: h.myPageOf(r, v, v.Lang, "stock")}
	for _, q := range list {
		row := myStockRow{ID: q.ID, SKU: q.SKU, Open: q.Open()}
		switch {
		case q.ToldAt != nil:
			row.State = i18n.Text(v.Lang, "tracking.stock.my.told", map[string]any{"Day": i18n.FormatDayShort(v.Lang, calendar.DayOf(q.ToldAt.In(loc)))})
		case q.CancelledAt != nil:
			row.State = i18n.Text(v.Lang, "tracking.stock.my.cancelled", nil)
		default:
			row.State = i18n.Text(v.Lang, "tracking.stock.my.waiting", map[string]any{"Day": i18n.FormatDayShort(v.Lang, calendar.DayOf(q.CreatedAt.In(loc)))})
		}
		p.Rows = append(p.Rows, row)
	}
	h.render(w, r, http.StatusOK, "my_stock", p)
}

// myStockAsk is "Tell me when it's back" on an item of one of the
// customer's orders (form field sku, and order: the order to go back to).
func (h *Handler) myStockAsk(w http.ResponseWriter, r *http.Request, v *myVisit) {
	_, err := h.app.Stock.Ask(r.Context(), stock.AskParams{SKU: r.PostFormValue("sku"), CustomerID: v.Customer.ID,
		Language: string(v.Lang), Source: stock.SourceMy})
	if _, bad := invalid.First(err); bad {
		err = nil // in stock by now, or no e-mail: the list shows what is so
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	back := "/my/stock"
	if id, err := strconv.ParseInt(r.PostFormValue("order"), 10, 64); err == nil && id > 0 {
		back = "/my/orders/" + strconv.FormatInt(id, 10) + "#items"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// myStockCancel cancels one of the customer's own requests; another's is
// the plain 404 of one that does not exist.
func (h *Handler) myStockCancel(w http.ResponseWriter, r *http.Request, v *myVisit) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return
	}
	if _, err := h.app.Stock.Cancel(r.Context(), id, v.Customer.ID); err != nil {
		if errors.Is(err, app.ErrNotFound) {
			h.notFound(w, r)
			return
		}
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/my/stock", http.StatusSeeOther)
}

// myStockMarks marks the items of an order that are out of stock now,
// and those the customer waits for already, for the order page's
// one-click "Tell me when it's back".
func (h *Handler) myStockMarks(ctx context.Context, v *myVisit, items []myItemRow) error {
	var waiting map[string]bool
	for i := range items {
		a, tracked := h.app.Stock.Available(items[i].SKU)
		if !tracked || a.Available > 0 || items[i].SKU == "" {
			continue
		}
		if waiting == nil {
			list, err := h.app.Stock.ByCustomer(ctx, v.Customer.ID)
			if err != nil {
				return err
			}
			waiting = map[string]bool{}
			for _, q := range list {
				waiting[q.SKU] = waiting[q.SKU] || q.Open()
			}
		}
		items[i].Out, items[i].Waiting = true, waiting[items[i].SKU]
	}
	return nil
}
