// Package csvimport streams a shop's orders from a CSV file into shopcare:
// the "Orders CSV" of README.md, as `shopcare import orders FILE.csv`
// reads it.
//
// # Streaming and chunking
//
// An import holds at most one chunk in memory, whatever the size of the
// file. Records are read one at a time with encoding/csv (the record slice
// is reused), each is turned into a normalized order.NewOrder, and after
// Options.ChunkSize rows the chunk's orders are stored in one transaction
// by order.Service.CreateBatch, which works set-wise: a handful of
// statements per chunk, not per order. Then the chunk is dropped and the
// next one is read. A chunk that commits is never undone by a later
// failure, so an import that stops half-way keeps what it has stored, and
// running it again finishes the job: orders are idempotent by their
// order_id, so rows stored already count as existing and change nothing.
//
// Imported orders are history (order.NewOrder.History): they feed the
// customers' figures and the analytics, and never trigger a message.
//
// # Bad rows
//
// A row that cannot be imported (a missing value, a bad date or amount, an
// unknown status, an invalid e-mail or phone, too few fields, broken CSV
// quoting, text that is not UTF-8) does not stop the import: it is written
// to the rejected output, a CSV of the columns "line" (the physical line
// the row starts on, 1-based), "reason" and the row's original fields, and
// the import goes on. The rejected file keeps the delimiter of the input
// and has the columns of an orders CSV, so it can be corrected and imported
// again. Problems with the file as a whole (no header, a required column
// missing from it, a column named twice, a record that never ends, a read
// error) stop the import with an error.
//
// # Encodings and delimiters
//
// A UTF-8 byte order mark is skipped. With the "auto" encoding, the first
// 64 KiB decide: valid UTF-8 is read as UTF-8; anything else is told
// apart by its words as Windows-1251 (Russian Excel), Windows-1257
// (Latvian Excel) or ISO-8859-1 (Western European Excel), and refused,
// naming the --encoding flag, when that is not clear. The delimiter is
// taken from the header line: ';' when it has more semicolons than commas
// (again Excel in locales with a decimal comma), a tab when it has tabs and
// neither, else ','.
package csvimport

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/csvfile"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Importer streams orders from a CSV into the store.
type Importer struct {
	orders   *order.Service
	db       *store.DB
	settings config.Settings
}

// Params are the collaborators of an Importer.
type Params struct {
	// Orders stores the orders read.
	Orders *order.Service
}

// New returns an Importer that stores orders through p.Orders in d.DB,
// reading times and amounts by the shop's settings (time zone, currency).
func New(d service.Deps, p Params) *Importer {
	return &Importer{orders: p.Orders, db: d.DB, settings: d.Settings}
}

// The encodings Options.Encoding names (package csvfile reads them).
const (
	EncodingAuto        = csvfile.EncodingAuto
	EncodingUTF8        = csvfile.EncodingUTF8
	EncodingWindows1251 = csvfile.EncodingWindows1251
	EncodingWindows1257 = csvfile.EncodingWindows1257
	EncodingLatin1      = csvfile.EncodingLatin1
)

// ErrEncodingUnsure is the error of an import whose file is not UTF-8 and
// whose encoding could not be told with confidence (csvfile's).
var ErrEncodingUnsure = csvfile.ErrEncodingUnsure

// DefaultChunkSize is the number of rows per chunk when Options.ChunkSize
// is not set. A chunk is one transaction: on SQLite its commit writes every
// page it touched to the WAL, and the pages of the orders' indexes are
// touched by every chunk, so small chunks write the same pages over and
// over (1,000-row chunks wrote 3.6 GB of WAL for 200,000 orders). The
// roll-ups, the sales days and the promise record are written once per
// chunk too: 10,000 rows took 200,000 orders from 10,300-10,850 to
// 11,800-11,900 orders/s against 5,000 (20,000: 12,400-12,550), for 30 MB
// more at the peak (60 MB more) and the write lock held about 0.8 s a
// chunk, as long as a batch of the journal's drain of imported history.
const DefaultChunkSize = 10000

