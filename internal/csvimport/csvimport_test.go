package csvimport_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/csvimport"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

const header = "order_id,customer_id,email,phone,name,language,country,city,created_at,status,total,currency,channel,delivered_at,promised_to\n"

func newApp(tb testing.TB, engine store.Engine) *app.App {
	tb.Helper()
	db, _ := storetest.OpenTest(tb, engine)
	settings, err := config.Parse(nil)
	if err != nil {
		tb.Fatal(err)
	}
	a, err := app.Wire(context.Background(), db, app.Options{
		Settings: settings, Clock: clock.NewFake(t0), Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func importer(a *app.App) *csvimport.Importer {
	return csvimport.New(a.Deps(), csvimport.Params{Orders: a.Orders})
}

// importData imports data and returns the summary and the rejected output;
// an error fails the test.
func importData(t *testing.T, a *app.App, data string, opts csvimport.Options) (csvimport.Summary, string) {
	t.Helper()
	var rejected bytes.Buffer
	sum, err := importer(a).Import(context.Background(), strings.NewReader(data), &rejected, opts)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if sum.Imported+sum.Existing+sum.Rejected != sum.Rows {
		t.Errorf("summary %+v: imported+existing+rejected != rows", sum)
	}
	return sum, rejected.String()
}

func count(t *testing.T, a *app.App, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := a.DB.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func getOrder(t *testing.T, a *app.App, ext string) *order.Order {
	t.Helper()
	o, err := order.GetByExternalID(context.Background(), a.DB.Read(), ext)
	if err != nil {
		t.Fatalf("order %s: %v", ext, err)
	}
	return o
}

// readRejected parses the rejected output.
func readRejected(t *testing.T, out string, comma rune) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF")))
	r.Comma = comma
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("rejected output is not CSV: %v\n%s", err, out)
	}
	return recs
}

func TestImportGoodFile(t *testing.T) {
	t.Parallel()
	// The columns in another order, and one the importer does not know.
	const data = "customer_id,order_id,note,email,phone,name,language,country,city,created_at,status,total,currency,channel,delivered_at,promised_to\n" +
		"c-1,A-1,first!,anna@example.com,+7 916 123-45-67,Анна,ru,RU,Москва,2026-01-10 12:00:00,delivered,1500.50,RUB,web,2026-01-14 15:00:00,2026-01-15\n" +
		"c-2,A-2,,Boris@Example.com,,Борис,,,,2026-02-01,,990,,,,\n" +
		"c-1,A-3,,,,,,,,2026-03-05T09:30:00+03:00,cancelled,200,,,,\n" +
		"c-3,A-4,,,8 (926) 555-12-34,Вера,,,Казань,2026-03-06 08:00:00,shipped,\"1 234,5\",,phone,,\n" +
		"c-1,A-5,,,,,,,,2026-04-01,NEW,10,eur,,,\n"
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a := newApp(t, engine)
			sum, rejected := importData(t, a, data, csvimport.Options{ChunkSize: 2})
			want := csvimport.Summary{Rows: 5, Imported: 5, NewCustomers: 3, Encoding: "utf-8", Delimiter: ',',
				ForeignOrders: 1, ForeignCurrencies: "EUR"} // A-5, in a rouble shop
			if sum != want {
				t.Errorf("summary = %+v, want %+v", sum, want)
			}
			if rejected != "" {
				t.Errorf("rejected output = %q, want none", rejected)
			}
			if n := count(t, a, `SELECT COUNT(*) FROM customers`); n != 3 {
				t.Errorf("customers = %d, want 3", n)
			}

			a1, a3, a5 := getOrder(t, a, "A-1"), getOrder(t, a, "A-3"), getOrder(t, a, "A-5")
			if a1.CustomerID != a3.CustomerID || a1.CustomerID != a5.CustomerID {
				t.Errorf("A-1, A-3 and A-5 belong to customers %d, %d and %d; want one", a1.CustomerID, a3.CustomerID, a5.CustomerID)
			}
			if got, want := a1.PlacedAt, time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
				t.Errorf("A-1 placed at %v, want %v (12:00 in Moscow)", got, want)
			}
			if a1.Status != order.Delivered || a1.TotalMinor != 150050 || a1.Currency != "RUB" || a1.Channel != "web" ||
				!a1.History || a1.PromisedTo != "2026-01-15" || a1.DeliveredOn != "2026-01-14" {
				t.Errorf("A-1 = %+v", a1)
			}
			if c := a1.Customer; c.ExternalID != "c-1" || c.Email != "anna@example.com" || c.Phone != "+79161234567" ||
				c.Name != "Анна" || c.City != "Москва" || c.Language != "ru" {
				t.Errorf("A-1's customer = %+v", c)
			}
			if a3.Status != order.Cancelled || a5.Status != order.New || a5.Currency != "EUR" || a5.TotalMinor != 1000 {
				t.Errorf("A-3 = %s, A-5 = %s %d %s", a3.Status, a5.Status, a5.TotalMinor, a5.Currency)
			}
			a2, a4 := getOrder(t, a, "A-2"), getOrder(t, a, "A-4")
			if a2.Status != order.New || a2.TotalMinor != 99000 || a2.Customer.Email != "boris@example.com" {
				t.Errorf("A-2 = %+v, customer %+v", a2, a2.Customer)
			}
			if a4.TotalMinor != 123450 || a4.Status != order.Shipped || a4.Customer.Phone != "+79265551234" {
				t.Errorf("A-4 = %+v, customer %+v", a4, a4.Customer)
			}

			// History, not news: no event may lead to a message.
			if n := count(t, a, `SELECT COUNT(*) FROM events`); n != 5 {
				t.Errorf("events = %d, want 5", n)
			}
			if n := count(t, a, `SELECT COUNT(*) FROM events WHERE history = false`); n != 0 {
				t.Errorf("%d events are not history", n)
			}
			if n := count(t, a, `SELECT COUNT(*) FROM orders WHERE history = false`); n != 0 {
				t.Errorf("%d orders are not history", n)
			}

			// Again: nothing new, nothing changed.
			sum, rejected = importData(t, a, data, csvimport.Options{})
			want = csvimport.Summary{Rows: 5, Existing: 5, Encoding: "utf-8", Delimiter: ','}
			if sum != want {
				t.Errorf("re-import summary = %+v, want %+v", sum, want)
			}
			if rejected != "" {
				t.Errorf("re-import rejected output = %q, want none", rejected)
			}
			for table, want := range map[string]int64{"orders": 5, "customers": 3, "events": 5, "order_status_history": 5} {
				if n := count(t, a, `SELECT COUNT(*) FROM `+table); n != want {
					t.Errorf("after re-import, %s has %d rows, want %d", table, n, want)
				}
			}
		})
	}
}

