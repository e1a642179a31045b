-- +goose Up
-- Issue 23: returns the customer asks for on their own page (/my). A
-- request is for some of a delivered order's items, within the shop's
-- return window counted from the delivery day; it carries a reason code
-- (damaged, wrong_item, not_as_described, did_not_fit, changed_mind,
-- other), the customer's comment and a state the shop moves it through.
-- form_id is the form's own random id: a second post of the same form
-- (a double click, a reload) finds the first request instead of a twin.
-- Its lines are return_request_items: line is the item's position on the
-- order (from 1), sku and name are kept as the customer saw them, so a
-- request reads the same after the order's items change.
CREATE TABLE return_requests (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    reason      TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    form_id     TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX return_requests_order ON return_requests (order_id, form_id);

CREATE TABLE return_request_items (
    request_id INTEGER NOT NULL REFERENCES return_requests (id) ON DELETE CASCADE,
    line       INTEGER NOT NULL,
    sku        TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL DEFAULT '',
    qty        INTEGER NOT NULL,
    PRIMARY KEY (request_id, line)
);

-- +goose Down
DROP TABLE return_request_items;
DROP TABLE return_requests;
