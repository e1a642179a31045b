-- +goose Up
-- The packing station (issue 5): its queue is the processing orders by
-- ship date, then by when they were placed. This partial index holds just
-- those orders in that order, so a page of the queue is read straight off
-- it however many orders the table holds. status leads, although it is
-- constant, as in the SQLite index (where it steers the planner). NULLS
-- FIRST: the queue lists orders without a ship date first on both engines,
-- as SQLite sorts them.
CREATE INDEX orders_to_pack ON orders (status, ship_date NULLS FIRST, placed_at, id) WHERE status = 'processing';

-- +goose Down
DROP INDEX orders_to_pack;