func TestImportRejectsBadRows(t *testing.T) {
	t.Parallel()
	lines := []string{
		strings.TrimSuffix(header, "\n"),                                                 // 1
		"G-1,c-1,,,Анна,,,,2026-01-01,,100,,,,",                                          // 2
		"B-1,c-1,,,,,,,2026-13-45,,100,,,,",                                              // 3
		"G-2,c-2,,,,,,,2026-01-02,,100,,,,",                                              // 4
		"B-2,c-1,,,,,,,2026-01-02,,-5,,,,",                                               // 5
		"G-3,c-1,,,,,,\"Москва,\nЦентр\",2026-01-03,,100,,,,",                            // 6-7
		"B-3,c-1,,,,,,,2026-01-03,shipping,100,,,,",                                      // 8
		",c-1,,,,,,,2026-01-03,,100,,,,",                                                 // 9
		"B-5,c-1,2026-01-03",                                                             // 10
		"B-6,c-1,,,\"Ив\"ан,,,,2026-01-03,,100,,,,",                                      // 11
		"B-7,c-1,,,Ив\"ан,,,,2026-01-03,,100,,,,",                                        // 12
		"B-8,c-1,,,,,,,2026-01-03,,\"12,3x\",,,,",                                        // 13
		"B-9,c-1,not-an-email,,,,,,2026-01-03,,100,,,,",                                  // 14
		"B-10,c-1,,123,,,,,2026-01-03,,100,,,,",                                          // 15
		"G-4,c-3,,,,,,,2026-01-04,delivered,100,,,2026-01-05,",                           // 16
		"B-11,,,,,,,,,,,,,,",                                                             // 17: blank but for the id
		"G-1,c-1,,,Анна,,,,2026-01-01,,100,,,,",                                          // 18: G-1 again
		"B-12,c-1,,,,,,,2026-01-03,new,100,,,2026-01-05,",                                // 19
		"B-13,c-1,,,,,,,2026-01-03,,100,,,0202-01-05,",                                   // 20
		"B-14,c-1,,,,,,,2026-01-03,,100.001,,,,",                                         // 21
		"B-15,c-1,,,,,,,2026-01-03,,100,,,,,surplus",                                     // 22
		",,,,,,,,,,,,,,",                                                                 // 23: blank, skipped
		"G-5,c-3,,,,,,,2026-01-04,,100,,,,,",                                             // 24: an empty surplus field is fine
		"G-2,c-2,,,,,,,2026-01-02,,999,,,,",                                              // 25: G-2 again, another total
		"B-16,c-1,,,Ан\x00на,,,,2026-01-03,,100,,,,",                                     // 26
		"B-17," + strings.Repeat("x", 201) + ",,,,,,,2026-01-03,,100,,,,",                // 27
		"B-18,c-1," + strings.Repeat("a", 243) + "@example.com,,,,,,2026-01-03,,100,,,,", // 28
	}
	data := strings.Join(lines, "\n") + "\n"
	wantRejected := []struct {
		line    string
		orderID string
		reason  string
	}{
		{"3", "B-1", `created_at: "2026-13-45" is not a date and time like 2026-11-23T10:00:00+03:00, 2026-11-23 10:00:00 or 2026-11-23`},
		{"5", "B-2", `total: must not be negative`},
		{"6", "G-3", `city: contains the control character U+000A (at byte 13)`},
		{"8", "B-3", `status: "shipping" is not a status (new, processing, ready_to_ship, shipped, ready_for_pickup, delivered, cancelled, returned)`},
		{"9", "", `order_id: is required`},
		{"10", "B-5", `the row has 3 fields, the header has 15 columns`},
		{"11", "B-6", "name: broken quoting: extraneous or missing \" in quoted-field"},
		{"12", "B-7", "name: broken quoting: bare \" in non-quoted-field"},
		{"13", "B-8", `total: "12,3x" is not a decimal number`},
		{"14", "B-9", `email: "not-an-email" is not an e-mail address`},
		{"15", "B-10", `phone: "123" is not a valid phone number`},
		{"17", "B-11", `customer_id: is required; created_at: is required; total: is required`},
		{"19", "B-12", `delivered_at: is set but the status is new`},
		{"20", "B-13", `delivered_at: "0202-01-05" is outside the years 2000–2099`},
		{"21", "B-14", `total: "100.001" has more decimal places than RUB has (2)`},
		{"22", "B-15", `the row has 16 fields, the header has 15 columns: is there an unquoted ',' inside a value?`},
		{"26", "B-16", `name: contains a NUL byte (at byte 4)`},
		{"27", "B-17", `customer_id: must be at most 200 characters, not 201`},
		{"28", "B-18", `email: must be at most 254 characters, not 255`},
	}
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a := newApp(t, engine)
			sum, out := importData(t, a, data, csvimport.Options{ChunkSize: 3})
			want := csvimport.Summary{Rows: 25, Imported: 4, Existing: 2, Conflicting: 1, Rejected: int64(len(wantRejected)), NewCustomers: 3,
				Encoding: "utf-8", Delimiter: ','}
			if sum != want {
				t.Errorf("summary = %+v, want %+v", sum, want)
			}
			recs := readRejected(t, out, ',')
			if len(recs) == 0 {
				t.Fatal("no rejected output")
			}
			wantHeader := "line,reason," + strings.TrimSuffix(header, "\n")
			if got := strings.Join(recs[0], ","); got != wantHeader {
				t.Errorf("rejected header = %s, want %s", got, wantHeader)
			}
			recs = recs[1:]
			if len(recs) != len(wantRejected) {
				t.Errorf("%d rows rejected, want %d:\n%s", len(recs), len(wantRejected), out)
			}
			for i, w := range wantRejected {
				if i >= len(recs) {
					break
				}
				got := recs[i]
				orderID := ""
				if len(got) > 2 {
					orderID = got[2]
				}
				if got[0] != w.line || got[1] != w.reason || orderID != w.orderID {
					t.Errorf("rejected row %d = line %s, order_id %q, reason %q;\nwant line %s, order_id %q, reason %q",
						i, got[0], orderID, got[1], w.line, w.orderID, w.reason)
				}
			}
			// The original fields come back as they were.
			if got := strings.Join(recs[0][2:], ","); got != lines[2] {
				t.Errorf("rejected fields = %s, want %s", got, lines[2])
			}
			for _, ext := range []string{"G-1", "G-2", "G-4", "G-5"} {
				getOrder(t, a, ext)
			}
			// A quoted value may span lines (the rows after G-3 keep their
			// line numbers), but a city may not: G-3 is refused.
			if n := count(t, a, `SELECT COUNT(*) FROM orders`); n != 4 {
				t.Errorf("orders = %d, want 4", n)
			}
		})
	}
}

