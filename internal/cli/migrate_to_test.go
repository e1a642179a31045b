package cli_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// freshDatabase creates an empty PostgreSQL database for one test (a
// move's target, a cluster's database), dropped at its end, and returns
// its URL.
func freshDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv("SHOPCARE_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but SHOPCARE_TEST_DATABASE_URL is not set")
		}
		t.Skip("this test needs a PostgreSQL server: set SHOPCARE_TEST_DATABASE_URL")
	}
	ctx := context.Background()
	admin, err := store.Open(ctx, store.Options{URL: base, MaxConns: 2})
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	name := "shopcare_test_" + hex.EncodeToString(buf)
	if _, err := admin.PgxPool().Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.PgxPool().Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// moveShop is a small shop on SQLite with its mail server and clock.
type moveShop struct {
	dir      string
	smtp     *smtptest.Server
	settings []string
	now      time.Time
}

func (s moveShop) wire(t *testing.T, db *store.DB, work bool) (*app.App, *clock.Fake) {
	t.Helper()
	settings, err := config.Parse([]byte(strings.Join(s.settings, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(s.now)
	a, err := app.Wire(context.Background(), db, app.Options{Settings: settings, Clock: clk, Log: slog.New(slog.DiscardHandler), Work: work})
	if err != nil {
		t.Fatal(err)
	}
	return a, clk
}

func placeOrder(t *testing.T, a *app.App, ext, email string) int64 {
	t.Helper()
	n := order.NewOrder{ExternalID: ext, Carrier: "post",
		Customer: customer.Input{ExternalID: "c-" + ext, Name: "Анна " + ext, Email: email, Language: "ru"},
		Items:    []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 499000}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return res.ID
}

func ackOf(t *testing.T, a *app.App, orderID int64) message.Message {
	t.Helper()
	ms, err := message.ListByOrder(context.Background(), a.DB.Read(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Rule == "order_ack" {
			return m
		}
	}
	t.Fatalf("order %d has no confirmation: %+v", orderID, ms)
	return message.Message{}
}

func migrateTo(env []string, args ...string) (string, error) {
	cmd := exec.Command(binary, append([]string{"migrate-to"}, args...)...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestMigrateToMovesTheShop: a shop on SQLite with a message sent, one
// waiting in the queue and an order whose events the journal has not
// handled yet moves to PostgreSQL; the copy is verified; on PostgreSQL
// the same orders are there, the waiting message and the unhandled
// order's confirmation are sent once each and the sent one not again, and
// a new order gets a fresh id. A second move into the now full database,
// a move while serve holds the data directory and a move without a SQLite
// database are refused with a clear reason.
func TestMigrateToMovesTheShop(t *testing.T) {
	t.Parallel()
	target := freshDatabase(t)
	ctx := context.Background()
	srv := smtptest.Start(t)
	shop := moveShop{dir: t.TempDir(), smtp: srv, now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), settings: []string{
		"shop:", "  public_url: https://care.example.com",
		"channels:", "  email:", "    smtp_url: " + srv.URL(), `    from: "Shop <shop@example.com>"`,
	}}

	// The shop on SQLite: A's confirmation sent, B's waiting in the queue,
	// C's events not yet handled by the journal.
	db, err := store.Open(ctx, store.Options{DataDir: shop.dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a, _ := shop.wire(t, db, false)
	idA := placeOrder(t, a, "A-1", "a@example.com")
	idB := placeOrder(t, a, "B-1", "b@example.com")
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	ackA := ackOf(t, a, idA)
	if err := a.Messages.Work(ctx, &river.Job[message.SendArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: message.MaxAttempts},
		Args: message.SendArgs{MessageID: ackA.ID}}); err != nil {
		t.Fatal(err)
	}
	if srv.Count() != 1 {
		t.Fatalf("%d mails before the move, want A's confirmation", srv.Count())
	}
	idC := placeOrder(t, a, "C-1", "c@example.com")
	ackB := ackOf(t, a, idB)
	before := map[int64]*order.Order{}
	for _, id := range []int64{idA, idB, idC} {
		o, err := order.Get(ctx, a.DB.Read(), id)
		if err != nil {
			t.Fatal(err)
		}
		before[id] = o
	}
	if err := a.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()

	env := shopEnv(store.Options{DataDir: shop.dir})

	// While serve holds the data directory, nothing is copied.
	release, err := store.LockDir(shop.dir)
	if err != nil {
		t.Fatal(err)
	}
	out, err := migrateTo(env, target)
	release()
	if err == nil || !strings.Contains(out, "stop serve") || !strings.Contains(out, shop.dir) {
		t.Fatalf("migrate-to while the directory is locked: %v\n%s\nwant a refusal naming the directory and saying to stop serve", err, out)
	}

	out, err = migrateTo(env, target)
	if err != nil {
		t.Fatalf("migrate-to: %v\n%s", err, out)
	}
	for _, want := range []string{"copied   orders", "Verified", "SHOPCARE_DATABASE_URL='" + target + "' shopcare serve", " pending jobs."} {
		if !strings.Contains(out, want) {
			t.Errorf("migrate-to's output lacks %q:\n%s", want, out)
		}
	}

	// The SQLite shop is marked as moved: serve refuses it, saying how
	// to go back.
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(env, "SHOPCARE_ADDR="+freeAddr(t))
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "moved to PostgreSQL") ||
		!strings.Contains(string(out), store.MovedFile) {
		t.Errorf("serve on the moved SQLite shop: %v\n%s\nwant a refusal naming %s", err, out, store.MovedFile)
	}

	// Into a database that now holds the shop: refused, nothing changed.
	if out, err := migrateTo(env, target); err == nil || !strings.Contains(out, "already holds shop data") {
		t.Errorf("second migrate-to into the same database: %v\n%s\nwant a refusal", err, out)
	}
	// A server that does not answer, and a URL of another database: refused.
	if out, err := migrateTo(env, "postgres://shop:secret@127.0.0.1:1/shop?connect_timeout=5"); err == nil ||
		!strings.Contains(out, "cannot be reached") || strings.Contains(out, "secret") {
		t.Errorf("migrate-to an unreachable server: %v\n%s\nwant a refusal that does not show the password", err, out)
	}
	if out, err := migrateTo(env, "mysql://shop@127.0.0.1/shop"); err == nil || !strings.Contains(out, "give a postgres:// URL") {
		t.Errorf("migrate-to a MySQL URL: %v\n%s\nwant a refusal", err, out)
	}
	// Without a SQLite database: refused.
	if out, err := migrateTo(shopEnv(store.Options{DataDir: t.TempDir()}), target); err == nil || !strings.Contains(out, "no SQLite database") {
		t.Errorf("migrate-to without a SQLite database: %v\n%s\nwant a refusal", err, out)
	}

	// The shop on PostgreSQL.
	pg, err := store.Open(ctx, store.Options{URL: target})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if err := pg.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// Retire, not Stop: the test closes the database itself.
	b, _ := shop.wire(t, pg, true)
	defer b.Retire(context.Background())
	for id, want := range before {
		got, err := order.Get(ctx, b.DB.Read(), id)
		if err != nil {
			t.Fatalf("order %d after the move: %v", id, err)
		}
		if got.ExternalID != want.ExternalID || got.TotalMinor != want.TotalMinor || !got.CreatedAt.Equal(want.CreatedAt) ||
			got.CustomerID != want.CustomerID || got.Status != want.Status {
			t.Errorf("order %d after the move = %+v, want %+v", id, got, want)
		}
	}
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// B's waiting confirmation and C's, which the journal on PostgreSQL
	// handles, are sent: three mails in all.
	srv.Wait(t, 3, 30*time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ackC := ackOf(t, b, idC)
		if ackOf(t, b, idB).Status == message.Sent && ackC.Status == message.Sent && pendingSends(t, pg) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the move: B's confirmation %s, C's %s, %d send jobs left", ackOf(t, b, idB).Status, ackC.Status, pendingSends(t, pg))
		}
		<-time.After(10 * time.Millisecond)
	}
	if err := b.Retire(ctx); err != nil {
		t.Fatal(err)
	}
	ackC := ackOf(t, b, idC)
	seen := map[string]int{}
	for _, m := range srv.Mails() {
		seen[m.Header("Message-ID")]++
	}
	for _, m := range []message.Message{ackA, ackB, ackC} {
		if n := seen[fmt.Sprintf("<m%d@shopcare>", m.ID)]; n != 1 {
			t.Errorf("message %d (%s) sent %d times, want once", m.ID, m.Rule, n)
		}
	}
	if srv.Count() != 3 {
		t.Errorf("%d mails in all, want 3", srv.Count())
	}

	// A new order on PostgreSQL gets an id past the copied ones.
	c, _ := shop.wire(t, pg, false)
	defer c.Retire(context.Background())
	if idD := placeOrder(t, c, "D-1", "d@example.com"); idD <= idC {
		t.Errorf("new order's id %d, want past the copied %d", idD, idC)
	}
}

// pendingSends counts the message sends PostgreSQL's queue has yet to run.
func pendingSends(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	err := db.PgxPool().QueryRow(context.Background(), `SELECT count(*) FROM river_job
		WHERE kind = $1 AND state IN ('available', 'scheduled', 'retryable', 'running')`, message.SendArgs{}.Kind()).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestServeHoldsTheDataDirectory: a second serve on the same SQLite data
// directory is refused while the first runs, naming the directory.
func TestServeHoldsTheDataDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	release, err := store.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(shopEnv(store.Options{DataDir: dir}), "SHOPCARE_ADDR="+freeAddr(t))
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "another shopcare runs on this data directory") || !strings.Contains(string(out), dir) {
		t.Fatalf("serve on a locked data directory: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, store.SQLiteFile)); err == nil {
		t.Errorf("serve refused but opened the database first")
	}
}
