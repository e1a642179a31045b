-- +goose Up
-- Issue 23: the customer's own page (/my). A customer signed in by a
-- one-time code or link, or by the signed link in a message or on a
-- tracking page, holds a session: only the token's hash is kept, so a
-- copy of the database opens no page; csrf is the session's form token;
-- via says how the customer came in (code, link, message, tracking),
-- for the shop's list of who signed in and when.
CREATE TABLE customer_sessions (
    token_hash  TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    csrf        TEXT NOT NULL,
    via         TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL
);
CREATE INDEX customer_sessions_customer ON customer_sessions (customer_id);
CREATE INDEX customer_sessions_created ON customer_sessions (created_at);

-- +goose Down
DROP TABLE customer_sessions;
