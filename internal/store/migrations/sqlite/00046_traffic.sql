-- +goose Up
-- Issue 27: the shop's own page-view counter, and visits pushed by the
-- shop or its platform. No cookie and nothing personal is stored: a
-- visitor is a hash of the day's random salt, the address and the
-- browser, and the salt of a day is deleted the day after, so a hash
-- can never be traced back, nor two days' visitors joined.
--
-- traffic_salts: the day's salt (shop-local day, YYYY-MM-DD).
CREATE TABLE traffic_salts (
    day  TEXT PRIMARY KEY,
    salt TEXT NOT NULL
);

-- traffic_visitors: one row per visitor and day, while the day is fresh
-- (today and yesterday): source is where their first visit of the day
-- came from (a referring site's host, a utm_source, or direct);
-- first_seen and last_seen are Unix seconds; a view 30 minutes after
-- the last one starts a new visit. Older days are summed into
-- traffic_days and deleted.
CREATE TABLE traffic_visitors (
    day        TEXT NOT NULL,
    visitor    TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT '',
    first_seen BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    visits     INTEGER NOT NULL DEFAULT 1,
    pageviews  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (day, visitor)
);

-- traffic_days: the figures of a day per source. origin is counter (the
-- shop's counter, summed from traffic_visitors), api (POST
-- /api/v1/visits) or a connector's name. A pushed day stands in for the
-- counter's of the same day.
CREATE TABLE traffic_days (
    day        TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT '',
    origin     TEXT NOT NULL,
    pageviews  BIGINT NOT NULL DEFAULT 0,
    visits     BIGINT NOT NULL DEFAULT 0,
    visitors   BIGINT NOT NULL DEFAULT 0,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (day, source, origin)
);

-- traffic_hours: the counter's page views and visits per hour (the
-- hour's start, Unix seconds): the early warning sees an outage within
-- the hour from them. Kept 60 days.
CREATE TABLE traffic_hours (
    hour      BIGINT NOT NULL,
    origin    TEXT NOT NULL,
    pageviews BIGINT NOT NULL DEFAULT 0,
    visits    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, origin)
);

-- traffic_paths: the counter's page views per page and day, for the
-- owner's "most seen pages". path has no query string.
CREATE TABLE traffic_paths (
    day       TEXT NOT NULL,
    path      TEXT NOT NULL,
    pageviews BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, path)
);

-- +goose Down
DROP TABLE traffic_paths;
DROP TABLE traffic_hours;
DROP TABLE traffic_days;
DROP TABLE traffic_visitors;
DROP TABLE traffic_salts;