// CacheKiB is the SQLite page cache the chunks are stored with (the
// usual one is 16 MB). A chunk's orders go into every page of the orders'
// indexes keyed by time or by customer; with the usual cache SQLite wrote
// changed pages to the WAL before the commit and read them back, and read
// the customers it looks up from the file again: 64 MB took 8-10 % off
// the import's CPU on 200,000 orders.
const CacheKiB = 64 << 10

// MaxRecordBytes bounds one CSV record. A longer one is almost always a
// quote that is never closed, swallowing the rest of the file; the import
// stops there instead of reading the file into memory.
const MaxRecordBytes = 1 << 20

// Options tune an import. The zero value is ready to use.
type Options struct {
	// Encoding is "auto" (or ""), "utf-8" (or "utf8"), "windows-1251"
	// (or "cp1251"), "windows-1257" (or "cp1257") or "iso-8859-1" (or
	// "latin-1"), in any case. With auto, a file that is not UTF-8 is
	// told apart by its words (csvfile.Decode), and refused with
	// ErrEncodingUnsure when that is not clear.
	Encoding string
	// ChunkSize is how many rows are read before the valid orders among
	// them are stored in one transaction; DefaultChunkSize when 0 or less.
	ChunkSize int
	// Progress, when set, is called after each chunk is stored with the
	// number of bytes read from the input so far.
	Progress func(bytesRead int64)
}

// Summary counts what an import did. Every row read is imported, existing
// or rejected, so Imported+Existing+Rejected == Rows once Import returns
// without an error.
type Summary struct {
	// Rows is the number of data rows read, the header not included. Rows
	// whose fields are all blank (such as the ";;;;" lines spreadsheets
	// leave at the end) are skipped and not counted.
	Rows int64
	// Imported is the number of orders stored by this import.
	Imported int64
	// Existing is the number of rows whose order_id was stored already, by
	// an earlier import, the API or an earlier row of the same file. They
	// are left as they are.
	Existing int64
	// Conflicting is how many of the Existing rows differ from the order
	// stored under their order_id; the stored order is kept.
	Conflicting int64
	// Rejected is the number of rows written to the rejected output.
	Rejected int64
	// NewCustomers is the number of customers this import created. It is
	// exact unless other writers create customers during the import.
	NewCustomers int64
	// Encoding is the encoding the file was read in: "utf-8",
	// "windows-1251", "windows-1257" or "iso-8859-1".
	Encoding string
	// Delimiter is the field delimiter found in the header line.
	Delimiter rune
	// ForeignOrders counts the imported orders in a currency other than
	// the shop's, ForeignCurrencies names those currencies ("USD, EUR"):
	// they count only in the reports' revenue by currency, not in revenue
	// or the CLV models, and the import warns of them.
	ForeignOrders     int64
	ForeignCurrencies string
}

// The columns of an orders CSV, in the order of README.md's Orders CSV.
const (
	colOrderID = iota
	colCustomerID
	colEmail
	colPhone
	colName
	colLanguage
	colCountry
	colCity
	colCreatedAt
	colStatus
	colTotal
	colCurrency
	colChannel
	colDeliveredAt
	colPromisedTo
	numCols
)

var columnNames = [numCols]string{
	"order_id", "customer_id", "email", "phone", "name", "language", "country", "city",
	"created_at", "status", "total", "currency", "channel", "delivered_at", "promised_to",
}

var requiredColumns = []int{colOrderID, colCustomerID, colCreatedAt, colTotal}

// fields names the inputs of order.Normalize by their CSV columns.
var fields = order.Fields{
	ExternalID: "order_id", CustomerPrefix: "", CustomerExternalID: "customer_id", Total: "total", Currency: "currency", Status: "status",
	DeliveredAt: "delivered_at", PromisedTo: "promised_to", Carrier: "carrier", Payment: "payment",
}

// errRecordTooLong stops a record at MaxRecordBytes.
var errRecordTooLong = errors.New("record too long")

