package survey_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/survey"
	"github.com/shopcare/shopcare/internal/task"
)

const publicURL = "shop:\n  public_url: https://care.example.com\n"

// shop is a test shop with one customer and one delivered order.
type shop struct {
	app      *app.App
	clock    *clock.Fake
	customer int64
	order    int64
}

func newShop(t testing.TB, engine store.Engine) *shop {
	t.Helper()
	a, clk := apptest.New(t, engine, false, publicURL)
	n := order.NewOrder{ExternalID: "S-1", Carrier: "courier",
		Customer: customer.Input{ExternalID: "c-1", Name: "Анна Орлова", Email: "anna@example.com", Language: "ru"},
		Items:    []order.Item{{SKU: "TEA", Name: "Чай", Qty: 1, PriceMinor: 49000}}}
	o := apptest.Order(t, a, n)
	return &shop{app: a, clock: clk, customer: o.Customer.ID, order: o.ID}
}

// ask is the NPS question about the shop's order, sent now.
func (s *shop) ask() survey.Ask {
	return survey.Ask{Kind: survey.NPS, Trigger: survey.Delivery, SubjectID: s.order, CustomerID: s.customer,
		AskedAt: s.clock.Now().Truncate(time.Second), Channel: survey.ChannelEmail}
}

// events drains the journal and returns the events of kind.
func (s *shop) events(t *testing.T, kind journal.Kind) []journal.Event {
	t.Helper()
	return s.all(t)[kind]
}

