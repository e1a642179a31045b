package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

// stockLevelJSON is one SKU's stock.
type stockLevelJSON = stock.Level

// stockListJSON answers GET /stock: a page of levels and where the next
// one starts.
type stockListJSON struct {
	Items []stock.Level `json:"items"`
	// NextCursor is the cursor of the next page, null on the last.
	NextCursor *string `json:"next_cursor" doc:"The cursor of the next page; null on the last page."`
}

// stockList lists levels a page at a time.
func (h *Handler) stockList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := stock.ListParams{After: q.Get("cursor")}
	var err error
	if p.Short, err = boolParam(q.Get("short"), "short"); err == nil {
		p.Out, err = boolParam(q.Get("out"), "out")
	}
	if err == nil && q.Get("limit") != "" {
		if p.Limit, err = strconv.Atoi(q.Get("limit")); err != nil || p.Limit < 1 || p.Limit > 500 {
			err = invalid.Field("limit", "out_of_range", "must be a whole number from 1 to 500")
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, next, err := h.app.Stock.List(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := stockListJSON{Items: items}
	if out.Items == nil {
		out.Items = []stock.Level{}
	}
	if next != "" {
		out.NextCursor = &next
	}
	writeJSON(w, http.StatusOK, out)
}

// stockGet answers one SKU's level.
func (h *Handler) stockGet(w http.ResponseWriter, r *http.Request) {
	l, err := h.app.Stock.Get(r.Context(), r.PathValue("sku"))
	if errors.Is(err, app.ErrNotFound) {
		writeError(w, r, http.StatusNotFound, "not_found", "the shop does not track the stock of this SKU", "sku")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

// boolParam reads an optional true/false query parameter.
func boolParam(v, name string) (bool, error) {
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, invalid.Field(name, "invalid", "must be true or false")
	}
	return b, nil
}
