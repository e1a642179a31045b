-- +goose Up
-- Issue 27: the early warning on traffic. An outage is seen within the
-- hour, so a traffic_drop alert raised by the hourly check names the
-- hour it judged (Unix seconds of its start); the daily alerts leave it
-- empty.
ALTER TABLE alerts ADD COLUMN hour BIGINT;

-- +goose Down
ALTER TABLE alerts DROP COLUMN hour;
