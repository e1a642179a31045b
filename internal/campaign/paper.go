package campaign

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Part "paper": letters, postcards and address labels as print-ready PDF.
//
// A paper campaign is started like any other (Start evaluates its
// audience into campaign_recipients); then, in the same transaction,
// printPaper records the outcome at once, since the shop prints the whole
// run in one go: a recipient with a delivery address is sent (sent_at is
// the start: the day the run is printed and posted), one without is
// suppressed with reason no_address, one who opted out of marketing or
// was erased is suppressed with reason unsubscribed; the holdout stays
// held. The campaign is then sent (campaign.finished). The PDFs list the
// sent recipients, sorted by postal code, letters and labels in the same
// order so they go into the envelopes together.

// The sizes of a paper campaign's pieces.
const (
	// Letter is a letter on A5 (148 × 210 mm), with the address where a
	// C5/DL window envelope shows it.
	Letter = "a5"
	// Postcard is a postcard on A6 (105 × 148 mm): the message on top,
	// the address below.
	Postcard = "a6"
)

// The label sheets: A4 with 3 × 8 labels of 70 × 37 mm, or 2 × 7 of
// 99.1 × 38.1 mm.
const (
	Sheet3x8 = "3x8"
	Sheet2x7 = "2x7"
)

// ParsePaperSize reads a piece's size, a5 (a letter, the default) or a6
// (a postcard); anything else is an *invalid.Error naming field "size".
func ParsePaperSize(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", Letter, "letter":
		return Letter, nil
	case Postcard, "postcard":
		return Postcard, nil
	}
	return "", invalid.Field("size", "invalid", "%q is not a paper size: a5 (letter) or a6 (postcard)", s)
}

// ParseSheet reads a label sheet, 3x8 (the default) or 2x7; anything else
// is an *invalid.Error naming field "sheet".
func ParseSheet(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", Sheet3x8:
		return Sheet3x8, nil
	case Sheet2x7:
		return Sheet2x7, nil
	}
	return "", invalid.Field("sheet", "invalid", "%q is not a label sheet: 3x8 or 2x7", s)
}

// piece is one customer's printed mail: who, where, in which language.
type piece struct {
	CustomerID int64
	Name       string
	Language   string
	Address    string
	Postal     string // the postal code read from Address; "" when none
	Variant    string
}

// Letters makes the PDF of campaign id's letters (size Letter) or
// postcards (Postcard), one per recipient in their language, sorted by
// postal code. The campaign must be on paper and started.
func (s *Service) Letters(ctx context.Context, id int64, size string) ([]byte, error) {
	size, err := ParsePaperSize(size)
	if err != nil {
		return nil, err
	}
	c, pieces, err := s.paperPieces(ctx, id)
	if err != nil {
		return nil, err
	}
	r, err := s.paperRenderer(c)
	if err != nil {
		return nil, err
	}
	letters := make([]letter, 0, len(pieces))
	for _, p := range pieces {
		m, err := r.render(p)
		if err != nil {
			return nil, fmt.Errorf("render campaign %d for customer %d: %w", id, p.CustomerID, err)
		}
		letters = append(letters, m)
	}
	return lettersPDF(s.deps.Settings.Shop.Name, c.Name, size, letters, s.deps.Clock.Now())
}

// Labels makes the PDF of campaign id's address labels on sheet (Sheet3x8
// or Sheet2x7), sorted by postal code. The campaign must be on paper and
// started.
func (s *Service) Labels(ctx context.Context, id int64, sheet string) ([]byte, error) {
	sheet, err := ParseSheet(sheet)
	if err != nil {
		return nil, err
	}
	c, pieces, err := s.paperPieces(ctx, id)
	if err != nil {
		return nil, err
	}
	labels := make([]label, len(pieces))
	for i, p := range pieces {
		labels[i] = label{Name: p.Name, Address: p.Address}
	}
	return labelsPDF(c.Name, sheet, labels, s.deps.Clock.Now())
}

