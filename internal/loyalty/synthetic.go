package loyalty

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/store"
)

// The synthetic ledger of bench loyalty (shopcare bench loyalty): a
// history of transactions computed by the database from a series of
// numbers, the accounts and entries that go with it, set-based, and the
// counts the benchmark reports. Nothing here is used by the shop itself.

// SyntheticTransactions are transactions From..To of Total, of random
// customers 1..Customers, created evenly over Span seconds from Start (a
// Unix time): nine in ten accruals of an order, one in ten review
// bonuses, each lapsing Expire seconds after (0: never), with idempotency
// keys seed:tNNNNNNNNNN.
type SyntheticTransactions struct {
	Engine      store.Engine
	From, To    int64 // the series numbers i of the chunk, From..To inclusive
	Customers   int64
	Start, Span int64
	Total       int64
	Expire      int64
}

// SyntheticInsertTransactions inserts the transactions of the chunk, with
// no entries and no account moves: SyntheticOpenAccounts and
// SyntheticInsertEntries complete them.
func SyntheticInsertTransactions(ctx context.Context, q store.Querier, p SyntheticTransactions) error {
	_, err := q.Exec(ctx, syntheticTransactionsSQL[p.Engine], p.From, p.To, p.Customers, p.Start, p.Span, p.Total, p.Expire)
	return err
}

// syntheticTransactionsSQL is SyntheticInsertTransactions' statement per
// engine; $1..$2 is the chunk of the series. The customer is picked with a
// multiplicative hash of the series number, so the history is spread like
// random draws (about five transactions a customer, from none to fifteen
// or so).
var syntheticTransactionsSQL = map[store.Engine]string{
	store.SQLite: `WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2),
			t(i, at) AS (SELECT i, $4 + (i - 1) * $5 / $6 FROM n)
			INSERT INTO loyalty_transactions (kind, customer_id, points, source, reason, actor, idem_key, expires_at, created_at)
			SELECT CASE WHEN i % 10 = 0 THEN 'bonus' ELSE 'accrual' END,
				1 + ((i * 2654435761) % 4294967296) % $3,
				10 + ((i * 48271) % 2147483647) % 990,
				CASE WHEN i % 10 = 0 THEN 'program' ELSE 'order' END,
				CASE WHEN i % 10 = 0 THEN 'review' ELSE '' END, '',
				printf('seed:t%010d', i),
				CASE WHEN $7 > 0 THEN strftime('%Y-%m-%d %H:%M:%S', at + $7, 'unixepoch') || '+00:00' END,
				strftime('%Y-%m-%d %H:%M:%S', at, 'unixepoch') || '+00:00'
			FROM t`,
	store.Postgres: `INSERT INTO loyalty_transactions (kind, customer_id, points, source, reason, actor, idem_key, expires_at, created_at)
			SELECT CASE WHEN i % 10 = 0 THEN 'bonus' ELSE 'accrual' END,
				1 + ((i * 2654435761) % 4294967296) % $3::bigint,
				10 + ((i * 48271) % 2147483647) % 990,
				CASE WHEN i % 10 = 0 THEN 'program' ELSE 'order' END,
				CASE WHEN i % 10 = 0 THEN 'review' ELSE '' END, '',
				'seed:t' || lpad(i::text, 10, '0'),
				CASE WHEN $7::bigint > 0 THEN to_timestamp(at + $7::bigint) END,
				to_timestamp(at)
			FROM generate_series($1::bigint, $2::bigint) AS n(i),
				LATERAL (SELECT $4::bigint + (i - 1) * $5::bigint / $6::bigint AS at) AS t`,
}

// SyntheticOpenAccounts moves each customer's account by the points of
// their transactions lo..hi, opening those not open yet (dated at their
// first transaction).
func SyntheticOpenAccounts(ctx context.Context, q store.Querier, lo, hi int64) error {
	_, err := q.Exec(ctx, fmt.Sprintf(`INSERT INTO loyalty_accounts (code, customer_id, balance, created_at)
		SELECT 'c' || customer_id, customer_id, SUM(points), MIN(created_at) FROM loyalty_transactions
		WHERE id BETWEEN %d AND %d GROUP BY customer_id ORDER BY customer_id
		ON CONFLICT (customer_id) DO UPDATE SET balance = loyalty_accounts.balance + excluded.balance`, lo, hi))
	return err
}

// SyntheticInsertEntries inserts the two legs of each transaction lo..hi:
// the customer's credit, then the issued account's debit.
func SyntheticInsertEntries(ctx context.Context, q store.Querier, lo, hi int64) error {
	_, err := q.Exec(ctx, fmt.Sprintf(`INSERT INTO loyalty_entries (transaction_id, account_id, amount)
			SELECT t.id, CASE WHEN l.leg = 0 THEN a.id ELSE 1 END, CASE WHEN l.leg = 0 THEN t.points ELSE -t.points END
			FROM loyalty_transactions t JOIN loyalty_accounts a ON a.customer_id = t.customer_id
			CROSS JOIN (SELECT 0 AS leg UNION ALL SELECT 1) AS l
			WHERE t.id BETWEEN %d AND %d ORDER BY t.id, l.leg`, lo, hi))
	return err
}

// TransactionCountAll counts the ledger's transactions.
func TransactionCountAll(ctx context.Context, q store.Querier) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM loyalty_transactions`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count loyalty transactions: %w", err)
	}
	return n, nil
}

// EntryCountAll counts the ledger's entries.
func EntryCountAll(ctx context.Context, q store.Querier) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM loyalty_entries`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count loyalty entries: %w", err)
	}
	return n, nil
}

// TransactionMaxID returns the highest transaction id, 0 when there are
// none.
func TransactionMaxID(ctx context.Context, q store.Querier) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM loyalty_transactions`).Scan(&n); err != nil {
		return 0, fmt.Errorf("max loyalty transaction id: %w", err)
	}
	return n, nil
}

// TransactionIDRangeAfter returns the lowest and the highest id of the
// transactions with an id above after.
func TransactionIDRangeAfter(ctx context.Context, q store.Querier, after int64) (lo, hi int64, err error) {
	if err := q.QueryRow(ctx, `SELECT MIN(id), MAX(id) FROM loyalty_transactions WHERE id > $1`, after).Scan(&lo, &hi); err != nil {
		return 0, 0, fmt.Errorf("loyalty transaction ids after %d: %w", after, err)
	}
	return lo, hi, nil
}
