package review_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/review"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// shop is a test shop with Anna's delivered order (a pot and a lid), her
// shipped one, and Boris's delivered one.
type shop struct {
	app                       *app.App
	clock                     *clock.Fake
	anna, boris               int64
	delivered, shipped, other int64
}

func newShop(t testing.TB, engine store.Engine, yaml ...string) *shop {
	t.Helper()
	a, clk := apptest.New(t, engine, false, yaml...)
	ctx := context.Background()
	create := func(ext string, c customer.Input, items ...order.Item) *order.Order {
		t.Helper()
		n := order.NewOrder{ExternalID: ext, Customer: c, Carrier: "courier", Items: items}
		o := apptest.Order(t, a, n)
		return o
	}
	move := func(id int64, s order.Status) {
		t.Helper()
		clk.Advance(time.Hour)
		if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: s, At: clk.Now(), Source: order.SourceAPI}); err != nil {
			t.Fatal(err)
		}
	}
	anna := customer.Input{ExternalID: "c-1", Name: "Анна Орлова", Email: "anna@example.com", Language: "ru"}
	boris := customer.Input{ExternalID: "c-2", Name: "Boris Ozols", Email: "boris@example.lv", Language: "lv"}
	d := create("R-1", anna, order.Item{SKU: "POT", Name: "Кастрюля", Qty: 1, PriceMinor: 249000},
		order.Item{SKU: "LID", Name: "Крышка", Qty: 1, PriceMinor: 9900})
	sh := create("R-2", anna, order.Item{SKU: "PAN", Name: "Сковорода", Qty: 1, PriceMinor: 99000})
	o := create("B-1", boris, order.Item{SKU: "POT", Name: "Katls", Qty: 1, PriceMinor: 249000})
	for _, id := range []int64{d.ID, o.ID} {
		move(id, order.Shipped)
		move(id, order.Delivered)
	}
	move(sh.ID, order.Shipped)
	return &shop{app: a, clock: clk, anna: d.CustomerID, boris: o.CustomerID, delivered: d.ID, shipped: sh.ID, other: o.ID}
}

