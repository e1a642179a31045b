package api

import "github.com/shopcare/shopcare/internal/auth"

// stockBodyBytes bounds the body of PUT /stock: 100,000 SKUs with a
// delivery each fit in about 8 MB.
const stockBodyBytes = 32 << 20

// stockRoutes are the API routes of package stock (issue 27).
func (h *Handler) stockRoutes() []route {
	read := []auth.Scope{auth.ScopeRead}
	// The shop's platform sets stock with the token it sends orders
	// with; a stock-keeping tool may have a shop token instead.
	write := []auth.Scope{auth.ScopeOrdersWrite, auth.ScopeShop}
	return []route{
		{Method: "PUT", Path: "/api/v1/stock", Tag: "stock", Scopes: write, handle: h.stockPut, BodyLimit: stockBodyBytes,
			Summary: "Set stock levels",
			Description: "Body {\"items\": [{sku, name, on_hand, incoming: [{qty, date}]}]} or the bare array. Each level " +
				"replaces its SKU's on hand count and incoming deliveries (date YYYY-MM-DD); SKUs left out keep theirs. " +
				"Every level is checked before any is written (a 422 names the field: items[3].incoming[0].date). " +
				"Orders waiting for stock are served oldest first; when on hand drops below what orders hold, the newest wait.",
			Request: stockPutRequest{}, Response: stockPutJSON{}, Status: 200, Errors: bodyErrors},
		{Method: "GET", Path: "/api/v1/stock", Tag: "stock", Scopes: read, handle: h.stockList,
			Summary: "Stock levels, in SKU order",
			Query: []param{
				{Name: "short", Type: "boolean", Description: "Only SKUs open orders wait for."},
				{Name: "out", Type: "boolean", Description: "Only SKUs with nothing available."},
				{Name: "cursor", Description: "Where the page starts: the next_cursor of the page before."},
				{Name: "limit", Type: "integer", Description: "Rows per page, 1 to 500 (default 50)."}},
			Response: stockListJSON{}, Status: 200, Errors: []int{s422}},
		{Method: "GET", Path: "/api/v1/stock/{sku}", Tag: "stock", Scopes: read, handle: h.stockGet,
			Summary:  "One SKU's stock: on hand, reserved, available, incoming, waiting",
			Response: stockLevelJSON{}, Status: 200, Errors: []int{s404}},
	}
}
