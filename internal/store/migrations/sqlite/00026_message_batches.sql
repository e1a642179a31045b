-- +goose Up
-- Issue 22: a message due when it is scheduled has no job of its own; the
-- message sweep (a message_send job without a message id) sends all such
-- messages in batches. batched marks the messages the sweep owns; a
-- message handed back to a job of its own (put off, retried) is no
-- longer batched. claimed_until (Unix milliseconds, real time) is the
-- lease of the sweep that took it: another sweep takes it only after
-- that, as it takes one whose process died.
ALTER TABLE messages ADD COLUMN batched BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE messages ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
CREATE INDEX messages_batched ON messages (id) WHERE batched;

-- +goose Down
DROP INDEX messages_batched;
ALTER TABLE messages DROP COLUMN claimed_until;
ALTER TABLE messages DROP COLUMN batched;
