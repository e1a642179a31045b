-- +goose Up
-- The loyalty ledger's entries lose their (account_id, id) index: only
-- loyalty.Audit reads the entries by account, and it sums them all in one
-- pass. A batch of accruals for random customers wrote a random page of
-- the index per entry, a third of the pages the batch dirtied on a
-- ten-million-entry ledger. No account is ever deleted nor its id changed,
-- so the entries' foreign key needs no index of its own.
DROP INDEX loyalty_entries_account;

-- +goose Down
CREATE INDEX loyalty_entries_account ON loyalty_entries (account_id, id);
