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

-- A customer's request to sign in: a 6-digit code and a one-time link
-- sent to a contact they typed. Nothing a person could type back is kept
-- in clear: contact_hash, code_hash and link_hash are HMACs under the
-- key in signin_keys (a 6-digit code only SHA-256'd would be found
-- offline in a million tries). A request of a contact no customer has is
-- kept too, with customer_id NULL and nothing sent, so that the limit
-- per contact (several nodes agree through this table) and the answer
-- are the same whether the contact is known or not. expires_at is 15
-- minutes of real time after created_at; used_at is set when the code
-- or the link opened a session; wrong counts mistyped codes, at 5 the
-- request is dead.
CREATE TABLE signin_codes (
    id           INTEGER PRIMARY KEY,
    contact_kind TEXT NOT NULL,
    contact_hash TEXT NOT NULL,
    customer_id  INTEGER REFERENCES customers (id) ON DELETE CASCADE,
    code_hash    TEXT NOT NULL,
    link_hash    TEXT NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    used_at      DATETIME,
    wrong        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX signin_codes_contact ON signin_codes (contact_hash, created_at);
CREATE INDEX signin_codes_created ON signin_codes (created_at);

-- The one HMAC key of sign-in: it signs the links in messages and on
-- tracking pages and keys the hashes of signin_codes. Made at the first
-- start (one row, id 1) and read by every node, so a link one node
-- signed opens on another.
CREATE TABLE signin_keys (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    secret     TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE signin_keys;
DROP TABLE signin_codes;
DROP TABLE customer_sessions;