// TestImportBrokenQuoteAcrossLines: a quote opened and never closed on its
// line takes the following lines with it, up to where the quoting breaks.
func TestImportBrokenQuoteAcrossLines(t *testing.T) {
	t.Parallel()
	data := header +
		"G-1,c-1,,,,,,,2026-01-01,,100,,,,\n" + // 2
		"Q-1,c-1,,,\"Анна,,,,2026-01-01,,100,,,,\n" + // 3
		"Q-2,c-1,,,,,,,2026-01-01,,100,,,,\n" + // 4
		"Q-3,c-1,,,\"Борис\"?,,,,2026-01-01,,100,,,,\n" + // 5
		"G-2,c-1,,,,,,,2026-01-01,,100,,,,\n" // 6
	a := newApp(t, store.SQLite)
	sum, out := importData(t, a, data, csvimport.Options{})
	if sum.Rows != 3 || sum.Imported != 2 || sum.Rejected != 1 {
		t.Errorf("summary = %+v, want 3 rows: 2 imported, 1 rejected", sum)
	}
	recs := readRejected(t, out, ',')
	if len(recs) != 2 {
		t.Fatalf("rejected output = %q, want one row", out)
	}
	want := "name: broken quoting: the quoted value opened on line 3 runs on to line 5 (extraneous or missing \" in quoted-field there); lines 3-5 were read as this one row"
	if recs[1][0] != "3" || recs[1][1] != want {
		t.Errorf("rejected = line %s, %q; want line 3, %q", recs[1][0], recs[1][1], want)
	}
}

