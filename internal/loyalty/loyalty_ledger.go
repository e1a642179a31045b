package loyalty

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Posting asks for a change of one customer's points.
type Posting struct {
	Kind       Kind
	CustomerID int64
	// Points is signed: positive credits the customer, negative debits.
	Points  int64
	OrderID int64
	Source  Source
	Reason  string
	Actor   string
	// Key makes the posting happen once: a posting whose key the ledger
	// holds already is skipped.
	Key string
}

// Post writes postings to the ledger inside tx, each as a transaction of
// two legs, and moves the customers' balances. Postings whose key is in
// the ledger already (or repeated in the batch) are skipped; the new
// transactions are returned in the order given. A debit the balance does
// not cover fails the call with *InsufficientError, and the caller's
// transaction must then roll back.
func (s *Service) Post(ctx context.Context, tx *store.Tx, postings []Posting) ([]Transaction, error) {
	now := s.clock.Now()
	seen := make(map[string]bool, len(postings))
	batch := make([]Posting, 0, len(postings))
	for _, p := range postings {
		if p.Points == 0 || seen[p.Key] {
			continue
		}
		if p.Key == "" || p.CustomerID == 0 {
			return nil, fmt.Errorf("post %s: a posting needs a customer and a key", p.Kind)
		}
		seen[p.Key] = true
		batch = append(batch, p)
	}
	if len(batch) == 0 {
		return nil, nil
	}
	accounts, err := s.accounts(ctx, tx, customersOf(batch), now)
	if err != nil {
		return nil, err
	}
	expires := s.expiresAt(now)
	rows := make([][]any, len(batch))
	for i, p := range batch {
		var exp *time.Time
		if p.Points > 0 {
			exp = expires
		}
		rows[i] = []any{string(p.Kind), p.CustomerID, p.Points, nullID(p.OrderID), string(p.Source), p.Reason, p.Actor, p.Key, exp, now}
	}
	fresh, err := s.insertTransactions(ctx, tx, rows)
	if err != nil {
		return nil, fmt.Errorf("post %d loyalty transactions: %w", len(batch), err)
	}
	if len(fresh) == 0 {
		return nil, nil
	}
	out := make([]Transaction, 0, len(fresh))
	legs := make([][]any, 0, 2*len(fresh))
	deltas := map[int64]int64{}
	var exp *time.Time
	for _, p := range batch {
		id, ok := fresh[p.Key]
		if !ok {
			continue
		}
		acct := accounts[p.CustomerID]
		legs = append(legs, []any{id, acct, p.Points}, []any{id, counterpart(p.Kind), -p.Points})
		deltas[acct] += p.Points
		exp = nil
		if p.Points > 0 {
			exp = expires
		}
		out = append(out, Transaction{Posting: p, ID: id, ExpiresAt: exp, CreatedAt: now})
	}
	if err := store.InsertMany(ctx, tx, "loyalty_entries", []string{"transaction_id", "account_id", "amount"}, legs, "", nil); err != nil {
		return nil, fmt.Errorf("post %d loyalty entries: %w", len(legs), err)
	}
	if err := s.moveBalances(ctx, tx, deltas); err != nil {
		return nil, err
	}
	return out, nil
}

// txInsertColumns are the columns of a new ledger transaction, in the
// order of Post's rows.
var txInsertColumns = []string{"kind", "customer_id", "points", "order_id", "source", "reason", "actor", "idem_key", "expires_at", "created_at"}

// txIdemKey is the index of idem_key in txInsertColumns.
var txIdemKey = slices.Index(txInsertColumns, "idem_key")

// txInsertOne inserts one ledger transaction with its id given (SQLite's
// path of insertTransactions): the id, then the values of txInsertColumns.
var txInsertOne = "INSERT INTO loyalty_transactions (id, " + strings.Join(txInsertColumns, ", ") + ") VALUES (" +
	store.Placeholders(1, 1+len(txInsertColumns)) + ") ON CONFLICT (idem_key) DO NOTHING"

