-- +goose Up
-- The support inbox (package inbox): every message a customer sends, in a
-- conversation with the shop. customer_id is NULL while the sender is not
-- known (an e-mail from an address no customer has) until an operator
-- links it; address is the sender's address on the channel. The due
-- columns are the response targets in the shop's working hours:
-- next_response_due is when the answer the customer now waits for is
-- due (NULL when they wait for none), overdue_at when the overdue pass
-- flagged that answer as late.
CREATE TABLE conversations (
    id                 INTEGER PRIMARY KEY,
    customer_id        INTEGER REFERENCES customers (id),
    order_id           INTEGER REFERENCES orders (id),
    channel            TEXT NOT NULL,
    address            TEXT NOT NULL,
    contact_name       TEXT NOT NULL DEFAULT '',
    subject            TEXT NOT NULL DEFAULT '',
    language           TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL,
    assignee_id        INTEGER REFERENCES users (id),
    first_response_due DATETIME,
    next_response_due  DATETIME,
    first_responded_at DATETIME,
    overdue_at         DATETIME,
    snoozed_until      DATETIME,
    acked_at           DATETIME,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
CREATE INDEX conversations_recent ON conversations (updated_at DESC, id DESC);
CREATE INDEX conversations_customer ON conversations (customer_id, status);
CREATE INDEX conversations_address ON conversations (channel, address, status);
CREATE INDEX conversations_due ON conversations (next_response_due) WHERE overdue_at IS NULL AND status = 'open';
CREATE INDEX conversations_snoozed ON conversations (snoozed_until) WHERE status = 'snoozed';

-- The messages of a conversation: the customer's (in), the shop's (out:
-- an operator's reply, the automatic acknowledgement) and the operators'
-- notes. message_id is an incoming message's id on its channel (an
-- e-mail's Message-ID, a digest when it had none): unique per channel, so
-- a message fetched twice is stored once. An outgoing one's Message-ID is
-- <c{id}@shopcare>. answered_due is the due an operator's answer met or
-- missed, for the share within target.
CREATE TABLE conversation_messages (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    direction       TEXT NOT NULL,
    channel         TEXT NOT NULL,
    author_user_id  INTEGER REFERENCES users (id),
    author_name     TEXT NOT NULL DEFAULT '',
    message_id      TEXT,
    in_reply_to     TEXT NOT NULL DEFAULT '',
    refs            TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL DEFAULT '',
    text            TEXT NOT NULL DEFAULT '',
    visible         TEXT NOT NULL DEFAULT '',
    html            TEXT NOT NULL DEFAULT '',
    auto            TEXT NOT NULL DEFAULT '',
    bounce          TEXT NOT NULL DEFAULT '',
    raw             BLOB,
    sent_state      TEXT NOT NULL DEFAULT '',
    sent_error      TEXT NOT NULL DEFAULT '',
    sent_at         DATETIME,
    answered_due    DATETIME,
    created_at      DATETIME NOT NULL
);
CREATE UNIQUE INDEX conversation_messages_message_id ON conversation_messages (channel, message_id);
CREATE INDEX conversation_messages_conversation ON conversation_messages (conversation_id, id);
CREATE INDEX conversation_messages_answered ON conversation_messages (created_at) WHERE answered_due IS NOT NULL;

-- Files sent with a message, each within the size cap.
CREATE TABLE conversation_attachments (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES conversation_messages (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX conversation_attachments_message ON conversation_attachments (message_id);

-- +goose Down
DROP TABLE conversation_attachments;
DROP TABLE conversation_messages;
DROP TABLE conversations;
