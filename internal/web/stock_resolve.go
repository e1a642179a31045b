package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/task"
)

// resolveDesk is what the order page needs of the stock: what the order
// holds, and an operator's resolution of its missing items.
type resolveDesk interface {
	OrderHoldsOf(ctx context.Context, orderID int64) ([]stock.OrderHold, error)
	Resolve(ctx context.Context, r stock.Resolution) (stock.Resolved, error)
}

// stockSection is the order page's part about its tracked items: each
// one's stock, and, while some item waits, the form an operator records
// what the customer agreed to with (parts/stock_resolve.html).
type stockSection struct {
	Lines []stockLine
	// Waiting says some line waits for stock: the form is shown.
	Waiting     bool
	Resolutions []string
	Currency    string
	Form        resolveForm
}

// stockLine is one tracked item of the order with its stock in words.
type stockLine struct {
	SKU, Name string
	Qty       int
	Text      string
	Waits     bool
}

// resolveForm is the resolution form as sent, and what was wrong with it.
type resolveForm struct {
	Resolution, Alternative, Refund, Note string
	Field                                 string // the field in error
	Error                                 string // what is wrong, in the viewer's language
}

// stockSectionData reads the order's stock part; nil for an order of
// items the shop does not track.
func (h *Handler) stockSectionData(ctx context.Context, lang i18n.Lang, o *order.Order) (*stockSection, error) {
	var desk resolveDesk = h.app.Stock
	holds, err := desk.OrderHoldsOf(ctx, o.ID)
	if err != nil || len(holds) == 0 {
		return nil, err
	}
	s := &stockSection{Resolutions: stock.Resolutions(), Currency: o.Currency}
	for _, hd := range holds {
		l := stockLine{SKU: hd.SKU, Name: hd.Name, Qty: hd.Qty, Text: callback.StockText(lang, hd), Waits: hd.Waits()}
		s.Waiting = s.Waiting || l.Waits
		s.Lines = append(s.Lines, l)
	}
	return s, nil
}

// stockResolve records what an operator agreed with the customer about
// the order's missing items: an alternative, a split shipment, a refund
// or the wait. The stock service closes the stock_short task and the
// playbook tells the customer; a wrong form comes back with its field
// marked and nothing written.
func (h *Handler) stockResolve(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	o, err := h.orders.Get(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form := resolveForm{Resolution: r.PostFormValue("resolution"), Alternative: strings.TrimSpace(r.PostFormValue("alternative")),
		Refund: strings.TrimSpace(r.PostFormValue("refund")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	res := stock.Resolution{OrderID: id, Resolution: form.Resolution, Note: form.Note, By: v.User.Email}
	if form.Resolution == stock.ResolveAlternative {
		res.Alternative = form.Alternative
	}
	if form.Resolution == stock.ResolveRefund {
		if res.RefundMinor, err = money.Parse(form.Refund, money.Scale(o.Currency)); err != nil {
			form.Field = "refund"
		}
	}
	if form.Field == "" {
		var desk resolveDesk = h.app.Stock
		_, err = desk.Resolve(ctx, res)
		var bad *invalid.Error
		var list invalid.List
		switch {
		case err == nil:
			h.log.InfoContext(ctx, "stock resolved", "order", id, "resolution", res.Resolution, "user", v.User.Email)
			http.Redirect(w, r, "/orders/"+strconv.FormatInt(id, 10)+"?saved=stock#stock", http.StatusSeeOther)
			return
		case errors.Is(err, stock.ErrNothingShort):
			form.Field = "nothing"
		case errors.As(err, &list) && len(list) > 0:
			form.Field = list[0].Field
		case errors.As(err, &bad):
			form.Field = bad.Field
		default:
			h.fail(w, r, err)
			return
		}
	}
	switch form.Field {
	case "resolution", "alternative", "refund", "note", "nothing":
	default:
		form.Field = "resolution"
	}
	form.Error = i18n.Text(v.Lang, "stock_resolve.error."+form.Field, nil)
	p, err := h.orderShowData(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if p.Stock != nil {
		p.Stock.Form = form
	}
	h.render(w, r, http.StatusUnprocessableEntity, "order_show", p)
}

// taskOutcomeText names the outcome of a done stock_short task; "" for
// the other kinds, whose outcome the page does not show.
func taskOutcomeText(lang i18n.Lang, t task.Task) string {
	if t.Kind != task.StockShort || t.Outcome == "" {
		return ""
	}
	return label(lang, "task_outcome", t.Outcome)
}
