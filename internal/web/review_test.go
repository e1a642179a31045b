package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/review"
	"github.com/shopcare/shopcare/internal/storetest"
)

// postMultipart posts a multipart form (fields, and files by field name)
// through b's client, with its cookies.
func postMultipart(t *testing.T, b *browser, path string, fields map[string]string, files map[string][]byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for k, data := range files {
		w, err := mw.CreateFormFile(k, k+".png")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", b.base+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

// reviewRows counts the reviews, photos and review events.
func reviewRows(t *testing.T, e *env) string {
	t.Helper()
	var n [3]int
	for i, q := range []string{`SELECT COUNT(*) FROM reviews`, `SELECT COUNT(*) FROM review_photos`,
		`SELECT COUNT(*) FROM events WHERE kind LIKE 'review.%'`} {
		if err := e.app.DB.Read().QueryRow(context.Background(), q).Scan(&n[i]); err != nil {
			t.Fatal(err)
		}
	}
	return fmt.Sprintf("%d reviews, %d photos, %d events", n[0], n[1], n[2])
}

func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReviewJourney: a verified buyer reviews an order from the message's
// link (no sign-in) on both engines: a forged link is a 404, a bad form a
// 422 that stores nothing, a good one with a photo is taken; the customer
// edits it from their own page; the owner publishes it and replies; the
// product's page, the widget's JSON and the photo show it, in the
// visitor's language.
func TestReviewJourney(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			placeOrders(t, e)
			addPeople(t, e)
			ctx := context.Background()
			d5, err := order.GetByExternalID(ctx, e.app.DB.Read(), "D-5") // Sam's, delivered
			if err != nil {
				t.Fatal(err)
			}
			r2, err := order.GetByExternalID(ctx, e.app.DB.Read(), "R-2") // Andrei's, shipped
			if err != nil {
				t.Fatal(err)
			}
			link := e.app.Reviews.WriteURL(d5.CustomerID, d5.ID, time.Now())
			u, err := url.Parse(link)
			if err != nil || !strings.HasPrefix(u.Path, "/rv/") {
				t.Fatalf("write URL %q", link)
			}
			page := u.Path
			anon := newBrowser(t, e)
			status, _, body := anon.do("GET", page, nil)
			if status != 200 || !strings.Contains(body, `name="rating_1"`) || !strings.Contains(body, "Lid") ||
				!strings.Contains(body, "Verified") && !strings.Contains(body, "verified") {
				t.Fatalf("GET %s: %d\n%s", page, status, body)
			}
			if status, _, body = anon.do("GET", page+"?lang=ru", nil); status != 200 || !strings.Contains(body, "Отправить отзыв") ||
				strings.Contains(body, "Send the review") {
				t.Errorf("the page in Russian: %d\n%s", status, body)
			}
			if status, _, _ = anon.do("GET", page[:len(page)-2]+"AA", nil); status != 404 {
				t.Errorf("a forged link: %d, want 404", status)
			}
			empty := reviewRows(t, e)
			for _, c := range []struct {
				name   string
				fields map[string]string
				files  map[string][]byte
				want   string
			}{
				{"nothing rated", map[string]string{"text_1": "hm"}, nil, "Choose 1 to 5 stars"},
				{"no stars", map[string]string{}, nil, "Rate at least one product"},
				{"seven stars", map[string]string{"rating_1": "7"}, nil, "Choose 1 to 5 stars"},
				{"not a picture", map[string]string{"rating_1": "5"}, map[string][]byte{"photo_1": []byte("<svg onload=alert(1)>")}, "must be a JPEG, PNG or WebP"},
			} {
				status, body := postMultipart(t, anon, page, c.fields, c.files)
				if status != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
					t.Errorf("%s: %d, want 422 with %q\n%s", c.name, status, c.want, body)
				}
			}
			if got := reviewRows(t, e); got != empty {
				t.Fatalf("refused forms left %s", got)
			}
			status, _ = postMultipart(t, anon, page, map[string]string{"rating_1": "3", "text_1": "The lid rattles a bit"},
				map[string][]byte{"photo_1": tinyPNG(t)})
			if status != http.StatusSeeOther {
				t.Fatalf("the review: %d", status)
			}
			if got := reviewRows(t, e); got != "1 reviews, 1 photos, 1 events" {
				t.Fatalf("after the review: %s", got)
			}
			if _, _, body = anon.do("GET", page+"?sent=1", nil); !strings.Contains(body, "Thank you") || !strings.Contains(body, "Awaiting moderation") {
				t.Errorf("after sending:\n%s", body)
			}

			// Edited from the customer's own page: still one review.
			sam, andrei := newBrowser(t, e), newBrowser(t, e)
			signInAs(t, e, sam, d5.CustomerID)
			signInAs(t, e, andrei, r2.CustomerID)
			mine := fmt.Sprintf("/my/orders/%d/review", d5.ID)
			if status, _, body = sam.do("GET", fmt.Sprintf("/my/orders/%d", d5.ID), nil); !strings.Contains(body, mine) {
				t.Errorf("the order page has no link to %s: %d", mine, status)
			}
			if status, _, body = sam.do("GET", mine, nil); status != 200 || !strings.Contains(body, "The lid rattles a bit") {
				t.Fatalf("GET %s: %d\n%s", mine, status, body)
			}
			status, _ = postMultipart(t, sam, mine, map[string]string{"csrf": sam.csrf, "rating_1": "4", "text_1": "They sent a new lid. Good."}, nil)
			if status != http.StatusSeeOther {
				t.Fatalf("the edit: %d", status)
			}
			if status, _ = postMultipart(t, sam, mine, map[string]string{"rating_1": "4"}, nil); status != http.StatusForbidden {
				t.Errorf("a form without its token: %d, want 403", status)
			}
			if status, _, _ = andrei.do("GET", mine, nil); status != 404 {
				t.Errorf("another customer's order: %d, want 404", status)
			}
			if status, _, body = andrei.do("GET", fmt.Sprintf("/my/orders/%d/review", r2.ID), nil); status != 200 || !strings.Contains(body, "после доставки") {
				t.Errorf("a shipped order's review page: %d\n%s", status, body)
			}

			// The owner moderates.
			owner := newBrowser(t, e)
			owner.login(people[auth.Owner])
			status, _, body = owner.do("GET", "/reviews", nil)
			if status != 200 || !strings.Contains(body, "They sent a new lid. Good.") || !strings.Contains(body, "/orders/"+fmt.Sprint(d5.ID)) {
				t.Fatalf("GET /reviews: %d\n%s", status, body)
			}
			list, _, _ := e.app.Reviews.List(ctx, review.Query{Status: review.Pending})
			id := list[0].ID
			if status, _, _ = owner.do("POST", fmt.Sprintf("/reviews/%d/reject", id), url.Values{"csrf": {owner.csrf}, "reason": {"low_rating"}}); status != 422 {
				t.Errorf("rejecting for a rating: %d, want 422", status)
			}
			if status, _, _ = owner.do("POST", fmt.Sprintf("/reviews/%d/publish", id), url.Values{"csrf": {owner.csrf}}); status != http.StatusSeeOther {
				t.Fatalf("publish: %d", status)
			}
			if status, _, _ = owner.do("POST", fmt.Sprintf("/reviews/%d/reply", id), url.Values{"csrf": {owner.csrf}, "reply": {"Sorry about the first lid!"}}); status != http.StatusSeeOther {
				t.Fatalf("reply: %d", status)
			}
			if status, _, _ = owner.do("GET", fmt.Sprintf("/reviews/%d/photo", id), nil); status != 200 {
				t.Errorf("the admin's photo: %d", status)
			}

			// Published: the product's page, the widget's JSON, the photo.
			status, _, body = anon.do("GET", "/reviews/LID?lang=lv", nil)
			if status != 200 || !strings.Contains(body, "They sent a new lid. Good.") || !strings.Contains(body, "Pārbaudīts pircējs") ||
				!strings.Contains(body, "Sorry about the first lid!") || !strings.Contains(body, "Sam L.") || !strings.Contains(body, "vidēji 4,0 no 5") {
				t.Errorf("GET /reviews/LID: %d\n%s", status, body)
			}
			apiSrv := httptest.NewServer(api.New(e.app))
			defer apiSrv.Close()
			res, err := http.Get(apiSrv.URL + "/api/v1/reviews?sku=LID&lang=ru")
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Count   int `json:"count"`
				Reviews []struct {
					Rating   int    `json:"rating"`
					Verified bool   `json:"verified"`
					PhotoURL string `json:"photo_url"`
					OrderID  int64  `json:"order_id"`
				} `json:"reviews"`
				Texts struct{ Verified, Policy string } `json:"texts"`
			}
			err = json.NewDecoder(res.Body).Decode(&got)
			res.Body.Close()
			if err != nil || res.Header.Get("Access-Control-Allow-Origin") != "*" || got.Count != 1 || len(got.Reviews) != 1 ||
				!got.Reviews[0].Verified || got.Reviews[0].OrderID != 0 || got.Texts.Verified != "Проверенный покупатель" ||
				!strings.Contains(got.Texts.Policy, "независимо от оценки") {
				t.Fatalf("the widget's JSON: %+v, %v", got, err)
			}
			photo, err := url.Parse(got.Reviews[0].PhotoURL)
			if err != nil {
				t.Fatal(err)
			}
			if status, hd, _ := anon.do("GET", photo.Path, nil); status != 200 || hd.Get("Content-Type") != "image/png" {
				t.Errorf("the public photo: %d %v", status, hd)
			}
			for q, want := range map[string]int{"status=pending": 401, "limit=0": 422, "status=gone": 422} {
				res, err := http.Get(apiSrv.URL + "/api/v1/reviews?" + q)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != want {
					t.Errorf("?%s: %d, want %d", q, res.StatusCode, want)
				}
			}
			if status, hd, body := anon.do("GET", "/reviews.js", nil); status != 200 || !strings.Contains(hd.Get("Content-Type"), "javascript") ||
				!strings.Contains(body, "data-shopcare-reviews") || strings.Contains(body, "innerHTML") {
				t.Errorf("/reviews.js: %d", status)
			}
		})
	}
}
