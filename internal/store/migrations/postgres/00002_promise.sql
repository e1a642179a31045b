-- +goose Up
-- The promise's dates beside promised_to, which stays the last promised
-- delivery day; promise_given marks a date the shop gave (CSV promised_to).
ALTER TABLE orders ADD COLUMN production_date TEXT;
ALTER TABLE orders ADD COLUMN ship_date TEXT;
ALTER TABLE orders ADD COLUMN delivery_from TEXT;
ALTER TABLE orders ADD COLUMN promise_given BOOLEAN NOT NULL DEFAULT FALSE;
-- 1 + the number of rows in promise_changes for the order.
ALTER TABLE orders ADD COLUMN promise_version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX orders_open_ship ON orders (ship_date) WHERE status IN ('new', 'processing', 'ready_to_ship');

-- Every change of a customer's promise: what it was, what it became, why.
CREATE TABLE promise_changes (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id            BIGINT NOT NULL REFERENCES orders (id),
    reason              TEXT NOT NULL,
    detail              TEXT NOT NULL DEFAULT '',
    old_production_date TEXT,
    old_ship_date       TEXT,
    old_delivery_from   TEXT,
    old_delivery_to     TEXT,
    production_date     TEXT,
    ship_date           TEXT,
    delivery_from       TEXT,
    delivery_to         TEXT,
    changed_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX promise_changes_order ON promise_changes (order_id, id);

-- The shop's own days off and extra working days, on top of its country's
-- business calendar.
CREATE TABLE shop_days (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day_from   TEXT NOT NULL,
    day_to     TEXT NOT NULL,
    working    BOOLEAN NOT NULL DEFAULT FALSE,
    reason     TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (day_from, day_to, working)
);

-- +goose Down
DROP TABLE shop_days;
DROP TABLE promise_changes;
DROP INDEX orders_open_ship;
ALTER TABLE orders DROP COLUMN promise_version;
ALTER TABLE orders DROP COLUMN promise_given;
ALTER TABLE orders DROP COLUMN delivery_from;
ALTER TABLE orders DROP COLUMN ship_date;
ALTER TABLE orders DROP COLUMN production_date;
