package connector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
)

// StockChanged is a delivery about the stock of the shop's products (a
// product or inventory webhook): the drain sets the levels it carries,
// or that the platform's API gives for it, through the stock service.
const StockChanged Event = "stock_changed"

// The reason codes of a stock delivery's outcome.
const (
	// ReasonStockNoChange: applied; every level already was so.
	ReasonStockNoChange = "stock_no_change"
	// ReasonStockUntracked: the delivery names no item whose stock the
	// platform counts (unlimited, unmanaged, or without a SKU).
	ReasonStockUntracked = "stock_untracked"
)

// StockDelivery is what a StockReader reads of a delivery about
// products or inventory.
type StockDelivery struct {
	// Levels are the tracked items the delivery carries, by SKU: OnHand
	// is the platform's count of the item (what it can still sell), Name
	// the item's name where the platform gives it. The core turns the
	// count into shopcare's on hand (see applyLevels).
	Levels []stock.Level
	// Ref names what the delivery is about when it does not carry the
	// levels itself (Ecwid's product id, Shopify's inventory item id,
	// WooCommerce's variable product): the drain asks the platform's
	// StockAPI for them, as they are then.
	Ref string
	// Skipped counts the items the delivery names that are not tracked:
	// unlimited or unmanaged stock, or no SKU to know them by.
	Skipped int
}

// StockReader is the optional stock half of an adapter's Webhook: a
// platform whose product or inventory webhooks say how many of an item
// are left implements it; others need nothing.
type StockReader interface {
	// ParseStock reads a verified delivery that Parse found to be about
	// no order. ok is false when it is not about stock either (it is
	// then kept as ignored); an error names the field that is not what
	// the platform sends (422, nothing stored).
	ParseStock(r Request) (d StockDelivery, ok bool, err error)
}

// StockPage is one page of the shop's stock levels.
type StockPage struct {
	// Levels are the tracked items of the page; Skipped counts those
	// that are not (unlimited, unmanaged, without a SKU).
	Levels  []stock.Level
	Skipped int
	// Next continues after this page; "" on the last one.
	Next string
	// Total is how many products the shop has, -1 when unknown.
	Total int
}

// StockAPI is the optional stock half of an adapter's API.
type StockAPI interface {
	// StockOf reads the levels of what a stock delivery's Ref names, as
	// they are now.
	StockOf(ctx context.Context, ref string) (StockPage, error)
	// StockPage reads one page of every product's levels ("" for the
	// first), for the stock backfill.
	StockPage(ctx context.Context, cursor string) (StockPage, error)
}

// Stock is the stock service as the connectors use it (*stock.Service).
type Stock interface {
	Get(ctx context.Context, sku string) (stock.Level, error)
	Put(ctx context.Context, source string, levels []stock.Level) (stock.PutResult, error)
}

// errNoStock says why a stock delivery cannot be applied in a process
// built without the stock service.
var errNoStock = errors.New("shopcare keeps no stock in this process")

// parseStock asks the adapter's StockReader, if it has one, whether a
// delivery Parse found to be about no order is about stock. ParseStock
// must not panic on what a platform sends; if it does, the delivery is
// refused like any other it cannot read.
func parseStock(h Webhook, r Request) (d StockDelivery, ok bool, err error) {
	sr, isReader := h.(StockReader)
	if !isReader {
		return d, false, nil
	}
	defer func() {
		if p := recover(); p != nil {
			d, ok, err = StockDelivery{}, false, fmt.Errorf("the adapter failed to read it: %v", p)
		}
	}()
	return sr.ParseStock(r)
}

// applyStockOne applies a stored stock delivery: it reads the levels
// (from the body, or the platform's API), sets them through the stock
// service, then records the outcome. The levels are set in the stock
// service's own transaction: a crash between it and the outcome leaves
// the delivery received, and setting the same levels again changes
// nothing, so the delivery is applied at least once and to the same
// effect. A failure fails this delivery alone; the drain goes on.
func (s *Service) applyStockOne(ctx context.Context, rec Record, onlyReceived bool) (Record, bool, error) {
	now := s.clock.Now()
	out, err := s.stockOutcome(ctx, rec)
	if err != nil {
		return rec, false, err
	}
	skipped := false
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, ok, err := s.claim(ctx, tx, rec.ID, onlyReceived); err != nil || !ok {
			skipped = !ok
			return err
		}
		return finish(ctx, tx, rec.ID, out, now)
	})
	if err != nil || skipped {
		return rec, skipped, err
	}
	return s.reload(ctx, rec.ID)
}

