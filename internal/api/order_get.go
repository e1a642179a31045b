package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/task"
)

// orderGet shows an order by shopcare's id or the shop's external id,
// with its tasks and what it holds of the shop's stock.
func (h *Handler) orderGet(w http.ResponseWriter, r *http.Request) {
	o, err := h.orders.Find(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.view(r.Context(), r.URL.Query().Get("lang"), o)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	full, err := h.orderDetail(r.Context(), v, o)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, full)
}

// orderDetail adds to an order's view what only GET shows: its tasks and
// its stock.
func (h *Handler) orderDetail(ctx context.Context, v orderJSON, o *order.Order) (orderGetJSON, error) {
	full := orderGetJSON{orderJSON: v, Tasks: []orderTaskJSON{}, Stock: []orderStockJSON{}}
	tasks, err := h.tasks.ListByOrder(ctx, o.ID)
	if err != nil {
		return full, err
	}
	loc := h.app.Settings.Shop.Location()
	for _, t := range tasks {
		tj := orderTaskJSON{Kind: t.Kind, Status: t.Status}
		if !t.Unreadable {
			due := t.DueAt.In(loc)
			tj.DueAt = &due
		}
		full.Tasks = append(full.Tasks, tj)
	}
	holds, err := h.stock.Holds(ctx, o.ID)
	if err != nil {
		return full, err
	}
	for _, hd := range holds {
		sj := orderStockJSON{SKU: hd.SKU, Name: hd.Name, Qty: hd.Qty, Held: hd.Held}
		if hd.ExpectedOn != 0 && hd.Short() {
			on := hd.ExpectedOn
			sj.ExpectedOn = &on
		}
		full.Stock = append(full.Stock, sj)
	}
	return full, nil
}

// orderGetJSON is an order as GET /orders/{id} shows it: the order, its
// tasks and its stock.
type orderGetJSON struct {
	orderJSON
	// Tasks are the order's tasks for the shop's people, by due time.
	Tasks []orderTaskJSON `json:"tasks"`
	// Stock is what the order holds of each tracked SKU, and what it
	// waits for; empty when it has no tracked SKU.
	Stock []orderStockJSON `json:"stock"`
}

// orderTaskJSON is one of an order's tasks.
type orderTaskJSON struct {
	Kind   task.Kind   `json:"kind" doc:"What the task asks for: callback, find_parcel, return_request, service_recovery, stock_short."`
	Status task.Status `json:"status" doc:"open or done."`
	DueAt  *time.Time  `json:"due_at" doc:"When it is due, in the shop's time zone; null when the stored time cannot be read."`
}

// orderStockJSON is what an order holds of one tracked SKU.
type orderStockJSON struct {
	SKU  string `json:"sku"`
	Name string `json:"name"`
	Qty  int    `json:"qty" doc:"Units the order wants."`
	Held int    `json:"held" doc:"Units held for it from on hand; fewer than qty means it waits for stock."`
	// ExpectedOn is when the units it waits for are expected.
	ExpectedOn *calendar.Day `json:"expected_on" doc:"The day the missing units are expected (YYYY-MM-DD); null when it waits for nothing or nobody knows."`
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
