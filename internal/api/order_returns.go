package api

import (
	"time"

	"github.com/shopcare/shopcare/internal/returns"
)

// returnJSON is a return request as the API shows it: the reason's code
// (damaged, wrong_item, not_as_described, did_not_fit, changed_mind,
// other), the customer's comment ("" once erased), its state (requested,
// handled) and the order's lines asked back.
type returnJSON struct {
	ID        int64            `json:"id"`
	Reason    string           `json:"reason"`
	Comment   string           `json:"comment"`
	State     returns.State    `json:"state"`
	CreatedAt time.Time        `json:"created_at"`
	Items     []returnItemJSON `json:"items"`
}

// returnItemJSON is one line of a return request: the order's line (from
// 1) as the customer saw it, and the units asked back.
type returnItemJSON struct {
	Line int    `json:"line"`
	SKU  string `json:"sku"`
	Name string `json:"name"`
	Qty  int64  `json:"qty"`
}

// returnsView shows the requests with their times in the shop's zone.
func returnsView(reqs []returns.Request, loc *time.Location) []returnJSON {
	var out []returnJSON
	for _, r := range reqs {
		v := returnJSON{ID: r.ID, Reason: r.Reason, Comment: r.Comment, State: r.State, CreatedAt: r.CreatedAt.In(loc),
			Items: make([]returnItemJSON, len(r.Lines))}
		for i, l := range r.Lines {
			v.Items[i] = returnItemJSON{Line: l.Line, SKU: l.SKU, Name: l.Name, Qty: l.Qty}
		}
		out = append(out, v)
	}
	return out
}
