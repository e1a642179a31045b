package campaign_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// sendEnv is an App that does not run jobs (the tests run the send job
// themselves), with mail to a real SMTP server.
type sendEnv struct {
	a   *app.App
	clk *clock.Fake
	srv *smtptest.Server
}

func newSendEnv(t testing.TB, engine store.Engine, yaml ...string) *sendEnv {
	t.Helper()
	srv := smtptest.Start(t)
	settings := append([]string{
		"shop:",
		"  name: Кастрюля",
		"  public_url: https://care.example.com",
		"channels:",
		"  email:",
		"    smtp_url: " + srv.URL(),
		`    from: "Кастрюля <shop@example.com>"`,
	}, yaml...)
	a, clk := apptest.New(t, engine, false, settings...)
	return &sendEnv{a: a, clk: clk, srv: srv}
}

// person is a customer fixture: who they are and where they stand.
type person struct {
	name, email string
	// marketing gives marketing consent on e-mail; optedOut unsubscribes
	// them from marketing; failed marks the address as bounced.
	marketing, optedOut, failed bool
	timezone                    string
}

// customers stores ps and returns their ids.
func (e *sendEnv) customers(t *testing.T, ps ...person) []int64 {
	t.Helper()
	ctx := context.Background()
	now := e.clk.Now()
	var ids []int64
	err := e.a.DB.InTx(ctx, func(tx *store.Tx) error {
		for _, p := range ps {
			var id int64
			var email any
			if p.email != "" {
				email = p.email
			}
			if err := tx.QueryRow(ctx, `INSERT INTO customers (name, email, language, timezone, created_at, updated_at)
				VALUES ($1, $2, 'ru', $3, $4, $4) RETURNING id`, p.name, email, p.timezone, now).Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			var consent, failed any
			if p.marketing {
				consent = now.Add(-time.Hour)
			}
			if p.failed {
				failed = now.Add(-time.Hour)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO customer_channels (customer_id, channel, consent_at, marketing_consent_at, failed_at, updated_at)
				VALUES ($1, 'email', $2, $3, $4, $2)`, id, now.Add(-time.Hour), consent, failed); err != nil {
				return err
			}
			if p.optedOut {
				if err := customer.SetMarketingOptOut(ctx, tx, id, now.Add(-time.Minute)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func (e *sendEnv) campaign(t testing.TB, in campaign.Input) int64 {
	t.Helper()
	if in.Name == "" {
		in.Name = "Осенняя распродажа"
	}
	in.Channel = campaign.Email
	in.Audience = campaign.Audience{All: true}
	if in.Content == nil {
		in.Content = campaign.Contents{"ru": {Subject: "Скидки", Text: "Здравствуйте, {{.Customer.Name}}!", Markdown: "Здравствуйте!"}}
	}
	if in.Schedule == "" {
		in.Schedule = campaign.Now
	}
	id, err := e.a.Campaigns.Create(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// drain runs the send job until it finishes or snoozes for later.
func (e *sendEnv) drain(t testing.TB, id int64) {
	t.Helper()
	for range 1000 {
		snoozed, err := campaign.SendOnce(context.Background(), e.a.Campaigns, id)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.a.Campaigns.Progress(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !snoozed || (p.Sending == 0 && !e.due(t, id)) {
			return
		}
	}
	t.Fatal("the send job never ended")
}

// due tells whether a pending recipient of id is due now.
func (e *sendEnv) due(t testing.TB, id int64) bool {
	t.Helper()
	var n int64
	if err := e.a.DB.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM campaign_recipients
		WHERE campaign_id = $1 AND status = 'pending' AND due_at <= $2`, id, e.clk.Now()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// messageIDs maps each recipient address to the distinct Message-IDs it got.
func (e *sendEnv) messageIDs() map[string][]string {
	out := map[string][]string{}
	for _, m := range e.srv.Mails() {
		for _, to := range m.To {
			id := m.Header("Message-Id")
			if !slices.Contains(out[to], id) {
				out[to] = append(out[to], id)
			}
		}
	}
	return out
}

func status(t *testing.T, a *app.App, id int64) campaign.Status {
	t.Helper()
	c, err := a.Campaigns.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Status
}

func TestSendConsentAndSuppressions(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newSendEnv(t, engine)
			ids := e.customers(t,
				person{name: "Анна", email: "anna@example.com", marketing: true},
				person{name: "Jānis", email: "janis@example.lv", marketing: true},
				person{name: "Без согласия", email: "noconsent@example.com"},
				person{name: "Отписалась", email: "optedout@example.com", marketing: true, optedOut: true},
				person{name: "Отскок", email: "bounced@example.com", marketing: true, failed: true},
				person{name: "Без адреса", marketing: true},
			)
			id := e.campaign(t, campaign.Input{})
			ctx := context.Background()
			if err := e.a.Campaigns.Start(ctx, id, "owner"); err != nil {
				t.Fatal(err)
			}
			var se *campaign.StateError
			if err := e.a.Campaigns.Start(ctx, id, "owner"); !errors.As(err, &se) {
				t.Fatalf("a second start: %v, want a StateError", err)
			}
			if s := status(t, e.a, id); s != campaign.Sending {
				t.Fatalf("status %s after start", s)
			}
			e.drain(t, id)
			got := e.messageIDs()
			want := map[string][]string{
				"anna@example.com": {fmt.Sprintf("<%s@shopcare>", campaign.MessageID(id, ids[0]))},
				"janis@example.lv": {fmt.Sprintf("<%s@shopcare>", campaign.MessageID(id, ids[1]))},
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("mails %v, want %v", got, want)
			}
			p, err := e.a.Campaigns.Progress(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			wantSup := map[string]int64{campaign.ReasonNoConsent: 1, campaign.ReasonUnsubscribed: 1, campaign.ReasonBounced: 1,
				campaign.ReasonNoAddress: 1}
			if p.AudienceSize != 6 || p.Sent != 2 || p.Suppressed != 4 || p.Pending+p.Sending+p.Failed != 0 ||
				fmt.Sprint(p.Suppressions) != fmt.Sprint(wantSup) {
				t.Fatalf("progress %+v", p)
			}
			if s := status(t, e.a, id); s != campaign.Sent {
				t.Fatalf("status %s at the end", s)
			}
			for _, m := range e.srv.Mails() {
				if m.Header("List-Unsubscribe") == "" {
					t.Fatalf("a campaign mail without List-Unsubscribe: %s", m.Data)
				}
			}

			// A second campaign the same day: the frequency cap holds
			// back those who just got the first.
			second := e.campaign(t, campaign.Input{Name: "Ещё одна"})
			if err := e.a.Campaigns.Start(ctx, second, "owner"); err != nil {
				t.Fatal(err)
			}
			e.drain(t, second)
			p, err = e.a.Campaigns.Progress(ctx, second)
			if err != nil {
				t.Fatal(err)
			}
			if p.Sent != 0 || p.Suppressions[campaign.ReasonFrequencyCap] != 2 || e.srv.Count() != 2 {
				t.Fatalf("second campaign's progress %+v, %d mails", p, e.srv.Count())
			}
		})
	}
}

func TestSendPauseResumeCancel(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newSendEnv(t, engine)
			var ps []person
			for i := range 7 {
				ps = append(ps, person{name: fmt.Sprint("Покупатель ", i), email: fmt.Sprintf("c%d@example.com", i), marketing: true})
			}
			e.customers(t, ps...)
			ctx := context.Background()
			id := e.campaign(t, campaign.Input{})
			var se *campaign.StateError
			if err := e.a.Campaigns.Pause(ctx, id); !errors.As(err, &se) {
				t.Fatalf("pausing a draft: %v", err)
			}
			if err := e.a.Campaigns.Start(ctx, id, "owner"); err != nil {
				t.Fatal(err)
			}
			if err := e.a.Campaigns.Pause(ctx, id); err != nil {
				t.Fatal(err)
			}
			e.drain(t, id)
			if e.srv.Count() != 0 || status(t, e.a, id) != campaign.Paused {
				t.Fatalf("a paused campaign sent %d", e.srv.Count())
			}
			if err := e.a.Campaigns.Resume(ctx, id); err != nil {
				t.Fatal(err)
			}
			if err := e.a.Campaigns.Resume(ctx, id); !errors.As(err, &se) {
				t.Fatalf("resuming a sending campaign: %v", err)
			}
			e.drain(t, id)
			if e.srv.Count() != 7 || status(t, e.a, id) != campaign.Sent {
				t.Fatalf("after resume: %d mails, %s", e.srv.Count(), status(t, e.a, id))
			}
			if err := e.a.Campaigns.Cancel(ctx, id); !errors.As(err, &se) {
				t.Fatalf("cancelling a sent campaign: %v", err)
			}

			// Cancelled before its customers' morning: nobody gets it.
			later := e.campaign(t, campaign.Input{Name: "Утренняя", Schedule: campaign.CustomerMorning})
			if err := e.a.Campaigns.Start(ctx, later, "owner"); err != nil {
				t.Fatal(err)
			}
			if s := status(t, e.a, later); s != campaign.Scheduled {
				t.Fatalf("a morning campaign at noon is %s", s)
			}
			if err := e.a.Campaigns.Cancel(ctx, later); err != nil {
				t.Fatal(err)
			}
			e.clk.Advance(48 * time.Hour)
			e.drain(t, later)
			if e.srv.Count() != 7 || status(t, e.a, later) != campaign.Cancelled {
				t.Fatalf("a cancelled campaign sent: %d mails, %s", e.srv.Count(), status(t, e.a, later))
			}
		})
	}
}

