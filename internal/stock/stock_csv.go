package stock

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

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/csvfile"
	"github.com/shopcare/shopcare/internal/invalid"
)

// ImportResult says what a CSV import did.
type ImportResult struct {
	PutResult
	// Rows counts the data rows read (blank ones left out).
	Rows int
	// Rejected counts the rows left out, each written to the rejected
	// file with its line number and reason.
	Rejected int
	// Encoding is the encoding the file was read in.
	Encoding string
}

// CSVOptions tune a CSV import. The zero value is ready to use.
type CSVOptions struct {
	// Encoding is as csvfile.Decode takes it: auto (or "") detects it.
	Encoding string
	// Progress, when set, is called as the file is read with the bytes
	// read so far.
	Progress func(bytesRead int64)
}

// The columns of a stock CSV, and the other names they go by in the
// shops' own exports.
const (
	colSKU = iota
	colOnHand
	colName
	colIncomingQty
	colIncomingDate
	numCols
)

var columnNames = map[string]int{
	"sku": colSKU, "article": colSKU, "артикул": colSKU, "artikuls": colSKU,
	"on_hand": colOnHand, "stock": colOnHand, "quantity": colOnHand, "qty": colOnHand, "остаток": colOnHand, "atlikums": colOnHand,
	"name": colName, "title": colName, "название": colName, "nosaukums": colName,
	"incoming_qty": colIncomingQty, "incoming": colIncomingQty,
	"incoming_date": colIncomingDate, "incoming_on": colIncomingDate, "expected_on": colIncomingDate,
}

// ImportCSV reads stock levels from a CSV file (header sku, on_hand and
// optionally name, incoming_qty, incoming_date) and puts them as source.
// A bad row is written to rejected (when not nil) with its line and
// reason, and the import goes on.
func (s *Service) ImportCSV(ctx context.Context, source string, r io.Reader, rejected io.Writer) (ImportResult, error) {
	return s.ImportCSVWith(ctx, source, r, rejected, CSVOptions{})
}

// ImportCSVWith is ImportCSV with options. A SKU may take several rows,
// one per delivery on its way (its on hand count the same on each); the
// file's levels are put in one transaction at the end, so importing the
// same file again changes nothing. Encoding and delimiter are detected
// as for the orders CSV (UTF-8 or Windows-1251/1257/ISO-8859-1 Excel
// exports, ',' ';' or tab).
func (s *Service) ImportCSVWith(ctx context.Context, source string, r io.Reader, rejected io.Writer, opts CSVOptions) (ImportResult, error) {
	count := &csvfile.CountingReader{R: r}
	text, err := csvfile.Decode(count, opts.Encoding)
	if err != nil {
		return ImportResult{}, err
	}
	levels, res, err := ParseCSV(text, rejected, func() {
		if opts.Progress != nil {
			opts.Progress(count.N)
		}
	})
	if err != nil {
		return res, err
	}
	put, err := s.Put(ctx, source, levels)
	res.PutResult = put
	return res, err
}