// stockOutcome reads and sets a stock delivery's levels and says how it
// went; an error (stopping, the database unavailable) leaves the
// delivery received for the next drain.
func (s *Service) stockOutcome(ctx context.Context, rec Record) (outcome, error) {
	fail := func(code, reason string) (outcome, error) {
		return outcome{state: StateFailed, code: code, reason: reason}, nil
	}
	cn := s.conns[rec.Connector]
	switch {
	case cn == nil:
		return fail(ReasonGone, "the connector "+rec.Connector+" is no longer in the settings")
	case cn.err != nil:
		return fail(ReasonError, cn.err.Error())
	case s.stock == nil:
		return fail(ReasonError, errNoStock.Error())
	}
	sd, ok, err := parseStock(cn.adapter.Webhook, Request{Header: rec.Header, Query: rec.Query, Body: rec.Body, ReceivedAt: rec.ReceivedAt})
	if err == nil && !ok {
		err = errors.New("the delivery is no longer read as one about stock")
	}
	if err != nil {
		return fail(ReasonUnverifiable, err.Error())
	}
	if sd.Ref != "" {
		api, ok := cn.adapter.API.(StockAPI)
		if !ok {
			return fail(ReasonError, "the delivery names only "+sd.Ref+" and the platform has no API to read its stock")
		}
		fetchCtx, cancel := context.WithTimeout(ctx, time.Minute)
		p, err := api.StockOf(fetchCtx, sd.Ref)
		cancel()
		if ctx.Err() != nil {
			return outcome{}, ctx.Err()
		}
		if err != nil {
			return fail(ReasonError, fmt.Sprintf("read the stock of %s from the platform: %v", sd.Ref, err))
		}
		sd.Levels, sd.Skipped = append(sd.Levels, p.Levels...), sd.Skipped+p.Skipped
	}
	if len(sd.Levels) == 0 {
		return outcome{state: StateIgnored, code: ReasonStockUntracked,
			reason: fmt.Sprintf("none of the %d items it names has stock the platform counts", sd.Skipped)}, nil
	}
	res, err := s.applyLevels(ctx, rec.Connector, sd.Levels)
	switch {
	case err == nil:
	case ctx.Err() != nil || store.Unavailable(err):
		return outcome{}, err
	default:
		s.log.Warn("connector stock delivery failed", "connector", rec.Connector, "delivery", rec.ID, "error", err)
		return fail(ReasonError, err.Error())
	}
	out := outcome{state: StateApplied, reason: fmt.Sprintf("stock of %d items: %d new, %d changed, %d as they were",
		len(sd.Levels), res.Created, res.Updated, res.Unchanged)}
	if sd.Skipped > 0 {
		out.reason += fmt.Sprintf("; %d items not tracked", sd.Skipped)
	}
	if res.Created+res.Updated == 0 {
		out.code = ReasonStockNoChange
	}
	return out, nil
}

// applyLevels sets the platform's counts as shopcare's levels, with the
// connector's name as their source. A platform counts what it can still
// sell: its orders took their units off already. shopcare's on hand
// counts the units held for orders not yet shipped too, so the units its
// orders hold are added back: on hand = the platform's count (never
// below zero: an oversold item has none) + reserved. The incoming
// deliveries the shop told shopcare of are kept (the platforms know
// none), as is the item's name when the platform gives none. The same
// SKU twice in one delivery (two variants sharing it) counts once, with
// both counts.
func (s *Service) applyLevels(ctx context.Context, source string, in []stock.Level) (stock.PutResult, error) {
	levels := make([]stock.Level, 0, len(in))
	at := map[string]int{}
	for _, l := range in {
		l.SKU = strings.TrimSpace(l.SKU)
		if l.SKU == "" {
			continue
		}
		l.OnHand = max(l.OnHand, 0)
		if i, ok := at[l.SKU]; ok {
			levels[i].OnHand += l.OnHand
			continue
		}
		at[l.SKU] = len(levels)
		levels = append(levels, stock.Level{SKU: l.SKU, Name: strings.TrimSpace(l.Name), OnHand: l.OnHand})
	}
	for i := range levels {
		cur, err := s.stock.Get(ctx, levels[i].SKU)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return stock.PutResult{}, fmt.Errorf("read the stock of %s: %w", levels[i].SKU, err)
		default:
			levels[i].OnHand += cur.Reserved
			levels[i].Incoming = cur.Incoming
			if levels[i].Name == "" {
				levels[i].Name = cur.Name
			}
		}
	}
	res, err := s.stock.Put(ctx, source, levels)
	if err != nil {
		if e, ok := invalid.First(err); ok {
			return res, fmt.Errorf("the platform's stock does not make shopcare's: %w", e)
		}
		return res, fmt.Errorf("set the stock of %d items: %w", len(levels), err)
	}
	return res, nil
}

// StockBackfillResult says what a stock backfill read and set.
type StockBackfillResult struct {
	// Pages and Levels count what was read; Skipped the items not
	// tracked (unlimited, unmanaged, without a SKU).
	Pages, Levels, Skipped int
	// Total is how many products the platform says it has, -1 when it
	// does not say.
	Total int
	// Set adds up what the stock service did with the levels.
	Set stock.PutResult
}

// BackfillStock reads every product's level from the connector's
// platform, page by page, and sets each page's levels as a delivery's
// are set (applyLevels). Levels are set, not added, so a run stopped
// half-way is simply run again: the pages it set are set again to the
// same effect. progress, when given, is called after each page.
func (s *Service) BackfillStock(ctx context.Context, name string, progress func(StockBackfillResult)) (StockBackfillResult, error) {
	res := StockBackfillResult{Total: -1}
	cn, ok := s.conns[name]
	switch {
	case !ok:
		return res, ErrUnknown
	case cn.err != nil:
		return res, cn.err
	case s.stock == nil:
		return res, errNoStock
	}
	api, ok := cn.adapter.API.(StockAPI)
	if !ok {
		return res, fmt.Errorf("%s: the platform %s has no API to read stock from", name, cn.cfg.Platform)
	}
	cursor := ""
	for {
		p, err := api.StockPage(ctx, cursor)
		if err == nil && p.Next != "" && p.Next == cursor {
			err = errCursorLoop
		}
		if err != nil {
			return res, fmt.Errorf("read the stock after page %d: %w", res.Pages, err)
		}
		res.Pages++
		res.Skipped += p.Skipped
		if p.Total >= 0 {
			res.Total = p.Total
		}
		if len(p.Levels) > 0 {
			put, err := s.applyLevels(ctx, name, p.Levels)
			if err != nil {
				return res, fmt.Errorf("set the stock of page %d: %w", res.Pages, err)
			}
			res.Levels += len(p.Levels)
			res.Set.Created += put.Created
			res.Set.Updated += put.Updated
			res.Set.Unchanged += put.Unchanged
		}
		if progress != nil {
			progress(res)
		}
		if p.Next == "" {
			return res, nil
		}
		cursor = p.Next
	}
}
