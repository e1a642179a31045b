-- +goose Up
-- Issue 17: a marketing unsubscribe stops marketing only, on every
-- channel, while order news keeps coming; "stop all messages" is still
-- the channel opt-out of customer_channels.
ALTER TABLE customers ADD COLUMN marketing_opted_out_at TIMESTAMPTZ;

-- A send records that it is handing the message to a channel, and
-- commits that, before it talks to the mail server or the provider: a job
-- that died during the hand-off is found by its rescue, knows the message
-- may have gone (it is sent again at once, with the same Message-ID so
-- that the receiver can drop the copy), and the attempt is recorded as
-- interrupted. Cleared by whatever the attempt came to.
ALTER TABLE messages ADD COLUMN handoff_at TIMESTAMPTZ;
ALTER TABLE messages ADD COLUMN handoff_channel TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_deliveries ADD COLUMN handoff_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE webhook_deliveries DROP COLUMN handoff_at;
ALTER TABLE messages DROP COLUMN handoff_channel;
ALTER TABLE messages DROP COLUMN handoff_at;
ALTER TABLE customers DROP COLUMN marketing_opted_out_at;