func (s *shop) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.app.DB.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// pngOf is a small PNG picture, w×h pixels.
func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSubmitModeratePublish walks a review's life on both engines: the
// form, a refused form that leaves nothing, a taken one pending with its
// event, an edit that replaces it, publishing with the loyalty bonus once
// per order, a reply, a rejection with its reason, and the figures.
func TestSubmitModeratePublish(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newShop(t, engine, "loyalty: {earn_percent: 0, bonuses: {first_order: 0, birthday: 0, review: 200}}")
			rs := s.app.Reviews
			f, err := rs.Form(ctx, s.anna, s.delivered)
			if err != nil {
				t.Fatal(err)
			}
			if !f.Delivered || len(f.Lines) != 2 || f.Lines[0].SKU != "POT" || f.Lines[1].Review != nil {
				t.Fatalf("form = %+v", f)
			}
			if _, err := rs.Form(ctx, s.boris, s.delivered); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("another's form: %v, want not found", err)
			}

			// Refused forms leave no row.
			bad := []struct {
				name  string
				in    review.Input
				field string
			}{
				{"nothing rated", review.Input{Lines: []review.LineInput{{Line: 1}}}, "lines"},
				{"text without stars", review.Input{Lines: []review.LineInput{{Line: 1, Text: "хорошо"}}}, "rating_1"},
				{"six stars", review.Input{Lines: []review.LineInput{{Line: 2, Rating: 6}}}, "rating_2"},
				{"a line not in the order", review.Input{Lines: []review.LineInput{{Line: 3, Rating: 5}}}, "lines"},
				{"NUL in the text", review.Input{Lines: []review.LineInput{{Line: 1, Rating: 5, Text: "a\x00b"}}}, "text_1"},
				{"too long", review.Input{Lines: []review.LineInput{{Line: 1, Rating: 5, Text: strings.Repeat("я", review.MaxText+1)}}}, "text_1"},
				{"not a picture", review.Input{Lines: []review.LineInput{{Line: 1, Rating: 4, Photo: []byte("GIF89a....")}}}, "photo_1"},
				{"good line, bad photo", review.Input{Lines: []review.LineInput{{Line: 1, Rating: 5}, {Line: 2, Rating: 4, Photo: []byte("\x89PNG\r\n\x1a\nbroken")}}}, "photo_2"},
			}
			for _, c := range bad {
				in := c.in
				in.OrderID, in.CustomerID, in.Source = s.delivered, s.anna, review.SourceLink
				_, err := rs.Submit(ctx, in)
				var list invalid.List
				if !errors.As(err, &list) || list[0].Field != c.field {
					t.Errorf("%s: %v, want a problem with %s", c.name, err, c.field)
				}
			}
			if n := s.count(t, `SELECT COUNT(*) FROM reviews`) + s.count(t, `SELECT COUNT(*) FROM events WHERE kind = 'review.submitted'`); n != 0 {
				t.Fatalf("refused forms left %d rows", n)
			}
			if _, err := rs.Submit(ctx, review.Input{OrderID: s.shipped, CustomerID: s.anna, Lines: []review.LineInput{{Line: 1, Rating: 5}}}); !errors.Is(err, review.ErrNotDelivered) {
				t.Errorf("review of a shipped order: %v", err)
			}
			if _, err := rs.Submit(ctx, review.Input{OrderID: s.delivered, CustomerID: s.boris, Lines: []review.LineInput{{Line: 1, Rating: 5}}}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("review of another's order: %v", err)
			}

			// Taken: one review per rated line, pending, with the photo re-encoded.
			got, err := rs.Submit(ctx, review.Input{OrderID: s.delivered, CustomerID: s.anna, Source: review.SourceLink,
				Lines: []review.LineInput{{Line: 1, Rating: 2, Text: "  Ручка шатается  ", Photo: pngOf(t, 40, 30)}, {Line: 2}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Status != review.Pending || got[0].Author != "Анна О." || got[0].Text != "Ручка шатается" ||
				got[0].Photo == nil || got[0].Photo.Width != 40 || got[0].OrderNumber != "R-1" || got[0].Language != "ru" {
				t.Fatalf("submitted %+v", got)
			}
			first := got[0]
			if n := s.count(t, `SELECT COUNT(*) FROM events WHERE kind = 'review.submitted'`); n != 1 {
				t.Errorf("review.submitted events = %d", n)
			}
			// An edit replaces the line's review, keeps its photo.
			got, err = rs.Submit(ctx, review.Input{OrderID: s.delivered, CustomerID: s.anna, Source: review.SourceMy,
				Lines: []review.LineInput{{Line: 1, Rating: 4, Text: "Поменяли ручку — отлично"}}})
			if err != nil {
				t.Fatal(err)
			}
			if got[0].ID != first.ID || got[0].Rating != 4 || got[0].Photo == nil || s.count(t, `SELECT COUNT(*) FROM reviews`) != 1 {
				t.Fatalf("edit = %+v", got[0])
			}

			// Publishing credits the bonus once per order.
			r, err := rs.Publish(ctx, first.ID, "owner@example.com")
			if err != nil || r.Status != review.Published || r.PublishedAt == nil {
				t.Fatalf("publish = %+v, %v", r, err)
			}
			if _, err := rs.Publish(ctx, first.ID, "owner@example.com"); err != nil {
				t.Fatal(err)
			}
			if _, err := rs.Submit(ctx, review.Input{OrderID: s.delivered, CustomerID: s.anna, Source: review.SourceMy,
				Lines: []review.LineInput{{Line: 2, Rating: 5}}}); err != nil {
				t.Fatal(err)
			}
			lid, _, _ := rs.List(ctx, review.Query{Status: review.Pending})
			if len(lid) != 1 || lid[0].SKU != "LID" {
				t.Fatalf("pending = %+v", lid)
			}
			if _, err := rs.Publish(ctx, lid[0].ID, "owner@example.com"); err != nil {
				t.Fatal(err)
			}
			if bal, err := s.app.Loyalty.Balance(ctx, s.anna); err != nil || bal != 200 {
				t.Errorf("balance after two published reviews of one order = %d, %v; want 200 once", bal, err)
			}
			if n := s.count(t, `SELECT COUNT(*) FROM events WHERE kind = 'review.published'`); n != 2 {
				t.Errorf("review.published events = %d, want 2", n)
			}

			// Reply, reject, figures.
			if _, err := rs.Reply(ctx, first.ID, "Спасибо, Анна!", "owner@example.com"); err != nil {
				t.Fatal(err)
			}
			if _, err := rs.Reject(ctx, lid[0].ID, "bad_mood", "x"); err == nil {
				t.Error("rejected for a reason not on the list")
			}
			if r, err := rs.Reject(ctx, lid[0].ID, "spam", "owner@example.com"); err != nil || r.Status != review.Rejected {
				t.Fatalf("reject = %+v, %v", r, err)
			}
			if _, err := rs.Submit(ctx, review.Input{OrderID: s.other, CustomerID: s.boris, Source: review.SourceLink,
				Lines: []review.LineInput{{Line: 1, Rating: 5, Text: "Labs katls"}}}); err != nil {
				t.Fatal(err)
			}
			pending, _, _ := rs.List(ctx, review.Query{Status: review.Pending})
			if _, err := rs.Publish(ctx, pending[0].ID, "owner@example.com"); err != nil {
				t.Fatal(err)
			}
			sum, err := rs.Summarize(ctx, "POT")
			if err != nil || sum.Count != 2 || sum.Average != 4.5 || sum.Stars[3] != 1 || sum.Stars[4] != 1 {
				t.Errorf("POT = %+v, %v", sum, err)
			}
			pub, total, err := rs.List(ctx, review.Query{Status: review.Published, SKU: "POT", Limit: 1})
			if err != nil || total != 2 || len(pub) != 1 || pub[0].Author != "Boris O." {
				t.Errorf("published POT = %+v (%d), %v", pub, total, err)
			}
			if p, err := rs.Photo(ctx, first.ID, true); err != nil || p.ContentType != "image/png" {
				t.Errorf("published photo: %v", err)
			}
			if _, err := rs.Photo(ctx, lid[0].ID, false); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("photo of a review without one: %v", err)
			}
		})
	}
}

