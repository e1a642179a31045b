-- +goose Up
-- Every settings document the owner saved in the admin (issue 17): the
-- previous ones stay, so a save that went wrong can be restored. The
-- newest is the one in shop_settings. saved_at is the real time of the
-- save (not the shop's clock, which the demo runs fast); changed lists
-- the top-level sections that differ from the version before, and
-- restored_from the version a restore brought back.
CREATE TABLE settings_versions (
    id            INTEGER PRIMARY KEY,
    yaml          TEXT NOT NULL,
    saved_at      DATETIME NOT NULL,
    saved_by      TEXT NOT NULL DEFAULT '',
    changed       TEXT NOT NULL DEFAULT '',
    restored_from INTEGER REFERENCES settings_versions (id)
);

-- +goose Down
DROP TABLE settings_versions;
