package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrTargetNotEmpty is returned by CopyTo when the PostgreSQL database
// already holds shop data: the copy never merges two shops.
var ErrTargetNotEmpty = errors.New("the target database already holds shop data")

// CopyProgress is what CopyTo reports as it goes: a table copied or
// verified, or part of one.
type CopyProgress struct {
	Phase   string // "copy" or "verify"
	Table   string
	Rows    int64
	Elapsed time.Duration
	Done    bool // the table is finished; otherwise a report on the way
}

// CopyOptions tune CopyTo.
type CopyOptions struct {
	// Progress is told of each table (and of every progressEvery rows of a
	// big one); nil for silence.
	Progress func(CopyProgress)
	// Prepare runs once the target is known empty and migrated, before the
	// copy's transaction: the job queue migrates its own tables there.
	Prepare func(ctx context.Context) error
	// Within runs inside the target's transaction after the rows are
	// copied: the job queue re-inserts its pending jobs, so they commit
	// with the rows or not at all.
	Within func(ctx context.Context, tx *Tx) error
}

// TableCopy is the result of one table's copy.
type TableCopy struct {
	Name string
	Rows int64
	// Checksum is the order-independent checksum of the table's canonical
	// values, the same on both sides.
	Checksum string
	Copy     time.Duration
	Verify   time.Duration
}

// CopyReport is the result of CopyTo.
type CopyReport struct {
	Version int64 // the schema version both databases are at
	Tables  []TableCopy
	Rows    int64
	Copy    time.Duration // reading, converting and writing the rows
	Verify  time.Duration // reading the target back and comparing
	Total   time.Duration
}

// progressEvery is how many rows of a table pass between two reports.
const progressEvery = 250_000