// TestImportStopsAtEndlessRecord: a quote that is never closed must not
// read the rest of a large file into memory; what came before stays.
func TestImportStopsAtEndlessRecord(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("G-1,c-1,,,,,,,2026-01-01,,100,,,,\n")
	b.WriteString("G-2,c-1,,,,,,,2026-01-01,,100,,,,\n")
	b.WriteString("Q-1,c-1,,,\"Анна,,,,2026-01-01,,100,,,,\n")
	for b.Len() < 3*csvimport.MaxRecordBytes {
		b.WriteString("X,c-1,,,,,,,2026-01-01,,100,,,,\n")
	}
	a := newApp(t, store.SQLite)
	sum, err := importer(a).Import(context.Background(), strings.NewReader(b.String()), io.Discard, csvimport.Options{})
	if err == nil || !strings.Contains(err.Error(), "the record after line 3 runs over 1 MiB") {
		t.Errorf("err = %v, want the record after line 3 to be too long", err)
	}
	if sum.Imported != 2 {
		t.Errorf("summary = %+v, want the 2 orders before it imported", sum)
	}
	if n := count(t, a, `SELECT COUNT(*) FROM orders`); n != 2 {
		t.Errorf("orders = %d, want 2", n)
	}
}

func TestImportWindows1251(t *testing.T) {
	t.Parallel()
	text := "order_id;customer_id;name;city;created_at;total;currency\r\n" +
		"W-1;c-1;Андрей Петров;Санкт-Петербург;2026-01-10 12:00:00;1 234,50;RUB\r\n" +
		"W-2;c-2;Ёлкина Юлия;Екатеринбург;2026-01-11;99,9;\r\n" +
		"W-3;c-1;;;2026-01-12;\"1,5\";\r\n"
	cp1251, err := charmap.Windows1251.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		data     string
		encoding string
	}{
		{"auto with BOM", "\uFEFF" + cp1251, ""},
		{"auto", cp1251, "auto"},
		{"declared", cp1251, "windows-1251"},
		{"declared with BOM", "\uFEFF" + cp1251, "Windows-1251"},
	}
	for _, engine := range storetest.Engines(t) {
		for _, tc := range cases {
			t.Run(string(engine)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				a := newApp(t, engine)
				sum, out := importData(t, a, tc.data, csvimport.Options{Encoding: tc.encoding})
				want := csvimport.Summary{Rows: 3, Imported: 3, NewCustomers: 2, Encoding: "windows-1251", Delimiter: ';'}
				if sum != want || out != "" {
					t.Errorf("summary = %+v, rejected %q; want %+v", sum, out, want)
				}
				w1, w2, w3 := getOrder(t, a, "W-1"), getOrder(t, a, "W-2"), getOrder(t, a, "W-3")
				if w1.Customer.Name != "Андрей Петров" || w1.Customer.City != "Санкт-Петербург" || w1.TotalMinor != 123450 {
					t.Errorf("W-1 = %d, customer %+v", w1.TotalMinor, w1.Customer)
				}
				if w2.Customer.Name != "Ёлкина Юлия" || w2.Customer.City != "Екатеринбург" || w2.TotalMinor != 9990 {
					t.Errorf("W-2 = %d, customer %+v", w2.TotalMinor, w2.Customer)
				}
				if w3.CustomerID != w1.CustomerID || w3.TotalMinor != 150 {
					t.Errorf("W-3 = customer %d, total %d; want customer %d, 150", w3.CustomerID, w3.TotalMinor, w1.CustomerID)
				}
			})
		}
	}
}