// Import reads an orders CSV from r and stores its orders, chunk by chunk.
// Rows that cannot be imported are written to rejected (which may be nil to
// drop them) and the import goes on; nothing is written to rejected when
// every row is good.
//
// An error means the import stopped: the file as a whole is unusable (the
// header lacks a required column, names one twice…), r or rejected failed,
// the store failed or ctx ended. The Summary returned with it counts what
// was done until then; chunks stored before the error stay stored.
func (im *Importer) Import(ctx context.Context, r io.Reader, rejected io.Writer, opts Options) (Summary, error) {
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = DefaultChunkSize
	}
	ru := &run{im: im, opts: opts, loc: im.settings.Shop.Location(), count: &csvfile.CountingReader{R: r}}
	if err := ru.open(); err != nil {
		return ru.sum, err
	}
	ru.rej = &csvfile.RejectWriter{W: rejected, Delim: ru.sum.Delimiter, BOM: ru.bom || ru.sum.Encoding != EncodingUTF8}
	if err := ru.readHeader(); err != nil {
		return ru.sum, err
	}
	restore, err := im.db.GrowWriteCache(ctx, CacheKiB)
	if err != nil {
		return ru.sum, err
	}
	defer restore()
	err = ru.readRows(ctx)
	if ru.inflight != nil { // stopped early: let the chunk in flight land and count it
		if serr := ru.settle(ctx); err == nil {
			err = serr
		}
	}
	return ru.sum, err
}

// run is the state of one import.
type run struct {
	im    *Importer
	opts  Options
	loc   *time.Location
	count *csvfile.CountingReader
	limit *recordLimiter
	csv   *csv.Reader
	rej   *csvfile.RejectWriter

	bom       bool // the input started with a UTF-8 byte order mark
	checkUTF8 bool // the input is read as UTF-8, so fields must be valid UTF-8

	header []string     // as in the file
	col    [numCols]int // index of each column in a record, -1 when absent

	chunk     []order.NewOrder
	inflight  *storing // the previous chunk, being stored
	stored    int      // chunks stored
	chunkRows int      // rows read into the current chunk, rejected ones included
	firstLine int      // where the current chunk starts
	lastLine  int      // where the last record read starts
	sum       Summary
}

// open detects the encoding and the delimiter and sets up the CSV reader.
func (ru *run) open() error {
	d, err := csvfile.Decode(ru.count, ru.opts.Encoding)
	if err != nil {
		return err
	}
	ru.bom, ru.sum.Encoding, ru.sum.Delimiter = d.BOM, d.Encoding, d.Delimiter
	// Read as UTF-8, the fields must be valid UTF-8; a code page's
	// decoder makes them so.
	ru.checkUTF8 = d.Encoding == EncodingUTF8
	ru.limit = &recordLimiter{r: d.Reader}
	ru.csv = csv.NewReader(ru.limit)
	ru.csv.Comma = ru.sum.Delimiter
	ru.csv.FieldsPerRecord = -1
	ru.csv.ReuseRecord = true
	return nil
}

// readHeader reads the header row and finds the columns.
func (ru *run) readHeader() error {
	rec, err := ru.csv.Read()
	ru.limit.mark = ru.csv.InputOffset()
	if err == io.EOF {
		return fmt.Errorf("the file is empty: it needs a header row naming the columns (%s, …)", columnList(requiredColumns))
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("header row: %s", ru.quotingReason(pe, rec))
		}
		return fmt.Errorf("header row: %w", ru.readError(err))
	}
	ru.header = slices.Clone(rec)
	ru.rej.Header = ru.header
	for c := range ru.col {
		ru.col[c] = -1
	}
	seen := map[string]int{}
	for i, h := range rec {
		name := normalizeName(h)
		if name == "" {
			continue // spreadsheets leave unnamed columns; nothing to read there
		}
		if j, dup := seen[name]; dup {
			return fmt.Errorf("header row: column %q appears twice (columns %d and %d)", name, j+1, i+1)
		}
		seen[name] = i
		if c := slices.Index(columnNames[:], name); c >= 0 {
			ru.col[c] = i
		}
	}
	var missing []int
	for _, c := range requiredColumns {
		if ru.col[c] < 0 {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		noun := "column"
		if len(missing) > 1 {
			noun = "columns"
		}
		return fmt.Errorf("header row: required %s %s missing (the header has: %s; the delimiter was taken to be %s)",
			noun, columnList(missing), strings.Join(quoteAll(ru.header), ", "), delimiterName(ru.sum.Delimiter))
	}
	return nil
}

func normalizeName(h string) string {
	return strings.ToLower(strings.TrimSpace(h))
}

