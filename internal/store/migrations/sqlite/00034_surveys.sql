-- +goose Up
-- Issue 24: the customers' answers to the shop's surveys. One row per
-- survey, made by the customer's first click on a score link: NPS (0–10)
-- after a delivery, CSAT (1–5) after a support conversation. trigger and
-- subject_id name what was asked about (the order, or the conversation),
-- so a second click changes the score and never adds a second answer.
-- A click is an intent until the landing page confirms it (confirmed_at):
-- mail scanners follow every link, and suspect says why a click looked
-- like one (too soon after the message, several scores at once). Only
-- confirmed answers count. asked_at is when the question went out (from
-- the link), channel where the answer came from (email, sms, telegram,
-- web), comment the customer's own words on the landing page.
CREATE TABLE surveys (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    trigger         TEXT NOT NULL,
    subject_id      INTEGER NOT NULL,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    order_id        INTEGER REFERENCES orders (id),
    conversation_id INTEGER,
    language        TEXT NOT NULL,
    channel         TEXT NOT NULL DEFAULT '',
    score           INTEGER NOT NULL,
    scored_at       DATETIME NOT NULL,
    confirmed_at    DATETIME,
    suspect         TEXT NOT NULL DEFAULT '',
    asked_at        DATETIME,
    comment         TEXT NOT NULL DEFAULT '',
    comment_at      DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE UNIQUE INDEX surveys_subject ON surveys (trigger, subject_id);
CREATE INDEX surveys_scored ON surveys (scored_at);
CREATE INDEX surveys_customer ON surveys (customer_id);

-- +goose Down
DROP TABLE surveys;