// CopyTo copies every shopcare table of src (SQLite) into dst (PostgreSQL)
// and verifies it: both are migrated to this binary's schema version (dst
// must hold no shop data yet); the tables are copied in foreign-key order,
// each value converted to its PostgreSQL column's type (SQLite's time text
// and epoch numbers to timestamptz, 0/1 to boolean, JSON text to json,
// blobs to bytea, NULL kept); the identity columns' sequences are set past
// the largest id; and each table's row count and checksum over canonical
// values are computed from SQLite's rows and from PostgreSQL's stored rows
// and compared. Rows, sequences, what Within adds and the verification
// happen in one PostgreSQL transaction: a failed or interrupted copy
// leaves the target as empty as it found it, and running it again is the
// way to resume.
//
// The tables come from the databases' catalogues, not from a list: a
// table added by a later migration is copied without a change here.
// River's tables are left out (their schema differs per driver).
func CopyTo(ctx context.Context, src, dst *DB, opts CopyOptions) (CopyReport, error) {
	started := time.Now()
	progress := opts.Progress
	if progress == nil {
		progress = func(CopyProgress) {}
	}
	if src.engine != SQLite || dst.engine != Postgres {
		return CopyReport{}, fmt.Errorf("copy from %s to %s: only SQLite to PostgreSQL is supported", src.engine, dst.engine)
	}
	if err := src.Migrate(ctx); err != nil {
		return CopyReport{}, fmt.Errorf("source: %w", err)
	}
	seeded, err := seededTables()
	if err != nil {
		return CopyReport{}, err
	}
	if err := checkEmpty(ctx, dst, seeded); err != nil {
		return CopyReport{}, err
	}
	if err := dst.Migrate(ctx); err != nil {
		return CopyReport{}, fmt.Errorf("target: %w", err)
	}
	srcVersion, err := src.SchemaVersion(ctx)
	if err != nil {
		return CopyReport{}, fmt.Errorf("source: %w", err)
	}
	dstVersion, err := dst.SchemaVersion(ctx)
	if err != nil {
		return CopyReport{}, fmt.Errorf("target: %w", err)
	}
	if srcVersion != dstVersion {
		return CopyReport{}, fmt.Errorf("the source schema is at version %d, the target at %d: both must be at the same version", srcVersion, dstVersion)
	}
	if opts.Prepare != nil {
		if err := opts.Prepare(ctx); err != nil {
			return CopyReport{}, err
		}
	}
	srcSchema, err := src.Schema(ctx)
	if err != nil {
		return CopyReport{}, fmt.Errorf("source: %w", err)
	}
	dstSchema, err := dst.Schema(ctx)
	if err != nil {
		return CopyReport{}, fmt.Errorf("target: %w", err)
	}
	plans, err := copyPlans(srcSchema, dstSchema)
	if err != nil {
		return CopyReport{}, err
	}

	rep := CopyReport{Version: dstVersion}
	pgTx, err := dst.pool.Begin(ctx)
	if err != nil {
		return CopyReport{}, fmt.Errorf("target: begin: %w", err)
	}
	defer func() { _ = pgTx.Rollback(context.WithoutCancel(ctx)) }()

	// The rows a migration put in (the ledger's own accounts) come over
	// from the source like every other row.
	for i := len(plans) - 1; i >= 0; i-- {
		if seeded[plans[i].table] {
			if _, err := pgTx.Exec(ctx, "DELETE FROM "+pgIdent(plans[i].table)); err != nil {
				return CopyReport{}, fmt.Errorf("target: clear %s: %w", plans[i].table, err)
			}
		}
	}
	sums := make([]checksum, len(plans))
	copyStart := time.Now()
	for i, p := range plans {
		t0 := time.Now()
		n, sum, err := copyTable(ctx, src, pgTx, p, func(rows int64) {
			progress(CopyProgress{Phase: "copy", Table: p.table, Rows: rows, Elapsed: time.Since(t0)})
		})
		if err != nil {
			return CopyReport{}, err
		}
		sums[i] = sum
		rep.Tables = append(rep.Tables, TableCopy{Name: p.table, Rows: n, Checksum: sum.String(), Copy: time.Since(t0)})
		rep.Rows += n
		progress(CopyProgress{Phase: "copy", Table: p.table, Rows: n, Elapsed: time.Since(t0), Done: true})
	}
	if opts.Within != nil {
		if err := opts.Within(ctx, &Tx{Querier: pgxQuerier{db: pgTx, types: &pgTypes{}}, raw: pgTx}); err != nil {
			return CopyReport{}, err
		}
	}
	if err := setSequences(ctx, pgTx, plans); err != nil {
		return CopyReport{}, err
	}
	rep.Copy = time.Since(copyStart)

	verifyStart := time.Now()
	var failed []string
	for i, p := range plans {
		t0 := time.Now()
		n, sum, err := verifyTable(ctx, pgTx, p)
		if err != nil {
			return CopyReport{}, err
		}
		rep.Tables[i].Verify = time.Since(t0)
		switch {
		case n != rep.Tables[i].Rows:
			failed = append(failed, fmt.Sprintf("%s: %d rows in SQLite, %d in PostgreSQL", p.table, rep.Tables[i].Rows, n))
		case sum != sums[i]:
			failed = append(failed, fmt.Sprintf("%s: the checksums differ (SQLite %s, PostgreSQL %s)", p.table, sums[i], sum))
		}
		progress(CopyProgress{Phase: "verify", Table: p.table, Rows: n, Elapsed: time.Since(t0), Done: true})
	}
	if len(failed) > 0 {
		return CopyReport{}, fmt.Errorf("verification failed, nothing was committed:\n  %s", strings.Join(failed, "\n  "))
	}
	rep.Verify = time.Since(verifyStart)
	if err := pgTx.Commit(ctx); err != nil {
		return CopyReport{}, fmt.Errorf("target: commit: %w", err)
	}
	rep.Total = time.Since(started)
	return rep, nil
}

// SchemaVersion returns the version of the last migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	provider, closeFn, err := db.goose()
	if err != nil {
		return 0, err
	}
	defer closeFn()
	v, err := provider.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// seededInsert finds the tables a migration puts rows into.
var seededInsert = regexp.MustCompile(`(?i)\bINSERT\s+INTO\s+"?(\w+)`)