// ParseCSV reads a stock CSV into levels, writing each bad row to
// rejected (when not nil) with its line and reason. progress, when not
// nil, is called every thousand rows. An error is returned for a file
// that cannot be read at all (no header, no sku or on_hand column).
func ParseCSV(dec csvfile.Decoded, rejected io.Writer, progress func()) ([]Level, ImportResult, error) {
	res := ImportResult{Encoding: dec.Encoding}
	cr := csv.NewReader(dec.Reader)
	cr.Comma, cr.FieldsPerRecord, cr.ReuseRecord = dec.Delimiter, -1, true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, res, errors.New("the file is empty: it needs a header row naming the columns (sku, on_hand, …)")
	}
	if err != nil {
		return nil, res, fmt.Errorf("header row: %w", err)
	}
	header = slices.Clone(header)
	col := [numCols]int{-1, -1, -1, -1, -1}
	for i, h := range header {
		name := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(h)), " ", "_")
		if c, ok := columnNames[name]; ok && col[c] < 0 {
			col[c] = i
		}
	}
	if col[colSKU] < 0 || col[colOnHand] < 0 {
		return nil, res, fmt.Errorf("header row: the columns sku and on_hand are required (the header has: %s)", strings.Join(header, ", "))
	}
	rej := &csvfile.RejectWriter{W: rejected, Delim: dec.Delimiter, BOM: dec.BOM, Header: header}
	bySKU := map[string]int{}
	firstLine := map[string]int{}
	var levels []Level
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, res, fmt.Errorf("read the file: %w", err)
			}
			res.Rows++
			res.Rejected++
			if werr := rej.Write(pe.StartLine, "the row is not valid CSV: "+pe.Err.Error(), rec); werr != nil {
				return nil, res, werr
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		res.Rows++
		if progress != nil && res.Rows%1000 == 0 {
			progress()
		}
		field := func(c int) string {
			if col[c] < 0 || col[c] >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[col[c]])
		}
		l, reason := parseRow(field)
		if reason == "" {
			if i, seen := bySKU[l.SKU]; seen {
				reason = merge(&levels[i], l, firstLine[l.SKU])
			} else {
				bySKU[l.SKU], firstLine[l.SKU] = len(levels), line
				levels = append(levels, l)
			}
		}
		if reason != "" {
			res.Rejected++
			if err := rej.Write(line, reason, rec); err != nil {
				return nil, res, err
			}
		}
	}
	if progress != nil {
		progress()
	}
	return levels, res, rej.Flush()
}

// parseRow reads one row's level, or says why it cannot.
func parseRow(field func(int) string) (Level, string) {
	l := Level{SKU: field(colSKU), Name: field(colName)}
	if l.SKU == "" {
		return l, "sku is empty"
	}
	if e := invalid.TextMax("sku", l.SKU, invalid.MaxSKU, false); e != nil {
		return l, e.Error()
	}
	if e := invalid.TextMax("name", l.Name, invalid.MaxName, false); e != nil {
		return l, e.Error()
	}
	n, ok := wholeNumber(field(colOnHand))
	if !ok || n < 0 || n > MaxQty {
		return l, fmt.Sprintf("on_hand must be a whole number from 0 to %d, not %q", MaxQty, field(colOnHand))
	}
	l.OnHand = n
	qty, date := field(colIncomingQty), field(colIncomingDate)
	if qty == "" && date == "" {
		return l, ""
	}
	q, ok := wholeNumber(qty)
	if !ok || q <= 0 || q > MaxQty {
		return l, fmt.Sprintf("incoming_qty must be a whole number from 1 to %d, not %q", MaxQty, qty)
	}
	day, ok := parseDate(date)
	if !ok {
		return l, fmt.Sprintf("incoming_date must be a date YYYY-MM-DD (or DD.MM.YYYY), not %q", date)
	}
	l.Incoming = []Incoming{{Qty: q, Date: day.String()}}
	return l, ""
}

// merge adds a further row of a SKU (another delivery) to its level.
func merge(l *Level, row Level, first int) string {
	if row.OnHand != l.OnHand {
		return fmt.Sprintf("on_hand %d differs from %d on line %d of the same sku", row.OnHand, l.OnHand, first)
	}
	if len(row.Incoming) == 0 {
		return fmt.Sprintf("the sku is on line %d already; a further row of it must name a delivery (incoming_qty, incoming_date)", first)
	}
	if len(l.Incoming) >= MaxIncoming {
		return fmt.Sprintf("more than %d deliveries of one sku", MaxIncoming)
	}
	if l.Name == "" {
		l.Name = row.Name
	}
	l.Incoming = append(l.Incoming, row.Incoming...)
	return ""
}

// wholeNumber reads a count as spreadsheets write it: "1 000", "12",
// "12.0" or "12,00".
func wholeNumber(s string) (int, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if i := strings.IndexAny(s, ".,"); i >= 0 && strings.Trim(s[i+1:], "0") == "" && i+1 < len(s) {
		s = s[:i]
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && len(s) <= 10
}

// parseDate reads YYYY-MM-DD or DD.MM.YYYY.
func parseDate(s string) (calendar.Day, bool) {
	if d, err := calendar.ParseDay(s); err == nil {
		return d, calendar.Covers(d)
	}
	t, err := time.Parse("02.01.2006", s)
	if err != nil {
		return 0, false
	}
	d := calendar.DayOf(t)
	return d, calendar.Covers(d)
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
