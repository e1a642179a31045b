-- +goose Up
-- Issue 25: a campaign's audience is counted and listed over a million
-- customers in one statement each (campaign.CountAudience, Members).
-- The reach on a channel starts from the customers whose marketing consent
-- on it stands: a partial index of only them, customer ids in order, that
-- covers the other conditions (not opted out, the address not failed) so
-- the count never reads the table.
CREATE INDEX customer_channels_marketing ON customer_channels (channel, customer_id, marketing_consent_at, opted_out_at, failed_at)
    WHERE marketing_consent_at IS NOT NULL;
-- "Customers who bought this product / in this category": the order items
-- by SKU and by category. The category is the shop platform's name for
-- the product's category, '' when the order did not say.
ALTER TABLE order_items ADD COLUMN category TEXT NOT NULL DEFAULT '';
CREATE INDEX order_items_sku ON order_items (sku);
CREATE INDEX order_items_category ON order_items (category);
-- A loyalty tier's members.
CREATE INDEX loyalty_accounts_tier ON loyalty_accounts (tier);

-- +goose Down
DROP INDEX loyalty_accounts_tier;
DROP INDEX order_items_category;
DROP INDEX order_items_sku;
ALTER TABLE order_items DROP COLUMN category;
DROP INDEX customer_channels_marketing;
