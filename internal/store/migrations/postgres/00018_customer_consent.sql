-- +goose Up
-- Issue 19: consent per channel is split into transactional (order news:
-- consent_at, opted_out_at as before) and marketing. Marketing consent is
-- opt-in and must be provable (RU advertising law art. 18, ePrivacy art.
-- 13): when it was given, where (the form, the checkout box, the API
-- token), and when it was taken back. consent_source is the same proof
-- for the transactional consent.
ALTER TABLE customer_channels ADD COLUMN consent_source TEXT NOT NULL DEFAULT '';
ALTER TABLE customer_channels ADD COLUMN marketing_consent_at TIMESTAMPTZ;
ALTER TABLE customer_channels ADD COLUMN marketing_consent_source TEXT NOT NULL DEFAULT '';
ALTER TABLE customer_channels ADD COLUMN marketing_revoked_at TIMESTAMPTZ;

-- A customer whose personal data was erased on request (GDPR art. 17,
-- 152-FZ art. 21): the row stays, without a name or contacts, so the
-- shop's order figures stay whole; erasing again changes nothing.
ALTER TABLE customers ADD COLUMN erased_at TIMESTAMPTZ;

-- GET /api/v1/orders?updated_since= (a platform's sync) finds the orders
-- changed since its last run through an index, not a walk of all.
CREATE INDEX orders_updated ON orders (updated_at, id);

-- +goose Down
DROP INDEX orders_updated;
ALTER TABLE customers DROP COLUMN erased_at;
ALTER TABLE customer_channels DROP COLUMN marketing_revoked_at;
ALTER TABLE customer_channels DROP COLUMN marketing_consent_source;
ALTER TABLE customer_channels DROP COLUMN marketing_consent_at;
ALTER TABLE customer_channels DROP COLUMN consent_source;
