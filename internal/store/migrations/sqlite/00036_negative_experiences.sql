-- +goose Up
-- Issue 24: the negative-experience register. One row per bad moment a
-- customer lived through: kind is one of late_delivery, broken_promise,
-- unanswered_message, missed_callback, low_score, cancelled_by_shop,
-- unreachable; ref names what it was about (order:12, conversation:7,
-- survey:3, task:9), so an event handled twice never makes a second row.
-- detail is machine-readable (days late, the new promised day), never the
-- customer's words: the rows carry ids, not personal data. cost_minor is
-- what it cost the shop, compensation_minor what the customer got; an
-- operator resolves a row with a note (resolved_at, resolved_by,
-- resolution).
CREATE TABLE negative_experiences (
    id                 INTEGER PRIMARY KEY,
    customer_id        INTEGER NOT NULL REFERENCES customers (id),
    order_id           INTEGER REFERENCES orders (id),
    kind               TEXT NOT NULL,
    ref                TEXT NOT NULL,
    at                 DATETIME NOT NULL,
    detail             TEXT NOT NULL DEFAULT '',
    history            BOOLEAN NOT NULL DEFAULT FALSE,
    cost_minor         BIGINT NOT NULL DEFAULT 0,
    compensation_minor BIGINT NOT NULL DEFAULT 0,
    resolved_at        DATETIME,
    resolved_by        TEXT NOT NULL DEFAULT '',
    resolution         TEXT NOT NULL DEFAULT '',
    created_at         DATETIME NOT NULL
);
CREATE UNIQUE INDEX negative_experiences_ref ON negative_experiences (customer_id, kind, ref);
CREATE INDEX negative_experiences_customer_at ON negative_experiences (customer_id, at);
CREATE INDEX negative_experiences_order ON negative_experiences (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX negative_experiences_kind ON negative_experiences (kind, at, resolved_at);

-- +goose Down
DROP TABLE negative_experiences;
