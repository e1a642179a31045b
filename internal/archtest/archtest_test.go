// Package archtest holds tests that guard the shape of the code base rather
// than its behaviour: which package may hold SQL for which table, and which
// packages may reach the database at all.
//
// The rule (docs/architecture.md, "Who owns which table"): each table has one owner package; only the
// owner's non-test code has SQL that names the table, and other packages call
// the owner's functions. The HTTP surfaces (internal/api, internal/web) talk
// to services only: they neither import internal/store nor use the app's DB.
package archtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// owners maps each table to the package (path under internal/) whose code
// alone may hold SQL naming it. Tables named river_* belong to jobs.
var owners = map[string]string{
	"orders":               "order",
	"order_items":          "order",
	"order_notes":          "order",
	"order_status_history": "order",

	"customers":         "customer",
	"customer_channels": "customer",
	"customer_search":   "customer",

	"messages":         "message",
	"message_attempts": "message",

	"parcels":          "parcel",
	"parcel_events":    "parcel",
	"pickup_reminders": "parcel",

	"tasks": "task",

	"users":      "auth",
	"sessions":   "auth",
	"api_tokens": "auth",
	// nodes (issue 26): the login and rate limits every node shares
	"rate_limits": "auth",

	"loyalty_accounts":     "loyalty",
	"loyalty_entries":      "loyalty",
	"loyalty_transactions": "loyalty",
	"coupons":              "loyalty",
	"coupon_redemptions":   "loyalty",

	"acquisitions":    "analytics",
	"alerts":          "analytics",
	"analytics_state": "analytics",
	"buyer_counts":    "analytics",
	"cohort_months":   "analytics",
	"customer_scores": "analytics",
	"delivery_days":   "analytics",
	"marketing_spend": "analytics",
	"sales_days":      "analytics",

	"events": "journal",

	"shop_settings":     "config",
	"settings_versions": "config",

	"promise_changes": "promise",
	"shop_days":       "promise",

	"webhook_deliveries": "webhook",
	"webhook_attempts":   "webhook",

	"connector_deliveries": "connector",
	"connector_orders":     "connector",
	"connector_backfills":  "connector",

	"conversations":            "inbox",
	"conversation_messages":    "inbox",
	"conversation_attachments": "inbox",

	"mailboxes": "inbox/mailin",

	"customer_sessions": "signin",
	"signin_codes":      "signin",
	"signin_keys":       "signin",

	"faq_entries":  "faq",
	"faq_searches": "faq",

	"return_requests":      "returns",
	"return_request_items": "returns",

	"surveys": "survey",

	// review
	"reviews":       "review",
	"review_photos": "review",

	// experience
	"negative_experiences": "experience",

	// audit
	"audit_points":  "audit",
	"audit_items":   "audit",
	"audit_checks":  "audit",
	"audit_results": "audit",

	// actionlog (issue 26)
	"admin_actions": "actionlog",

	// insider
	"insider_projects": "insider",
	"insider_members":  "insider",
	// campaign
	"campaigns":           "campaign",
	"campaign_recipients": "campaign",
	"campaign_clicks":     "campaign",
	"campaign_images":     "campaign",
	"campaign_audiences":  "campaign",
	// backup (issue 26)
	"backups": "backup",
	// stock (issue 27)
	"stock_items":        "stock",
	"stock_incoming":     "stock",
	"stock_reservations": "stock",
	"stock_waitlist":     "stock",
	// traffic (issue 27)
	"traffic_salts":    "traffic",
	"traffic_visitors": "traffic",
	"traffic_days":     "traffic",
	"traffic_hours":    "traffic",
	"traffic_paths":    "traffic",
}

// ownerOf returns the package owning table, or "" when the word is not a
// table shopcare knows.
func ownerOf(table string) string {
	if strings.HasPrefix(table, "river_") {
		return "jobs"
	}
	return owners[table]
}

