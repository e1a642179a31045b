package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Form is what the review page of one order shows: its lines, each with
// the review written already, if any.
type Form struct {
	OrderID     int64
	OrderNumber string
	CustomerID  int64
	// Delivered: the order reached its customer, so it may be reviewed.
	Delivered bool
	Language  string
	Lines     []FormLine
}

// FormLine is one line of the order on the review form.
type FormLine struct {
	Line      int
	SKU, Name string
	Review    *Review
}

// Input is a customer's review form: the lines they rated.
type Input struct {
	OrderID, CustomerID int64
	Source              string
	Language            string
	Lines               []LineInput
	// At is when it was written: zero for now (the business clock); the
	// demo's history sets it.
	At time.Time
}

// LineInput is one line's review: stars 1–5 (0: the line is not
// reviewed), the text and an optional photo (raw bytes as uploaded).
type LineInput struct {
	Line   int
	Rating int
	Text   string
	Photo  []byte
}

// Form returns the review form of order orderID for customerID;
// store.ErrNotFound when the order is not theirs.
func (s *Service) Form(ctx context.Context, customerID, orderID int64) (Form, error) {
	return s.form(ctx, s.db.Read(), customerID, orderID)
}

func (s *Service) form(ctx context.Context, q store.Querier, customerID, orderID int64) (Form, error) {
	o, err := order.Get(ctx, q, orderID)
	if err != nil {
		return Form{}, err
	}
	if o.CustomerID != customerID {
		return Form{}, fmt.Errorf("review form of order %d for customer %d: %w", orderID, customerID, store.ErrNotFound)
	}
	f := Form{OrderID: o.ID, OrderNumber: order.Number(o.ExternalID), CustomerID: o.CustomerID,
		Delivered: o.Status == order.Delivered}
	if o.Customer != nil {
		f.Language = o.Customer.Language
	}
	reviews, err := listByOrder(ctx, q, o.ID)
	if err != nil {
		return Form{}, err
	}
	byLine := map[int]*Review{}
	for i := range reviews {
		byLine[reviews[i].Line] = &reviews[i]
	}
	for i, it := range o.Items {
		f.Lines = append(f.Lines, FormLine{Line: i + 1, SKU: it.SKU, Name: it.Name, Review: byLine[i+1]})
	}
	return f, nil
}

// author is what a review shows of a customer's name: the first name and
// the initial of the last ("Anna K."); "" for none.
func author(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	out := f[0]
	if len(f) > 1 {
		r, _ := utf8.DecodeRuneInString(f[len(f)-1])
		if unicode.IsLetter(r) {
			out += " " + string(unicode.ToUpper(r)) + "."
		}
	}
	return out
}

// check validates the form against the order's lines and the photo cap;
// it returns the photos re-encoded by line. Field names are rating_N,
// text_N and photo_N (N the order's line), and "lines" when nothing was
// rated.
func check(in Input, lines int, photoMax int64) (map[int]Photo, invalid.List) {
	var errs invalid.List
	photos := map[int]Photo{}
	rated := 0
	seen := map[int]bool{}
	for _, l := range in.Lines {
		n := l.Line
		if n < 1 || n > lines || seen[n] {
			errs.Add("lines", "invalid", "line %d is not a line of the order", n)
			continue
		}
		seen[n] = true
		empty := l.Rating == 0 && strings.TrimSpace(l.Text) == "" && len(l.Photo) == 0
		if empty {
			continue
		}
		if l.Rating < 1 || l.Rating > 5 {
			errs.Add(fmt.Sprintf("rating_%d", n), "required", "choose 1 to 5 stars")
		} else {
			rated++
		}
		if e := invalid.TextMax(fmt.Sprintf("text_%d", n), l.Text, MaxText, true); e != nil {
			errs = append(errs, e)
		}
		if len(l.Photo) > 0 {
			field := fmt.Sprintf("photo_%d", n)
			if photoMax <= 0 {
				errs.Add(field, "off", "this shop takes no photos with reviews")
				continue
			}
			p, err := CheckPhoto(l.Photo, photoMax)
			switch {
			case errors.Is(err, ErrPhotoSize):
				errs.Add(field, "too_large", "must be at most %d bytes", photoMax)
			case errors.Is(err, ErrPhotoType):
				errs.Add(field, "type", "must be a JPEG, PNG or WebP picture")
			case err != nil:
				errs.Add(field, "broken", "cannot be read as a picture")
			default:
				photos[n] = p
			}
		}
	}
	if rated == 0 && len(errs) == 0 {
		errs.Add("lines", "required", "rate at least one product")
	}
	return photos, errs
}

