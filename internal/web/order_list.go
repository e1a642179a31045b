package web

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/order"
)

// orderListPage is the order list with its filters.
type orderListPage struct {
	adminPage
	Query, Status, State, From, To string
	Orders                         []order.ListItem
	Statuses                       []order.Status
	Today                          string
	Grace                          int
	Pages                          pageLinks
}

// orderList shows orders newest first, filtered by search, status,
// promise state and the day they were placed.
func (h *Handler) orderList(w http.ResponseWriter, r *http.Request, v *visitor) {
	qs := r.URL.Query()
	p := orderListPage{adminPage: h.adminPage(v, auth.AreaOrders), Query: qs.Get("q"), Status: qs.Get("status"),
		State: qs.Get("state"), From: qs.Get("from"), To: qs.Get("to"), Statuses: order.Statuses,
		Today: h.orders.Today(), Grace: h.app.Settings.Compensation.LateGraceDays}
	f := order.ListFilter{Query: p.Query, Today: p.Today, GraceDays: p.Grace, After: qs.Get("after"), Limit: pageSize}
	if s, ok := order.ParseStatus(p.Status); ok {
		f.Status = s
	}
	if st := order.PromiseState(p.State); st == order.AtRisk || st == order.Late {
		f.State = st
	}
	loc := h.app.Settings.Shop.Location()
	if d, err := calendar.ParseDay(p.From); err == nil {
		f.From = d.Time(loc)
	}
	if d, err := calendar.ParseDay(p.To); err == nil {
		f.To = d.AddDays(1).Time(loc)
	}
	items, more, err := h.orders.List(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Orders = items
	last := ""
	for i := len(items) - 1; i >= 0 && last == ""; i-- {
		if !items[i].Unreadable {
			last = items[i].Cursor()
		}
	}
	p.Pages = newPager("/orders", qs).links(last, more)
	h.render(w, r, http.StatusOK, "order_list", p)
}
