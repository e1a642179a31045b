package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/review"
)

// reviewTexts are what demo buyers write, by rating and language: real
// themes of a shop's reviews (taste, packaging, the courier, the size).
var reviewTexts = map[int]map[string][]string{
	5: {
		"ru": {"Отличное качество, всё как на фото. Буду заказывать ещё.", "Очень понравилось, упаковано аккуратно, пришло быстро.", "Беру уже второй раз — вкус отличный."},
		"lv": {"Lieliska kvalitāte, viss kā bildē. Pasūtīšu vēl.", "Ļoti patika, rūpīgi iepakots, atnāca ātri.", "Ņemu jau otro reizi — garša lieliska."},
		"en": {"Great quality, exactly as pictured. Will order again.", "Loved it, carefully packed and quick to arrive.", "My second order already: the taste is excellent."},
	},
	4: {
		"ru": {"Хороший товар, но коробка немного помялась в дороге.", "Всё хорошо, только курьер опоздал на час."},
		"lv": {"Laba prece, tikai kaste ceļā nedaudz saburzījās.", "Viss labi, tikai kurjers nokavēja stundu."},
		"en": {"Good product, though the box got a little crushed on the way.", "All fine, only the courier came an hour late."},
	},
	3: {
		"ru": {"Нормально, но ожидал большего за эту цену."},
		"lv": {"Normāli, bet par šo cenu gaidīju vairāk."},
		"en": {"It is fine, but I expected more for the price."},
	},
	2: {
		"ru": {"Размер меньше, чем указано в описании."},
		"lv": {"Izmērs mazāks, nekā norādīts aprakstā."},
		"en": {"Smaller than the description says."},
	},
}

// demoRating draws a rating as real shops see them: mostly fours and
// fives, a few middling, some low.
func demoRating(rnd *rand.Rand) int {
	switch x := rnd.IntN(100); {
	case x < 58:
		return 5
	case x < 83:
		return 4
	case x < 93:
		return 3
	default:
		return 2
	}
}

// demoReviewText picks a text for rating in lang (English when the
// customer's language is another).
func demoReviewText(rnd *rand.Rand, rating int, lang string) string {
	byLang := reviewTexts[rating]
	texts, ok := byLang[lang]
	if !ok {
		texts = byLang["en"]
	}
	return texts[rnd.IntN(len(texts))]
}

// demoPhoto is a small generated PNG: a cup of tea on a plate, in
// circles.
func demoPhoto() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			c := color.RGBA{R: 238, G: 232, B: 220, A: 255}
			dx, dy := x-32, y-26
			switch d := dx*dx + dy*dy; {
			case d < 120:
				c = color.RGBA{R: 150, G: 90, B: 40, A: 255}
			case d < 220:
				c = color.RGBA{R: 250, G: 250, B: 250, A: 255}
			case d < 400:
				c = color.RGBA{R: 210, G: 210, B: 215, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // an in-memory RGBA always encodes
	return b.Bytes()
}

// demoModerator is who publishes the demo's reviews.
const demoModerator = "owner@demo"

// seedReviews gives the history's delivered orders of the last six
// months reviews: about half of them reviewed a few days after the
// delivery, published a day later; the latest one stays pending for the
// visitor to moderate, and one carries a photo.
func seedReviews(ctx context.Context, a *app.App, _ *rand.Rand, until time.Time) error {
	// A source of its own: drawing from the history's would change every
	// later part of the demo's data.
	rnd := rand.New(rand.NewPCG(24, 35))
	items, _, err := a.Orders.List(ctx, order.ListFilter{Status: order.Delivered, From: until.AddDate(0, -6, 0), Limit: 200})
	if err != nil {
		return fmt.Errorf("demo reviews: delivered orders: %w", err)
	}
	photo, pending := true, true
	for _, it := range items { // the newest first
		if rnd.IntN(2) != 0 {
			continue
		}
		o, err := a.Orders.Get(ctx, it.ID)
		if err != nil {
			return fmt.Errorf("demo reviews: order %d: %w", it.ID, err)
		}
		if len(o.Items) == 0 || o.Customer == nil || o.DeliveredAt == nil {
			continue
		}
		at := o.DeliveredAt.Add(time.Duration(2+rnd.IntN(6)) * 24 * time.Hour)
		if at.After(until) {
			continue
		}
		rating := demoRating(rnd)
		line := review.LineInput{Line: 1, Rating: rating, Text: demoReviewText(rnd, rating, o.Customer.Language)}
		if photo && rating >= 4 {
			line.Photo, photo = demoPhoto(), false
		}
		got, err := a.Reviews.Submit(ctx, review.Input{OrderID: o.ID, CustomerID: o.CustomerID, Source: review.SourceDemo,
			Language: o.Customer.Language, Lines: []review.LineInput{line}, At: at})
		if errors.Is(err, review.ErrNotDelivered) {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo reviews: order %s: %w", o.ExternalID, err)
		}
		if pending {
			pending = false // the newest waits for the visitor
			continue
		}
		if _, err := a.Reviews.PublishAt(ctx, got[0].ID, demoModerator, at.Add(20*time.Hour)); err != nil {
			return fmt.Errorf("demo reviews: publish %d: %w", got[0].ID, err)
		}
	}
	return nil
}

// reviewsLive writes a review now and then for the orders delivered in
// the last two days of shop time: one in five, once, left pending for
// the visitor to moderate. Its draws come from a source of its own, seeded
// by the step's time, so the live shop's other parts play as before.
func (l *Live) reviewsLive(ctx context.Context, now time.Time) error {
	rnd := rand.New(rand.NewPCG(uint64(now.Unix()), 35))
	items, _, err := l.a.Orders.List(ctx, order.ListFilter{Status: order.Delivered, From: now.AddDate(0, 0, -14), Limit: 50})
	if err != nil {
		return fmt.Errorf("demo live reviews: %w", err)
	}
	for _, it := range items {
		if now.Sub(it.UpdatedAt) > 48*time.Hour || rnd.IntN(5) != 0 { // delivered lately: its last change
			continue
		}
		f, err := l.a.Reviews.Form(ctx, it.CustomerID, it.ID)
		if err != nil {
			return fmt.Errorf("demo live reviews: order %d: %w", it.ID, err)
		}
		if len(f.Lines) == 0 || f.Lines[0].Review != nil || !f.Delivered {
			continue
		}
		rating := demoRating(rnd)
		_, err = l.a.Reviews.Submit(ctx, review.Input{OrderID: it.ID, CustomerID: it.CustomerID, Source: review.SourceDemo,
			Lines: []review.LineInput{{Line: 1, Rating: rating, Text: demoReviewText(rnd, rating, f.Language)}}})
		if err != nil && !errors.Is(err, review.ErrNotDelivered) {
			return fmt.Errorf("demo live reviews: order %d: %w", it.ID, err)
		}
	}
	return nil
}
