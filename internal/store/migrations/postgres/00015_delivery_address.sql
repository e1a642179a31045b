-- +goose Up
-- The delivery address (orders.address, given by the shop or asked for on
-- the call-back) becomes a confirmed fact of the order: when the call
-- reached the customer and they confirmed it, address_confirmed_at says
-- so; NULL while it is only what the shop sent. The order page, the API
-- (delivery_address_confirmed_at) and the packing slip show it, so the
-- packer knows the parcel goes where the customer said.
ALTER TABLE orders ADD COLUMN address_confirmed_at TIMESTAMPTZ;
-- Calls made before this version confirmed the address too: their
-- callback_reached note says when.
UPDATE orders SET address_confirmed_at = (
    SELECT max(n.created_at) FROM order_notes n WHERE n.order_id = orders.id AND n.kind = 'callback_reached')
WHERE address <> '';

-- +goose Down
ALTER TABLE orders DROP COLUMN address_confirmed_at;
