-- +goose Up
-- Admin page speed (issue 5). The late and at-risk order lists take the
-- open orders by promised day and show them newest first. With placed_at
-- in the index the page's ids are sorted from its entries alone, without
-- reading each order's row (a shop whose orders linger in "shipped" has
-- thousands of late ones). status leads although the partial index holds
-- only the open statuses: the list's "status IN (…)" then seeks each of
-- them, and SQLite's planner takes this index over orders_status_placed
-- (which would read every open order's row) with or without statistics.
-- It replaces the index of 00004 on promised_to alone.
DROP INDEX orders_open_promised;
CREATE INDEX orders_open_promised_placed ON orders (status, promised_to, placed_at)
    WHERE status IN ('new', 'processing', 'ready_to_ship', 'shipped', 'ready_for_pickup');

-- A search for a common word checks each listed customer for a term with
-- that prefix. With term in the index the check reads the index alone;
-- on customer_id alone it fetched each of the customer's terms from the
-- table (0.3 s a page). SQLite's index of 00004 has term already: its
-- table is WITHOUT ROWID, so every index carries the primary key.
DROP INDEX customer_search_customer;
CREATE INDEX customer_search_customer ON customer_search (customer_id, term);

-- +goose Down
DROP INDEX customer_search_customer;
CREATE INDEX customer_search_customer ON customer_search (customer_id);
DROP INDEX orders_open_promised_placed;
CREATE INDEX orders_open_promised ON orders (promised_to)
    WHERE status IN ('new', 'processing', 'ready_to_ship', 'shipped', 'ready_for_pickup');