// seededTables are the tables a fresh migration already fills: rows
// there are not shop data, and the copy replaces them.
func seededTables() (map[string]bool, error) {
	out := map[string]bool{}
	err := fs.WalkDir(migrations, "migrations/postgres", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := migrations.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range seededInsert.FindAllStringSubmatch(string(data), -1) {
			out[strings.ToLower(m[1])] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	return out, nil
}

// checkEmpty refuses a target with a row in any of shopcare's tables but
// those a migration fills.
func checkEmpty(ctx context.Context, dst *DB, seeded map[string]bool) error {
	s, err := dst.Schema(ctx)
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	var full []string
	for _, t := range s.Tables {
		if seeded[t.Name] {
			continue
		}
		var has bool
		if err := dst.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+pgIdent(t.Name)+")").Scan(&has); err != nil {
			return fmt.Errorf("target: look into %s: %w", t.Name, err)
		}
		if has {
			full = append(full, t.Name)
		}
	}
	if len(full) > 0 {
		if len(full) > 5 {
			full = append(full[:5], "…")
		}
		return fmt.Errorf("%w (rows in %s): copy into a new, empty database", ErrTargetNotEmpty, strings.Join(full, ", "))
	}
	return nil
}

// copyPlan is how one table is copied: its columns in the target's order
// with the target's types.
type copyPlan struct {
	table string
	cols  []Column // the target's
	pk    []string
}

// copyPlans orders the target's tables so that each comes after the
// tables it references, and checks that the source has every column.
func copyPlans(src, dst Schema) ([]copyPlan, error) {
	srcTables := map[string]Table{}
	for _, t := range src.Tables {
		srcTables[t.Name] = t
	}
	byName := map[string]Table{}
	for _, t := range dst.Tables {
		byName[t.Name] = t
	}
	for _, t := range src.Tables {
		if _, ok := byName[t.Name]; !ok {
			return nil, fmt.Errorf("table %s is in SQLite but not in PostgreSQL", t.Name)
		}
	}
	var plans []copyPlan
	done := map[string]bool{}
	visiting := map[string]bool{}
	var visit func(name string) error
	visit = func(name string) error {
		if done[name] {
			return nil
		}
		if visiting[name] {
			return fmt.Errorf("tables reference each other in a cycle through %s: no copy order exists", name)
		}
		visiting[name] = true
		t := byName[name]
		refs := []string{}
		for _, fk := range t.ForeignKeys {
			if fk.RefTable != name {
				refs = append(refs, fk.RefTable)
			}
		}
		slices.Sort(refs)
		for _, r := range refs {
			if _, ok := byName[r]; !ok {
				continue
			}
			if err := visit(r); err != nil {
				return err
			}
		}
		visiting[name] = false
		done[name] = true
		st, ok := srcTables[name]
		if !ok {
			return fmt.Errorf("table %s is in PostgreSQL but not in SQLite", name)
		}
		for _, c := range t.Columns {
			if !slices.ContainsFunc(st.Columns, func(s Column) bool { return s.Name == c.Name }) {
				return fmt.Errorf("column %s.%s is in PostgreSQL but not in SQLite", name, c.Name)
			}
		}
		plans = append(plans, copyPlan{table: name, cols: t.Columns, pk: t.PrimaryKey})
		return nil
	}
	for _, t := range dst.Tables {
		if err := visit(t.Name); err != nil {
			return nil, err
		}
	}
	return plans, nil
}

func pgIdent(name string) string { return pgx.Identifier{name}.Sanitize() }

func sqliteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// copyTable streams one table from SQLite into PostgreSQL's COPY,
// converting each value, and sums the rows' checksum on the way.
func copyTable(ctx context.Context, src *DB, tx pgx.Tx, p copyPlan, report func(int64)) (int64, checksum, error) {
	names := make([]string, len(p.cols))
	quoted := make([]string, len(p.cols))
	for i, c := range p.cols {
		names[i] = c.Name
		quoted[i] = sqliteIdent(c.Name)
	}
	rows, err := src.read.QueryContext(ctx, "SELECT "+strings.Join(quoted, ", ")+" FROM "+sqliteIdent(p.table))
	if err != nil {
		return 0, checksum{}, fmt.Errorf("read %s from SQLite: %w", p.table, err)
	}
	defer func() { _ = rows.Close() }()
	source := &copySource{rows: rows, plan: p, raw: make([]any, len(p.cols)), ptrs: make([]any, len(p.cols)), vals: make([]any, len(p.cols)), report: report}
	for i := range source.raw {
		source.ptrs[i] = &source.raw[i]
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{p.table}, names, source)
	if source.err != nil {
		return 0, checksum{}, source.err
	}
	if err != nil {
		return 0, checksum{}, fmt.Errorf("copy %s into PostgreSQL: %w", p.table, err)
	}
	if err := rows.Err(); err != nil {
		return 0, checksum{}, fmt.Errorf("read %s from SQLite: %w", p.table, err)
	}
	if n != source.n {
		return 0, checksum{}, fmt.Errorf("copy %s: read %d rows from SQLite, PostgreSQL took %d", p.table, source.n, n)
	}
	return n, source.sum, nil
}

// copySource feeds pgx's COPY from SQLite's rows.
type copySource struct {
	rows interface {
		Next() bool
		Scan(...any) error
	}
	plan   copyPlan
	raw    []any
	ptrs   []any
	vals   []any
	sum    checksum
	n      int64
	err    error
	report func(int64)
	canon  []byte
}

func (s *copySource) Next() bool {
	if s.err != nil || !s.rows.Next() {
		return false
	}
	if err := s.rows.Scan(s.ptrs...); err != nil {
		s.err = fmt.Errorf("read %s from SQLite: %w", s.plan.table, err)
		return false
	}
	s.canon = s.canon[:0]
	for i, c := range s.plan.cols {
		v, err := toPostgres(s.raw[i], c.RawType)
		if err != nil {
			s.err = fmt.Errorf("table %s, row %d, column %s: %w", s.plan.table, s.n+1, c.Name, err)
			return false
		}
		s.vals[i] = v
		if s.canon, err = appendCanonical(s.canon, v, c.RawType); err != nil {
			s.err = fmt.Errorf("table %s, row %d, column %s: %w", s.plan.table, s.n+1, c.Name, err)
			return false
		}
	}
	s.sum.add(s.canon)
	s.n++
	if s.n%progressEvery == 0 {
		s.report(s.n)
	}
	return true
}

func (s *copySource) Values() ([]any, error) { return s.vals, nil }

func (s *copySource) Err() error { return s.err }

// verifyTable reads a table back from PostgreSQL (inside the copy's
// transaction) and sums its checksum.
func verifyTable(ctx context.Context, tx pgx.Tx, p copyPlan) (int64, checksum, error) {
	exprs := make([]string, len(p.cols))
	for i, c := range p.cols {
		exprs[i] = pgIdent(c.Name)
		switch c.Type {
		case TypeJSON:
			exprs[i] += "::text"
		case TypeReal:
			if strings.EqualFold(c.RawType, "numeric") {
				exprs[i] += "::float8"
			}
		}
	}
	rows, err := tx.Query(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+pgIdent(p.table))
	if err != nil {
		return 0, checksum{}, fmt.Errorf("verify %s: %w", p.table, err)
	}
	defer rows.Close()
	var sum checksum
	var n int64
	var canon []byte
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return 0, checksum{}, fmt.Errorf("verify %s: %w", p.table, err)
		}
		canon = canon[:0]
		for i, c := range p.cols {
			if canon, err = appendCanonical(canon, vals[i], c.RawType); err != nil {
				return 0, checksum{}, fmt.Errorf("verify %s, column %s: %w", p.table, c.Name, err)
			}
		}
		sum.add(canon)
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, checksum{}, fmt.Errorf("verify %s: %w", p.table, err)
	}
	return n, sum, nil
}