// Submit validates a customer's review form and stores one review per
// line rated, each pending moderation, with review.submitted, in one
// transaction: a form refused (invalid.List) leaves no row. A line
// reviewed before is replaced and goes back to pending (its photo stays
// unless a new one came). ErrNotDelivered for an order not delivered;
// store.ErrNotFound for an order that is not the customer's.
func (s *Service) Submit(ctx context.Context, in Input) ([]Review, error) {
	var out []Review
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		o, err := order.Get(ctx, tx, in.OrderID)
		if err != nil {
			return err
		}
		if o.CustomerID != in.CustomerID {
			return fmt.Errorf("review of order %d by customer %d: %w", in.OrderID, in.CustomerID, store.ErrNotFound)
		}
		if o.Status != order.Delivered {
			return ErrNotDelivered
		}
		photos, errs := check(in, len(o.Items), s.deps.Settings.Reviews.PhotoMaxBytes)
		if len(errs) > 0 {
			return errs
		}
		name, lang := "", in.Language
		if o.Customer != nil {
			name = o.Customer.Name
			if lang == "" {
				lang = o.Customer.Language
			}
		}
		if l, ok := i18n.Parse(lang); ok {
			lang = string(l) // "en-GB" is en: pages mark the text lang="en"
		}
		now := s.deps.Clock.Now()
		if !in.At.IsZero() {
			now = in.At
		}
		for _, l := range in.Lines {
			if l.Rating == 0 {
				continue
			}
			it := o.Items[l.Line-1]
			r := Review{OrderID: o.ID, OrderNumber: order.Number(o.ExternalID), CustomerID: o.CustomerID, Line: l.Line,
				SKU: it.SKU, ProductName: it.Name, Rating: l.Rating, Text: strings.TrimSpace(l.Text), Author: author(name),
				Language: lang, Source: in.Source, Status: Pending, CreatedAt: now, UpdatedAt: now}
			p, hasPhoto := photos[l.Line]
			if err := s.upsert(ctx, tx, &r, p, hasPhoto); err != nil {
				return err
			}
			if err := s.journal.Append(ctx, tx, journal.Event{Kind: journal.ReviewSubmitted, OrderID: o.ID,
				CustomerID: o.CustomerID, History: o.History, OccurredAt: now, Payload: journal.MustPayload(event.ReviewSubmittedPayload{
					ReviewID: r.ID, SKU: r.SKU, Rating: r.Rating, Photo: r.Photo != nil})}); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// upsert writes r (new, or replacing the line's earlier review, back to
// pending) and its photo when hasPhoto; it fills r.ID and r.Photo.
func (s *Service) upsert(ctx context.Context, tx *store.Tx, r *Review, p Photo, hasPhoto bool) error {
	err := tx.QueryRow(ctx, `INSERT INTO reviews (order_id, order_number, customer_id, line, sku, product_name, rating, body,
			author, language, source, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
		ON CONFLICT (order_id, line) DO UPDATE SET rating = excluded.rating, body = excluded.body, author = excluded.author,
			language = excluded.language, source = excluded.source, status = excluded.status, reject_reason = '',
			reply = '', reply_at = NULL, moderated_by = '', published_at = NULL, updated_at = excluded.updated_at
		RETURNING id, created_at`, r.OrderID, r.OrderNumber, r.CustomerID, r.Line, r.SKU, r.ProductName, r.Rating, r.Text,
		r.Author, r.Language, r.Source, r.Status, r.UpdatedAt).Scan(&r.ID, &r.CreatedAt)
	if err != nil {
		return fmt.Errorf("store review of order %d line %d: %w", r.OrderID, r.Line, err)
	}
	if hasPhoto {
		if _, err := tx.Exec(ctx, `INSERT INTO review_photos (review_id, content_type, width, height, size, data)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (review_id) DO UPDATE SET content_type = excluded.content_type,
			width = excluded.width, height = excluded.height, size = excluded.size, data = excluded.data`,
			r.ID, p.ContentType, p.Width, p.Height, p.Size, p.Data); err != nil {
			return fmt.Errorf("store photo of review %d: %w", r.ID, err)
		}
		info := p.PhotoInfo
		r.Photo = &info
		return nil
	}
	var info PhotoInfo
	err = tx.QueryRow(ctx, `SELECT content_type, width, height, size FROM review_photos WHERE review_id = $1`, r.ID).
		Scan(&info.ContentType, &info.Width, &info.Height, &info.Size)
	if err == nil {
		r.Photo = &info
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("load photo of review %d: %w", r.ID, err)
	}
	return nil
}
