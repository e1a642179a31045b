-- +goose Up
-- Inbound deliveries of the shop platforms' webhooks (issue 19), kept as
-- they came, once per connector and delivery key (the platform's delivery
-- id, else a SHA-256 of the body): received → applied, ignored (nothing
-- to do, or stale), rejected (a change the lifecycle forbids) or failed
-- (an error, retried by replaying it). Owned by package connector.
CREATE TABLE connector_deliveries (
    id                INTEGER PRIMARY KEY,
    connector         TEXT NOT NULL,
    delivery_key      TEXT NOT NULL,
    topic             TEXT NOT NULL DEFAULT '',
    event             TEXT NOT NULL DEFAULT '',
    platform_order_id TEXT NOT NULL DEFAULT '',
    received_at       DATETIME NOT NULL,
    body              BLOB NOT NULL,
    -- headers and query are JSON objects of lists, the request's own
    -- minus cookies, authorization and the connector's secret.
    headers           TEXT NOT NULL DEFAULT '{}',
    query             TEXT NOT NULL DEFAULT '{}',
    state             TEXT NOT NULL DEFAULT 'received',
    -- reason_code says why in a word the admin translates (stale,
    -- illegal_move, error…); reason has the detail in English.
    reason_code       TEXT NOT NULL DEFAULT '',
    reason            TEXT NOT NULL DEFAULT '',
    attempts          INTEGER NOT NULL DEFAULT 0,
    applied_at        DATETIME,
    order_id          INTEGER,
    UNIQUE (connector, delivery_key)
);
-- The drain's queue, in id order.
CREATE INDEX connector_deliveries_received ON connector_deliveries (id) WHERE state = 'received';
-- The admin's lists and counts per connector and state.
CREATE INDEX connector_deliveries_state ON connector_deliveries (connector, state, id);

-- The platform's orders applied so far: which shopcare order each is,
-- the platform's last updated_at applied (an older delivery changes
-- nothing), the platform's status then and its number as the customer
-- knows it.
CREATE TABLE connector_orders (
    connector           TEXT NOT NULL,
    platform_order_id   TEXT NOT NULL,
    order_id            INTEGER NOT NULL,
    platform_updated_at DATETIME,
    platform_status     TEXT NOT NULL DEFAULT '',
    number              TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (connector, platform_order_id)
);
CREATE INDEX connector_orders_order ON connector_orders (order_id);

-- +goose Down
DROP TABLE connector_orders;
DROP TABLE connector_deliveries;
