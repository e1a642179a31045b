-- +goose Up
-- Issue 24: the "first to know" club. A project is something customers
-- sign up for (a beta test, early access, a pre-order or crowdfunding of
-- a new product), titled and described in each of the shop's languages,
-- with a goal of sign-ups and the days it runs. closed_at set: no one
-- joins any more.
CREATE TABLE insider_projects (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    title_ru       TEXT NOT NULL DEFAULT '',
    title_lv       TEXT NOT NULL DEFAULT '',
    title_en       TEXT NOT NULL DEFAULT '',
    description_ru TEXT NOT NULL DEFAULT '',
    description_lv TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    goal           INTEGER NOT NULL DEFAULT 0,
    starts_on      TEXT NOT NULL DEFAULT '',
    ends_on        TEXT NOT NULL DEFAULT '',
    closed_at      DATETIME,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);

-- A customer's membership of a project, with its own consent: the
-- wording's version and language the customer agreed to, where they
-- joined (my, link) and when. Leaving keeps the row with left_at set, the
-- proof of the withdrawal; joining again clears it with a new consent.
CREATE TABLE insider_members (
    project_id      INTEGER NOT NULL REFERENCES insider_projects (id),
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    source          TEXT NOT NULL,
    consent_version INTEGER NOT NULL,
    consent_lang    TEXT NOT NULL,
    joined_at       DATETIME NOT NULL,
    left_at         DATETIME,
    PRIMARY KEY (project_id, customer_id)
);
CREATE INDEX insider_members_customer ON insider_members (customer_id);
-- A project's members in the order they joined: the admin's list, the
-- API's pages and the campaigns' export.
CREATE INDEX insider_members_joined ON insider_members (project_id, joined_at, customer_id);

-- +goose Down
DROP TABLE insider_members;
DROP TABLE insider_projects;
