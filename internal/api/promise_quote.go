package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/promise"
)

// maxQuoteItems bounds a cart's lines in a quote.
const maxQuoteItems = 200

// quoteJSON answers a quote: the promise a cart would get if ordered at
// placed_at.
type quoteJSON struct {
	PlacedAt time.Time   `json:"placed_at"`
	Carrier  string      `json:"carrier"`
	Country  string      `json:"country"`
	Received string      `json:"received"`
	Promise  promiseJSON `json:"promise"`
	// OrderBy is the last moment an order gets this promise: the cut-off
	// of the received day, in the shop's time zone.
	OrderBy time.Time     `json:"order_by"`
	Text    quoteTextJSON `json:"text"`
	// Stock lists the cart's SKUs the shop tracks (lines given as a plain
	// sku), with what is available and when more comes.
	Stock []quoteStockJSON `json:"stock"`
}

// quoteStockJSON is a tracked SKU of a quote's cart.
type quoteStockJSON struct {
	SKU       string `json:"sku"`
	Available int    `json:"available" doc:"Units on hand not held for orders; 0 or less: the item waits for stock and the promise counts from next_on."`
	// NextOn is when more of the SKU comes.
	NextOn *calendar.Day `json:"next_on" doc:"The day the next delivery is expected (YYYY-MM-DD), or, for an item out of stock with none on its way, the shop's restock estimate; null when none is known."`
}

// quoteTextJSON is the promise in the words of the quote's language, for
// a line on a product page: "Order within 2 h 10 min — arrives on
// Thursday 10 Dec". The delivery widget (GET /delivery.js) shows it.
type quoteTextJSON struct {
	OrderWithin       string    `json:"order_within" doc:"The time left until order_by, in words: Order within 2 h 10 min."`
	OrderWithinFormat string    `json:"order_within_format" doc:"order_within with {left} where the time left goes, for a page that counts down."`
	Units             [3]string `json:"units" doc:"The abbreviations of days, hours and minutes that order_within writes: d, h, min."`
	Arrives           string    `json:"arrives" doc:"When the order arrives: arrives on Thursday 10 Dec; empty for a carrier with no transit set up."`
	Ships             string    `json:"ships" doc:"When the order leaves the shop: ships on Tuesday 8 Dec."`
	Waits             string    `json:"waits,omitempty" doc:"When an item of the cart is not in stock, a sentence saying so and when it is expected: Not in stock now, the next delivery is expected on Tuesday 15 Dec. Absent when every item is in stock."`
}

// timeLeft is the time from placed to orderBy rounded up to the minute,
// so that 30 seconds left read "1 min", not "0 min"; never negative.
func timeLeft(placed, orderBy time.Time) time.Duration {
	left := max(orderBy.Sub(placed), 0)
	if r := left % time.Minute; r > 0 {
		left += time.Minute - r
	}
	return left
}

// quoteText words the promise d of an order placed at for the delivery
// widget, in lang; req says what the cart waits for.
func quoteText(lang i18n.Lang, d promise.Dates, placed, orderBy time.Time, req *promise.Request) quoteTextJSON {
	t := quoteTextJSON{
		OrderWithin:       i18n.Text(lang, "widget.order_within", map[string]any{"Left": i18n.Duration(lang, timeLeft(placed, orderBy))}),
		OrderWithinFormat: i18n.Text(lang, "widget.order_within", map[string]any{"Left": "{left}"}),
		Units:             i18n.DurationUnits(lang),
		Ships:             i18n.Text(lang, "widget.ships", map[string]any{"When": i18n.FormatOnDay(lang, d.Ship)}),
	}
	if d.Delivers {
		t.Arrives = i18n.Text(lang, "widget.arrives", map[string]any{"When": i18n.FormatOnRange(lang, d.DeliveryFrom, d.DeliveryTo)})
	}
	if req.StockOn != 0 {
		t.Waits = i18n.Text(lang, "widget.waits", map[string]any{"When": i18n.FormatOnDay(lang, req.StockOn)})
	}
	return t
}

// cartStock checks the cart's plain SKUs against the shop's stock (from
// memory): a tracked SKU with nothing available waits for its next
// delivery, or the shop's restock estimate, and req waits with it. It
// answers the tracked SKUs; restock is the estimate for one with nothing
// on its way.
func cartStock(stock stockKeeper, skus []string, req *promise.Request, restock calendar.Day) []quoteStockJSON {
	out := []quoteStockJSON{}
	var days []calendar.Day // next_on of each answer, allocated once when one is tracked
	for i, sku := range skus {
		if slices.Contains(skus[:i], sku) {
			continue
		}
		a, tracked := stock.Available(sku)
		if !tracked {
			continue
		}
		if days == nil {
			out = make([]quoteStockJSON, 0, len(skus)-i)
			days = make([]calendar.Day, len(skus))
		}
		q := quoteStockJSON{SKU: sku, Available: a.Available}
		next := a.NextOn
		if a.Available <= 0 {
			if next == 0 {
				next = restock
			}
			req.AddWait(promise.Wait{Item: sku, On: next})
		}
		if next != 0 {
			days[i] = next
			q.NextOn = &days[i]
		}
		out = append(out, q)
	}
	return out
}

