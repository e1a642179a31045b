-- +goose Up
-- Issue 25: campaigns. A campaign is one mailing to an audience on one
-- channel (email, sms, telegram) or on paper (letters, postcards and
-- address labels the shop prints), with its content per language and its
-- schedule. audience and content are JSON documents the campaign package
-- validates (campaign.Audience, campaign.Contents); variant_b is the
-- content of an A/B test's second variant ('' without a test).
CREATE TABLE campaigns (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             TEXT NOT NULL,
    channel          TEXT NOT NULL,
    audience         TEXT NOT NULL,
    content          TEXT NOT NULL,
    variant_b        TEXT NOT NULL DEFAULT '',
    -- The A/B test: test_share percent of the audience gets A or B (half
    -- each), the rest waits test_wait seconds for the winner by
    -- test_metric (clicks or orders); holdout percent gets nothing, the
    -- baseline of the incremental revenue.
    test_share       INTEGER NOT NULL DEFAULT 0,
    test_metric      TEXT NOT NULL DEFAULT '',
    test_wait        INTEGER NOT NULL DEFAULT 0,
    winner           TEXT NOT NULL DEFAULT '',
    holdout          INTEGER NOT NULL DEFAULT 0,
    -- schedule: now, customer_morning or at (send_at); window spreads the
    -- sends over that many seconds.
    schedule         TEXT NOT NULL DEFAULT 'now',
    send_at          TIMESTAMPTZ,
    window_seconds   INTEGER NOT NULL DEFAULT 0,
    track_clicks     BOOLEAN NOT NULL DEFAULT TRUE,
    attribution_days INTEGER NOT NULL DEFAULT 5,
    -- What the campaign cost (paper: print and postage), in minor units of
    -- the shop's currency, for its return on investment.
    cost_minor       BIGINT NOT NULL DEFAULT 0,
    -- draft, scheduled, sending, paused, sent, cancelled.
    status           TEXT NOT NULL,
    status_reason    TEXT NOT NULL DEFAULT '',
    audience_size    INTEGER NOT NULL DEFAULT 0,
    created_by       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ
);
CREATE INDEX campaigns_status ON campaigns (status, id);

-- Every customer a started campaign is for, made when it starts (the
-- audience evaluated then), with when their message is due (their own
-- morning, spread over the window) and what came of it. variant: a, b,
-- holdout, or '' for the rest of an A/B test until the winner is known.
-- status: pending, waiting (for the winner), sending (handed to the
-- channel, claimed_until the lease in Unix milliseconds of real time),
-- sent, failed, suppressed (no consent, unsubscribed, bounced before,
-- the frequency cap), held (holdout).
CREATE TABLE campaign_recipients (
    campaign_id     BIGINT NOT NULL REFERENCES campaigns (id),
    customer_id     BIGINT NOT NULL REFERENCES customers (id),
    variant         TEXT NOT NULL DEFAULT 'a',
    status          TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    channel         TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT '',
    due_at          TIMESTAMPTZ NOT NULL,
    claimed_until   BIGINT NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    sent_at         TIMESTAMPTZ,
    bounced_at      TIMESTAMPTZ,
    complained_at   TIMESTAMPTZ,
    unsubscribed_at TIMESTAMPTZ,
    PRIMARY KEY (campaign_id, customer_id)
);
CREATE INDEX campaign_recipients_due ON campaign_recipients (campaign_id, status, due_at);
CREATE INDEX campaign_recipients_customer ON campaign_recipients (customer_id, sent_at);

-- A click on a tracked link of a campaign's message or of a marketing
-- flow's (a playbook rule's message: message_id and rule): link is the
-- link's place in the content, url where it led. suspect names a mail
-- scanner's click (too_soon, burst, prefetch); those do not count.
CREATE TABLE campaign_clicks (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT REFERENCES campaigns (id),
    message_id  BIGINT REFERENCES messages (id),
    rule        TEXT NOT NULL DEFAULT '',
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    link        INTEGER NOT NULL,
    url         TEXT NOT NULL,
    suspect     TEXT NOT NULL DEFAULT '',
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX campaign_clicks_campaign ON campaign_clicks (campaign_id, customer_id);
CREATE INDEX campaign_clicks_customer ON campaign_clicks (customer_id, at);
CREATE INDEX campaign_clicks_rule ON campaign_clicks (rule, at) WHERE rule <> '';

-- The images of campaigns' content, stored and served by shopcare
-- (/ci/{token}) under a size cap.
CREATE TABLE campaign_images (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token        TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

-- The shop's saved audience filters, by name (campaign.Audience JSON).
CREATE TABLE campaign_audiences (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    filter     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE campaign_audiences;
DROP TABLE campaign_images;
DROP TABLE campaign_clicks;
DROP TABLE campaign_recipients;
DROP TABLE campaigns;