// crossReads are the foreign tables an owner's statement may read beside
// its own: a join (or EXISTS) that one pass over an index answers and that
// split statements would answer slower or with more rows travelling. Only
// reads, and only in a statement that names a table of the package itself;
// every write, and every statement about foreign tables alone, goes through
// the foreign owner. Keep this list short: each entry is a coupling between
// two packages' schemas.
var crossReads = map[string][]string{
	// Order lists, the packing queue, the playbook's facts and the promise
	// inputs show or use the customer's name, country and time zone.
	"order": {"customers"},
	// The call-back queue walks the open tasks' index and reads each task's
	// order and customer; the call-back figures time the first call from
	// the order's placing.
	"task": {"orders", "customers"},
	// The outbox lists a page of messages with their customer's name and
	// order number.
	"message": {"customers", "orders"},
	// Parcels are matched to their orders' customer and status; the stuck
	// sweep looks at the parcel's order by its key.
	"parcel": {"orders"},
	// The program's figures count the period's orders paid with points.
	"loyalty": {"orders"},
	// The birthday bonus goes to customers with a delivered order. A
	// campaign's audience (issue 25) is one set-based statement over the
	// customers: their CLV segment, RFM and value (customer_scores), their
	// loyalty tier (loyalty_accounts), their club membership
	// (insider_members) and what they bought (orders, order_items), each
	// an index lookup that split statements would answer with a million
	// ids travelling.
	"customer": {"orders", "order_items", "customer_scores", "loyalty_accounts", "insider_members"},
	// A survey's first click makes its row only for a customer (whose
	// language it keeps) and an order of theirs that still exist; the
	// summary reads each answer's order number and carrier, its order's
	// products, its customer's name and CLV segment in one pass over the
	// window's answers.
	"survey": {"customers", "orders", "order_items", "customer_scores"},
	// The worth of care: each customer's purchases and CLV score beside
	// their count of negative experiences, one pass over the customers.
	"experience": {"customers", "customer_scores"},
	// The club's members list and campaign export show each member's
	// name and contacts beside the consent.
	"insider": {"customers"},
	// The admin's stock pages (issue 27) list the orders that wait for
	// or hold a SKU with their number and customer's name, one pass over
	// a page of reservations.
	"stock": {"orders", "customers"},
}

// A finding is one breach of the rules, at a place in a file.
type finding struct {
	Pos  token.Position
	What string
}

func (f finding) String() string { return fmt.Sprintf("%s:%d: %s", f.Pos.Filename, f.Pos.Line, f.What) }

// sqlTable matches the places where SQL names a table. Keywords are matched
// upper case only, as all of shopcare's SQL is written, so that prose such as
// "update orders: %w" in an error message is not taken for SQL. The words
// found are kept only when they are known tables.
var (
	sqlTable   = regexp.MustCompile(`\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|JOIN|TRUNCATE(?:\s+TABLE)?|(?:ALTER|DROP|CREATE)\s+TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?)\s+(?:ONLY\s+)?"?(\w+)`)
	sqlFrom    = regexp.MustCompile(`\bFROM\s+([^;()]*)`)
	sqlFromEnd = regexp.MustCompile(`\b(?:WHERE|JOIN|LEFT|RIGHT|INNER|OUTER|CROSS|FULL|NATURAL|GROUP|ORDER|LIMIT|HAVING|UNION|EXCEPT|INTERSECT|RETURNING|WINDOW|ON|USING|SET|FOR|OFFSET)\b`)
	sqlIndexOn = regexp.MustCompile(`\bCREATE\s+(?:UNIQUE\s+)?INDEX\b[^;]*?\bON\s+"?(\w+)`)
	wordRe     = regexp.MustCompile(`^"?(\w+)`)
)

// A use is one table a statement names, and whether it writes it.
type use struct {
	Table string
	Write bool
}

// tablesIn returns the known tables that the SQL in s names, in order of
// first appearance; a table both read and written counts as written.
func tablesIn(s string) []use {
	var out []use
	add := func(t string, write bool) {
		if ownerOf(t) == "" {
			return
		}
		if i := slices.IndexFunc(out, func(u use) bool { return u.Table == t }); i >= 0 {
			out[i].Write = out[i].Write || write
			return
		}
		out = append(out, use{t, write})
	}
	for _, m := range sqlTable.FindAllStringSubmatch(s, -1) {
		add(m[1], !strings.HasPrefix(m[0], "JOIN"))
	}
	for _, m := range sqlIndexOn.FindAllStringSubmatch(s, -1) {
		add(m[1], true)
	}
	// FROM a x, b AS y: every item of the list up to the next clause.
	for _, m := range sqlFrom.FindAllStringSubmatch(s, -1) {
		list := m[1]
		if loc := sqlFromEnd.FindStringIndex(list); loc != nil {
			list = list[:loc[0]]
		}
		for _, item := range strings.Split(list, ",") {
			if w := wordRe.FindStringSubmatch(strings.TrimSpace(item)); w != nil {
				add(w[1], false)
			}
		}
	}
	return out
}

