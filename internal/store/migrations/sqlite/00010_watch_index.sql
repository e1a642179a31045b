-- +goose Up
-- The promise watch (issue 7) looks, every few minutes, for open orders
-- past their day and the grace that were not found late yet. Once the
-- backlog is done that is a day's orders, but without this index the
-- query read the row of every open order of the 30-day lookback (the
-- open-orders index has no late_at or history) to find them: 1.2 s over a
-- million open orders for nothing. The index holds only the orders still
-- to be found late, so its entries are few and the query proves itself
-- within it (the same terms, spelled the same).
CREATE INDEX orders_late_pending ON orders (promised_to)
    WHERE status IN ('new', 'processing', 'ready_to_ship', 'shipped', 'ready_for_pickup') AND late_at IS NULL AND NOT history;

-- +goose Down
DROP INDEX orders_late_pending;
