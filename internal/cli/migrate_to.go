package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/store"
)

// MigrateToCmd is `shopcare migrate-to URL`: it copies the shop from the
// SQLite database of the data directory into an empty PostgreSQL database.
type MigrateToCmd struct {
	URL string `arg:"" help:"The PostgreSQL database to move to (postgres://user:password@host:5432/db); it must hold no shop data." placeholder:"URL"`
}

// Run copies, verifies and prints the settings line to switch.
func (c *MigrateToCmd) Run(g *Globals) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	out := g.stdout
	target := strings.TrimSpace(c.URL)
	if !strings.HasPrefix(target, "postgres://") && !strings.HasPrefix(target, "postgresql://") {
		return fmt.Errorf("migrate-to %s: give a postgres:// URL, such as postgres://shop:password@127.0.0.1:5432/shop", redactURL(target))
	}
	if strings.TrimSpace(g.DatabaseURL) != "" {
		return errors.New("migrate-to copies the SQLite database of the data directory, but SHOPCARE_DATABASE_URL (--database-url) is set: this shop already runs on PostgreSQL; unset it to move a SQLite shop")
	}
	dir := g.Data
	if _, err := os.Stat(filepath.Join(dir, store.SQLiteFile)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no SQLite database in the data directory %s (%s is missing): set --data or SHOPCARE_DATA to the directory serve uses", dir, store.SQLiteFile)
	} else if err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	release, err := store.LockDir(dir)
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("%w\nstop serve (or demo) first: the shop is copied while nothing writes to it, so no order or message is lost or sent twice", err)
	}
	if err != nil {
		return err
	}
	defer release()

	src, err := store.Open(ctx, store.Options{DataDir: dir})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, store.Options{URL: target, MaxConns: 4})
	if err != nil {
		return fmt.Errorf("the PostgreSQL server cannot be reached or refused the login: %w", err)
	}
	defer dst.Close()
	if err := jobs.Migrate(ctx, src); err != nil {
		return fmt.Errorf("source: %w", err)
	}
	pending, err := jobs.CountPending(ctx, src)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Moving the shop in %s to %s\n", dir, redactURL(target))
	var copied int
	rep, err := store.CopyTo(ctx, src, dst, store.CopyOptions{
		Progress: func(p store.CopyProgress) {
			switch {
			case p.Phase == "copy" && p.Done && p.Rows > 0:
				fmt.Fprintf(out, "  copied   %-28s %10d rows  %6.1f s\n", p.Table, p.Rows, p.Elapsed.Seconds())
			case p.Phase == "copy" && !p.Done:
				fmt.Fprintf(out, "  copying  %-28s %10d rows  %6.1f s…\n", p.Table, p.Rows, p.Elapsed.Seconds())
			}
		},
		Prepare: func(ctx context.Context) error { return jobs.Migrate(ctx, dst) },
		Within: func(ctx context.Context, tx *store.Tx) error {
			n, err := jobs.CopyPending(ctx, src, tx)
			copied = n
			return err
		},
	})
	if err != nil {
		return fmt.Errorf("migrate-to: %w\nthe PostgreSQL database was left without shop data; the SQLite database is unchanged", err)
	}
	if int64(copied) != pending {
		return fmt.Errorf("migrate-to: %d pending jobs in SQLite, %d copied", pending, copied)
	}
	tables := 0
	for _, t := range rep.Tables {
		if t.Rows > 0 {
			tables++
		}
	}
	if err := store.MarkMoved(dir, target, time.Now()); err != nil {
		return fmt.Errorf("migrate-to: the shop is in PostgreSQL, but %w: do not start serve on %s again", err, dir)
	}
	rate := float64(rep.Rows) / max(rep.Copy.Seconds(), 1e-9)
	fmt.Fprintf(out, "Copied %d rows of %d tables (schema version %d) in %s (%.0f rows/s), and %d pending jobs.\n",
		rep.Rows, tables, rep.Version, rep.Copy.Round(100*time.Millisecond), rate, copied)
	fmt.Fprintf(out, "Verified: every table's row count and checksum are the same in SQLite and PostgreSQL (%s).\n",
		rep.Verify.Round(100*time.Millisecond))
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Next steps:")
	fmt.Fprintln(out, "  1. Start serve on PostgreSQL with the same data directory and settings:")
	fmt.Fprintf(out, "       SHOPCARE_DATABASE_URL='%s' shopcare serve\n", redactURL(target))
	if u, err := url.Parse(target); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			fmt.Fprintln(out, "     (put your password in place of xxxxx; keep it in an environment file, not in shell history)")
		}
	}
	fmt.Fprintf(out, "  2. Keep %s as it is: it is the way back until you trust the new database.\n", filepath.Join(dir, store.SQLiteFile))
	fmt.Fprintf(out, "     serve refuses to run on it while %s is there: two databases would send the same messages.\n", filepath.Join(dir, store.MovedFile))
	return nil
}

// redactURL hides the password of a database URL for output.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