// breaches returns what is wrong with the tables a statement of package
// pkg names: each table of another owner, unless it is only read beside
// one of pkg's own tables and crossReads allows it.
func breaches(pkg string, uses []use) []string {
	own := slices.ContainsFunc(uses, func(u use) bool { return ownerOf(u.Table) == pkg })
	var out []string
	for _, u := range uses {
		owner := ownerOf(u.Table)
		if owner == pkg || (own && !u.Write && slices.Contains(crossReads[pkg], u.Table)) {
			continue
		}
		out = append(out, fmt.Sprintf("SQL names table %s, owned by package %s; call a function of internal/%s instead", u.Table, owner, owner))
	}
	return out
}

// literals returns the string constants that e is built of, when e is a
// string literal or a sum of them and other expressions: the pieces of one
// statement put together with +.
func literals(e ast.Expr) ([]string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return nil, false
		}
		s, err := strconv.Unquote(e.Value)
		return []string{s}, err == nil
	case *ast.ParenExpr:
		return literals(e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return nil, false
		}
		l, lok := literals(e.X)
		r, rok := literals(e.Y)
		if !lok && !rok {
			return nil, false
		}
		return append(l, r...), true
	}
	return nil, false
}

// isSurface reports whether the package at dir (slash path relative to the
// repository root) is an HTTP surface that must not reach the database.
func isSurface(dir string) bool {
	return dir == "internal/api" || strings.HasPrefix(dir, "internal/api/") ||
		dir == "internal/web" || strings.HasPrefix(dir, "internal/web/")
}

// checkFile returns the breaches in one parsed file. rel is its slash path
// relative to the repository root; it decides the file's package.
func checkFile(fset *token.FileSet, rel string, f *ast.File) []finding {
	dir := filepath.ToSlash(filepath.Dir(rel))
	pkg := strings.TrimPrefix(dir, "internal/")
	var out []finding
	if isSurface(dir) {
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "github.com/shopcare/shopcare/internal/store" {
				out = append(out, finding{fset.Position(imp.Pos()), "HTTP surface imports internal/store; call a service through an interface instead"})
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if isSurface(dir) && n.Sel.Name == "DB" {
				out = append(out, finding{fset.Position(n.Sel.Pos()), "HTTP surface uses .DB; call a service through an interface instead"})
			}
		case *ast.BasicLit, *ast.BinaryExpr:
			parts, ok := literals(n.(ast.Expr))
			if !ok {
				return true
			}
			for _, b := range breaches(pkg, tablesIn(strings.Join(parts, " "))) {
				out = append(out, finding{fset.Position(n.Pos()), b})
			}
			return false // the pieces are checked as one statement
		}
		return true
	})
	return out
}

// repoRoot is the module root, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	return root
}