// paperPieces reads campaign id and the pieces to print: its recipients
// that are sent (or still pending, when the campaign was started without
// printPaper), who have an address and still may get marketing, by
// postal code.
func (s *Service) paperPieces(ctx context.Context, id int64) (*Campaign, []piece, error) {
	q := s.db.Read()
	c, err := get(ctx, q, id)
	if err != nil {
		return nil, nil, err
	}
	if c.Channel != Paper {
		return nil, nil, invalid.Field("channel", "invalid", "campaign %d goes by %s, not on paper", id, c.Channel)
	}
	if err := checkStatus(c, Scheduled, Sending, Paused, Sent); err != nil {
		return nil, nil, err
	}
	var ids []int64
	variants := map[int64]string{}
	err = store.Each(ctx, q, `SELECT customer_id, variant FROM campaign_recipients
		WHERE campaign_id = $1 AND status IN ('sent', 'pending', 'sending') AND variant <> 'holdout'
		ORDER BY customer_id`, []any{id}, func(r store.Rows) error {
		var cid int64
		var v string
		if err := r.Scan(&cid, &v); err != nil {
			return err
		}
		ids = append(ids, cid)
		variants[cid] = v
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("recipients of campaign %d: %w", id, err)
	}
	pieces, _, err := addressees(ctx, q, ids)
	if err != nil {
		return nil, nil, err
	}
	for i := range pieces {
		pieces[i].Variant = variants[pieces[i].CustomerID]
	}
	return c, pieces, nil
}

// addressees reads the customers ids' names, languages and last delivery
// addresses: the printable pieces, sorted by postal code, and the reason
// each other customer cannot get one (ReasonNoAddress, ReasonUnsubscribed).
func addressees(ctx context.Context, q store.Querier, ids []int64) ([]piece, map[int64]string, error) {
	byID := make(map[int64]*piece, len(ids))
	skip := map[int64]string{}
	err := customer.EachAddressee(ctx, q, ids, func(a customer.Addressee) error {
		if a.MarketingOptedOutAt != nil || a.ErasedAt != nil {
			skip[a.ID] = ReasonUnsubscribed
			return nil
		}
		byID[a.ID] = &piece{CustomerID: a.ID, Name: a.Name, Language: a.Language}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read addressees: %w", err)
	}
	err = order.EachLastAddress(ctx, q, ids, func(id int64, address string) error {
		if p := byID[id]; p != nil {
			p.Address = address
			p.Postal = postalCode(address)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read delivery addresses: %w", err)
	}
	pieces := make([]piece, 0, len(byID))
	for _, id := range ids {
		p := byID[id]
		switch {
		case p != nil && strings.TrimSpace(p.Address) != "":
			pieces = append(pieces, *p)
		case skip[id] == "":
			skip[id] = ReasonNoAddress
		}
	}
	sortPieces(pieces)
	return pieces, skip, nil
}

// sortPieces orders pieces by postal code (those without one last), then
// name and id: the order a post office takes bulk mail in.
func sortPieces(pieces []piece) {
	slices.SortStableFunc(pieces, func(a, b piece) int {
		if (a.Postal == "") != (b.Postal == "") {
			if a.Postal == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Postal, b.Postal), cmp.Compare(a.Name, b.Name), cmp.Compare(a.CustomerID, b.CustomerID))
	})
}

// printPaper records the outcome of paper campaign c's run in tx: the
// Start of a paper campaign calls it after it made the recipients, in
// the same transaction, instead of queueing sends. See the part's comment
// at the top of this file.
func (s *Service) printPaper(ctx context.Context, tx *store.Tx, c *Campaign) error {
	if c.Channel != Paper {
		return fmt.Errorf("campaign %d goes by %s, not on paper", c.ID, c.Channel)
	}
	now := s.deps.Clock.Now()
	var ids []int64
	err := store.Each(ctx, tx, `SELECT customer_id FROM campaign_recipients
		WHERE campaign_id = $1 AND status IN ('pending', 'waiting') ORDER BY customer_id`, []any{c.ID}, func(r store.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("recipients of campaign %d: %w", c.ID, err)
	}
	pieces, skip, err := addressees(ctx, tx, ids)
	if err != nil {
		return err
	}
	byLang := map[string][]int64{}
	for _, p := range pieces {
		lang := s.paperLanguage(c, p.Language)
		byLang[lang] = append(byLang[lang], p.CustomerID)
	}
	for _, lang := range slices.Sorted(maps.Keys(byLang)) {
		err := store.QueryIn(ctx, tx, `UPDATE campaign_recipients SET status = 'sent', sent_at = $2, channel = 'paper',
			language = $3, variant = CASE WHEN variant = '' THEN 'a' ELSE variant END
			WHERE campaign_id = $1 AND customer_id IN (IN_LIST)`, []any{c.ID, now, lang}, byLang[lang], nil)
		if err != nil {
			return fmt.Errorf("record campaign %d printed: %w", c.ID, err)
		}
	}
	byReason := map[string][]int64{}
	for id, reason := range skip {
		byReason[reason] = append(byReason[reason], id)
	}
	for _, reason := range slices.Sorted(maps.Keys(byReason)) {
		ids := byReason[reason]
		slices.Sort(ids)
		err := store.QueryIn(ctx, tx, `UPDATE campaign_recipients SET status = 'suppressed', reason = $2, channel = 'paper'
			WHERE campaign_id = $1 AND customer_id IN (IN_LIST)`, []any{c.ID, reason}, ids, nil)
		if err != nil {
			return fmt.Errorf("record campaign %d suppressed: %w", c.ID, err)
		}
	}
	_, err = tx.Exec(ctx, `UPDATE campaigns SET status = 'sent', started_at = COALESCE(started_at, $2), finished_at = $2,
		updated_at = $2 WHERE id = $1`, c.ID, now)
	if err != nil {
		return fmt.Errorf("finish campaign %d: %w", c.ID, err)
	}
	if s.journal == nil {
		return nil
	}
	return s.journal.Append(ctx, tx, journal.Event{Kind: journal.CampaignFinished, OccurredAt: now,
		Payload: journal.MustPayload(event.CampaignFinishedPayload{CampaignID: c.ID, Sent: int64(len(pieces)),
			Suppressed: int64(len(skip))})})
}

// paperLanguage is the language of campaign c a customer speaking lang
// reads: their own when the campaign is written in it, else the shop's
// first language that it is written in.
func (s *Service) paperLanguage(c *Campaign, lang string) string {
	if _, ok := c.Content[lang]; ok {
		return lang
	}
	for _, l := range s.deps.Settings.Shop.Languages {
		if _, ok := c.Content[l]; ok {
			return l
		}
	}
	if keys := sortedKeys(c.Content); len(keys) > 0 {
		return keys[0]
	}
	return lang
}

// paperRenderer renders a campaign's content for each piece, compiled
// once for the run.
type paperRenderer struct {
	s        *Service
	c        *Campaign
	compiled *Compiled
}

func (s *Service) paperRenderer(c *Campaign) (*paperRenderer, error) {
	k, err := s.compile(c)
	if err != nil {
		return nil, fmt.Errorf("compile campaign %d: %w", c.ID, err)
	}
	return &paperRenderer{s: s, c: c, compiled: k}, nil
}

// render is p's letter.
func (r *paperRenderer) render(p piece) (letter, error) {
	lang := r.s.paperLanguage(r.c, p.Language)
	m := letter{Name: p.Name, Address: p.Address, Language: i18n.Pick(lang, i18n.EN)}
	out, err := r.compiled.Render(cmp.Or(p.Variant, VariantA), Recipient{CustomerID: p.CustomerID, Name: p.Name, Language: lang})
	if err != nil {
		return letter{}, err
	}
	m.Subject, m.Body = out.Subject, out.Text
	return m, nil
}
