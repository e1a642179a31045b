-- +goose Up
-- Issue 27, back in stock: the product page a request was made on (the
-- widget sends its page's address, the API may give one), so that the
-- message links the product itself; '' when unknown (the customer's page),
-- and the message links the shop's site instead.
ALTER TABLE stock_waitlist ADD COLUMN page_url TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE stock_waitlist DROP COLUMN page_url;
