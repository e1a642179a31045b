-- +goose Up
-- The loyalty ledger's entries lose their (account_id, id) index: only
-- loyalty.Audit reads the entries by account, and it sums them all in one
-- pass. A batch of accruals for random customers wrote a random page of
-- the index per entry, a third of the pages the batch dirtied on a
-- ten-million-entry ledger. No account is ever deleted nor its id changed,
-- so the entries' foreign key needs no index of its own.
DROP INDEX loyalty_entries_account;
-- Room in each page of the accounts, so that moving a balance (a column
-- no index holds) is a HOT update that writes none of the table's four
-- indexes. A storage parameter of PostgreSQL's; the schema is unchanged.
ALTER TABLE loyalty_accounts SET (fillfactor = 80);

-- +goose Down
ALTER TABLE loyalty_accounts RESET (fillfactor);
CREATE INDEX loyalty_entries_account ON loyalty_entries (account_id, id);