// all drains the journal and returns its events by kind.
func (s *shop) all(t *testing.T) map[journal.Kind][]journal.Event {
	t.Helper()
	out := map[journal.Kind][]journal.Event{}
	d := journal.NewDispatcher(s.app.Deps(), journal.HandlerFunc(func(_ context.Context, _ *store.Tx, es []journal.Event) error {
		for _, e := range es {
			out[e.Kind] = append(out[e.Kind], e)
		}
		return nil
	}))
	if _, err := d.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

func (s *shop) count(t *testing.T) int {
	t.Helper()
	var n int
	if err := s.app.DB.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM surveys`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestClickConfirmChange, on both engines: a click is an unconfirmed
// intent, a second click changes it (one row), Send confirms it and
// journals survey.answered; a click never changes a confirmed answer, a
// confirmed change journals the previous score, and turning low opens one
// service-recovery task and journals the negative experience.
func TestClickConfirmChange(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newShop(t, engine)
			a := s.ask()
			token := s.app.Surveys.Token(a)
			if got := s.app.Surveys.URL(a, 7); !strings.HasPrefix(got, "https://care.example.com/s/"+token+"?") ||
				!strings.Contains(got, "score=7") || !strings.Contains(got, "c=e") {
				t.Fatalf("url %s", got)
			}
			s.clock.Advance(time.Hour)
			v, err := s.app.Surveys.Record(ctx, token, 8, survey.Click{Channel: survey.ChannelEmail})
			if err != nil {
				t.Fatal(err)
			}
			if v.Confirmed() || v.Score != 8 || v.Suspect != "" || v.OrderID != s.order || v.Language != "ru" || v.Channel != "email" {
				t.Fatalf("first click %+v", v)
			}
			s.clock.Advance(time.Minute)
			v2, err := s.app.Surveys.Record(ctx, token, 9, survey.Click{})
			if err != nil {
				t.Fatal(err)
			}
			if v2.ID != v.ID || v2.Score != 9 || s.count(t) != 1 {
				t.Fatalf("second click %+v, %d rows", v2, s.count(t))
			}
			if got := s.events(t, journal.SurveyAnswered); len(got) != 0 {
				t.Fatalf("an intent journaled %d answers", len(got))
			}
			v3, err := s.app.Surveys.Confirm(ctx, token, survey.Answer{Score: 9, Comment: "  Всё вовремя, чай вкусный  "})
			if err != nil {
				t.Fatal(err)
			}
			if !v3.Confirmed() || v3.Comment != "Всё вовремя, чай вкусный" || v3.ID != v.ID {
				t.Fatalf("confirmed %+v", v3)
			}
			answered := s.events(t, journal.SurveyAnswered)
			if len(answered) != 1 {
				t.Fatalf("answered %d", len(answered))
			}
			var pl event.SurveyAnsweredPayload
			if err := answered[0].Decode(&pl); err != nil || pl.Score != 9 || pl.Previous != nil || pl.SurveyID != v.ID || answered[0].OrderID != s.order {
				t.Fatalf("payload %+v %v", pl, err)
			}
			// A click on a confirmed answer (a scanner re-reading the
			// mail) changes nothing.
			s.clock.Advance(time.Minute)
			v4, err := s.app.Surveys.Record(ctx, token, 2, survey.Click{})
			if err != nil || v4.Score != 9 || !v4.Confirmed() {
				t.Fatalf("click on confirmed: %+v %v", v4, err)
			}
			// Confirming the same score again (the comment) journals nothing.
			if _, err := s.app.Surveys.Confirm(ctx, token, survey.Answer{Score: 9, Comment: "ещё"}); err != nil {
				t.Fatal(err)
			}
			if got := s.events(t, journal.SurveyAnswered); len(got) != 0 {
				t.Fatalf("comment only journaled %d", len(got))
			}
			v5, err := s.app.Surveys.Confirm(ctx, token, survey.Answer{Score: 3, Comment: "курьер опоздал"})
			if err != nil || v5.Score != 3 {
				t.Fatalf("change: %+v %v", v5, err)
			}
			all := s.all(t)
			answered = all[journal.SurveyAnswered]
			if len(answered) != 1 {
				t.Fatalf("change answered %d", len(answered))
			}
			if err := answered[0].Decode(&pl); err != nil || pl.Previous == nil || *pl.Previous != 9 || pl.Score != 3 {
				t.Fatalf("change payload %+v", pl)
			}
			neg := all[journal.ExperienceNegative]
			var np event.ExperienceNegativePayload
			if len(neg) != 1 || neg[0].Decode(&np) != nil || np.Cause != survey.CauseLowScore || np.SurveyID != v.ID {
				t.Fatalf("negative %+v %+v", neg, np)
			}
			// Low again (2): no second task, no second negative experience.
			if _, err := s.app.Surveys.Confirm(ctx, token, survey.Answer{Score: 2}); err != nil {
				t.Fatal(err)
			}
			if neg := s.events(t, journal.ExperienceNegative); len(neg) != 0 {
				t.Fatalf("second negative %d", len(neg))
			}
			tasks, err := task.ListByOrder(ctx, s.app.DB.Read(), s.order)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, tk := range tasks {
				if tk.Kind == task.ServiceRecovery {
					n++
					now := s.clock.Now()
					if tk.DueAt.Before(now.Add(-time.Minute)) || tk.DueAt.After(now.Add(4*24*time.Hour)) || tk.Note != "курьер опоздал" {
						t.Fatalf("task %+v at %s", tk, now)
					}
				}
			}
			if n != 1 || s.count(t) != 1 {
				t.Fatalf("%d recovery tasks, %d rows", n, s.count(t))
			}
		})
	}
}

// TestScannerFlags: a click seconds after the question, a burst of
// scores and a prefetch are recorded as suspect intents.
func TestScannerFlags(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newShop(t, engine)
			token := s.app.Surveys.Token(s.ask())
			s.clock.Advance(2 * time.Second)
			v, err := s.app.Surveys.Record(ctx, token, 0, survey.Click{})
			if err != nil || v.Suspect != survey.SuspectTooSoon {
				t.Fatalf("too soon: %+v %v", v, err)
			}
			s.clock.Advance(time.Hour)
			if v, err = s.app.Surveys.Record(ctx, token, 1, survey.Click{}); err != nil || v.Suspect != "" {
				t.Fatalf("later: %+v %v", v, err)
			}
			s.clock.Advance(200 * time.Millisecond)
			if v, err = s.app.Surveys.Record(ctx, token, 2, survey.Click{}); err != nil || v.Suspect != survey.SuspectBurst {
				t.Fatalf("burst: %+v %v", v, err)
			}
			s.clock.Advance(time.Hour)
			if v, err = s.app.Surveys.Record(ctx, token, 2, survey.Click{Prefetch: true}); err != nil || v.Suspect != survey.SuspectPrefetch {
				t.Fatalf("prefetch: %+v %v", v, err)
			}
			if got := s.events(t, journal.SurveyAnswered); len(got) != 0 || s.count(t) != 1 {
				t.Fatalf("suspect clicks journaled %d, %d rows", len(got), s.count(t))
			}
		})
	}
}

// TestRefusals: a forged or foreign token is unknown, a score off the
// scale and a bad comment are refused naming the field, and none writes
// a row.
func TestRefusals(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newShop(t, engine)
			a := s.ask()
			token := s.app.Surveys.Token(a)
			forged := token[:20] + strings.Map(func(r rune) rune {
				if r == 'A' {
					return 'B'
				}
				return 'A'
			}, token[20:21]) + token[21:]
			other := a
			other.CustomerID = s.customer + 1000
			nobody := s.app.Surveys.Token(other)
			for _, tk := range []string{"", "x", forged, token + "A", nobody} {
				if _, err := s.app.Surveys.Record(ctx, tk, 5, survey.Click{}); !errors.Is(err, survey.ErrUnknown) {
					t.Errorf("token %q: %v", tk, err)
				}
			}
			for _, score := range []int{-1, 11} {
				_, err := s.app.Surveys.Record(ctx, token, score, survey.Click{})
				var bad *invalid.Error
				if !errors.As(err, &bad) || bad.Field != "score" {
					t.Errorf("score %d: %v", score, err)
				}
			}
			for _, ans := range []survey.Answer{{Score: 11}, {Score: 5, Comment: strings.Repeat("я", survey.MaxComment)},
				{Score: 5, Comment: "bad\x00byte"}} {
				_, err := s.app.Surveys.Confirm(ctx, token, ans)
				var bad *invalid.Error
				if !errors.As(err, &bad) {
					t.Errorf("answer %.20v: %v", ans, err)
				}
			}
			if n := s.count(t); n != 0 {
				t.Fatalf("refusals left %d rows", n)
			}
			csat := survey.Ask{Kind: survey.CSAT, Trigger: survey.Conversation, SubjectID: 77, CustomerID: s.customer}
			if _, err := s.app.Surveys.Record(ctx, s.app.Surveys.Token(csat), 0, survey.Click{}); err == nil {
				t.Fatal("CSAT took 0")
			}
		})
	}
}