// insertTransactions inserts the ledger transactions of rows (values of
// txInsertColumns), skipping those whose key the ledger holds already,
// and returns the new ones' ids by key. Ids rise in the order of rows.
//
// On PostgreSQL it is one multi-row INSERT … RETURNING a chunk. On SQLite
// it is one single-row INSERT a transaction, with the id given: a
// multi-row INSERT (or any with RETURNING, which SQLite runs as a
// trigger) opens a statement journal, a copy of every page the statement
// changes made before it changes it, so that a failing row can undo the
// statement's others. A batch of a thousand accruals of random customers
// changes a thousand scattered pages of the transactions' by-customer
// index, so that copy (and the allocator's work for it) was a third of
// the posting's CPU on a ledger of ten million entries. A single-row
// INSERT needs no statement journal. SQLite has one writer and this runs
// in its write transaction, so the highest id read first stays the
// highest; SQLite itself numbers a new row the highest id plus one.
func (s *Service) insertTransactions(ctx context.Context, tx *store.Tx, rows [][]any) (map[string]int64, error) {
	fresh := make(map[string]int64, len(rows))
	if s.db.Engine() == store.Postgres {
		err := store.InsertMany(ctx, tx, "loyalty_transactions", txInsertColumns, rows,
			"ON CONFLICT (idem_key) DO NOTHING RETURNING id, idem_key", func(r store.Rows) error {
				var id int64
				var key string
				if err := r.Scan(&id, &key); err != nil {
					return err
				}
				fresh[key] = id
				return nil
			})
		return fresh, err
	}
	var last int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM loyalty_transactions`).Scan(&last); err != nil {
		return nil, err
	}
	args := make([]any, 1+len(txInsertColumns))
	for _, r := range rows {
		args[0] = last + 1
		copy(args[1:], r)
		n, err := tx.Exec(ctx, txInsertOne, args...)
		if err != nil {
			return nil, err
		}
		if n == 1 {
			last++
			fresh[r[txIdemKey].(string)] = last
		}
	}
	return fresh, nil
}

// moveBalances adds each account's delta to its balance, in id order: two
// transactions touching the same accounts lock them in the same order
// and cannot deadlock (PostgreSQL). A debit the balance does not cover
// fails on the first such account in id order, with its customer and
// balance.
func (s *Service) moveBalances(ctx context.Context, tx *store.Tx, deltas map[int64]int64) error {
	ids := make([]int64, 0, len(deltas))
	for id := range deltas {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if s.db.Engine() == store.Postgres && len(ids) > 1 {
		return movePostgres(ctx, tx, ids, deltas)
	}
	// SQLite runs each statement in process: one per account costs little
	// beside the writes themselves, which a single statement would not save.
	for _, id := range ids {
		n, err := tx.Exec(ctx, `UPDATE loyalty_accounts SET balance = balance + $2 WHERE id = $1 AND balance + $2 >= 0`, id, deltas[id])
		if err != nil {
			return fmt.Errorf("move balance of loyalty account %d: %w", id, err)
		}
		if n == 0 {
			return insufficient(ctx, tx, id, deltas[id])
		}
	}
	return nil
}

// movePostgres moves the balances in two statements rather than one
// UPDATE per account, each a round trip: a batch of a thousand accruals
// touches nearly a thousand accounts. It first locks the accounts in id
// order, as the updates one by one did, and reads whether each balance
// covers its delta; FOR NO KEY UPDATE is the lock an UPDATE of the
// balance takes (FOR UPDATE would conflict with the key-share lock the
// entries' foreign key took on the account a moment before, and two
// transactions posting to one account would deadlock).
func movePostgres(ctx context.Context, tx *store.Tx, ids []int64, deltas map[int64]int64) error {
	moves := make([]int64, len(ids))
	for i, id := range ids {
		moves[i] = deltas[id]
	}
	covered := make(map[int64]bool, len(ids))
	rows, err := tx.Query(ctx, `SELECT a.id, a.balance + d.delta >= 0 FROM loyalty_accounts AS a
		JOIN unnest($1::bigint[], $2::bigint[]) AS d (account, delta) ON d.account = a.id
		ORDER BY a.id FOR NO KEY UPDATE OF a`, ids, moves)
	if err != nil {
		return fmt.Errorf("lock %d loyalty accounts: %w", len(ids), err)
	}
	for rows.Next() {
		var id int64
		var ok bool
		if err := rows.Scan(&id, &ok); err != nil {
			rows.Close()
			return fmt.Errorf("lock %d loyalty accounts: %w", len(ids), err)
		}
		covered[id] = ok
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lock %d loyalty accounts: %w", len(ids), err)
	}
	for _, id := range ids {
		if !covered[id] {
			return insufficient(ctx, tx, id, deltas[id])
		}
	}
	n, err := tx.Exec(ctx, `UPDATE loyalty_accounts AS a SET balance = a.balance + d.delta
		FROM unnest($1::bigint[], $2::bigint[]) AS d (account, delta) WHERE a.id = d.account AND a.balance + d.delta >= 0`, ids, moves)
	if err != nil {
		return fmt.Errorf("move the balances of %d loyalty accounts: %w", len(ids), err)
	}
	if n != int64(len(ids)) {
		return fmt.Errorf("move the balances of %d loyalty accounts: %d moved", len(ids), n)
	}
	return nil
}

// insufficient is the error of a debit of account id's balance by -delta
// that the balance does not cover.
func insufficient(ctx context.Context, tx *store.Tx, id, delta int64) error {
	e := &InsufficientError{Wanted: -delta}
	_ = tx.QueryRow(ctx, `SELECT customer_id, balance FROM loyalty_accounts WHERE id = $1`, id).Scan(&e.CustomerID, &e.Balance)
	return e
}

// accounts returns the ledger account of each customer, opening those
// that have none.
func (s *Service) accounts(ctx context.Context, tx *store.Tx, customers []int64, now time.Time) (map[int64]int64, error) {
	out := make(map[int64]int64, len(customers))
	scan := func(r store.Rows) error {
		var customer, id int64
		if err := r.Scan(&customer, &id); err != nil {
			return err
		}
		out[customer] = id
		return nil
	}
	err := store.QueryIn(ctx, tx, `SELECT customer_id, id FROM loyalty_accounts WHERE customer_id IN (IN_LIST)`, nil, customers, scan)
	if err != nil {
		return nil, fmt.Errorf("read loyalty accounts: %w", err)
	}
	var rows [][]any
	for _, c := range customers {
		if _, ok := out[c]; !ok {
			rows = append(rows, []any{fmt.Sprintf("c%d", c), c, now})
		}
	}
	err = store.InsertMany(ctx, tx, "loyalty_accounts", []string{"code", "customer_id", "created_at"}, rows,
		"ON CONFLICT DO NOTHING RETURNING customer_id, id", scan)
	if err != nil {
		return nil, fmt.Errorf("open %d loyalty accounts: %w", len(rows), err)
	}
	if len(out) < len(customers) { // opened by another transaction meanwhile (PostgreSQL)
		var missing []int64
		for _, c := range customers {
			if _, ok := out[c]; !ok {
				missing = append(missing, c)
			}
		}
		err = store.QueryIn(ctx, tx, `SELECT customer_id, id FROM loyalty_accounts WHERE customer_id IN (IN_LIST)`, nil, missing, scan)
		if err != nil {
			return nil, fmt.Errorf("read loyalty accounts: %w", err)
		}
	}
	return out, nil
}

// customersOf lists the postings' customers once each, ascending: the
// order in which any transaction opens their accounts.
func customersOf(ps []Posting) []int64 {
	out := make([]int64, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.CustomerID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Balance returns a customer's points: 0 for a customer who never had any.
func Balance(ctx context.Context, q store.Querier, customerID int64) (int64, error) {
	var b int64
	err := q.QueryRow(ctx, `SELECT balance FROM loyalty_accounts WHERE customer_id = $1`, customerID).Scan(&b)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("balance of customer %d: %w", customerID, err)
	}
	return b, nil
}

const txColumns = `id, kind, customer_id, points, order_id, source, reason, actor, idem_key, expires_at, created_at`

func scanTransaction(r store.Row) (Transaction, error) {
	var t Transaction
	var orderID *int64
	err := r.Scan(&t.ID, &t.Kind, &t.CustomerID, &t.Points, &orderID, &t.Source, &t.Reason, &t.Actor, &t.Key, &t.ExpiresAt, &t.CreatedAt)
	if orderID != nil {
		t.OrderID = *orderID
	}
	return t, err
}

// Ledger returns a customer's transactions, newest first, at most limit of
// them older than before (0: from the newest), each with the balance
// after it.
func Ledger(ctx context.Context, q store.Querier, customerID, before int64, limit int) ([]Transaction, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := q.Query(ctx, `SELECT `+txColumns+` FROM loyalty_transactions
		WHERE customer_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, customerID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("ledger of customer %d: %w", customerID, err)
	}
	var out []Transaction
	for rows.Next() {
		t, err := scanTransaction(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("ledger of customer %d: %w", customerID, err)
		}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger of customer %d: %w", customerID, err)
	}
	if len(out) == 0 {
		return out, nil
	}
	// The balance after the newest listed is the balance less whatever
	// came after it; then walk back.
	var after int64
	err = q.QueryRow(ctx, `SELECT COALESCE(SUM(points), 0) FROM loyalty_transactions WHERE customer_id = $1 AND id > $2`,
		customerID, out[0].ID).Scan(&after)
	if err != nil {
		return nil, fmt.Errorf("ledger of customer %d: %w", customerID, err)
	}
	bal, err := Balance(ctx, q, customerID)
	if err != nil {
		return nil, err
	}
	bal -= after
	for i := range out {
		out[i].Balance = bal
		bal -= out[i].Points
	}
	return out, nil
}