// promiseQuote answers GET /api/v1/promise/quote?country=LV&carrier=post&items=mug,vase:12
// for a cart before the order, so a shop can show the dates on its product
// and checkout pages. items lists the cart's lines as sku or
// sku:production_days (made to order); at (default now) and lang are
// optional. It needs no token and may be called from the shop's pages.
// order_by and text are what the delivery widget shows: until when this
// promise holds, and the promise in words.
func (h *Handler) promiseQuote(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	q := r.URL.Query()
	var errs invalid.List
	for _, name := range []string{"carrier", "country", "at", "items", "lang"} {
		errs.CheckText(name, q.Get(name))
	}
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	if l := strings.TrimSpace(q.Get("lang")); l != "" {
		if _, ok := i18n.Parse(l); !ok {
			errs.Add("lang", "unknown", "%q is not a language shopcare speaks: ru, lv or en", l)
		}
	}
	req := promise.Request{PlacedAt: h.app.Clock.Now(), Carrier: strings.TrimSpace(q.Get("carrier"))}
	if c := strings.ToUpper(strings.TrimSpace(q.Get("country"))); c != "" {
		if _, err := language.ParseRegion(c); err != nil || len(c) != 2 {
			errs.Add("country", "invalid", "%q is not a two-letter ISO country code", q.Get("country"))
		}
		req.Country = c
	}
	if at := q.Get("at"); at != "" {
		t, err := parseTime(at, h.app.Settings.Shop.Location())
		if err != nil {
			errs.Add("at", "invalid", "%q is not a time like 2026-11-27T15:20:00+03:00", at)
		} else {
			errs.CheckTime("at", t, time.Time{}, false)
		}
		req.PlacedAt = t
	}
	skus, err := parseCart(q.Get("items"), &req)
	if err != nil {
		var list invalid.List
		if errors.As(err, &list) {
			errs = append(errs, list...)
		}
	}
	if req.Carrier != "" {
		if _, ok := h.app.Settings.Carrier(req.Carrier); !ok {
			errs.Add("carrier", "unknown", "%q is not one of the shop's carriers", req.Carrier)
		}
	}
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	lang := h.language(r, "")
	e := h.app.Promises.Engine()
	today := calendar.DayOf(req.PlacedAt.In(e.Location()))
	stocked := cartStock(h.stock, skus, &req, e.Calendar().AddWorkdays(today, h.app.Settings.Stock.RestockDays))
	d, steps, err := e.Explain(req, lang)
	if err != nil && !errors.Is(err, promise.ErrUnknownCarrier) {
		h.fail(w, r, err)
		return
	}
	carrier := req.Carrier
	if carrier == "" && len(h.app.Settings.Carriers) > 0 {
		carrier = h.app.Settings.Carriers[0].Code
	}
	country := req.Country
	if country == "" {
		country = h.app.Settings.Shop.Country
	}
	p := storedJSON(d.Store())
	p.Provisional, p.Language, p.Explain = d.Provisional, lang, steps
	orderBy := e.OrderBy(d)
	writeJSON(w, http.StatusOK, quoteJSON{
		PlacedAt: req.PlacedAt.In(e.Location()), Carrier: carrier, Country: country,
		Received: d.Received.String(), Promise: p,
		OrderBy: orderBy, Text: quoteText(lang, d, req.PlacedAt, orderBy, &req), Stock: stocked,
	})
}

// parseCart reads a quote's items into req: cart lines separated by
// commas, each sku or sku:production_days (made to order). It returns
// the SKUs of the plain lines, which the shop's stock may hold back.
func parseCart(items string, req *promise.Request) ([]string, error) {
	items = strings.TrimSpace(items)
	if items == "" {
		return nil, nil
	}
	var errs invalid.List
	var skus []string
	lines := strings.Split(items, ",")
	if len(lines) > maxQuoteItems {
		errs.Add("items", "too_many", "at most %d lines, got %d", maxQuoteItems, len(lines))
		return nil, errs.Err()
	}
	for i, line := range lines {
		sku, n, hasDays := strings.Cut(strings.TrimSpace(line), ":")
		field := "items[" + strconv.Itoa(i) + "]"
		if sku == "" && !hasDays {
			errs.Add(field, "invalid", "is empty; list lines as sku or sku:production_days")
			continue
		}
		if !hasDays {
			skus = append(skus, sku)
			continue
		}
		d, err := strconv.Atoi(strings.TrimSpace(n))
		if err != nil || d < 0 || d > 365 {
			errs.Add(field, "invalid", "%q: production days must be a whole number from 0 to 365", line)
			continue
		}
		req.AddItem(true, d)
	}
	return skus, errs.Err()
}
