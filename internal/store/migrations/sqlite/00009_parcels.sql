-- +goose Up
-- Parcels and promise-keeping (issue 7).

-- A parcel is one shipment of an order with its carrier's tracking number.
-- status is the latest normalised carrier status (NULL before the first
-- event), status_at when the carrier says it happened; last_event_at is the
-- latest sign of life; next_poll_at when the carrier's API is asked next
-- (NULL: not polled). stuck_at flags a parcel silent for too long.
CREATE TABLE parcels (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    carrier         TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    status          TEXT,
    status_at       DATETIME,
    last_event_at   DATETIME,
    arrived_at      DATETIME,
    delivered_at    DATETIME,
    next_poll_at    DATETIME,
    poll_failures   INTEGER NOT NULL DEFAULT 0,
    poll_error      TEXT NOT NULL DEFAULT '',
    stuck_at        DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE UNIQUE INDEX parcels_tracking ON parcels (tracking_number);
CREATE INDEX parcels_order ON parcels (order_id);
CREATE INDEX parcels_poll ON parcels (next_poll_at) WHERE next_poll_at IS NOT NULL;
CREATE INDEX parcels_open ON parcels (status, last_event_at)
    WHERE status IS NULL OR status NOT IN ('delivered', 'returned', 'lost');

-- Every event a carrier reported, as it came: the normalised status (NULL
-- for one that changes none), the carrier's code and words, and the raw
-- event. The same event from a poll and a push is kept once.
CREATE TABLE parcel_events (
    id          INTEGER PRIMARY KEY,
    parcel_id   INTEGER NOT NULL REFERENCES parcels (id),
    status      TEXT,
    code        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    location    TEXT NOT NULL DEFAULT '',
    at          DATETIME NOT NULL,
    source      TEXT NOT NULL,
    raw         TEXT,
    received_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX parcel_events_once ON parcel_events (parcel_id, at, code);

-- The "your parcel is waiting" reminders of a parcel at a pickup point:
-- planned on arrival, sent when due, cancelled when it is picked up.
CREATE TABLE pickup_reminders (
    id        INTEGER PRIMARY KEY,
    parcel_id INTEGER NOT NULL REFERENCES parcels (id),
    day       INTEGER NOT NULL,
    last_day  BOOLEAN NOT NULL DEFAULT FALSE,
    due_at    DATETIME NOT NULL,
    state     TEXT NOT NULL DEFAULT 'planned',
    done_at   DATETIME,
    UNIQUE (parcel_id, day)
);
CREATE INDEX pickup_reminders_due ON pickup_reminders (due_at) WHERE state = 'planned';

-- The promise watch: risk_day is the promised day the customer was told
-- "it should arrive about today" for; late_at when the order was found
-- late (once per order: the apology and compensation follow it).
ALTER TABLE orders ADD COLUMN risk_day TEXT;
ALTER TABLE orders ADD COLUMN late_at DATETIME;
-- Orders already past their day when this arrives are not apologised for
-- out of the blue.
UPDATE orders SET risk_day = promised_to, late_at = updated_at
    WHERE promised_to IS NOT NULL AND promised_to < date('now', '-1 day');

-- +goose Down
ALTER TABLE orders DROP COLUMN late_at;
ALTER TABLE orders DROP COLUMN risk_day;
DROP TABLE pickup_reminders;
DROP TABLE parcel_events;
DROP TABLE parcels;
