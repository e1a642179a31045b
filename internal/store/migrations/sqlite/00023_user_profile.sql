-- +goose Up
-- The support inbox signs an operator's reply with their name and routes
-- a conversation to people who speak its language: each person's name as
-- customers read it, and the languages they answer in (ISO 639-1 codes
-- separated by spaces: "ru lv").
ALTER TABLE users ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN languages TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN languages;
ALTER TABLE users DROP COLUMN name;
