package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/review"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/survey"
)

// TestExportOfNoVoice: a customer with no survey answer, review, negative
// experience or membership has the sections as empty arrays, never null.
func TestExportOfNoVoice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, string(storetest.Engines(t)[0]))
	if status, b, _ := e.call(t, "POST", "/api/v1/orders", fmt.Sprintf(zinaOrder, 0, 1), e.token); status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, b)
	}
	id, err := e.app.Customers.ResolveID(context.Background(), zinaExt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := api.NewExports(e.app).Export(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"surveys":[]`, `"reviews":[]`, `"negative_experiences":[]`, `"insider_projects":[]`} {
		if !strings.Contains(string(got), w) {
			t.Errorf("the export lacks %s: %s", w, got)
		}
	}
}

// TestExportsIsTheAnswer: the export the customer's own page downloads
// (api.Exports) is the body of GET /customers/{id}/export, byte for
// byte, orders, consents, survey answers, reviews, negative experiences,
// club memberships and all.
func TestExportsIsTheAnswer(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			ctx := context.Background()
			for i := range 2 {
				if status, b, _ := e.call(t, "POST", "/api/v1/orders", fmt.Sprintf(zinaOrder, i, i+1), e.token); status != http.StatusCreated {
					t.Fatalf("create: %d %v", status, b)
				}
			}
			if status, b, _ := e.call(t, "PATCH", "/api/v1/customers/"+zinaExt, `{"consent": {"email": {"marketing": true}},
				"consent_source": "checkout"}`, e.token); status != http.StatusOK {
				t.Fatalf("consent: %d %v", status, b)
			}
			if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			o := e.customerVoice(t, "Z-0")
			id, err := e.app.Customers.ResolveID(ctx, zinaExt)
			if err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/customers/%d/export", e.srv.URL, id), nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+e.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			answer, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("export: %d %v", resp.StatusCode, err)
			}
			got, err := api.NewExports(e.app).Export(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(answer) {
				t.Errorf("Exports differs from the API's answer:\n%s\n---\n%s", got, answer)
			}
			for _, w := range []string{zinaEmail, `"external_id":"Z-0"`, `"external_id":"Z-1"`, `"marketing_source":"checkout`} {
				if !strings.Contains(string(got), w) {
					t.Errorf("the export lacks %s", w)
				}
			}
			var x map[string]any
			if err := json.Unmarshal(got, &x); err != nil {
				t.Fatal(err)
			}
			checkVoice(t, x, o)
		})
	}
}

// TestCustomerEraseEndsSessions: erasing a customer through the API ends
// their sessions on their own page, and the answer counts no rows for
// them.
func TestCustomerEraseEndsSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, string(storetest.Engines(t)[0]))
	ctx := context.Background()
	if status, b, _ := e.call(t, "POST", "/api/v1/orders", fmt.Sprintf(zinaOrder, 0, 1), e.token); status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, b)
	}
	id, err := e.app.Customers.ResolveID(ctx, zinaExt)
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.app.SignIns.SessionCreate(ctx, id, signin.ViaCode, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	status, b, _ := e.call(t, "DELETE", fmt.Sprintf("/api/v1/customers/%d?force=true", id), "", e.token)
	if status != http.StatusOK {
		t.Fatalf("erase: %d %v", status, b)
	}
	if rows, _ := b["rows"].(map[string]any); rows["sessions"] != nil {
		t.Errorf("rows = %v: sessions counted", rows)
	}
	if _, err := e.app.SignIns.SessionGet(ctx, s.Token, time.Now()); !errors.Is(err, signin.ErrNoSession) {
		t.Errorf("session after the erase: %v, want ErrNoSession", err)
	}
}

// The words Zina writes in her survey answer and her review, and the
// shop's note on her bad moment: the export shows them, the erasure takes
// them.
const (
	zinaComment    = "Курьер был вежлив, спасибо Стиральной"
	zinaReview     = "Кастрюля отличная, дно толстое"
	zinaResolution = "Позвонили Зинаиде, извинились"
)

