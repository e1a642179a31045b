package cli_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/bench"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// testLog writes the soak's progress to the test's log.
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestSoakShort is the fault suite (`make soak`) for a bounded time on
// each engine: a mixed load through the API and a WooCommerce connector
// while serve is killed, its PostgreSQL connections are cut, the SMTP
// server is stopped and, as root on SQLite, the data directory's tmpfs is
// filled. It fails on any acknowledged effect lost, any message lost or
// sent twice without a fault between the copies, serve not coming back
// after a fault, or SQLite's integrity check.
func TestSoakShort(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the fault suite runs for about a minute per engine; not with -short")
	}
	ci := os.Getenv("CI") == "true"
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			// A run killed half-way leaves no mount behind (the run
			// unmounts too; this is for a test that times out).
			t.Cleanup(func() {
				if err := bench.UnmountUnder(dir); err != nil {
					t.Errorf("unmount the soak's tmpfs: %v", err)
				}
			})
			env := &bench.Env{LogLevel: "warn", Stdout: &bytes.Buffer{}, Stderr: testLog{t}}
			if engine == store.Postgres {
				env.DatabaseURL = os.Getenv("SHOPCARE_TEST_DATABASE_URL")
			}
			soak := &bench.Soak{Duration: 30 * time.Second, Seed: 26, Concurrency: 4, FaultEvery: 4 * time.Second,
				Outage: 3 * time.Second, DiskMiB: 64, Drain: 2 * time.Minute, Exe: binary, Dir: dir}
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
			defer cancel()
			fig, err := soak.Measure(ctx, env)
			if fig != nil {
				t.Log(env.Stdout.(*bytes.Buffer).String())
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range fig.Problems() {
				t.Error(p)
			}
			if fig.Kills == 0 || fig.SMTPOutages == 0 {
				t.Errorf("%d kills and %d SMTP outages: the suite must have each fault", fig.Kills, fig.SMTPOutages)
			}
			if engine == store.Postgres && fig.PGCuts == 0 {
				t.Error("no PostgreSQL cut")
			}
			if engine == store.SQLite && fig.DiskFull == 0 {
				if ci || fig.DiskFullSkipped == "" {
					t.Errorf("no disk-full episode (%s); CI runs as root and must have one", fig.DiskFullSkipped)
				} else {
					t.Logf("the disk-full fault did not run: %s", fig.DiskFullSkipped)
				}
			}
		})
	}
}
