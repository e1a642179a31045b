-- +goose Up
-- The link a customer follows to their order's tracking page: 256 random
-- bits, base64url. Orders from before this migration get one when first
-- needed.
ALTER TABLE orders ADD COLUMN tracking_token TEXT;
CREATE UNIQUE INDEX orders_tracking_token ON orders (tracking_token) WHERE tracking_token IS NOT NULL;

-- The customer's Telegram chat, once they linked it, and the order in which
-- they like to be reached ("telegram,email"); empty means the shop's order.
ALTER TABLE customers ADD COLUMN telegram_chat_id TEXT;
ALTER TABLE customers ADD COLUMN channel_order TEXT NOT NULL DEFAULT '';

-- A customer's standing on one channel: consent given, opted out, or an
-- address that failed for good (a bounced e-mail, a dead number).
CREATE TABLE customer_channels (
    customer_id   BIGINT NOT NULL REFERENCES customers (id),
    channel       TEXT NOT NULL,
    consent_at    TIMESTAMPTZ,
    opted_out_at  TIMESTAMPTZ,
    failed_at     TIMESTAMPTZ,
    failure       TEXT NOT NULL DEFAULT '',
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, channel)
);

-- Every message the playbook decided on, from scheduled to sent, failed or
-- suppressed. dedupe_key (order and step) makes a second copy impossible.
CREATE TABLE messages (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id      BIGINT REFERENCES orders (id),
    customer_id   BIGINT NOT NULL REFERENCES customers (id),
    rule          TEXT NOT NULL,
    template      TEXT NOT NULL,
    dedupe_key    TEXT NOT NULL UNIQUE,
    channel       TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT '',
    transactional BOOLEAN NOT NULL DEFAULT TRUE,
    status        TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    attempts      INTEGER NOT NULL DEFAULT 0,
    subject       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    event_at      TIMESTAMPTZ NOT NULL,
    scheduled_at  TIMESTAMPTZ NOT NULL,
    sent_at       TIMESTAMPTZ,
    unsubscribe_token TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX messages_order ON messages (order_id, id);
CREATE INDEX messages_customer ON messages (customer_id, scheduled_at);
CREATE UNIQUE INDEX messages_unsubscribe ON messages (unsubscribe_token) WHERE unsubscribe_token IS NOT NULL;

-- Every attempt to send a message, with what the channel answered.
CREATE TABLE message_attempts (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id BIGINT NOT NULL REFERENCES messages (id),
    channel    TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX message_attempts_message ON message_attempts (message_id, id);

-- Work for the shop's people: call-backs now, more kinds later.
CREATE TABLE tasks (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        TEXT NOT NULL,
    order_id    BIGINT REFERENCES orders (id),
    customer_id BIGINT REFERENCES customers (id),
    dedupe_key  TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX tasks_open ON tasks (kind, due_at) WHERE status = 'open';
CREATE INDEX tasks_order ON tasks (order_id);

-- One event to one of the shop's webhook endpoints, and its attempts.
CREATE TABLE webhook_deliveries (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     BIGINT NOT NULL,
    event_kind   TEXT NOT NULL,
    url          TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_code    INTEGER,
    last_error   TEXT NOT NULL DEFAULT '',
    delivered_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (event_id, url)
);
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (created_at);

CREATE TABLE webhook_attempts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id),
    code        INTEGER,
    error       TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE tasks;
DROP TABLE message_attempts;
DROP TABLE messages;
DROP TABLE customer_channels;
ALTER TABLE customers DROP COLUMN channel_order;
ALTER TABLE customers DROP COLUMN telegram_chat_id;
DROP INDEX orders_tracking_token;
ALTER TABLE orders DROP COLUMN tracking_token;
