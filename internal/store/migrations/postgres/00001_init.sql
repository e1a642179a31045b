-- +goose Up
CREATE TABLE customers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id    TEXT UNIQUE,
    email          TEXT,
    phone          TEXT,
    name           TEXT NOT NULL DEFAULT '',
    language       TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    timezone       TEXT NOT NULL DEFAULT '',
    orders_count   BIGINT NOT NULL DEFAULT 0,
    spent_minor    BIGINT NOT NULL DEFAULT 0,
    first_order_at TIMESTAMPTZ,
    last_order_at  TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX customers_email ON customers (email) WHERE email IS NOT NULL;
CREATE INDEX customers_phone ON customers (phone) WHERE phone IS NOT NULL;

CREATE TABLE orders (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id     TEXT NOT NULL UNIQUE,
    customer_id     BIGINT NOT NULL REFERENCES customers (id),
    status          TEXT NOT NULL,
    total_minor     BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    channel         TEXT NOT NULL DEFAULT '',
    carrier         TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    payment_method  TEXT NOT NULL DEFAULT '',
    paid            BOOLEAN NOT NULL DEFAULT FALSE,
    gift_wrap       BOOLEAN NOT NULL DEFAULT FALSE,
    history         BOOLEAN NOT NULL DEFAULT FALSE,
    promised_to     TEXT,
    delivered_at    TIMESTAMPTZ,
    delivered_on    TEXT,
    request_hash    TEXT NOT NULL DEFAULT '',
    placed_at       TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, placed_at);
CREATE INDEX orders_placed ON orders (placed_at);

CREATE TABLE order_items (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES orders (id),
    sku             TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL DEFAULT '',
    qty             BIGINT NOT NULL,
    price_minor     BIGINT NOT NULL,
    made_to_order   BOOLEAN NOT NULL DEFAULT FALSE,
    production_days BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX order_items_order ON order_items (order_id);

CREATE TABLE order_status_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    source      TEXT NOT NULL
);
CREATE INDEX order_status_history_order ON order_status_history (order_id, id);

CREATE TABLE events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL,
    order_id     BIGINT,
    customer_id  BIGINT,
    history      BOOLEAN NOT NULL DEFAULT FALSE,
    payload      TEXT NOT NULL DEFAULT '{}',
    occurred_at  TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    processed_at TIMESTAMPTZ
);
CREATE INDEX events_pending ON events (id) WHERE processed_at IS NULL;
CREATE INDEX events_order ON events (order_id, id);

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE events;
DROP TABLE order_status_history;
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE customers;
