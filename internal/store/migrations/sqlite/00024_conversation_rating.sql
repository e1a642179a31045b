-- +goose Up
-- A closed conversation may ask the customer one question, "how did we
-- do?": rating_token is the random token of the page (/r/{token}) the
-- five links of the question lead to; rating_score (1 to 5) the answer,
-- the latest click counting; rated_at when it was given; rating_comment
-- what the customer added on the thank-you page. Only package inbox has
-- SQL for them.
ALTER TABLE conversations ADD COLUMN rating_token TEXT;
ALTER TABLE conversations ADD COLUMN rating_score INTEGER CHECK (rating_score BETWEEN 1 AND 5);
ALTER TABLE conversations ADD COLUMN rated_at DATETIME;
ALTER TABLE conversations ADD COLUMN rating_comment TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX conversations_rating_token ON conversations (rating_token);

-- +goose Down
DROP INDEX conversations_rating_token;
ALTER TABLE conversations DROP COLUMN rating_comment;
ALTER TABLE conversations DROP COLUMN rated_at;
ALTER TABLE conversations DROP COLUMN rating_score;
ALTER TABLE conversations DROP COLUMN rating_token;