func TestSendContactHours(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newSendEnv(t, engine)
			// 12:00 UTC: 15:00 in Moscow, 07:00 in New York (before hours).
			e.customers(t, person{name: "Москва", email: "msk@example.com", marketing: true, timezone: "Europe/Moscow"},
				person{name: "New York", email: "ny@example.com", marketing: true, timezone: "America/New_York"})
			ctx := context.Background()
			id := e.campaign(t, campaign.Input{})
			if err := e.a.Campaigns.Start(ctx, id, "owner"); err != nil {
				t.Fatal(err)
			}
			e.drain(t, id)
			got := e.messageIDs()
			if len(got) != 1 || got["msk@example.com"] == nil {
				t.Fatalf("at 07:00 in New York: %v", got)
			}
			e.clk.Advance(2 * time.Hour) // 09:00 in New York
			e.drain(t, id)
			if got := e.messageIDs(); len(got) != 2 || status(t, e.a, id) != campaign.Sent {
				t.Fatalf("at 09:00 in New York: %v, %s", got, status(t, e.a, id))
			}
		})
	}
}

func TestSendPermanentFailure(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newSendEnv(t, engine)
			ids := e.customers(t, person{name: "Нет ящика", email: "gone@example.com", marketing: true},
				person{name: "Есть", email: "here@example.com", marketing: true})
			e.srv.Refuse("gone@example.com", 550, "no such mailbox")
			ctx := context.Background()
			id := e.campaign(t, campaign.Input{})
			if err := e.a.Campaigns.Start(ctx, id, "owner"); err != nil {
				t.Fatal(err)
			}
			e.drain(t, id)
			p, err := e.a.Campaigns.Progress(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if p.Sent != 1 || p.Failed != 1 {
				t.Fatalf("progress %+v", p)
			}
			st, err := customer.ListChannelStandings(ctx, e.a.DB.Read(), ids[0])
			if err != nil {
				t.Fatal(err)
			}
			if len(st) != 1 || st[0].FailedAt == nil || !strings.Contains(st[0].Failure, "550") {
				t.Fatalf("the refused address's standing: %+v", st)
			}
		})
	}
}

