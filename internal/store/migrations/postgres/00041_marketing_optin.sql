-- +goose Up
-- Issue 25: double opt-in (campaigns.double_opt_in). A marketing e-mail
-- consent given while it is on is kept pending here, with where it was
-- given, until the customer follows the confirmation link (/optin/…):
-- then it becomes marketing_consent_at with the source "double opt-in".
-- A pending consent allows no marketing.
ALTER TABLE customer_channels ADD COLUMN marketing_pending_at TIMESTAMPTZ;
ALTER TABLE customer_channels ADD COLUMN marketing_pending_source TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE customer_channels DROP COLUMN marketing_pending_source;
ALTER TABLE customer_channels DROP COLUMN marketing_pending_at;
