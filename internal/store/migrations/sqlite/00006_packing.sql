-- +goose Up
-- The packing station (issue 5): its queue is the processing orders by
-- ship date, then by when they were placed. This partial index holds just
-- those orders in that order, so a page of the queue is read straight off
-- it however many orders the table holds. status leads although it is
-- constant: with it SQLite's planner prefers this index to
-- orders_status_placed (which would sort every processing order for each
-- page) even before ANALYZE has given it statistics.
CREATE INDEX orders_to_pack ON orders (status, ship_date, placed_at, id) WHERE status = 'processing';

-- +goose Down
DROP INDEX orders_to_pack;
