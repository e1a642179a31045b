package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

// stockPutRequest is the body of PUT /stock (or its items, bare).
type stockPutRequest struct {
	Items []stockItemJSON `json:"items"`
}

// stockItemJSON is one level handed in. Counts are read as numbers and
// checked here, so an error names the item: items[3].on_hand.
type stockItemJSON struct {
	SKU      string             `json:"sku"`
	Name     string             `json:"name,omitempty"`
	OnHand   json.Number        `json:"on_hand" doc:"Units on hand, those held for open orders included; a whole number ≥ 0."`
	Incoming []stockIncomingDTO `json:"incoming,omitempty"`
}

// stockIncomingDTO is a delivery on its way.
type stockIncomingDTO struct {
	Qty  json.Number `json:"qty" doc:"Units, a whole number > 0."`
	Date string      `json:"date" doc:"The day it is expected, YYYY-MM-DD."`
}

// stockPutJSON answers PUT /stock: how many SKUs were new, changed or
// handed in as they were.
type stockPutJSON struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// stockPut sets the levels of the body.
func (h *Handler) stockPut(w http.ResponseWriter, r *http.Request) {
	body, err := jsonBody(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	levels, err := parseStockBody(body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.app.Stock.Put(r.Context(), "api", levels)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, stockPutJSON{Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged})
}

// parseStockBody reads {"items": [...]} or the bare array into levels,
// naming any wrong field by its path.
func parseStockBody(body []byte) ([]stock.Level, error) {
	var items []stockItemJSON
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		if err := decodeJSON(bytes.NewReader(body), &items); err != nil {
			return nil, itemsField(err)
		}
	} else {
		var req stockPutRequest
		if err := decodeJSON(bytes.NewReader(body), &req); err != nil {
			return nil, err
		}
		if req.Items == nil {
			return nil, invalid.Field("items", "required", "send the levels as items: [{sku, on_hand, incoming}]")
		}
		items = req.Items
	}
	var errs invalid.List
	levels := make([]stock.Level, len(items))
	for i, it := range items {
		at := "items[" + strconv.Itoa(i) + "]"
		levels[i] = stock.Level{SKU: it.SKU, Name: it.Name, OnHand: count(&errs, at+".on_hand", it.OnHand, true)}
		for k, d := range it.Incoming {
			levels[i].Incoming = append(levels[i].Incoming,
				stock.Incoming{Qty: count(&errs, at+".incoming["+strconv.Itoa(k)+"].qty", d.Qty, true), Date: d.Date})
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return levels, nil
}

// count reads a whole number; a missing one is an error when required.
func count(errs *invalid.List, field string, n json.Number, required bool) int {
	if n == "" {
		if required {
			errs.Add(field, "required", "is required")
		}
		return 0
	}
	v, err := strconv.Atoi(n.String())
	if err != nil || v < 0 || v > stock.MaxQty {
		errs.Add(field, "out_of_range", "must be a whole number from 0 to %d, not %s", stock.MaxQty, n)
		return 0
	}
	return v
}

// itemsField names a bare array's field ([2].sku) as the items' one
// (items[2].sku), as the object's body would.
func itemsField(err error) error {
	ie, ok := invalid.First(err)
	if !ok || ie.Field == "" {
		return err
	}
	field := "items"
	if strings.HasPrefix(ie.Field, "[") {
		field += ie.Field
	} else {
		field += "." + ie.Field
	}
	return invalid.Field(field, ie.Code, "%s", ie.Message)
}
