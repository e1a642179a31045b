-- +goose Up
-- Issue 26: several nodes on one PostgreSQL. On SQLite the process is
-- alone, but the limits live in the same table on both engines.
--
-- The login and rate limits: key is a hash of the limit's name and what
-- it counts (an address, an address and an e-mail, a contact): no address
-- or e-mail is kept in clear. tries are the attempts let through since the
-- count was last forgotten, last_at the latest of them, until_at the
-- earliest moment the next may come (NULL while tries are free). Times
-- are the real clock's. Rows idle past their limit's memory are pruned by
-- the limiter itself.
CREATE TABLE rate_limits (
    key      TEXT PRIMARY KEY,
    tries    INTEGER NOT NULL,
    last_at  DATETIME NOT NULL,
    until_at DATETIME
);
CREATE INDEX rate_limits_last ON rate_limits (last_at);

-- +goose Down
DROP TABLE rate_limits;