// TestToken: a link opens only its order, and not after it expires or
// when forged.
func TestToken(t *testing.T) {
	t.Parallel()
	s := newShop(t, store.SQLite)
	now := s.clock.Now()
	tok := s.app.Reviews.Token(s.anna, s.delivered, now.Add(time.Hour))
	c, o, err := s.app.Reviews.Verify(tok, now)
	if err != nil || c != s.anna || o != s.delivered {
		t.Fatalf("verify = %d %d %v", c, o, err)
	}
	if _, _, err := s.app.Reviews.Verify(tok, now.Add(2*time.Hour)); !errors.Is(err, review.ErrToken) {
		t.Errorf("expired: %v", err)
	}
	forged := []byte(tok)
	forged[5] ^= 1
	for _, bad := range []string{"", "x", string(forged), tok + "A", strings.Repeat("A", 300)} {
		if _, _, err := s.app.Reviews.Verify(bad, now); !errors.Is(err, review.ErrToken) {
			t.Errorf("verify(%q) = %v", bad, err)
		}
	}
	if u := s.app.Reviews.WriteURL(s.anna, s.delivered, now); !strings.HasPrefix(u, "http://127.0.0.1:8080/rv/") {
		t.Errorf("write URL %q", u)
	}
}

// TestErase: a customer's reviews and photos go with their data.
func TestErase(t *testing.T) {
	t.Parallel()
	s := newShop(t, store.SQLite)
	ctx := context.Background()
	if _, err := s.app.Reviews.Submit(ctx, review.Input{OrderID: s.delivered, CustomerID: s.anna,
		Lines: []review.LineInput{{Line: 1, Rating: 5, Photo: pngOf(t, 4, 4)}}}); err != nil {
		t.Fatal(err)
	}
	err := s.app.DB.InTx(ctx, func(tx *store.Tx) error {
		n, err := review.ErasePersonal(ctx, tx, s.anna, s.clock.Now())
		if err == nil && n["reviews"] != 1 {
			t.Errorf("erased %v", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := s.count(t, `SELECT COUNT(*) FROM reviews`) + s.count(t, `SELECT COUNT(*) FROM review_photos`); n != 0 {
		t.Errorf("%d rows left", n)
	}
}

// fakePlatform is a shop platform that takes reviews.
type fakePlatform struct{ got []connector.ProductReview }

func (f *fakePlatform) WriteReview(_ context.Context, r connector.ProductReview) (string, error) {
	f.got = append(f.got, r)
	return "20", nil
}

// TestWriteBack: publishing a review enqueues its write-back in the same
// transaction; the job sends it with the buyer's e-mail and keeps the
// platform's id, once.
func TestWriteBack(t *testing.T) {
	t.Parallel()
	s := newShop(t, store.SQLite)
	ctx := context.Background()
	platform := &fakePlatform{}
	rs := review.New(s.app.Deps(), review.Params{Journal: s.app.Journal, Jobs: s.app.Queue,
		Writers: []connector.ReviewWriter{platform}})
	got, err := rs.Submit(ctx, review.Input{OrderID: s.other, CustomerID: s.boris, Lines: []review.LineInput{{Line: 1, Rating: 5, Text: "Labs"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.WriteBack(ctx, got[0].ID); err != nil || len(platform.got) != 0 {
		t.Fatalf("a pending review was written back: %v %v", platform.got, err)
	}
	if _, err := rs.Publish(ctx, got[0].ID, "owner"); err != nil {
		t.Fatal(err)
	}
	if n := s.count(t, `SELECT COUNT(*) FROM river_job WHERE kind = 'review_write_back'`); n != 1 {
		t.Errorf("%d write-back jobs, want 1", n)
	}
	for range 2 {
		if err := rs.WriteBack(ctx, got[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	r, err := rs.Get(ctx, got[0].ID)
	if err != nil || r.PlatformID != "20" || len(platform.got) != 1 || platform.got[0].Email != "boris@example.lv" ||
		platform.got[0].SKU != "POT" || platform.got[0].Reviewer != "Boris O." {
		t.Errorf("written %+v, kept %q, %v", platform.got, r.PlatformID, err)
	}
}