// TestImportDeclaredUTF8 rejects, row by row, what is not UTF-8 in a file
// declared UTF-8, and says what to do; its rejected output is written
// with a byte order mark when the input has one, so Excel reads it.
func TestImportDeclaredUTF8(t *testing.T) {
	t.Parallel()
	name, err := charmap.Windows1251.NewEncoder().String("Андрей")
	if err != nil {
		t.Fatal(err)
	}
	data := "\uFEFForder_id;customer_id;name;created_at;total\n" +
		"U-1;c-1;Анна;2026-01-01;100\n" +
		"U-2;c-2;" + name + ";2026-01-01;100\n"
	a := newApp(t, store.SQLite)
	sum, out := importData(t, a, data, csvimport.Options{Encoding: "utf-8"})
	if sum.Imported != 1 || sum.Rejected != 1 || sum.Encoding != "utf-8" {
		t.Errorf("summary = %+v, want 1 imported, 1 rejected", sum)
	}
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Errorf("rejected output %q does not start with a byte order mark", out)
	}
	recs := readRejected(t, out, ';')
	want := "name: is not valid UTF-8 (if the file is in Windows-1251, import it with that encoding)"
	if len(recs) != 2 || recs[1][0] != "3" || recs[1][1] != want || recs[1][4] != name {
		t.Errorf("rejected = %q, want line 3: %s, with the original bytes", recs, want)
	}
}

