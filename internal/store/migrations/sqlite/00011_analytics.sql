-- +goose Up
-- Analytics (issue 8). A report over ten million orders cannot read them
-- all, so small roll-ups are kept beside them, in the transaction that
-- writes the orders:

-- Orders by the shop-local day they were placed, their channel and
-- currency: all of them, those counted (neither cancelled nor returned)
-- and the counted revenue.
CREATE TABLE sales_days (
    day           TEXT NOT NULL,
    channel       TEXT NOT NULL,
    currency      TEXT NOT NULL,
    orders        INTEGER NOT NULL DEFAULT 0,
    counted       INTEGER NOT NULL DEFAULT 0,
    revenue_minor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, channel, currency)
);

-- New customers by the day of their first counted order and its channel
-- (the acquisition channel).
CREATE TABLE acquisitions (
    day       TEXT NOT NULL,
    channel   TEXT NOT NULL,
    customers INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, channel)
);

-- The cohorts: customers acquired in a month through a channel, how many
-- of them bought in each later month, their orders and revenue (in the
-- shop's currency).
CREATE TABLE cohort_months (
    cohort        TEXT NOT NULL,
    channel       TEXT NOT NULL,
    month         TEXT NOT NULL,
    customers     INTEGER NOT NULL DEFAULT 0,
    orders        INTEGER NOT NULL DEFAULT 0,
    revenue_minor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort, channel, month)
);

-- Customers by how many counted orders they have: 0 (orders, none
-- counted), 1, or 2 and more (the repeat customers).
CREATE TABLE buyer_counts (
    purchases INTEGER PRIMARY KEY,
    customers INTEGER NOT NULL DEFAULT 0
);

-- The promise record: delivered orders with a promise the customer was
-- given, by the shop-local day of delivery, carrier and destination; on
-- time, late, and the days late summed.
CREATE TABLE delivery_days (
    day        TEXT NOT NULL,
    carrier    TEXT NOT NULL,
    country    TEXT NOT NULL,
    city       TEXT NOT NULL,
    delivered  INTEGER NOT NULL DEFAULT 0,
    on_time    INTEGER NOT NULL DEFAULT 0,
    late       INTEGER NOT NULL DEFAULT 0,
    delay_days INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, carrier, country, city)
);

-- What a customer adds to the roll-ups, kept so a change can be taken
-- back exactly: orders placed and counted, acquisition day and channel,
-- the day of the last counted order, and the months they bought in
-- ("YYYY-MM orders revenue;…").
ALTER TABLE customers ADD COLUMN placed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN purchases INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN last_purchase_on TEXT;
CREATE INDEX customers_last_purchase ON customers (last_purchase_on, id) WHERE last_purchase_on IS NOT NULL;
ALTER TABLE customers ADD COLUMN acquired_on TEXT;
ALTER TABLE customers ADD COLUMN acquired_channel TEXT;
ALTER TABLE customers ADD COLUMN activity TEXT NOT NULL DEFAULT '';

-- The time zone and currency the roll-ups were made in: a change of
-- either rebuilds them.
CREATE TABLE analytics_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    timezone        TEXT NOT NULL,
    currency        TEXT NOT NULL,
    rebuilt_at      DATETIME NOT NULL
);

-- Marketing spend the owner enters, per month and acquisition channel.
CREATE TABLE marketing_spend (
    month        TEXT NOT NULL,
    channel      TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    updated_at   DATETIME NOT NULL,
    PRIMARY KEY (month, channel)
);

-- The early warnings raised: one per kind and day.
CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    day          TEXT NOT NULL,
    actual       REAL NOT NULL,
    expected     REAL NOT NULL,
    lower        REAL NOT NULL,
    days         INTEGER NOT NULL DEFAULT 1,
    created_at   DATETIME NOT NULL,
    dismissed_at DATETIME,
    notified_at  DATETIME,
    UNIQUE (kind, day)
);

-- Each customer's predicted value and segment, from the last scoring.
CREATE TABLE customer_scores (
    customer_id    INTEGER PRIMARY KEY REFERENCES customers (id),
    frequency      REAL NOT NULL,
    recency        REAL NOT NULL,
    age            REAL NOT NULL,
    monetary_minor INTEGER NOT NULL,
    expected_30    REAL NOT NULL,
    expected_90    REAL NOT NULL,
    expected_365   REAL NOT NULL,
    p_alive        REAL NOT NULL,
    clv_minor      INTEGER NOT NULL,
    rfm            TEXT NOT NULL DEFAULT '',
    segment        TEXT NOT NULL,
    segment_since  DATETIME NOT NULL,
    scored_at      DATETIME NOT NULL
);
CREATE INDEX customer_scores_segment ON customer_scores (segment, clv_minor);

-- +goose Down
DROP TABLE customer_scores;
DROP TABLE alerts;
DROP TABLE marketing_spend;
DROP TABLE analytics_state;
ALTER TABLE customers DROP COLUMN activity;
ALTER TABLE customers DROP COLUMN acquired_channel;
ALTER TABLE customers DROP COLUMN acquired_on;
DROP INDEX customers_last_purchase;
ALTER TABLE customers DROP COLUMN last_purchase_on;
ALTER TABLE customers DROP COLUMN purchases;
ALTER TABLE customers DROP COLUMN placed;
DROP TABLE cohort_months;
DROP TABLE delivery_days;
DROP TABLE buyer_counts;
DROP TABLE acquisitions;
DROP TABLE sales_days;
