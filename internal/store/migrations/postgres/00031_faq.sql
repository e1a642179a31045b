-- +goose Up
-- Issue 23: the help on the customer's own page (/my/help). faq_entries
-- are the questions and answers the shop writes in the admin, per
-- language, grouped in sections and ordered by ordinal (its position)
-- in the language; the answer is plain text, paragraphs split by a blank line.
CREATE TABLE faq_entries (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    language   TEXT NOT NULL,
    section    TEXT NOT NULL,
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    ordinal    INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX faq_entries_language ON faq_entries (language, ordinal);

-- faq_searches count what customers looked for, by the normalised query
-- and language, and whether the last such search found anything: the
-- admin lists the most-searched questions with no answer, for the shop
-- to write one.
CREATE TABLE faq_searches (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    query    TEXT NOT NULL,
    language TEXT NOT NULL,
    count    INTEGER NOT NULL DEFAULT 1,
    last_at  TIMESTAMPTZ NOT NULL,
    found    BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (language, query)
);
CREATE INDEX faq_searches_unanswered ON faq_searches (found, count);
CREATE INDEX faq_searches_last ON faq_searches (last_at);

-- +goose Down
DROP TABLE faq_searches;
DROP TABLE faq_entries;