// TestImportSniffsWholeRunes: a UTF-8 letter cut in two by the end of the
// 64 KiB that decide the encoding must not make the file Windows-1251.
func TestImportSniffsWholeRunes(t *testing.T) {
	t.Parallel()
	const head = "order_id,customer_id,created_at,total,note\n"
	row := "S-1,c-1,2026-01-01,1,"
	for _, bom := range []string{"", "\uFEFF"} {
		for shift := range 4 {
			t.Run(fmt.Sprintf("bom=%t/shift=%d", bom != "", shift), func(t *testing.T) {
				t.Parallel()
				// Pad the note so that a "Ж" (2 bytes) starts shift bytes
				// before the 64 KiB boundary.
				pad := 64<<10 - len(bom) - len(head) - len(row) - shift
				data := bom + head + row + strings.Repeat("x", pad) + strings.Repeat("Ж", 8) + "\n"
				a := newApp(t, store.SQLite)
				sum, out := importData(t, a, data, csvimport.Options{})
				if sum.Encoding != "utf-8" || sum.Imported != 1 || out != "" {
					t.Errorf("summary = %+v, rejected %q; want 1 imported as utf-8", sum, out)
				}
			})
		}
	}
}

func TestImportDelimiters(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		data  string
		delim rune
	}{
		{"comma", "order_id,customer_id,created_at,total\nD-1,c-1,2026-01-01,\"1,5\"\n", ','},
		{"semicolon", "order_id;customer_id;created_at;total\nD-1;c-1;2026-01-01;1,5\n", ';'},
		{"semicolons outnumbered", "order_id,customer_id,created_at,total,note;x\nD-1,c-1,2026-01-01,1.5,a;b\n", ','},
		{"tab", "order_id\tcustomer_id\tcreated_at\ttotal\nD-1\tc-1\t2026-01-01\t1,5\n", '\t'},
		{"CRLF and spaces", " Order_ID , customer_id,created_at,TOTAL\r\nD-1, c-1 ,2026-01-01, 1.50 \r\n", ','},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newApp(t, store.SQLite)
			sum, out := importData(t, a, tc.data, csvimport.Options{})
			if sum.Imported != 1 || sum.Delimiter != tc.delim || out != "" {
				t.Errorf("summary = %+v, rejected %q; want 1 imported with delimiter %q", sum, out, tc.delim)
			}
			if o := getOrder(t, a, "D-1"); o.TotalMinor != 150 || o.Customer.ExternalID != "c-1" {
				t.Errorf("D-1 = %d, customer %q", o.TotalMinor, o.Customer.ExternalID)
			}
		})
	}
}

// TestImportDates reads delivered_at and promised_to in every accepted form:
// local times are the shop's (Moscow, UTC+3), and promised_to keeps the
// shop-local day of a time.
func TestImportDates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		value         string
		wantDelivered time.Time
		wantPromised  string
	}{
		{"2026-01-14T15:00:00+03:00", time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC), "2026-01-14"},
		{"2026-01-14T21:30:00Z", time.Date(2026, 1, 14, 21, 30, 0, 0, time.UTC), "2026-01-15"},
		{"2026-01-14T15:00:00.250+03:00", time.Date(2026, 1, 14, 12, 0, 0, 250e6, time.UTC), "2026-01-14"},
		{"2026-01-14 15:00:00+03:00", time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC), "2026-01-14"},
		{"2026-01-14 15:00:00", time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC), "2026-01-14"},
		{"2026-01-15 01:00:00", time.Date(2026, 1, 14, 22, 0, 0, 0, time.UTC), "2026-01-15"},
		{"2026-01-14T15:00:00", time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC), "2026-01-14"},
		{"2026-01-14 15:00", time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC), "2026-01-14"},
		{"2026-01-14", time.Date(2026, 1, 13, 21, 0, 0, 0, time.UTC), "2026-01-14"},
	}
	var b strings.Builder
	b.WriteString(header)
	for i, tc := range cases {
		fmt.Fprintf(&b, "T-%d,c-1,,,,,,,%s,,100,,,%s,%s\n", i, tc.value, tc.value, tc.value)
	}
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a := newApp(t, engine)
			sum, out := importData(t, a, b.String(), csvimport.Options{})
			if sum.Imported != int64(len(cases)) {
				t.Fatalf("summary = %+v, rejected:\n%s", sum, out)
			}
			for i, tc := range cases {
				o := getOrder(t, a, fmt.Sprintf("T-%d", i))
				if !o.PlacedAt.Equal(tc.wantDelivered) {
					t.Errorf("created_at %q: placed at %v, want %v", tc.value, o.PlacedAt, tc.wantDelivered)
				}
				if o.DeliveredAt == nil || !o.DeliveredAt.Equal(tc.wantDelivered) || o.Status != order.Delivered {
					t.Errorf("delivered_at %q: %s at %v, want delivered at %v", tc.value, o.Status, o.DeliveredAt, tc.wantDelivered)
				}
				if o.PromisedTo != tc.wantPromised || !o.PromiseGiven || o.ShipDate == "" || o.DeliveryFrom > o.PromisedTo {
					t.Errorf("promised_to %q: %q (given %v, ship %q, from %q), want %q given, with a computed ship date",
						tc.value, o.PromisedTo, o.PromiseGiven, o.ShipDate, o.DeliveryFrom, tc.wantPromised)
				}
			}
		})
	}
}

