package web

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// stockImportMax bounds an uploaded stock file: 100,000 SKUs of a long
// line each fit well under it.
const stockImportMax = 32 << 20

// stockRejectedShown bounds the rejected lines the page lists; the file
// to download has them all.
const stockRejectedShown = 100

// stockRejectedDownloadMax bounds the rejected file offered as a download
// inside the page itself (a data: link: nothing is kept on the server,
// so any node can answer the upload).
const stockRejectedDownloadMax = 1 << 20

// stockImportOutcome is what an upload did, for the stock page.
type stockImportOutcome struct {
	Created, Updated, Unchanged, Rejected string
	Lines                                 []stockRejectedLine
	More                                  int
	// Download is the rejected file as a data: link; "" when nothing
	// was rejected or the file is too big to carry in the page.
	Download template.URL
}

// stockRejectedLine is one row the import left out.
type stockRejectedLine struct {
	Line, Reason, Row string
}

// stockImport reads an uploaded CSV of stock levels (stock.Service's
// ImportCSV: header sku, on_hand and optionally name, incoming_qty,
// incoming_date), and shows the stock page with the counts and the
// rejected lines with their reasons.
func (h *Handler) stockImport(w http.ResponseWriter, r *http.Request, v *visitor) {
	r.Body = http.MaxBytesReader(w, r.Body, stockImportMax)
	file, _, err := r.FormFile("file")
	if err != nil {
		h.stockImportFailed(w, r, v, "stock_list.import.error.file")
		return
	}
	defer func() { _ = file.Close() }()
	var rejected bytes.Buffer
	res, err := h.stockDesk().ImportCSV(r.Context(), "csv", file, &rejected)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.stockImportFailed(w, r, v, "stock_list.import.error.size")
		return
	case err != nil:
		if _, ok := invalid.First(err); ok {
			h.stockImportFailed(w, r, v, "stock_list.import.error.header")
			return
		}
		h.fail(w, r, err)
		return
	}
	h.recordExport(r, actionlog.Entry{Action: actionlog.StockImported, TargetKind: actionlog.TargetStock,
		Detail: map[string]any{"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "rejected": res.Rejected}})
	p, err := h.stockListData(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := v.Lang
	out := &stockImportOutcome{Created: stockQty(lang, res.Created), Updated: stockQty(lang, res.Updated),
		Unchanged: stockQty(lang, res.Unchanged), Rejected: stockQty(lang, res.Rejected)}
	out.Lines, out.More = rejectedLines(rejected.Bytes(), stockRejectedShown)
	if n := rejected.Len(); n > 0 && n <= stockRejectedDownloadMax {
		out.Download = template.URL("data:text/csv;charset=utf-8;base64," + //nolint:gosec // base64 of the file: no markup can break out
			base64.StdEncoding.EncodeToString(rejected.Bytes()))
	}
	p.Import = out
	h.render(w, r, http.StatusOK, "stock_list", p)
}

// stockImportFailed shows the stock page with why the file could not be
// read, on its upload form.
func (h *Handler) stockImportFailed(w http.ResponseWriter, r *http.Request, v *visitor, id string) {
	p, err := h.stockListData(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.ImportErr = i18n.Text(v.Lang, id, nil)
	h.render(w, r, http.StatusUnprocessableEntity, "stock_list", p)
}

// rejectedLines reads the rejected file — a CSV whose rows start with
// the line number and the reason, then the row as it was — into at most
// limit lines, and says how many more there are. A row it cannot read
// as CSV is shown as it is.
func rejectedLines(b []byte, limit int) ([]stockRejectedLine, int) {
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, 0
	}
	head, _, _ := bytes.Cut(b, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(b))
	if bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord, cr.LazyQuotes = -1, true
	var out []stockRejectedLine
	more := 0
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			break
		}
		if first && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "line") {
			continue // the header
		}
		if len(out) >= limit {
			more++
			continue
		}
		l := stockRejectedLine{}
		switch len(rec) {
		case 0:
			continue
		case 1:
			l.Row = rec[0]
		default:
			l.Line, l.Reason = rec[0], rec[1]
			l.Row = strings.Join(rec[2:], string(cr.Comma))
		}
		if _, err := strconv.Atoi(l.Line); err != nil && l.Line != "" {
			l.Line, l.Reason, l.Row = "", "", strings.Join(rec, string(cr.Comma))
		}
		out = append(out, l)
	}
	return out, more
}
