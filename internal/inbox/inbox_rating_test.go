package inbox_test

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

var ratingLink = regexp.MustCompile(`https://care\.example\.com/r/([A-Za-z0-9_-]+)\?score=([1-5])`)

// TestCloseAsksForRating: closing with a rating sends one message over
// SMTP, threaded like a reply, in the conversation's language, with five
// links; the page's score is recorded, changed by a later click, never
// doubled; a low score journals a negative experience once.
func TestCloseAsksForRating(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		// The rating page's own links (/r/), which closing still sends
		// when the shop asks no surveys; inbox_survey_test.go has the
		// survey engine's.
		a, _, srv := shop(t, engine, "surveys:", "  enabled: false")
		_, anna := place(t, a, "A-1", customer.Input{Name: "Анна", Email: "anna@example.com", Language: "ru"})
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", FromName: "Анна",
			Subject: "Вопрос о доставке", Text: "Когда привезут мой заказ?", MessageID: "q1@mail.example"})
		c := convOf(t, a, "q1@mail.example")
		before := len(messagesOf(t, a, c.ID))
		if err := a.Inbox.CloseWith(ctx, c.ID, inbox.CloseOptions{AskRating: true}); err != nil {
			t.Fatal(err)
		}
		ms := messagesOf(t, a, c.ID)
		if len(ms) != before+1 {
			t.Fatalf("%d messages after closing, want %d", len(ms), before+1)
		}
		q := ms[len(ms)-1]
		if q.Auto != inbox.AutoRating || q.Direction != inbox.Out {
			t.Fatalf("question: %+v", q)
		}
		if err := a.Inbox.Deliver(ctx, q.ID); err != nil {
			t.Fatal(err)
		}
		mail := srv.Wait(t, 1, 10*time.Second)[0]
		if mail.Header("In-Reply-To") != "<q1@mail.example>" || mail.Subject() != "Re: Вопрос о доставке" {
			t.Fatalf("not threaded: %s", mail.Data)
		}
		body := mail.Text()
		links := ratingLink.FindAllStringSubmatch(body, -1)
		if len(links) != 5 || !strings.Contains(body, "Как мы справились?") {
			t.Fatalf("want five links in Russian, got %d in %q", len(links), body)
		}
		token := links[0][1]
		for i, l := range links {
			if l[1] != token || l[2] != string(rune('1'+i)) {
				t.Fatalf("link %d: %s", i, l[0])
			}
		}
		if u, err := url.Parse(links[0][0]); err != nil || u.Path != "/r/"+token {
			t.Fatalf("link %s: %v", links[0][0], err)
		}
		got, _ := a.Inbox.Get(ctx, c.ID)
		if got.Status != inbox.Closed {
			t.Fatalf("status %s", got.Status)
		}
		g, err := a.Inbox.RatingOf(ctx, c.ID)
		if err != nil || g == nil || g.Token != token || g.Score != 0 {
			t.Fatalf("rating before: %+v %v", g, err)
		}

		negatives := `SELECT COUNT(*) FROM events WHERE kind = 'experience.negative' AND customer_id = $1`
		if _, err := a.Inbox.Rate(ctx, token, 4); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, negatives, anna); n != 0 {
			t.Fatalf("%d negative experiences after a 4", n)
		}
		for _, bad := range []int{0, 6, -1} {
			if _, err := a.Inbox.Rate(ctx, token, bad); err == nil || !strings.HasPrefix(err.Error(), "score:") {
				t.Fatalf("score %d: %v", bad, err)
			}
		}
		if g, _ := a.Inbox.RatingOf(ctx, c.ID); g.Score != 4 {
			t.Fatalf("a bad score changed it: %+v", g)
		}
		for range 2 {
			if g, err = a.Inbox.Rate(ctx, token, 1); err != nil || g.Score != 1 || g.RatedAt == nil {
				t.Fatalf("rate 1: %+v %v", g, err)
			}
		}
		if n := count(t, a, negatives, anna); n != 1 {
			t.Fatalf("%d negative experiences after two 1s, want 1", n)
		}
		var payload string
		if err := a.DB.Read().QueryRow(ctx, `SELECT payload FROM events WHERE kind = 'experience.negative' AND customer_id = $1`,
			anna).Scan(&payload); err != nil || !strings.Contains(payload, `"low_rating"`) {
			t.Fatalf("payload %s: %v", payload, err)
		}
		if g, err = a.Inbox.RateComment(ctx, token, "  Долго ждала ответа.  "); err != nil || g.Comment != "Долго ждала ответа." {
			t.Fatalf("comment: %+v %v", g, err)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM conversations WHERE rating_score IS NOT NULL`); n != 1 {
			t.Fatalf("%d rated conversations", n)
		}
		if _, err := a.Inbox.Rate(ctx, "nope", 3); !errors.Is(err, inbox.ErrUnknownRating) {
			t.Fatalf("unknown token: %v", err)
		}
		if _, err := a.Inbox.RateComment(ctx, "nope", "x"); !errors.Is(err, inbox.ErrUnknownRating) {
			t.Fatalf("unknown token comment: %v", err)
		}
	})
}

// TestCloseWithoutPublicURL: with no public URL the rating is refused
// and nothing is closed; a plain close still works.
func TestCloseWithoutPublicURL(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, _, _ := shop(t, engine)
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "guest@example.com", Subject: "Hello",
			Text: "Do you ship to Tallinn?", MessageID: "t1@mail.example"})
		c := convOf(t, a, "t1@mail.example")
		settings := a.Settings
		settings.Shop.PublicURL = ""
		a.Inbox = inbox.New(service.Deps{DB: a.DB, Clock: a.Clock, Settings: settings}, inbox.Params{Journal: a.Journal, Jobs: a.Queue})
		if err := a.Inbox.CloseWith(ctx, c.ID, inbox.CloseOptions{AskRating: true}); !errors.Is(err, inbox.ErrNoPublicURL) {
			t.Fatalf("want ErrNoPublicURL, got %v", err)
		}
		if got, _ := a.Inbox.Get(ctx, c.ID); got.Status == inbox.Closed {
			t.Fatal("closed without its rating question")
		}
		if err := a.Inbox.CloseWith(ctx, c.ID, inbox.CloseOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestRatingQuestionSpeaksEachLanguage: the question is in ru, lv and en.
func TestRatingQuestionSpeaksEachLanguage(t *testing.T) {
	t.Parallel()
	a, _, _ := shop(t, store.SQLite)
	want := map[string]string{"ru": "Как мы справились?", "lv": "Kā mums veicās?", "en": "How did we do?"}
	for lang, text := range want {
		got := a.Inbox.RatingText(i18n.Lang(lang), "tok")
		if !strings.Contains(got, text) || strings.Count(got, "https://care.example.com/r/tok?score=") != 5 {
			t.Errorf("%s: %q", lang, got)
		}
	}
}