// TestImportBadFiles: problems with the file as a whole stop the import
// before any row.
func TestImportBadFiles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		data     string
		encoding string
		want     string
	}{
		{"empty", "", "", "the file is empty: it needs a header row naming the columns (order_id, customer_id, created_at, total, …)"},
		{"only a BOM", "\uFEFF", "", "the file is empty"},
		{"no total", "order_id,customer_id,created_at\nX-1,c-1,2026-01-01\n", "",
			`header row: required column total missing (the header has: "order_id", "customer_id", "created_at"; the delimiter was taken to be ',')`},
		{"two missing", "order_id;customer_id;note\n", "", "header row: required columns created_at, total missing"},
		{"duplicate", "order_id,customer_id,created_at,total,Total \nX-1,c-1,2026-01-01,1,2\n", "",
			`header row: column "total" appears twice (columns 4 and 5)`},
		{"duplicate unknown", "order_id,customer_id,created_at,total,note,note\n", "", `header row: column "note" appears twice`},
		{"broken header", "order_id,\"customer_id,created_at,total\n", "", "header row: field 2: broken quoting"},
		{"UTF-16", "\xff\xfeo\x00r\x00", "", "the file is in UTF-16"},
		{"unknown encoding", header, "koi8-r", `encoding "koi8-r": use auto, utf-8, windows-1251, windows-1257 or iso-8859-1`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newApp(t, store.SQLite)
			var out bytes.Buffer
			sum, err := importer(a).Import(context.Background(), strings.NewReader(tc.data), &out, csvimport.Options{Encoding: tc.encoding})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %v, want %s…", err, tc.want)
			}
			if sum.Rows != 0 || out.Len() != 0 {
				t.Errorf("summary = %+v, rejected %q; want nothing read", sum, out.String())
			}
		})
	}
}