// setSequences moves each identity or serial column's sequence past the
// largest value copied, so the next row gets a fresh id.
func setSequences(ctx context.Context, tx pgx.Tx, plans []copyPlan) error {
	for _, p := range plans {
		for _, c := range p.cols {
			if c.Type != TypeInteger {
				continue
			}
			var seq *string
			if err := tx.QueryRow(ctx, "SELECT pg_get_serial_sequence($1, $2)", pgIdent(p.table), c.Name).Scan(&seq); err != nil {
				return fmt.Errorf("sequence of %s.%s: %w", p.table, c.Name, err)
			}
			if seq == nil {
				continue
			}
			q := "SELECT setval($1, COALESCE((SELECT max(" + pgIdent(c.Name) + ") FROM " + pgIdent(p.table) + "), 0) + 1, false)"
			if _, err := tx.Exec(ctx, q, *seq); err != nil {
				return fmt.Errorf("set the sequence of %s.%s: %w", p.table, c.Name, err)
			}
		}
	}
	return nil
}

// checksum is an order-independent checksum of a table: the sum, modulo
// 2^256, of each row's SHA-256. The rows need no ORDER BY, so the two
// engines' text collations cannot disagree on it.
type checksum [4]uint64

func (c *checksum) add(row []byte) {
	h := sha256.Sum256(row)
	var carry uint64
	for i := range 4 {
		c[i], carry = bits.Add64(c[i], binary.BigEndian.Uint64(h[24-8*i:32-8*i]), carry)
	}
}

// String is the checksum in hex, most significant word first.
func (c checksum) String() string {
	var b [32]byte
	for i := range 4 {
		binary.BigEndian.PutUint64(b[24-8*i:], c[i])
	}
	return hex.EncodeToString(b[:])
}
