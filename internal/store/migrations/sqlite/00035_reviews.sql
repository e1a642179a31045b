-- +goose Up
-- Issue 24: product reviews, each written by the customer of a delivered
-- order (the order's signed link or their own page): one per order line
-- (order_id, line), so writing it again replaces the text and sends it
-- back to moderation. status is pending, published or rejected (with
-- reject_reason, a code the admin labels); reply is the shop's answer
-- shown under it. author is what the page shows (first name and the
-- initial of the last), never the full name. platform_id is the review's
-- id on the shop's platform once written back (WooCommerce).
CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES orders (id),
    order_number  TEXT NOT NULL DEFAULT '',
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    line          INTEGER NOT NULL,
    sku           TEXT NOT NULL,
    product_name  TEXT NOT NULL,
    rating        INTEGER NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    author        TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL,
    source        TEXT NOT NULL,
    status        TEXT NOT NULL,
    reject_reason TEXT NOT NULL DEFAULT '',
    reply         TEXT NOT NULL DEFAULT '',
    reply_at      DATETIME,
    moderated_by  TEXT NOT NULL DEFAULT '',
    published_at  DATETIME,
    platform_id   TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX reviews_order_line ON reviews (order_id, line);
CREATE INDEX reviews_sku_status ON reviews (sku, status, published_at);
CREATE INDEX reviews_status ON reviews (status, updated_at);
CREATE INDEX reviews_customer ON reviews (customer_id);

-- A review's photo, checked by its magic bytes and re-encoded without its
-- metadata (EXIF: where and when it was taken), within reviews.photo_max_bytes.
CREATE TABLE review_photos (
    review_id    INTEGER PRIMARY KEY REFERENCES reviews (id),
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL
);

-- +goose Down
DROP TABLE review_photos;
DROP TABLE reviews;