// scanTree parses every non-test .go file under internal/ and cmd/ and
// returns the breaches found, with file names relative to root.
func scanTree(t *testing.T, root string) []finding {
	t.Helper()
	var out []finding
	fset := token.NewFileSet()
	for _, top := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if name := d.Name(); name == "testdata" || (strings.HasPrefix(name, ".") && path != root) {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			out = append(out, checkFile(fset, rel, f)...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestTableOwnership fails for every SQL statement naming a table outside the
// table's owner package, and for every database access from an HTTP surface.
func TestTableOwnership(t *testing.T) {
	t.Parallel()
	findings := scanTree(t, repoRoot(t))
	var failures []string
	for _, f := range findings {
		failures = append(failures, f.String())
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Error(f)
	}
}

// TestCheckFileFinds feeds the checker snippets that break the rules and
// ones that keep them, so the guard above is known to be able to fail.
func TestCheckFileFinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		src  string
		want []string // substrings, one per expected finding
	}{
		{
			name: "update outside owner",
			file: "internal/callback/x.go",
			src:  "package callback\nconst q = `UPDATE orders SET callback_at = $1 WHERE id = $2`\n",
			want: []string{"internal/callback/x.go:2: SQL names table orders, owned by package order"},
		},
		{
			name: "from list and join",
			file: "internal/packing/x.go",
			src: "package packing\nvar q = \"SELECT 1 FROM orders o, order_items i \" +\n" +
				"\t\"JOIN customers c ON c.id = o.customer_id WHERE x IN (SELECT id FROM tasks)\"\n",
			want: []string{"table orders", "table order_items", "table customers", "table tasks"},
		},
		{
			name: "insert and delete and index",
			file: "cmd/tool/main.go",
			src: "package main\nvar a = \"INSERT INTO loyalty_accounts (id) VALUES (1)\"\n" +
				"var b = \"DELETE FROM river_job\"\nvar c = \"CREATE INDEX x ON users (email)\"\n",
			want: []string{"table loyalty_accounts, owned by package loyalty", "table river_job, owned by package jobs", "table users, owned by package auth"},
		},
		{
			name: "pieces of one statement",
			file: "internal/message/x.go",
			src: "package message\nvar q = `SELECT m.id FROM (SELECT id FROM messages ` + where + `) m\n" +
				"LEFT JOIN customers c ON c.id = m.customer_id LEFT JOIN parcels p ON p.id = 1`\n",
			want: []string{"x.go:2: SQL names table parcels, owned by package parcel"},
		},
		{
			name: "cross read alone",
			file: "internal/message/x.go",
			src:  "package message\nconst q = `SELECT name FROM customers WHERE id = $1`\n",
			want: []string{"table customers, owned by package customer"},
		},
		{
			name: "cross read is no write",
			file: "internal/parcel/x.go",
			src:  "package parcel\nconst q = `UPDATE orders SET x = 1 WHERE id IN (SELECT order_id FROM parcels)`\n",
			want: []string{"table orders, owned by package order"},
		},
		{
			name: "cross read beside own table",
			file: "internal/parcel/x.go",
			src:  "package parcel\nconst q = `UPDATE parcels SET x = 1 WHERE EXISTS (SELECT 1 FROM orders o WHERE o.id = parcels.order_id)`\n",
		},
		{
			name: "owner may",
			file: "internal/order/queries.go",
			src:  "package order\nconst q = `SELECT id FROM orders JOIN order_items ON true`\n",
		},
		{
			name: "subpackage owner",
			file: "internal/inbox/mailin/x.go",
			src:  "package mailin\nconst q = `SELECT id FROM mailboxes`\n",
		},
		{
			name: "prose is not SQL",
			file: "internal/callback/x.go",
			src:  "package callback\nvar e = \"update orders: read from customers\"\n",
		},
		{
			name: "surface reaches database",
			file: "internal/web/x.go",
			src: "package web\nimport \"github.com/shopcare/shopcare/internal/store\"\n" +
				"var _ store.Querier\nfunc f(h handler) { h.app.DB.Read() }\n",
			want: []string{"x.go:2: HTTP surface imports internal/store", "x.go:4: HTTP surface uses .DB"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, tt.file, tt.src, 0)
			if err != nil {
				t.Fatal(err)
			}
			got := checkFile(fset, tt.file, f)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d findings %v, want %d %q", len(got), got, len(tt.want), tt.want)
			}
			for _, w := range tt.want {
				if !slices.ContainsFunc(got, func(f finding) bool { return strings.Contains(f.String(), w) }) {
					t.Errorf("no finding contains %q: %v", w, got)
				}
			}
		})
	}
}

// TestEveryTableHasAnOwner fails when a migration creates a table the
// owners map does not name, so a new table cannot escape the rule.
func TestEveryTableHasAnOwner(t *testing.T) {
	t.Parallel()
	create := regexp.MustCompile(`(?i)CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)`)
	for _, engine := range []string{"sqlite", "postgres"} {
		dir := filepath.Join(repoRoot(t), "internal", "store", "migrations", engine)
		files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no migrations in %s: %v", dir, err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range create.FindAllStringSubmatch(string(data), -1) {
				table := strings.ToLower(m[1])
				if strings.HasPrefix(table, "river_") || strings.HasSuffix(table, "_new") {
					continue
				}
				if _, ok := owners[table]; !ok {
					t.Errorf("%s creates table %s, which has no owner in archtest's owners map", filepath.Base(file), table)
				}
			}
		}
	}
}