// customerVoice writes, through the services, what issue 24 keeps of the
// customer of order ext (delivered on the way): a confirmed survey answer
// with a comment, a review with a photo, a resolved negative experience
// and two memberships of the club, one of them left. It returns the
// order.
func (e *env) customerVoice(t *testing.T, ext string) *order.Order {
	t.Helper()
	ctx := context.Background()
	o, err := e.app.Orders.Find(ctx, ext)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []order.Status{order.Shipped, order.Delivered} {
		if _, err := e.app.Orders.ChangeStatus(ctx, o.ID, order.StatusUpdate{Status: s, At: e.clock.Now(), Source: order.SourceAPI}); err != nil {
			t.Fatal(err)
		}
	}
	ask := survey.Ask{Kind: survey.NPS, Trigger: survey.Delivery, SubjectID: o.ID, CustomerID: o.CustomerID,
		AskedAt: e.clock.Now().Add(-time.Hour).Truncate(time.Second), Channel: survey.ChannelEmail}
	if _, err := e.app.Surveys.Confirm(ctx, e.app.Surveys.Token(ask), survey.Answer{Score: 9, Comment: zinaComment,
		Channel: survey.ChannelWeb}); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var photo bytes.Buffer
	if err := png.Encode(&photo, img); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Reviews.Submit(ctx, review.Input{OrderID: o.ID, CustomerID: o.CustomerID, Source: review.SourceMy,
		Lines: []review.LineInput{{Line: 1, Rating: 4, Text: zinaReview, Photo: photo.Bytes()}}}); err != nil {
		t.Fatal(err)
	}
	ids, err := e.app.Experiences.Record(ctx, experience.Entry{CustomerID: o.CustomerID, OrderID: o.ID, Kind: experience.LateDelivery,
		Ref: fmt.Sprintf("order:%d", o.ID), At: e.clock.Now()})
	if err != nil || len(ids) != 1 {
		t.Fatalf("record: %v %v", ids, err)
	}
	if _, err := e.app.Experiences.Resolve(ctx, o.CustomerID, ids[0], experience.Resolution{Note: zinaResolution, By: "op@example.com"}); err != nil {
		t.Fatal(err)
	}
	for i, title := range []string{"Новая кастрюля", "Бета сковороды"} {
		pid, err := e.app.Insiders.ProjectSave(ctx, insider.ProjectInput{Kind: insider.PreOrder, Title: map[string]string{"ru": title, "en": title}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Insiders.Join(ctx, insider.JoinInput{ProjectID: pid, CustomerID: o.CustomerID, Source: insider.FromMyPage, Lang: "ru"}); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if err := e.app.Insiders.Leave(ctx, pid, o.CustomerID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	return o
}

// checkVoice checks the export x holds the voice customerVoice wrote for
// order o: each new section with its rows.
func checkVoice(t *testing.T, x map[string]any, o *order.Order) {
	t.Helper()
	oid := float64(o.ID)
	ss, _ := x["surveys"].([]any)
	if len(ss) != 1 {
		t.Fatalf("export surveys: %v", x["surveys"])
	}
	if s := ss[0].(map[string]any); s["kind"] != "nps" || s["trigger"] != "delivery" || s["order_id"] != oid ||
		s["conversation_id"] != nil || s["score"] != 9.0 || s["confirmed"] != true || s["comment"] != zinaComment ||
		s["confirmed_at"] == nil || s["comment_at"] == nil || s["asked_at"] == nil {
		t.Errorf("export survey: %v", s)
	}
	rs, _ := x["reviews"].([]any)
	if len(rs) != 1 {
		t.Fatalf("export reviews: %v", x["reviews"])
	}
	if r := rs[0].(map[string]any); r["sku"] != "POT-1" || r["product_name"] != "Кастрюля" || r["rating"] != 4.0 ||
		r["text"] != zinaReview || r["status"] != "pending" || r["photo"] != true || r["order_id"] != oid || r["created_at"] == nil {
		t.Errorf("export review: %v", r)
	}
	for _, k := range []string{"photo_url", "bytes", "data"} {
		if _, ok := rs[0].(map[string]any)[k]; ok {
			t.Errorf("export review has %s: %v", k, rs[0])
		}
	}
	xs, _ := x["negative_experiences"].([]any)
	if len(xs) != 1 {
		t.Fatalf("export negative experiences: %v", x["negative_experiences"])
	}
	if n := xs[0].(map[string]any); n["kind"] != "late_delivery" || n["order_id"] != oid || n["resolution"] != zinaResolution ||
		n["resolved_at"] == nil {
		t.Errorf("export negative experience: %v", n)
	}
	ms, _ := x["insider_projects"].([]any)
	if len(ms) != 2 {
		t.Fatalf("export insider projects: %v", x["insider_projects"])
	}
	for i, title := range []string{"Новая кастрюля", "Бета сковороды"} {
		m := ms[i].(map[string]any)
		if m["title"] != title || m["kind"] != "pre_order" || m["source"] != "my_page" || m["consent_version"] == 0.0 ||
			m["consent_language"] != "ru" || m["joined_at"] == nil || (m["left_at"] == nil) != (i == 0) {
			t.Errorf("export insider project %d: %v", i, m)
		}
	}
}