func TestSendABTest(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newSendEnv(t, engine)
			var ps []person
			for i := range 40 {
				ps = append(ps, person{name: fmt.Sprint("Покупатель ", i), email: fmt.Sprintf("c%d@example.com", i), marketing: true})
			}
			e.customers(t, ps...)
			ctx := context.Background()
			id := e.campaign(t, campaign.Input{
				VariantB: campaign.Contents{"ru": {Subject: "Вариант Б", Text: "Б", Markdown: "Б"}},
				Test:     campaign.Test{Share: 50, Metric: campaign.MetricClicks, Wait: 2 * time.Hour},
				Holdout:  10,
			})
			if err := e.a.Campaigns.Start(ctx, id, "owner"); err != nil {
				t.Fatal(err)
			}
			e.drain(t, id)
			p, err := e.a.Campaigns.Progress(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			// 40: 4 held, 18 tested (9 a, 9 b), 18 waiting for the winner.
			if p.Held != 4 || p.Sent != 18 || p.Waiting != 18 {
				t.Fatalf("progress during the test %+v", p)
			}
			// Two of variant B's customers click.
			if err := e.a.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO campaign_clicks (campaign_id, customer_id, link, url, at)
					SELECT campaign_id, customer_id, 0, 'https://shop.example.com', $2 FROM campaign_recipients
					WHERE campaign_id = $1 AND variant = 'b' LIMIT 2`, id, e.clk.Now())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			e.clk.Advance(2 * time.Hour)
			e.drain(t, id)
			c, err := e.a.Campaigns.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if c.Winner != campaign.VariantB || c.Status != campaign.Sent {
				t.Fatalf("winner %q, status %s", c.Winner, c.Status)
			}
			b := 0
			for _, m := range e.srv.Mails() {
				if m.Subject() == "Вариант Б" {
					b++
				}
			}
			if e.srv.Count() != 36 || b != 9+18 {
				t.Fatalf("%d mails, %d of variant b", e.srv.Count(), b)
			}
		})
	}
}

func TestSendPausesAfterErrors(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newSendEnv(t, engine, "campaigns:", "  max_errors: 3")
			var ps []person
			for i := range 8 {
				addr := fmt.Sprintf("c%d@example.com", i)
				ps = append(ps, person{name: fmt.Sprint("Покупатель ", i), email: addr, marketing: true})
				e.srv.Refuse(addr, 453, "try again later")
			}
			e.customers(t, ps...)
			ctx := context.Background()
			id := e.campaign(t, campaign.Input{})
			if err := e.a.Campaigns.Start(ctx, id, "owner"); err != nil {
				t.Fatal(err)
			}
			e.drain(t, id)
			c, err := e.a.Campaigns.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			p, err := e.a.Campaigns.Progress(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if c.Status != campaign.Paused || c.StatusReason != campaign.PausedErrors || p.Sent != 0 || p.Pending != 8 {
				t.Fatalf("after failures in a row: %s (%s), %+v", c.Status, c.StatusReason, p)
			}
		})
	}
}
