package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/storetest"
)

var ratingLinkRE = regexp.MustCompile(`https://care\.example\.com(/r/[A-Za-z0-9_-]+)\?score=([1-5])`)

// TestRatingFromCloseToComment, on both engines: the operator closes a
// conversation asking for a rating; the customer gets one e-mail with
// five links; a click records the score, another changes it, a broken
// score is refused without writing, a low one journals the negative
// experience; the comment is stored; the admin shows both.
func TestRatingFromCloseToComment(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e, smtp := newInboxEnvWith(t, engine, "surveys:", "  enabled: false") // the old links; survey_answer_test.go has the new
			placeOrders(t, e)
			drainJournal(t, e)
			addPeople(t, e)
			andrei := receive(t, e, andreiWrites())
			b := newBrowser(t, e)
			b.login(people[auth.Operator])
			if st, _, body := b.do("GET", convPath(andrei.ID, ""), nil); st != http.StatusOK || !strings.Contains(body, `name="ask_rating"`) {
				t.Fatalf("no rating checkbox: %d", st)
			}
			st, _, body := b.do("POST", convPath(andrei.ID, "close"), url.Values{"csrf": {b.csrf}, "ask_rating": {"1"}})
			if st != http.StatusSeeOther {
				t.Fatalf("close: %d\n%.500s", st, body)
			}
			if c := getConv(t, e, andrei.ID); c.Status != inbox.Closed {
				t.Fatalf("status %s", c.Status)
			}
			ms, _ := e.app.Inbox.Messages(ctx, andrei.ID)
			q := ms[len(ms)-1]
			if q.Auto != inbox.AutoRating {
				t.Fatalf("last message %+v", q)
			}
			if err := e.app.Inbox.Deliver(ctx, q.ID); err != nil {
				t.Fatal(err)
			}
			mail := smtp.Wait(t, 1, 10*time.Second)[0]
			links := ratingLinkRE.FindAllStringSubmatch(mail.Text(), -1)
			if len(links) != 5 || mail.Header("In-Reply-To") == "" {
				t.Fatalf("want five links, threaded: %s", mail.Data)
			}
			path := links[0][1]
			_, _, body = b.do("GET", convPath(andrei.ID, ""), nil)
			if !strings.Contains(body, "Оценка запрошена, ответа пока нет") {
				t.Errorf("the admin does not show the asked rating")
			}

			negatives := `SELECT COUNT(*) FROM events WHERE kind = 'experience.negative' AND payload LIKE '%low_rating%'`
			st, _, body = e.get(t, "GET", path+"?score=5")
			if st != http.StatusOK || !strings.Contains(body, "Вы поставили нам 5 из 5") || !strings.Contains(body, `name="comment"`) {
				t.Fatalf("score 5: %d\n%.800s", st, body)
			}
			if n := countRows(t, e, negatives); n != 0 {
				t.Fatalf("%d negative experiences after a 5", n)
			}
			if st, _, body = e.get(t, "GET", path+"?score=2"); st != http.StatusOK || !strings.Contains(body, "2 из 5") {
				t.Fatalf("score 2: %d", st)
			}
			if n := countRows(t, e, negatives); n != 1 {
				t.Fatalf("%d negative experiences after a 2, want 1", n)
			}
			for _, bad := range []string{"0", "6", "abc", ""} {
				if st, _, body = e.get(t, "GET", path+"?score="+bad); st != http.StatusUnprocessableEntity || !strings.Contains(body, "от 1 до 5") {
					t.Errorf("score %q: %d", bad, st)
				}
			}
			g, _ := e.app.Inbox.RatingOf(ctx, andrei.ID)
			if g.Score != 2 || countRows(t, e, `SELECT COUNT(*) FROM conversations WHERE rating_score IS NOT NULL`) != 1 {
				t.Fatalf("after bad scores: %+v", g)
			}
			if st, _, _ = e.get(t, "GET", "/r/NoSuchToken123?score=3"); st != http.StatusNotFound {
				t.Errorf("unknown token: %d, want 404", st)
			}
			resp, err := e.srv.Client().PostForm(e.srv.URL+path, url.Values{"comment": {"Ответили только через неделю."}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("comment: %d", resp.StatusCode)
			}
			if g, _ = e.app.Inbox.RatingOf(ctx, andrei.ID); g.Comment != "Ответили только через неделю." || g.Score != 2 {
				t.Fatalf("after the comment: %+v", g)
			}
			_, _, body = b.do("GET", convPath(andrei.ID, ""), nil)
			if !strings.Contains(body, "2 из 5") || !strings.Contains(body, "Ответили только через неделю.") {
				t.Errorf("the admin does not show the score and comment")
			}

			// The page speaks each language.
			for lang, want := range map[string]string{"lv": "Jūs mūs novērtējāt ar 2 no 5", "en": "You rated us 2 out of 5", "ru": "Вы поставили нам 2 из 5"} {
				if st, _, body = e.get(t, "GET", path+"?score=2&lang="+lang); st != http.StatusOK || !strings.Contains(body, want) {
					t.Errorf("%s: %d lacks %q", lang, st, want)
				}
			}
		})
	}
}

func countRows(t *testing.T, e *env, query string) int {
	t.Helper()
	var n int
	if err := e.app.DB.Read().QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