// Audit checks the ledger's books: every transaction's legs sum to zero,
// the customer's leg is the transaction's points, and every account's
// balance is the sum of its entries. It returns the first problem found.
func Audit(ctx context.Context, q store.Querier) error {
	var txID, sum int64
	err := q.QueryRow(ctx, `SELECT transaction_id, SUM(amount) FROM loyalty_entries GROUP BY transaction_id
		HAVING SUM(amount) <> 0 OR COUNT(*) <> 2 LIMIT 1`).Scan(&txID, &sum)
	if err == nil {
		return fmt.Errorf("loyalty transaction %d: its legs sum to %d, or it has not two", txID, sum)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("audit the ledger: %w", err)
	}
	err = q.QueryRow(ctx, `SELECT t.id FROM loyalty_transactions t
		LEFT JOIN loyalty_entries e ON e.transaction_id = t.id
		LEFT JOIN loyalty_accounts a ON a.id = e.account_id AND a.customer_id = t.customer_id
		GROUP BY t.id, t.points HAVING COALESCE(SUM(CASE WHEN a.id IS NULL THEN 0 ELSE e.amount END), 0) <> t.points LIMIT 1`).Scan(&txID)
	if err == nil {
		return fmt.Errorf("loyalty transaction %d: the customer's leg is not its points", txID)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("audit the ledger: %w", err)
	}
	var acct, bal int64
	// The entries are summed by account in one pass (no index reads them
	// by account: migration 00028), then set beside the balances.
	err = q.QueryRow(ctx, `SELECT a.id, a.balance, COALESCE(e.total, 0) FROM loyalty_accounts a
		LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM loyalty_entries GROUP BY account_id) e ON e.account_id = a.id
		WHERE a.customer_id IS NOT NULL AND a.balance <> COALESCE(e.total, 0) LIMIT 1`).Scan(&acct, &bal, &sum)
	if err == nil {
		return fmt.Errorf("loyalty account %d: balance %d but its entries sum to %d", acct, bal, sum)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("audit the ledger: %w", err)
	}
	return nil
}

// TransactionByID returns one ledger transaction.
func TransactionByID(ctx context.Context, q store.Querier, id int64) (Transaction, error) {
	t, err := scanTransaction(q.QueryRow(ctx, `SELECT `+txColumns+` FROM loyalty_transactions WHERE id = $1`, id))
	if err != nil {
		return t, fmt.Errorf("loyalty transaction %d: %w", id, err)
	}
	return t, nil
}

// EarnedBy is the points an order earned and kept (its accrual less what
// its return took back).
func EarnedBy(ctx context.Context, q store.Querier, orderID int64) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COALESCE(SUM(points), 0) FROM loyalty_transactions
		WHERE order_id = $1 AND kind IN ('accrual', 'reversal')`, orderID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("points earned by order %d: %w", orderID, err)
	}
	return n, nil
}
