package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "shopcare-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "shopcare")
	build := exec.Command("go", "build", "-o", binary, "github.com/shopcare/shopcare/cmd/shopcare")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build shopcare:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// shopEnv is the environment of shopcare processes on one test store.
func shopEnv(opts store.Options) []string {
	env := append(os.Environ(), "SHOPCARE_DATA="+opts.DataDir, "SHOPCARE_DATABASE_URL="+opts.URL, "SHOPCARE_LOG_LEVEL=warn")
	return env
}

func runShopcare(t *testing.T, env []string, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("shopcare %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe starts `shopcare serve` and returns once /healthz answers.
func startServe(t *testing.T, env []string, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(env, "SHOPCARE_ADDR="+addr)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("serve did not become healthy: %v\n%s", err, logs.String())
		}
		pollPause()
	}
}

// pollPause spaces the readiness polls of another process, which can only
// be observed from outside.
func pollPause() { <-time.After(5 * time.Millisecond) }

// verify opens the store, handles what the journal still holds, and checks
// that every acknowledged order is there once, with one order.created event,
// and that every event was handled once: the customers' totals, which the
// journal adds to, equal the sums over their orders.
func verify(t *testing.T, opts store.Options, acked []string) {
	t.Helper()
	ctx := context.Background()
	settings, _ := config.Parse(nil)
	db, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Wire(ctx, db, app.Options{Settings: settings, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Stop(ctx)
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	q := db.Read()
	for _, ext := range acked {
		var n int64
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE external_id = $1`, ext).Scan(&n); err != nil || n != 1 {
			t.Fatalf("acknowledged order %s: %d rows, %v", ext, n, err)
		}
	}
	var orders, created, pending int64
	_ = q.QueryRow(ctx, `SELECT COUNT(*) FROM orders`).Scan(&orders)
	_ = q.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE kind = 'order.created'`).Scan(&created)
	pending, _ = journal.Pending(ctx, q)
	if created != orders || pending != 0 {
		t.Fatalf("%d orders, %d order.created events, %d unhandled", orders, created, pending)
	}
	var orphans int64
	_ = q.QueryRow(ctx, `SELECT COUNT(*) FROM orders o WHERE (SELECT COUNT(*) FROM events e WHERE e.order_id = o.id AND e.kind = 'order.created') <> 1`).Scan(&orphans)
	if orphans != 0 {
		t.Fatalf("%d orders without exactly one order.created event", orphans)
	}
	var wrong int64
	err = q.QueryRow(ctx, `SELECT COUNT(*) FROM customers c WHERE c.orders_count <> (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id)
		OR c.spent_minor <> (SELECT COALESCE(SUM(total_minor), 0) FROM orders o WHERE o.customer_id = c.id AND o.status NOT IN ('cancelled', 'returned'))`).Scan(&wrong)
	if err != nil || wrong != 0 {
		t.Fatalf("%d customers whose totals disagree with their orders (an event handled twice or never): %v", wrong, err)
	}
	if int64(len(acked)) > orders {
		t.Fatalf("%d acknowledged but %d stored", len(acked), orders)
	}
	t.Logf("%d acknowledged, %d stored, all events handled once", len(acked), orders)
}

func TestKillDuringAPILoad(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, opts := storetest.OpenTest(t, engine)
			db.Close()
			env := shopEnv(opts)
			token := lastLine(runShopcare(t, env, "", "token", "add", "crash-test"))
			addr := freeAddr(t)
			srv := startServe(t, env, addr)

			var mu sync.Mutex
			var acked []string
			enough := make(chan struct{})
			var once sync.Once
			var wg sync.WaitGroup
			client := &http.Client{Timeout: 10 * time.Second}
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 5000; i++ {
						ext := fmt.Sprintf("w%d-%d", w, i)
						body := fmt.Sprintf(`{"external_id":%q,"customer":{"external_id":"c-%d","email":"c%d@example.com"},"total":"%d.50"}`, ext, i%50, i%50, 100+i)
						req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/orders", strings.NewReader(body))
						req.Header.Set("Authorization", "Bearer "+token)
						resp, err := client.Do(req)
						if err != nil {
							return // the server is gone
						}
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode == 201 {
							mu.Lock()
							acked = append(acked, ext)
							if len(acked) >= 400 {
								once.Do(func() { close(enough) })
							}
							mu.Unlock()
						}
					}
				}()
			}
			select {
			case <-enough:
			case <-time.After(60 * time.Second):
				t.Fatal("the load did not reach 400 orders")
			}
			if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = srv.Wait()
			wg.Wait()

			srv = startServe(t, env, addr)
			_ = srv.Process.Signal(syscall.SIGTERM)
			if err := srv.Wait(); err != nil {
				t.Fatalf("graceful stop after restart: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			verify(t, opts, acked)
		})
	}
}

func writeOrdersCSV(t *testing.T, path string, rows int) []string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "order_id,customer_id,email,phone,name,language,country,city,created_at,status,total,currency,channel,delivered_at,promised_to")
	ids := make([]string, rows)
	for i := range rows {
		ids[i] = fmt.Sprintf("H-%06d", i)
		c := i % 3000
		fmt.Fprintf(w, "%s,c-%d,c%d@example.com,,Клиент %d,ru,RU,Москва,2024-01-%02dT10:00:00+03:00,delivered,%d.00,RUB,web,2024-01-%02dT12:00:00+03:00,2024-01-%02d\n",
			ids[i], c, c, c, 1+i%25, 500+i%1000, 3+i%25, 3+i%25)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return ids
}

func TestKillDuringImport(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, opts := storetest.OpenTest(t, engine)
			env := shopEnv(opts)
			csvPath := filepath.Join(t.TempDir(), "orders.csv")
			ids := writeOrdersCSV(t, csvPath, 60000)

			cmd := exec.Command(binary, "import", "orders", csvPath)
			cmd.Env = env
			var logs bytes.Buffer
			cmd.Stdout, cmd.Stderr = &logs, &logs
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Kill it once it has committed some chunks, but not all.
			ctx := context.Background()
			deadline := time.Now().Add(60 * time.Second)
			for {
				var n int64
				_ = db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM orders`).Scan(&n)
				if n > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the import committed nothing in 60s:\n%s", logs.String())
				}
				pollPause()
			}
			_ = cmd.Process.Signal(syscall.SIGKILL)
			_ = cmd.Wait()
			var partial int64
			_ = db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM orders`).Scan(&partial)
			db.Close()

			out := runShopcare(t, env, "", "import", "orders", csvPath)
			if !strings.Contains(out, "0 rejected") {
				t.Fatalf("re-run: %s", out)
			}
			t.Logf("killed after %d of %d orders; re-run: %s", partial, len(ids), strings.TrimSpace(out))
			verify(t, opts, ids)
			var history int64
			db2, err := store.Open(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer db2.Close()
			_ = db2.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE history = false`).Scan(&history)
			if history != 0 {
				t.Fatalf("%d imported events are not marked history", history)
			}
		})
	}
}
