-- +goose Up
-- Issue 27: stock levels, what orders hold of them, what is on its way,
-- and who asked to be told when an item is back.
--
-- stock_items: one row per SKU the shop tracks. on_hand counts the units
-- in the shop's hands, those held for orders not yet shipped included;
-- reserved counts those held. available = on_hand - reserved, never
-- below zero: the CHECK keeps it so under any concurrency. source says
-- who last set the level: api, csv, admin or a connector's name.
CREATE TABLE stock_items (
    sku        TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    on_hand    INTEGER NOT NULL DEFAULT 0,
    reserved   INTEGER NOT NULL DEFAULT 0,
    source     TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK (on_hand >= 0),
    CHECK (reserved >= 0),
    CHECK (reserved <= on_hand)
);

-- stock_incoming: deliveries on their way, expected on a shop-local day
-- (YYYY-MM-DD). A level handed in replaces its SKU's incoming list.
CREATE TABLE stock_incoming (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku         TEXT NOT NULL REFERENCES stock_items (sku) ON DELETE CASCADE,
    qty         INTEGER NOT NULL CHECK (qty > 0),
    expected_on TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX stock_incoming_sku ON stock_incoming (sku, expected_on);

-- stock_reservations: what an order wants of a tracked SKU (qty) and
-- how much of it is held from on hand (held). held < qty means the order
-- is short: it waits for stock, expected on expected_on (an incoming
-- delivery's day, or the shop's restock estimate; NULL when unknown).
-- status: open (held until shipped), shipped (taken off on hand),
-- released (cancelled, replaced, refunded). resolution is what the
-- operator chose for a short line: alternative, split, refund, wait.
CREATE TABLE stock_reservations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    sku         TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    qty         INTEGER NOT NULL CHECK (qty > 0),
    held        INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
    status      TEXT NOT NULL DEFAULT 'open',
    expected_on TEXT,
    resolution  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    filled_at   TIMESTAMPTZ,
    UNIQUE (order_id, sku),
    CHECK (held <= qty)
);
CREATE INDEX stock_reservations_sku ON stock_reservations (sku, status, created_at);

-- stock_waitlist: a customer asked to be told when a SKU is back (their
-- page, the product-page widget, the API). First come, first told:
-- told_at is set, in the transaction that saw the stock come in, on at
-- most as many requests as units came in; the message goes out at the
-- customer's hours. cancelled_at is set when they no longer want it.
CREATE TABLE stock_waitlist (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku          TEXT NOT NULL,
    customer_id  BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    channel      TEXT NOT NULL DEFAULT 'email',
    language     TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    told_at      TIMESTAMPTZ,
    cancelled_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX stock_waitlist_once ON stock_waitlist (sku, customer_id) WHERE told_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX stock_waitlist_queue ON stock_waitlist (sku, created_at, id);

-- +goose Down
DROP TABLE stock_waitlist;
DROP TABLE stock_reservations;
DROP TABLE stock_incoming;
DROP TABLE stock_items;
