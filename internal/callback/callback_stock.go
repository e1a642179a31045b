package callback

import (
	"context"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
)

// stockOf writes each item's real stock (InStock) in lang, from what the
// order holds and the shop's levels, and returns the order's lines that
// wait for stock. An item of a SKU the shop does not track says nothing:
// its stock is not known, and the script never guesses it.
func (s *Service) stockOf(ctx context.Context, q store.Querier, orderID int64, items []ScriptItem, lang i18n.Lang) ([]stock.OrderHold, error) {
	holds, err := stock.OrderHolds(ctx, q, orderID)
	if err != nil {
		return nil, err
	}
	bySKU := make(map[string]stock.OrderHold, len(holds))
	var short []stock.OrderHold
	for _, h := range holds {
		bySKU[h.SKU] = h
		if h.Waits() {
			short = append(short, h)
		}
	}
	var loose []string // tracked, perhaps, but not held: an order from before the shop tracked it
	for _, it := range items {
		if _, ok := bySKU[it.SKU]; !ok {
			loose = append(loose, it.SKU)
		}
	}
	levels, err := stock.OnHandOf(ctx, q, loose)
	if err != nil {
		return nil, err
	}
	for i := range items {
		it := &items[i]
		if h, ok := bySKU[it.SKU]; ok {
			it.InStock, it.Short = StockText(lang, h), h.Waits()
			continue
		}
		if l, ok := levels[it.SKU]; ok {
			it.InStock = levelText(lang, l)
		}
	}
	return short, nil
}

// StockText says, in lang, what the order holds of an item: "held for this order",
// "not in stock — arrives on Tuesday 15 Dec", "1 of 2 held for this
// order; the rest arrives on …", or how it was settled.
func StockText(lang i18n.Lang, h stock.OrderHold) string {
	switch {
	case h.Status == "shipped":
		return i18n.Text(lang, "callback.item.stock.shipped", nil)
	case h.Status == "released" && h.Resolution == stock.ResolveRefund:
		return i18n.Text(lang, "callback.item.stock.refunded", nil)
	case h.Status == "released" && h.Resolution == stock.ResolveAlternative:
		return i18n.Text(lang, "callback.item.stock.replaced", nil)
	case h.Status == "released":
		return i18n.Text(lang, "callback.item.stock.released", nil)
	case !h.Short():
		return i18n.Text(lang, "callback.item.stock.held", nil)
	}
	data := map[string]any{"Held": h.Held, "Qty": h.Qty}
	id := "callback.item.stock.short"
	if h.Held > 0 {
		id = "callback.item.stock.part"
	}
	if h.ExpectedOn != 0 {
		data["Day"] = i18n.FormatOnDay(lang, h.ExpectedOn)
		return i18n.Text(lang, id+"_dated", data)
	}
	return i18n.Text(lang, id+"_undated", data)
}

// levelText says a tracked SKU's stock for an item the order does not
// hold: "2 on hand", "not in stock — next delivery on …", "not in stock".
func levelText(lang i18n.Lang, l stock.OnHand) string {
	switch {
	case l.Available > 0:
		return i18n.Text(lang, "callback.item.stock.on_hand", map[string]any{"Count": l.Available})
	case l.NextOn != 0:
		return i18n.Text(lang, "callback.item.stock.none_dated", map[string]any{"Day": i18n.FormatOnDay(lang, l.NextOn)})
	}
	return i18n.Text(lang, "callback.item.stock.none", nil)
}

// shortLines are the script's lines about the items that wait for stock,
// in the customer's language: each with the day it is expected, then
// what the operator may offer.
func shortLines(lang i18n.Lang, short []stock.OrderHold) []string {
	if len(short) == 0 {
		return nil
	}
	var out []string
	for _, h := range short {
		data := map[string]any{"Name": h.Name}
		if h.Name == "" {
			data["Name"] = h.SKU
		}
		if h.ExpectedOn != 0 {
			data["Day"] = i18n.FormatOnDay(lang, h.ExpectedOn)
			out = append(out, i18n.Text(lang, "callback.script.stock.short_dated", data))
		} else {
			out = append(out, i18n.Text(lang, "callback.script.stock.short_undated", data))
		}
	}
	return append(out, i18n.Text(lang, "callback.script.stock.offer", nil))
}
