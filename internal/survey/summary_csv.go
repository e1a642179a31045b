package survey

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/words"
)

// summaryCSVHeader names the columns of the answers' file: stable
// machine names, as a spreadsheet or a script reads them.
var summaryCSVHeader = []string{"answer_id", "kind", "trigger", "score", "answered_at", "language", "channel",
	"comment", "order_id", "order_number", "carrier", "customer_id", "customer_name", "segment"}

// WriteSummaryCSV writes the confirmed answers of q's window (of its kind
// and theme, with a comment or not), newest first, as CSV to out; begin
// is called once before the first byte, when q is known good and the
// answers are read, so the caller can still answer an error otherwise.
func (s *Service) WriteSummaryCSV(ctx context.Context, q SummaryQuery, begin func(), out io.Writer) error {
	loc := s.deps.Settings.Shop.Location()
	q.Cursor, q.Limit = "", 0
	w, err := parseSummaryQuery(q, s.deps.Clock.Now().In(loc))
	if err != nil {
		return err
	}
	answers, err := s.summaryAnswers(ctx, w.start, w.end)
	if err != nil {
		return err
	}
	var only map[int64]bool
	if w.theme != "" {
		before, err := s.summaryBefore(ctx, w.prevStart, w.start)
		if err != nil {
			return err
		}
		var docs []words.Doc
		for _, a := range append(before, answers...) {
			if lang := summaryLang(a.Language); a.Comment != "" && string(lang) == w.lang {
				docs = append(docs, words.Doc{ID: a.ID, Lang: lang, Text: a.Comment, At: a.At})
			}
		}
		themes := map[string][]words.Theme{w.lang: words.Themes(docs, words.Options{Since: w.start})}
		only = summaryThemeIDs(w, themes)
	}
	begin()
	cw := csv.NewWriter(out)
	if err := cw.Write(summaryCSVHeader); err != nil {
		return fmt.Errorf("write survey answers CSV: %w", err)
	}
	for _, a := range summaryListed(w, answers, only, false) {
		order := ""
		if a.OrderID != nil {
			order = strconv.FormatInt(*a.OrderID, 10)
		}
		row := []string{strconv.FormatInt(a.ID, 10), a.Kind, a.Trigger, strconv.Itoa(a.Score), a.At.In(loc).Format(time.RFC3339),
			a.Language, a.Channel, summaryCSVCell(a.Comment), order, summaryCSVCell(a.OrderNumber), a.Carrier,
			strconv.FormatInt(a.CustomerID, 10), summaryCSVCell(a.CustomerName), a.Segment}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write survey answers CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write survey answers CSV: %w", err)
	}
	return nil
}

// summaryCSVCell keeps a customer's text from being run as a formula by a
// spreadsheet: a cell starting with = + - @ or a tab is prefixed with '.
func summaryCSVCell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
