-- +goose Up
-- Issue 24: the shop's own touch-point audit. The touch points of the
-- journey are fixed in the code (site, checkout, confirmation, call,
-- packing, delivery, pickup, support, follow_up); audit_points marks the
-- points whose checklist was seeded from the built-in list, so a shop
-- that deleted every item of a point does not get them back.
CREATE TABLE audit_points (
    point     TEXT PRIMARY KEY,
    language  TEXT NOT NULL,
    seeded_at TIMESTAMPTZ NOT NULL
);

-- audit_items are a point's checklist as the shop wrote it, in its
-- order (ordinal).
CREATE TABLE audit_items (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    point      TEXT NOT NULL,
    text       TEXT NOT NULL,
    ordinal    INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_items_point ON audit_items (point, ordinal);

-- audit_checks are the self-checks and mystery-shopper visits of a
-- point: the shop day it was done, who did it, the score given (1–5,
-- 0 for none), the items passed of those checked, and notes.
CREATE TABLE audit_checks (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    point      TEXT NOT NULL,
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    who        TEXT NOT NULL,
    score      INTEGER NOT NULL DEFAULT 0,
    passed     INTEGER NOT NULL DEFAULT 0,
    total      INTEGER NOT NULL DEFAULT 0,
    notes      TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_checks_point_day ON audit_checks (point, day);
CREATE INDEX audit_checks_day ON audit_checks (day);

-- audit_results are a check's answer per item, with the item's text as
-- it read then: renaming or deleting an item leaves past checks alone.
CREATE TABLE audit_results (
    check_id BIGINT NOT NULL REFERENCES audit_checks (id) ON DELETE CASCADE,
    ordinal  INTEGER NOT NULL,
    item_id  BIGINT,
    text     TEXT NOT NULL,
    passed   BOOLEAN NOT NULL,
    PRIMARY KEY (check_id, ordinal)
);

-- +goose Down
DROP TABLE audit_results;
DROP TABLE audit_checks;
DROP TABLE audit_items;
DROP TABLE audit_points;
