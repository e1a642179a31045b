package backup

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// ManualError says that shopcare cannot do the step itself here and what
// the operator should run instead.
type ManualError struct {
	// Reason says why.
	Reason string
	// Lines are the commands to run, in order.
	Lines []string
}

func (e *ManualError) Error() string {
	return e.Reason + ":\n  " + strings.Join(e.Lines, "\n  ")
}

// pgConn splits a PostgreSQL URL into the URL without its password, for
// a command line, and the password, for the PGPASSWORD of the command's
// environment (never on a command line, where ps shows it). A
// search_path parameter (pgx takes it, libpq's tools do not) becomes the
// schema to dump.
func pgConn(raw string) (conn, password, schema string) {
	u, err := url.Parse(raw)
	if err != nil {
		return raw, "", ""
	}
	if u.User != nil {
		password, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if sp := q.Get("search_path"); sp != "" {
		schema = sp
		q.Del("search_path")
		u.RawQuery = q.Encode()
	}
	return u.String(), password, schema
}

// schemaFlag is pg_dump's --schema for a URL's search_path, if any.
func schemaFlag(schema string) []string {
	if schema == "" {
		return nil
	}
	return []string{"--schema=" + schema}
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// PgDumpLine is the pg_dump command that backs up the database at rawURL
// into file, as the operator would type it (the password left out: give
// it in PGPASSWORD or ~/.pgpass).
func PgDumpLine(rawURL, file string) string {
	u, _, schema := pgConn(rawURL)
	line := "pg_dump --format=custom --no-owner --file=" + shellQuote(file)
	for _, f := range schemaFlag(schema) {
		line += " " + shellQuote(f)
	}
	return line + " --dbname=" + shellQuote(u)
}

// PgRestoreLines are the commands that restore the pg_dump archive file
// into the empty database at rawURL.
func PgRestoreLines(file, rawURL string) []string {
	u, _, _ := pgConn(rawURL)
	if rawURL == "" {
		u = "postgres://USER@HOST:5432/DBNAME"
	}
	return []string{
		"tar -xzf " + shellQuote(file) + " " + PostgresEntry,
		"pg_restore --no-owner --exit-on-error --dbname=" + shellQuote(u) + " " + PostgresEntry,
	}
}

// pgSnapshot runs pg_dump beside dest and describes its dump; without
// pg_dump on PATH it returns a *ManualError with the line to run.
func pgSnapshot(ctx context.Context, db *store.DB, rawURL, dest string, at time.Time) (Manifest, string, error) {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		file := strings.TrimSuffix(dest, ArchiveSuffix) + ".dump"
		return Manifest{}, "", &ManualError{Reason: "pg_dump is not installed here (the postgresql-client package has it); back up PostgreSQL with",
			Lines: []string{PgDumpLine(rawURL, file)}}
	}
	m := Manifest{Format: FormatVersion, Version: shopcareVersion(), Engine: string(store.Postgres), CreatedAt: at.UTC(), Database: PostgresEntry}
	if m.Schema, err = db.SchemaVersion(ctx); err != nil {
		return m, "", err
	}
	// The counts are read before the dump, in a transaction of their own:
	// they are what the dump holds at least, not exactly (PostgreSQL
	// writers go on); pg_dump's own snapshot is consistent.
	if m.Tables, err = pgCounts(ctx, db); err != nil {
		return m, "", err
	}
	snap := tempName(dest)
	conn, pw, schema := pgConn(rawURL)
	args := append([]string{"--format=custom", "--no-owner", "--file=" + snap}, schemaFlag(schema)...)
	cmd := exec.CommandContext(ctx, bin, append(args, "--dbname="+conn)...) //nolint:gosec // pg_dump with the shop's own URL
	cmd.Env = append(os.Environ(), "PGPASSWORD="+pw)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return m, snap, fmt.Errorf("pg_dump: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	if m.SHA256, m.Size, err = fileSHA256(snap); err != nil {
		return m, snap, err
	}
	return m, snap, nil
}

// pgCounts counts the rows of every table in the database's schema.
func pgCounts(ctx context.Context, db *store.DB) (map[string]int64, error) {
	var names []string
	err := store.Each(ctx, db.Read(), `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`, nil, func(r store.Rows) error {
		var n string
		if err := r.Scan(&n); err != nil {
			return err
		}
		names = append(names, n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	counts := make(map[string]int64, len(names))
	for _, n := range names {
		var c int64
		if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM `+quoteIdent(n)).Scan(&c); err != nil {
			return nil, fmt.Errorf("count %s: %w", n, err)
		}
		counts[n] = c
	}
	return counts, nil
}
