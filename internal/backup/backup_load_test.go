package backup_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/backup"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/store"
)

// TestBackupDuringOrderLoad backs a working shop up while orders come in
// through the API and some are delivered (which credits loyalty points
// through the journal), restores the archive into a fresh directory and
// opens it: every order acknowledged before the backup began is there,
// and the rest is consistent with itself: each order has its one
// order.created event, events, messages and ledger rows point at rows
// that exist, every ledger transaction balances and every member's
// balance is the sum of their entries (the program's own accounts keep
// no balance).
func TestBackupDuringOrderLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	settings, err := config.Parse([]byte("backup:\n  enabled: false\nloyalty:\n  earn_percent: 5\n"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(ctx, app.Options{Store: store.Options{DataDir: dir}, Settings: settings, Log: slog.New(slog.DiscardHandler), Work: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	token, err := auth.TokenAdd(ctx, a.DB, "load", nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(a))
	t.Cleanup(srv.Close)

	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	ready := make(chan struct{})
	var readyOnce sync.Once
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ext := fmt.Sprintf("w%d-%d", w, i)
				body := fmt.Sprintf(`{"external_id":%q,"customer":{"external_id":"c-%d","email":"c%d@example.com","name":"Покупатель %d"},"total":"%d.50"}`,
					ext, i%40, i%40, i%40, 100+i)
				status, id := post(t, srv.URL+"/api/v1/orders", token, body)
				if status != http.StatusCreated {
					continue
				}
				if i%3 == 0 { // delivered: points are earned through the journal
					post(t, fmt.Sprintf("%s/api/v1/orders/%d/status", srv.URL, id), token, `{"status":"delivered"}`)
				}
				mu.Lock()
				acked = append(acked, ext)
				if len(acked) >= 200 {
					readyOnce.Do(func() { close(ready) })
				}
				mu.Unlock()
			}
		}()
	}
	select {
	case <-ready:
	case <-time.After(50 * time.Second):
		close(stop)
		wg.Wait()
		t.Fatalf("only %d orders acknowledged", len(acked))
	}
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	res, err := a.Backups.BackupNow(ctx)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d orders acknowledged before the backup, %d in all; the backup holds %d orders, %d bytes, took %s",
		len(before), len(acked), res.Manifest.Orders(), res.Size, res.Duration)

	into := t.TempDir()
	if _, err := backup.Restore(ctx, res.File, into); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, store.Options{DataDir: into})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := db.Read()
	for _, ext := range before {
		var n int64
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE external_id = $1`, ext).Scan(&n); err != nil || n != 1 {
			t.Fatalf("order %s, acknowledged before the backup: %d rows in the restore, %v", ext, n, err)
		}
	}
	for name, query := range map[string]string{
		"orders without exactly one order.created event": `SELECT COUNT(*) FROM orders o
			WHERE (SELECT COUNT(*) FROM events e WHERE e.order_id = o.id AND e.kind = 'order.created') <> 1`,
		"events of orders that do not exist":      `SELECT COUNT(*) FROM events e WHERE e.order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = e.order_id)`,
		"events of customers that do not exist":   `SELECT COUNT(*) FROM events e WHERE e.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = e.customer_id)`,
		"messages of orders that do not exist":    `SELECT COUNT(*) FROM messages m WHERE m.order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = m.order_id)`,
		"messages of customers that do not exist": `SELECT COUNT(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = m.customer_id)`,
		"orders of customers that do not exist":   `SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id)`,
		"members' loyalty balances that are not the sum of their entries": `SELECT COUNT(*) FROM loyalty_accounts a
			WHERE a.customer_id IS NOT NULL AND a.balance <> (SELECT COALESCE(SUM(e.amount), 0) FROM loyalty_entries e WHERE e.account_id = a.id)`,
		"ledger entries of missing transactions": `SELECT COUNT(*) FROM loyalty_entries e WHERE NOT EXISTS (SELECT 1 FROM loyalty_transactions x WHERE x.id = e.transaction_id)`,
		"ledger transactions whose entries do not balance": `SELECT COUNT(*) FROM loyalty_transactions x
			WHERE (SELECT COALESCE(SUM(e.amount), 0) FROM loyalty_entries e WHERE e.transaction_id = x.id) <> 0`,
	} {
		var n int64
		if err := q.QueryRow(ctx, query).Scan(&n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n != 0 {
			t.Errorf("%d %s", n, name)
		}
	}
	var entries, messages int64
	_ = q.QueryRow(ctx, `SELECT COUNT(*) FROM loyalty_entries`).Scan(&entries)
	_ = q.QueryRow(ctx, `SELECT COUNT(*) FROM messages`).Scan(&messages)
	t.Logf("the restore holds %d ledger entries and %d messages", entries, messages)
}

// post sends a JSON body with the token and returns the status and the
// answer's id, if any.
func post(t *testing.T, url, token, body string) (int, int64) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return 0, 0
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out.ID
}
