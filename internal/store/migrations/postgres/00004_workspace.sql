-- +goose Up
-- The shop's workspace (issue 5): sessions of the admin app, settings
-- edited in it, call-back outcomes and packing.

-- A user's interface language ("" = the shop's first language).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- A signed-in browser. Only the SHA-256 of the cookie's token is kept, so
-- a copy of the database opens no session; csrf is the session's form
-- token.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The shop settings as edited in the admin: one YAML document that
-- replaces the file's settings (the file seeds it, the admin exports it).
CREATE TABLE shop_settings (
    id         SMALLINT PRIMARY KEY CHECK (id = 1),
    yaml       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);

-- What the call-back confirmed, and when the order was packed.
ALTER TABLE orders ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN delivery_window TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN packed_at TIMESTAMPTZ;
CREATE INDEX orders_status_placed ON orders (status, placed_at);
CREATE INDEX orders_open_promised ON orders (promised_to)
    WHERE status IN ('new', 'processing', 'ready_to_ship', 'shipped', 'ready_for_pickup');

-- The order's log of what people did: call-back outcomes, packing, notes.
CREATE TABLE order_notes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   BIGINT NOT NULL REFERENCES orders (id),
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    author     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_notes_order ON order_notes (order_id, id);

-- Call-back attempts and how a task ended.
ALTER TABLE tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN done_at TIMESTAMPTZ;
ALTER TABLE tasks ADD COLUMN done_by TEXT NOT NULL DEFAULT '';
CREATE INDEX tasks_done ON tasks (kind, done_at) WHERE done_at IS NOT NULL;

-- Search terms of a customer: each word of the name, the e-mail, the
-- phone's digits, lower-cased in Go (one rule on both engines),
-- so "иван", "ivanov" or "916123" find them by prefix through an index.
CREATE TABLE customer_search (
    term        TEXT COLLATE "C" NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    PRIMARY KEY (term, customer_id)
);
CREATE INDEX customer_search_customer ON customer_search (customer_id);
CREATE INDEX customers_last_order ON customers (last_order_at, id);

-- +goose Down
DROP INDEX customers_last_order;
DROP TABLE customer_search;
DROP INDEX tasks_done;
ALTER TABLE tasks DROP COLUMN done_by;
ALTER TABLE tasks DROP COLUMN done_at;
ALTER TABLE tasks DROP COLUMN outcome;
ALTER TABLE tasks DROP COLUMN attempts;
DROP TABLE order_notes;
DROP INDEX orders_open_promised;
DROP INDEX orders_status_placed;
ALTER TABLE orders DROP COLUMN packed_at;
ALTER TABLE orders DROP COLUMN delivery_window;
ALTER TABLE orders DROP COLUMN address;
DROP TABLE shop_settings;
DROP TABLE sessions;
ALTER TABLE users DROP COLUMN language;
