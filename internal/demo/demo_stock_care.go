package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/task"
)

// maxStockCalls bounds the stock_short tasks the demo's operator settles
// in one step.
const maxStockCalls = 50

// stockCalls plays the operator who calls the customers whose orders
// wait for an item not in stock, an hour or two after the task is due,
// and records what they agreed, as a person does on the order page:
// most wait for the delivery, some take what is on hand now and the
// rest later, some take another item, a few want their money back. A
// task someone closed meanwhile is left alone.
func (l *Live) stockCalls(ctx context.Context, now time.Time) error {
	open, _, _, err := l.a.Tasks.ListOpen(ctx, task.ListOpenParams{Kind: task.StockShort, Limit: maxStockCalls})
	if err != nil {
		return fmt.Errorf("demo: stock tasks: %w", err)
	}
	for _, t := range open {
		j := l.jitter(t.ID, 48)
		if t.Unreadable || t.DueAt.Add(time.Duration(30+j%90)*time.Minute).After(now) {
			continue
		}
		r := stock.Resolution{OrderID: t.OrderID, Resolution: string(task.Wait), By: staffOperator}
		switch roll := j >> 16 % 100; {
		case roll < 15:
			r.Resolution = string(task.Split)
		case roll < 25:
			r.Resolution, r.Alternative = string(task.Alternative), l.alternative(j)
		case roll < 30:
			if r.RefundMinor, err = l.shortValue(ctx, t.OrderID); err != nil {
				return err
			}
			if r.RefundMinor > 0 {
				r.Resolution = string(task.Refund)
			}
		}
		_, err := l.a.Stock.Resolve(ctx, r)
		var bad invalid.List
		switch {
		case errors.Is(err, stock.ErrNothingShort), errors.As(err, &bad):
			// Filled or settled meanwhile, or refused: a person's
			// business now.
		case err != nil:
			return fmt.Errorf("demo: settle the stock of order %d: %w", t.OrderID, err)
		}
	}
	return nil
}

// alternative names the item the operator offers instead, in the shop's
// language.
func (l *Live) alternative(j uint64) string {
	p := catalogue[j>>32%uint64(len(catalogue))]
	return p.name[l.a.Settings.Shop.Languages[0]]
}

// shortValue is what the items an order waits for cost, for a refund.
func (l *Live) shortValue(ctx context.Context, orderID int64) (int64, error) {
	holds, err := l.a.Stock.Holds(ctx, orderID)
	if err != nil {
		return 0, fmt.Errorf("demo: order %d's stock: %w", orderID, err)
	}
	o, err := l.a.Orders.Get(ctx, orderID)
	if err != nil {
		return 0, fmt.Errorf("demo: order %d: %w", orderID, err)
	}
	var sum int64
	for _, h := range holds {
		for _, it := range o.Items {
			if it.SKU == h.SKU && h.Short() {
				sum += int64(h.Qty-h.Held) * it.PriceMinor
				break
			}
		}
	}
	return min(sum, o.TotalMinor), nil
}
