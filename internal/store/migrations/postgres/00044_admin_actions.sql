-- +goose Up
-- Issue 26: the log of what people did in the admin, the API and the
-- command line (settings saved, points granted, customers exported, …).
-- at is the real time the person acted; shop_at the shop's clock then
-- (the demo's runs faster). actor_kind is user, token, cli or system;
-- actor_id the user's id (0 for the others); actor_name the e-mail,
-- token name or operating-system user as they were then. target_kind
-- and target_id name what was acted on (customer 42, campaign 7);
-- detail is a short JSON object of what changed.
CREATE TABLE admin_actions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    shop_at     TIMESTAMPTZ,
    actor_kind  TEXT NOT NULL,
    actor_id    BIGINT NOT NULL DEFAULT 0,
    actor_name  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL DEFAULT '',
    target_id   TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '{}',
    remote_addr TEXT NOT NULL DEFAULT '',
    request_id  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX admin_actions_at ON admin_actions (at);
CREATE INDEX admin_actions_action ON admin_actions (action, at);

-- +goose Down
DROP TABLE admin_actions;
