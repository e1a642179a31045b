-- +goose Up
-- Issue 26: several nodes on one PostgreSQL.
--
-- The login and rate limits, counted here instead of in each process so
-- that a guesser gains nothing by landing on another node. key is a hash
-- of the limit's name and what it counts (an address, an address and an
-- e-mail, a contact): no address or e-mail is kept in clear. tries are
-- the attempts let through since the count was last forgotten, last_at
-- the latest of them, until_at the earliest moment the next may come (NULL
-- while tries are free). Times are the real clock's. Rows idle past their
-- limit's memory are pruned by the limiter itself.
CREATE TABLE rate_limits (
    key      TEXT PRIMARY KEY,
    tries    INTEGER NOT NULL,
    last_at  TIMESTAMPTZ NOT NULL,
    until_at TIMESTAMPTZ
);
CREATE INDEX rate_limits_last ON rate_limits (last_at);

-- Every node LISTENs on shopcare_changes and wakes what depends on the
-- data named by the payload: the settings (a node reloads a newer saved
-- version), the call-back queue and the inbox (their live pages). The
-- notifications go with the transaction that changed the data, once per
-- statement, and only when it commits; each node also polls, so a missed
-- notification only delays.
-- +goose StatementBegin
CREATE FUNCTION shopcare_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('shopcare_changes', TG_ARGV[0]);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER settings_versions_notify AFTER INSERT ON settings_versions
    FOR EACH STATEMENT EXECUTE FUNCTION shopcare_notify_change('settings');
CREATE TRIGGER tasks_notify AFTER INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH STATEMENT EXECUTE FUNCTION shopcare_notify_change('callbacks');
CREATE TRIGGER order_notes_notify AFTER INSERT OR UPDATE OR DELETE ON order_notes
    FOR EACH STATEMENT EXECUTE FUNCTION shopcare_notify_change('callbacks');
CREATE TRIGGER conversations_notify AFTER INSERT OR UPDATE OR DELETE ON conversations
    FOR EACH STATEMENT EXECUTE FUNCTION shopcare_notify_change('inbox');
CREATE TRIGGER conversation_messages_notify AFTER INSERT OR UPDATE OR DELETE ON conversation_messages
    FOR EACH STATEMENT EXECUTE FUNCTION shopcare_notify_change('inbox');

-- +goose Down
DROP TRIGGER conversation_messages_notify ON conversation_messages;
DROP TRIGGER conversations_notify ON conversations;
DROP TRIGGER order_notes_notify ON order_notes;
DROP TRIGGER tasks_notify ON tasks;
DROP TRIGGER settings_versions_notify ON settings_versions;
DROP FUNCTION shopcare_notify_change();
DROP TABLE rate_limits;
