-- +goose Up
-- Issue 26: the record of backups and restore tests (package backup).
-- Each row is one run: a backup (scheduled or asked for) or the automatic
-- restore test of the newest backup; started and finished on the real
-- clock, the archive's file and size, the orders it holds, the row
-- counts as JSON, and whether it worked (error empty) or why not.
CREATE TABLE backups (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    started_at  DATETIME NOT NULL,
    finished_at DATETIME,
    file        TEXT NOT NULL DEFAULT '',
    size_bytes  INTEGER NOT NULL DEFAULT 0,
    orders      INTEGER NOT NULL DEFAULT 0,
    counts      TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX backups_kind_started ON backups (kind, started_at);

-- +goose Down
DROP TABLE backups;
