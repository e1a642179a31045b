-- +goose Up
-- The loyalty program (issue 6).

-- A customer's birthday as MM-DD (the year is not kept: a bonus needs the
-- day, nothing more), and the referral code an order came with.
ALTER TABLE customers ADD COLUMN birthday TEXT;
CREATE INDEX customers_birthday ON customers (birthday) WHERE birthday IS NOT NULL;
ALTER TABLE orders ADD COLUMN referral_code TEXT;

-- The ledger's accounts: one per member customer (its balance is the sum
-- of its entries, kept beside them in the same transaction so a lookup is
-- one row) and the program's own: issued (the counterpart of every point
-- given or taken back), redeemed and expired. A member's row also holds
-- their tier and referral link.
CREATE TABLE loyalty_accounts (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    customer_id   INTEGER UNIQUE REFERENCES customers (id),
    balance       INTEGER NOT NULL DEFAULT 0,
    tier          TEXT NOT NULL DEFAULT '',
    tier_since    DATETIME,
    referral_code TEXT UNIQUE,
    referred_by   INTEGER REFERENCES customers (id),
    created_at    DATETIME NOT NULL
);
INSERT INTO loyalty_accounts (id, code, created_at) VALUES
    (1, 'issued', '2000-01-01 00:00:00'),
    (2, 'redeemed', '2000-01-01 00:00:00'),
    (3, 'expired', '2000-01-01 00:00:00');

-- One ledger transaction: what happened to a customer's points, why and
-- from where. It is never changed but for the expiry bookkeeping of a
-- credit (lapsed, reminded). idem_key makes every posting happen once.
CREATE TABLE loyalty_transactions (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    points      INTEGER NOT NULL,
    order_id    INTEGER REFERENCES orders (id),
    source      TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL DEFAULT '',
    idem_key    TEXT NOT NULL UNIQUE,
    expires_at  DATETIME,
    lapsed      BOOLEAN NOT NULL DEFAULT FALSE,
    reminded    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  DATETIME NOT NULL
);
CREATE INDEX loyalty_transactions_customer ON loyalty_transactions (customer_id, id);
CREATE INDEX loyalty_transactions_order ON loyalty_transactions (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX loyalty_transactions_expiring ON loyalty_transactions (expires_at) WHERE expires_at IS NOT NULL AND lapsed = FALSE;
CREATE INDEX loyalty_transactions_created ON loyalty_transactions (created_at);

-- The legs of each transaction: they sum to zero.
CREATE TABLE loyalty_entries (
    id             INTEGER PRIMARY KEY,
    transaction_id INTEGER NOT NULL REFERENCES loyalty_transactions (id),
    account_id     INTEGER NOT NULL REFERENCES loyalty_accounts (id),
    amount         INTEGER NOT NULL
);
CREATE INDEX loyalty_entries_transaction ON loyalty_entries (transaction_id);
CREATE INDEX loyalty_entries_account ON loyalty_entries (account_id, id);

-- Coupons: codes worth a percent or a fixed amount off an order.
CREATE TABLE coupons (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    value           INTEGER NOT NULL,
    currency        TEXT NOT NULL DEFAULT '',
    min_order_minor INTEGER NOT NULL DEFAULT 0,
    max_uses        INTEGER NOT NULL DEFAULT 1,
    uses            INTEGER NOT NULL DEFAULT 0,
    customer_id     INTEGER REFERENCES customers (id),
    order_id        INTEGER REFERENCES orders (id),
    reason          TEXT NOT NULL DEFAULT '',
    grant_key       TEXT UNIQUE,
    expires_at      DATETIME,
    created_at      DATETIME NOT NULL
);
CREATE INDEX coupons_customer ON coupons (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX coupons_order ON coupons (order_id) WHERE order_id IS NOT NULL;

-- Each use of a coupon, once per order.
CREATE TABLE coupon_redemptions (
    coupon_id      INTEGER NOT NULL REFERENCES coupons (id),
    order_id       INTEGER NOT NULL REFERENCES orders (id),
    discount_minor INTEGER NOT NULL,
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (coupon_id, order_id)
);

-- What a message is about beyond its order (a ledger transaction, a
-- coupon): "transaction=12&coupon=5".
ALTER TABLE messages ADD COLUMN about TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE messages DROP COLUMN about;
DROP TABLE coupon_redemptions;
DROP TABLE coupons;
DROP TABLE loyalty_entries;
DROP TABLE loyalty_transactions;
DROP TABLE loyalty_accounts;
ALTER TABLE orders DROP COLUMN referral_code;
DROP INDEX customers_birthday;
ALTER TABLE customers DROP COLUMN birthday;