func columnList(cols []int) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = columnNames[c]
	}
	return strings.Join(names, ", ")
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strconv.Quote(v)
	}
	return out
}

func delimiterName(d rune) string {
	switch d {
	case '\t':
		return "a tab"
	default:
		return strconv.QuoteRune(d)
	}
}

// readRows reads the data rows to the end of the file.
func (ru *run) readRows(ctx context.Context) error {
	for {
		rec, err := ru.csv.Read()
		ru.limit.mark = ru.csv.InputOffset()
		if err == io.EOF {
			break
		}
		var parseErr *csv.ParseError
		switch {
		case errors.As(err, &parseErr):
			ru.lastLine = parseErr.StartLine
			ru.sum.Rows++
			if ru.chunkRows == 0 {
				ru.firstLine = parseErr.StartLine
			}
			if err := ru.reject(parseErr.StartLine, ru.quotingReason(parseErr, rec), rec); err != nil {
				return err
			}
		case err != nil:
			// The reader failed: keep what was read until here.
			if ferr := ru.finish(ctx); ferr != nil {
				return ferr
			}
			return ru.readError(err)
		default:
			line, _ := ru.csv.FieldPos(0)
			ru.lastLine = line
			if blank(rec) {
				continue
			}
			ru.sum.Rows++
			if ru.chunkRows == 0 {
				ru.firstLine = line
			}
			n, err := ru.parse(rec)
			if err != nil {
				if err := ru.reject(line, err.Error(), rec); err != nil {
					return err
				}
			} else {
				ru.chunk = append(ru.chunk, n)
			}
		}
		ru.chunkRows++
		if ru.chunkRows >= ru.opts.ChunkSize {
			if err := ru.flush(ctx); err != nil {
				return err
			}
		}
	}
	return ru.finish(ctx)
}

// readError describes an error of the CSV reader that stops the import.
func (ru *run) readError(err error) error {
	switch {
	case errors.Is(err, errRecordTooLong) && ru.lastLine == 0:
		return fmt.Errorf("the first record runs over %d MiB: is this a CSV file?", MaxRecordBytes>>20)
	case errors.Is(err, errRecordTooLong):
		return fmt.Errorf("the record after line %d runs over %d MiB, most likely from a quote that is never closed: "+
			"the import stopped there", ru.lastLine, MaxRecordBytes>>20)
	default:
		return fmt.Errorf("read the file: %w", err)
	}
}

// quotingReason describes broken CSV quoting for people. rec holds the
// fields read before the broken one, so it names the column.
func (ru *run) quotingReason(pe *csv.ParseError, rec []string) string {
	field := fmt.Sprintf("field %d", len(rec)+1)
	if len(rec) < len(ru.header) && strings.TrimSpace(ru.header[len(rec)]) != "" {
		field = strings.TrimSpace(ru.header[len(rec)])
	}
	if pe.Line > pe.StartLine {
		return fmt.Sprintf("%s: broken quoting: the quoted value opened on line %d runs on to line %d (%v there); "+
			"lines %d-%d were read as this one row", field, pe.StartLine, pe.Line, pe.Err, pe.StartLine, pe.Line)
	}
	return fmt.Sprintf("%s: broken quoting: %v", field, pe.Err)
}

