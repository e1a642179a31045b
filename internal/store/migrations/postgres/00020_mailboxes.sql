-- +goose Up
-- The IMAP mailboxes shopcare reads customers' mail from (issue 20): per
-- mailbox (server, user and folder), the UIDVALIDITY of the folder and the
-- highest UID handed to the conversations. The UID moves only after a
-- message was taken, so nothing is lost to a crash; a new UIDVALIDITY
-- starts again from the first message (taking a message twice is safe).
CREATE TABLE mailboxes (
    mailbox      TEXT PRIMARY KEY,
    uid_validity BIGINT NOT NULL,
    last_uid     BIGINT NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE mailboxes;