func TestImportProgressAndCancel(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(header)
	for i := range 5 {
		fmt.Fprintf(&b, "P-%d,c-%d,,,,,,,2026-01-01,,100,,,,\n", i, i%2)
	}
	data := b.String()
	a := newApp(t, store.SQLite)
	var calls []int64
	sum, _ := importData(t, a, data, csvimport.Options{ChunkSize: 2, Progress: func(n int64) { calls = append(calls, n) }})
	if sum.Imported != 5 || sum.NewCustomers != 2 {
		t.Errorf("summary = %+v", sum)
	}
	if len(calls) != 3 || calls[len(calls)-1] != int64(len(data)) {
		t.Errorf("progress calls = %v, want 3 ending at %d", calls, len(data))
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sum, err := importer(a).Import(ctx, strings.NewReader(strings.ReplaceAll(data, "P-", "C-")), io.Discard, csvimport.Options{})
	if !errors.Is(err, context.Canceled) || sum.Imported != 0 {
		t.Errorf("cancelled import = %+v, %v; want context.Canceled", sum, err)
	}
	if n := count(t, a, `SELECT COUNT(*) FROM orders WHERE external_id LIKE 'C-%'`); n != 0 {
		t.Errorf("a cancelled import stored %d orders", n)
	}
}

// FuzzImport feeds arbitrary bytes after a valid header: the import must
// never panic or fail, and must account for every row.
func FuzzImport(f *testing.F) {
	a := newApp(f, store.SQLite)
	im := importer(a)
	for _, seed := range []string{
		"A-1,c-1,a@example.com,+79161234567,Анна,ru,RU,Москва,2026-01-10 12:00:00,delivered,1500.50,RUB,web,2026-01-14,2026-01-15\n",
		"A-2,c-2,,,,,,,2026-01-10,,1,,,,\nA-2,c-2,,,,,,,2026-01-10,,2,,,,\n",
		"A-3,c-1,,,\"Ив\"ан,,,,2026-01-03,,100,,,,\nA-4,c-1,,,Ив\"ан\n\"\n",
		"A-5,c-1,,,\"unclosed,,,,2026-01-03,,100,,,,\n",
		"A-6,,,,,,,,,,,,,,\n,,,,\n\n\r\n",
		"A-7,c-7,\xc0\xe1\xe2,,\x00,,,,2026-01-03,,1 234\u00a0567,,,,\n",
		"A-8,c-8,,,,zz-ZZ,XX,,2026-01-03T25:00:00Z,returned,1e5,JPY,,0202-01-01,2026-02-30\n",
		"A-9;c-9;;;;;;;2026-01-03;;100;;;;\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var rejected bytes.Buffer
		data := append([]byte(header), body...)
		sum, err := im.Import(context.Background(), bytes.NewReader(data), &rejected, csvimport.Options{ChunkSize: 3})
		if err != nil {
			if strings.Contains(err.Error(), "runs over") || errors.Is(err, csvimport.ErrEncodingUnsure) {
				return
			}
			t.Fatalf("import failed: %v", err)
		}
		if sum.Imported+sum.Existing+sum.Rejected != sum.Rows {
			t.Fatalf("summary %+v: imported+existing+rejected != rows", sum)
		}
		recs := readRejected(t, rejected.String(), ',')
		if wantRecs := sum.Rejected + min(sum.Rejected, 1); int64(len(recs)) != wantRecs {
			t.Fatalf("rejected output has %d records, want %d", len(recs), wantRecs)
		}
	})
}

// benchCSV generates an orders CSV of rows orders by customers customers.
func benchCSV(rows, customers int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	statuses := []string{"delivered", "delivered", "delivered", "cancelled", "returned", "shipped", ""}
	var b bytes.Buffer
	b.WriteString(header)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		c := rng.IntN(customers)
		placed := start.Add(time.Duration(rng.IntN(2*365*24*60)) * time.Minute)
		status := statuses[rng.IntN(len(statuses))]
		delivered := ""
		if status == "delivered" || status == "returned" {
			delivered = placed.Add(72 * time.Hour).Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(&b, "B-%07d,c-%05d,buyer%d@example.com,+7 916 %03d-%02d-%02d,Покупатель %d,ru,RU,Москва,%s,%s,%d.%02d,RUB,web,%s,%s\n",
			i, c, c, c/10000, c/100%100, c%100, c, placed.Format(time.RFC3339), status, 500+rng.IntN(20000), rng.IntN(100),
			delivered, placed.Add(96*time.Hour).Format(time.DateOnly))
	}
	return b.Bytes()
}

func BenchmarkImport(b *testing.B) {
	const rows, customers = 20000, 6000
	data := benchCSV(rows, customers)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		a := newApp(b, store.SQLite)
		b.StartTimer()
		sum, err := importer(a).Import(context.Background(), bytes.NewReader(data), io.Discard, csvimport.Options{})
		if err != nil || sum.Imported != rows {
			b.Fatalf("import = %+v, %v", sum, err)
		}
	}
	// Elapsed counts only the timed imports, not the setup of the stores.
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "orders/s")
}