// blank tells whether every field of rec is empty or spaces.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// parse turns a record into a normalized order, or explains, column by
// column, why it cannot.
func (ru *run) parse(rec []string) (order.NewOrder, error) {
	if len(rec) < len(ru.header) {
		return order.NewOrder{}, fmt.Errorf("the row has %d fields, the header has %d columns", len(rec), len(ru.header))
	}
	for i := len(ru.header); i < len(rec); i++ {
		if strings.TrimSpace(rec[i]) != "" {
			return order.NewOrder{}, fmt.Errorf("the row has %d fields, the header has %d columns: "+
				"is there an unquoted %s inside a value?", len(rec), len(ru.header), delimiterName(ru.sum.Delimiter))
		}
	}

	var errs invalid.List
	for c, i := range ru.col {
		switch {
		case i < 0:
		case ru.checkUTF8 && !utf8.ValidString(rec[i]):
			errs.Add(columnNames[c], "encoding", "is not valid UTF-8 (if the file is in Windows-1251, import it with that encoding)")
		default:
			errs.CheckText(columnNames[c], rec[i])
		}
	}
	if len(errs) > 0 {
		return order.NewOrder{}, errs
	}
	get := func(c int) string {
		if i := ru.col[c]; i >= 0 {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	required := func(c int) string {
		v := get(c)
		if v == "" {
			errs.Add(columnNames[c], "required", "is required")
		}
		return v
	}

	n := order.NewOrder{
		ExternalID: get(colOrderID),
		Customer: customer.Input{
			ExternalID: required(colCustomerID),
			Email:      get(colEmail),
			Phone:      get(colPhone),
			Name:       get(colName),
			Language:   get(colLanguage),
			Country:    get(colCountry),
			City:       get(colCity),
		},
		TotalGiven: true,
		Currency:   get(colCurrency),
		Channel:    get(colChannel),
		History:    true,
	}
	if v := required(colCreatedAt); v != "" {
		if t, ok := ru.parseTime(&errs, colCreatedAt, v); ok {
			n.PlacedAt = t
		}
	}
	if v := required(colTotal); v != "" {
		currency := strings.ToUpper(n.Currency)
		if currency == "" {
			currency = ru.im.settings.Shop.Currency
		}
		minor, err := money.Parse(v, money.Scale(currency))
		switch {
		case errors.Is(err, money.ErrPrecision):
			errs.Add("total", "invalid", "%q has more decimal places than %s has (%d)", v, currency, money.Scale(currency))
		case errors.Is(err, money.ErrRange):
			errs.Add("total", "invalid", "%q is too large", v)
		case err != nil:
			errs.Add("total", "invalid", "%q is not a decimal number", v)
		default:
			n.TotalMinor = minor
		}
	}
	if v := get(colStatus); v != "" {
		st, ok := order.ParseStatus(strings.ToLower(v))
		if !ok {
			errs.Add("status", "invalid", "%q is not a status (%s)", v, order.StatusNames())
		}
		n.Status = st
	}
	if v := get(colDeliveredAt); v != "" {
		if t, ok := ru.parseTime(&errs, colDeliveredAt, v); ok {
			n.DeliveredAt = &t
		}
	}
	if v := get(colPromisedTo); v != "" {
		if t, ok := ru.parseTime(&errs, colPromisedTo, v); ok {
			n.PromisedTo = t.In(ru.loc).Format(time.DateOnly)
		}
	}

	if err := order.NormalizeAt(&n, ru.im.settings, fields, ru.im.orders.Now()); err != nil {
		var list invalid.List
		if !errors.As(err, &list) {
			return order.NewOrder{}, err
		}
		for _, e := range list {
			// A customer without any id is reported as customer_id above.
			if e.Field == "customer_id" && n.Customer.ExternalID == "" {
				continue
			}
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return order.NewOrder{}, errs
	}
	return n, nil
}

// timeLayouts are the accepted forms of created_at, delivered_at and
// promised_to: RFC 3339 (fractional seconds allowed, 'T' or a space before
// the time), and local times with or without seconds, or a bare date, in
// the shop's time zone.
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	time.DateOnly,
}

// Dates outside the years the calendars cover are typing errors
// ("0202-11-23"), not orders.
const minYear, maxYear = invalid.FirstYear, invalid.LastYear

// parseTime reads a time of column c, or adds the reason it cannot.
func (ru *run) parseTime(errs *invalid.List, c int, v string) (time.Time, bool) {
	for _, layout := range timeLayouts {
		t, err := time.ParseInLocation(layout, v, ru.loc)
		if err != nil {
			continue
		}
		if y := t.Year(); y < minYear || y > maxYear {
			errs.Add(columnNames[c], "out_of_range", "%q is outside the years %d–%d", v, minYear, maxYear)
			return time.Time{}, false
		}
		return t, true
	}
	errs.Add(columnNames[c], "invalid", "%q is not a date and time like 2026-11-23T10:00:00+03:00, 2026-11-23 10:00:00 or 2026-11-23", v)
	return time.Time{}, false
}

// reject writes one bad row to the rejected output.
func (ru *run) reject(line int, reason string, rec []string) error {
	ru.sum.Rejected++
	if err := ru.rej.Write(line, reason, rec); err != nil {
		return fmt.Errorf("write rejected rows: %w", err)
	}
	return nil
}

// flush hands the orders of the current chunk to a goroutine that stores
// them in one transaction, after waiting for the chunk before it. Reading
// and checking the next chunk thus overlaps with storing this one: parsing
// (phone numbers above all) and SQLite each keep a core busy. Chunks are
// still stored one at a time, in file order.
func (ru *run) flush(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ru.settle(ctx); err != nil {
		return err
	}
	if len(ru.chunk) > 0 {
		p := &storing{done: make(chan struct{}), chunk: ru.chunk, firstLine: ru.firstLine, lastLine: ru.lastLine}
		go ru.store(ctx, p)
		ru.inflight = p
		ru.chunk = make([]order.NewOrder, 0, ru.opts.ChunkSize)
	}
	ru.chunkRows = 0
	if err := ru.rej.Flush(); err != nil {
		return fmt.Errorf("write rejected rows: %w", err)
	}
	return nil
}

// finish stores the last chunk and waits for every chunk to be stored.
func (ru *run) finish(ctx context.Context) error {
	if err := ru.flush(ctx); err != nil {
		_ = ru.settle(ctx)
		return err
	}
	return ru.settle(ctx)
}

// storing is a chunk on its way into the store.
type storing struct {
	done                chan struct{}
	chunk               []order.NewOrder
	firstLine, lastLine int
	results             []order.Result
	lastCustomer        int64
	err                 error
}

func (ru *run) store(ctx context.Context, p *storing) {
	defer close(p.done)
	p.err = ru.im.db.InTx(ctx, func(tx *store.Tx) error {
		// Customers created in this transaction get ids above this.
		var err error
		if p.lastCustomer, err = customer.MaxID(ctx, tx); err != nil {
			return err // says "count customers"
		}
		p.results, err = ru.im.orders.CreateBatch(ctx, tx, p.chunk, order.SourceImport)
		return err
	})
}

// settle waits for the chunk being stored, counts its outcome and reports
// progress.
func (ru *run) settle(ctx context.Context) error {
	p := ru.inflight
	if p == nil {
		return nil
	}
	<-p.done
	ru.inflight = nil
	if p.err != nil {
		return fmt.Errorf("store the orders of lines %d-%d: %w", p.firstLine, p.lastLine, p.err)
	}
	newCustomers := map[int64]bool{}
	for i, res := range p.results {
		switch {
		case res.Created:
			ru.sum.Imported++
			if cur := p.chunk[i].Currency; cur != "" && cur != ru.im.settings.Shop.Currency {
				ru.sum.ForeignOrders++
				if !strings.Contains(ru.sum.ForeignCurrencies, cur) {
					ru.sum.ForeignCurrencies = strings.TrimPrefix(ru.sum.ForeignCurrencies+", "+cur, ", ")
				}
			}
			if res.CustomerID > p.lastCustomer {
				newCustomers[res.CustomerID] = true
			}
		case res.Conflict:
			ru.sum.Existing++
			ru.sum.Conflicting++
		default:
			ru.sum.Existing++
		}
	}
	ru.sum.NewCustomers += int64(len(newCustomers))
	// Refresh the planner's statistics as the tables grow tenfold, so
	// lookups keep using their indexes (PostgreSQL above all).
	ru.stored++
	if ru.stored == 1 || ru.stored == 10 || ru.stored == 100 || ru.stored == 1000 {
		if err := ru.im.db.Analyze(ctx); err != nil {
			return fmt.Errorf("refresh statistics: %w", err)
		}
	}
	if ru.opts.Progress != nil {
		ru.opts.Progress(ru.count.N)
	}
	return nil
}

// recordLimiter fails the read once the record being read (the bytes past
// mark, the reader's offset after the last complete record) exceeds
// MaxRecordBytes, so that a quote never closed cannot pull the whole file
// into memory.
type recordLimiter struct {
	r    io.Reader
	read int64
	mark int64
	err  error
}

func (l *recordLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.read-l.mark > MaxRecordBytes {
		l.err = errRecordTooLong
		return 0, l.err
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}
