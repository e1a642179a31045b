-- +goose Up
-- Issue 23: "order again" on the customer's own page writes the shop's
-- cart link, which names what was bought by the shop platform's own id,
-- not by the SKU. variant_id is that id as the connector or the API gave
-- it: Shopify's variant id, WooCommerce's variation id or else product id,
-- InSales' variant id, Ecwid's product id (Ecwid has no cart link naming a
-- combination), …; '' when unknown (older lines, a platform without one),
-- and then a cart link that needs it is not written: reorder makes the
-- order in shopcare instead.
ALTER TABLE order_items ADD COLUMN variant_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE order_items DROP COLUMN variant_id;
