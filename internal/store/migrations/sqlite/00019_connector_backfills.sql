-- +goose Up
-- A connector's backfill (issue 19): `shopcare connect backfill NAME`
-- reads the shop's history from its platform page by page and keeps here
-- where it got to. The cursor is saved in the transaction that stores a
-- page's orders, so a run stopped half-way (Ctrl-C, a crash) resumes at
-- the page it reached and stores nothing twice. One row per connector:
-- a new --since or --restart starts it over.
CREATE TABLE connector_backfills (
    connector       TEXT PRIMARY KEY,
    since           TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD, '' for the whole history
    next_cursor     TEXT NOT NULL DEFAULT '',   -- the platform's next page, '' at the start
    pages           INTEGER NOT NULL DEFAULT 0,
    orders_stored   INTEGER NOT NULL DEFAULT 0, -- new orders stored
    orders_existing INTEGER NOT NULL DEFAULT 0, -- orders that were there already
    orders_rejected INTEGER NOT NULL DEFAULT 0, -- orders that could not be read
    total           INTEGER NOT NULL DEFAULT -1, -- the platform's count, -1 when it does not say
    started_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    finished_at     DATETIME,
    last_error      TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE connector_backfills;
