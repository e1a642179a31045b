-- +goose Up
-- The call-back figures (issue 5): a retry moves a task's due_at, so the
-- time it was first due is kept, with the time of the first try, to tell
-- whether the customer was called back within the target.
ALTER TABLE tasks ADD COLUMN first_due_at TIMESTAMPTZ;
ALTER TABLE tasks ADD COLUMN first_attempt_at TIMESTAMPTZ;
CREATE INDEX tasks_created ON tasks (kind, created_at);

-- +goose Down
DROP INDEX tasks_created;
ALTER TABLE tasks DROP COLUMN first_attempt_at;
ALTER TABLE tasks DROP COLUMN first_due_at;
