-- +goose Up
-- API tokens a shop can manage (issue 17): each has a name the owner
-- revokes it by, the scopes it may use (space-separated; empty is every
-- scope, as every token before this had) and when it was last used
-- (written at most once a minute per token).
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN last_used_at TIMESTAMPTZ;

-- Names were not unique before: a second token of a name gets its id
-- after the name, so "token revoke NAME" always means one token.
UPDATE api_tokens SET name = name || ' #' || CAST(id AS TEXT)
    WHERE id NOT IN (SELECT MIN(id) FROM api_tokens GROUP BY name);
CREATE UNIQUE INDEX api_tokens_name ON api_tokens (name);

-- +goose Down
DROP INDEX api_tokens_name;
ALTER TABLE api_tokens DROP COLUMN last_used_at;
ALTER TABLE api_tokens DROP COLUMN scopes;
