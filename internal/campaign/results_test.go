package campaign_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// resultsShop is a shop whose customers each have one old order.
type resultsShop struct {
	a   *app.App
	clk *clock.Fake
	n   int
}

func newResultsShop(t *testing.T, engine store.Engine) *resultsShop {
	t.Helper()
	a, clk := apptest.New(t, engine, false)
	return &resultsShop{a: a, clk: clk}
}

// customer makes a customer (by an order placed now) and returns their id.
func (s *resultsShop) customer(t *testing.T, name string) int64 {
	t.Helper()
	return s.order(t, name, 1000).CustomerID
}

// order places an order of the customer named name, now, worth price.
func (s *resultsShop) order(t *testing.T, name string, price int64) *order.Order {
	t.Helper()
	s.n++
	return apptest.Order(t, s.a, order.NewOrder{ExternalID: fmt.Sprintf("R-%d", s.n), Carrier: "courier",
		Customer: customer.Input{ExternalID: "c-" + name, Name: name, Email: name + "@example.com", Language: "en"},
		Items:    []order.Item{{SKU: "TEA", Name: "Tea", Qty: 1, PriceMinor: price}}})
}

func timePtr(t time.Time) *time.Time { return &t }

// TestResults: clicks counted but for the scanners', orders attributed to
// the last click else the last message within the window, per variant,
// the holdout's baseline, bounces and complaints, and erasure keeping the
// figures.
func TestResults(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newResultsShop(t, engine)
			svc := s.a.Campaigns
			ann, bob, cid, dan, eve := s.customer(t, "ann"), s.customer(t, "bob"), s.customer(t, "cid"), s.customer(t, "dan"), s.customer(t, "eve")
			s.clk.Advance(time.Hour)
			sent := s.clk.Now()
			id, err := campaign.SeedCampaign(ctx, s.a.DB, "Spring", 5, 20, 50, 700, sent, []campaign.SeededRecipient{
				{CustomerID: ann, Variant: campaign.VariantA, Status: campaign.RecipientSent, DueAt: sent, SentAt: timePtr(sent)},
				{CustomerID: bob, Variant: campaign.VariantB, Status: campaign.RecipientSent, DueAt: sent, SentAt: timePtr(sent)},
				{CustomerID: cid, Variant: campaign.VariantB, Status: campaign.RecipientSent, DueAt: sent, SentAt: timePtr(sent)},
				{CustomerID: dan, Variant: campaign.VariantHoldout, Status: campaign.RecipientHeld, DueAt: sent},
				{CustomerID: eve, Variant: campaign.VariantA, Status: campaign.RecipientSuppressed, DueAt: sent},
			})
			if err != nil {
				t.Fatal(err)
			}
			click := func(customerID int64, link int, prefetch bool) {
				t.Helper()
				u := svc.TrackedURL(id, customerID, link, fmt.Sprintf("https://shop.example/p/%d?x=1", link))
				tok, ok := strings.CutPrefix(u, "http://127.0.0.1:8080/c/")
				if !ok {
					t.Fatalf("tracked url %q", u)
				}
				dest, err := svc.RecordClick(ctx, tok, campaign.Click{Prefetch: prefetch})
				if err != nil || dest != fmt.Sprintf("https://shop.example/p/%d?x=1", link) {
					t.Fatalf("click: %q, %v", dest, err)
				}
			}
			// A scanner: within seconds of the send, then a burst.
			s.clk.Advance(3 * time.Second)
			click(cid, 0, false)
			s.clk.Advance(time.Hour)
			click(cid, 0, true)
			click(cid, 1, false)
			click(cid, 2, false)
			if got, _ := campaign.Suspects(ctx, s.a.DB.Read(), cid); strings.Join(got, ",") != "too_soon,prefetch,burst,burst" {
				t.Fatalf("cid's clicks: %v", got)
			}
			// Ann clicks twice, a minute apart: two clicks, one clicker.
			click(ann, 0, false)
			s.clk.Advance(time.Minute)
			click(ann, 0, false)

			// A second campaign reaches bob later: his order is its (last
			// touch), while ann's order follows her click on the first.
			s.clk.Advance(time.Hour)
			later := s.clk.Now()
			other, err := campaign.SeedCampaign(ctx, s.a.DB, "Later", 5, 0, 0, 0, later, []campaign.SeededRecipient{
				{CustomerID: bob, Variant: campaign.VariantA, Status: campaign.RecipientSent, DueAt: later, SentAt: timePtr(later)},
			})
			if err != nil {
				t.Fatal(err)
			}
			s.clk.Advance(24 * time.Hour)
			annOrder := s.order(t, "ann", 2500)
			s.order(t, "bob", 4000)
			s.order(t, "dan", 1500)
			s.clk.Advance(6 * 24 * time.Hour) // past the window
			s.order(t, "cid", 9900)
			s.order(t, "dan", 1000)

			r, err := svc.Results(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if r.Sent != 3 || r.Delivered != 3 || r.Clicked != 1 || r.Clicks != 2 || r.Orders != 1 || r.RevenueMinor != annOrder.TotalMinor ||
				r.RevenuePerMessageMinor != annOrder.TotalMinor/3 || r.CostMinor != 700 {
				t.Fatalf("results %+v", r)
			}
			if len(r.Variants) != 2 || r.Variants[0].Variant != "a" || r.Variants[0].Sent != 1 || r.Variants[0].Orders != 1 ||
				r.Variants[1].Variant != "b" || r.Variants[1].Sent != 2 || r.Variants[1].Clicked != 0 {
				t.Fatalf("variants %+v", r.Variants)
			}
			// The holdout's one customer ordered 1500 in the window; the
			// three recipients ordered ann's and bob's.
			h := r.Holdout
			if h == nil || h.Customers != 1 || h.Orders != 1 || h.RevenueMinor != 1500 ||
				h.IncrementalMinor != annOrder.TotalMinor+4000-3*1500 {
				t.Fatalf("holdout %+v", h)
			}
			ro, err := svc.Results(ctx, other)
			if err != nil || ro.Orders != 1 || ro.RevenueMinor != 4000 || ro.Holdout != nil || ro.Variants != nil {
				t.Fatalf("the later campaign: %+v, %v", ro, err)
			}
			scores, err := svc.VariantScore(ctx, id, campaign.MetricClicks)
			if err != nil || scores["a"] != 1 || scores["b"] != 0 {
				t.Fatalf("scores by clicks %v, %v", scores, err)
			}
			scores, err = svc.VariantScore(ctx, id, campaign.MetricOrders)
			if err != nil || scores["a"] != 1 || scores["b"] != 0 {
				t.Fatalf("scores by orders %v, %v", scores, err)
			}

			// A bounce and a complaint, as the inbox reports them.
			err = s.a.DB.InTx(ctx, func(tx *store.Tx) error {
				if err := svc.RecordBounce(ctx, tx, fmt.Sprintf("<k%d-%d@shopcare>", id, bob), false, s.clk.Now()); err != nil {
					return err
				}
				if err := svc.RecordBounce(ctx, tx, fmt.Sprintf("k%d-%d", id, cid), true, s.clk.Now()); err != nil {
					return err
				}
				for _, junk := range []string{"m12@shopcare", "k-1-2", fmt.Sprintf("k%d-", id), "", "k+1-+2"} {
					if err := svc.RecordBounce(ctx, tx, junk, true, s.clk.Now()); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			r, err = svc.Results(ctx, id)
			if err != nil || r.Bounced != 1 || r.Delivered != 2 || r.Complained != 1 {
				t.Fatalf("after the reports: %+v, %v", r, err)
			}
			for who, want := range map[int64]bool{cid: true, bob: false} {
				p, err := customer.GetProfile(ctx, s.a.DB.Read(), who)
				if err != nil {
					t.Fatal(err)
				}
				if (p.MarketingOptedOutAt != nil) != want {
					t.Fatalf("customer %d opted out of marketing: %v, want %v", who, p.MarketingOptedOutAt, want)
				}
			}

			// Erasure blanks the links and keeps the figures.
			err = s.a.DB.InTx(ctx, func(tx *store.Tx) error {
				n, err := campaign.ErasePersonal(ctx, tx, ann, s.clk.Now())
				if err == nil && n["campaign_clicks"] != 2 {
					err = fmt.Errorf("erased %v", n)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if urls, _ := campaign.ClickURLs(ctx, s.a.DB.Read(), ann); strings.Join(urls, "") != "" || len(urls) != 2 {
				t.Fatalf("ann's clicks after erasure: %q", urls)
			}
			if after, err := svc.Results(ctx, id); err != nil || after.Clicks != r.Clicks || after.Orders != r.Orders {
				t.Fatalf("after erasure: %+v, %v", after, err)
			}
		})
	}
}

// TestTrackedLinks: only http(s) links are tracked; a forged, altered or
// foreign token is ErrClickToken; a test send's link (no recipient row)
// leads on without counting.
func TestTrackedLinks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newResultsShop(t, store.SQLite)
	svc := s.a.Campaigns
	for _, dest := range []string{"mailto:a@b.c", "javascript:alert(1)", "/relative", "https://", "ftp://x.y/z", ""} {
		if got := svc.TrackedURL(1, 2, 0, dest); got != dest {
			t.Errorf("%q tracked as %q", dest, got)
		}
	}
	u := svc.TrackedURL(7, 99, 3, "https://shop.example/a")
	tok := strings.TrimPrefix(u, "http://127.0.0.1:8080/c/")
	if tok == u {
		t.Fatalf("not tracked: %q", u)
	}
	if dest, err := svc.RecordClick(ctx, tok, campaign.Click{}); err != nil || dest != "https://shop.example/a" {
		t.Fatalf("a link without a recipient: %q, %v", dest, err)
	}
	b := []byte(tok)
	for i := range b {
		alt := append([]byte(nil), b...)
		alt[i] ^= 1
		if alt[i] == '-' || alt[i] == '_' || alt[i] >= '0' && alt[i] <= '9' || alt[i] >= 'a' && alt[i] <= 'z' || alt[i] >= 'A' && alt[i] <= 'Z' {
			if _, err := svc.RecordClick(ctx, string(alt), campaign.Click{}); !errors.Is(err, campaign.ErrClickToken) {
				t.Fatalf("altered at %d: %v", i, err)
			}
		}
	}
	other := newResultsShop(t, store.SQLite) // another shop's key
	if _, err := other.a.Campaigns.RecordClick(ctx, tok, campaign.Click{}); !errors.Is(err, campaign.ErrClickToken) {
		t.Fatalf("another shop's token: %v", err)
	}
	if urls, _ := campaign.ClickURLs(ctx, s.a.DB.Read(), 99); len(urls) != 0 {
		t.Fatalf("clicks recorded: %v", urls)
	}
}

// FuzzClickToken: no token makes parseClick panic or accept what it did
// not sign; what it signs comes back as it was.
func FuzzClickToken(f *testing.F) {
	a, _ := apptest.New(f, store.SQLite, false)
	svc := a.Campaigns
	f.Add(int64(1), int64(0), "", int64(2), 0, "https://shop.example/", "")
	f.Add(int64(0), int64(5), "welcome_1", int64(9), 65535, "http://x.y/?q=ü", "AQ")
	f.Add(int64(-1), int64(0), "", int64(2), -1, "javascript:alert(1)", "not base64!")
	f.Add(int64(3), int64(0), strings.Repeat("r", 70), int64(2), 1, "https://a.b/"+strings.Repeat("x", 5000), "")
	f.Fuzz(func(t *testing.T, campaignID, messageID int64, rule string, customerID int64, link int, dest, junk string) {
		if _, _, _, _, _, err := svc.ParseClick(junk); err == nil {
			t.Fatalf("accepted unsigned %q", junk)
		}
		tok := svc.ClickToken(campaignID, messageID, rule, customerID, link, dest)
		if tok == "" {
			return
		}
		k, m, c, l, d, err := svc.ParseClick(tok)
		if err != nil {
			return // signed but not a destination /c/ leads to (not http(s))
		}
		if c != customerID || l != link || d != dest || (k != campaignID && campaignID != 0) || (campaignID == 0 && m != messageID) {
			t.Fatalf("round trip: %d %d %d %d %q", k, m, c, l, d)
		}
	})
}

// TestInboxReports: the inbox's bounce and spam complaint (an ARF report)
// of a campaign's message reach its recipient: bounced, complained and
// opted out of marketing, through the app's wiring.
func TestInboxReports(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newResultsShop(t, engine)
			ann, bob := s.customer(t, "ann"), s.customer(t, "bob")
			now := s.clk.Now()
			id, err := campaign.SeedCampaign(ctx, s.a.DB, "News", 5, 0, 0, 0, now, []campaign.SeededRecipient{
				{CustomerID: ann, Variant: campaign.VariantA, Status: campaign.RecipientSent, DueAt: now, SentAt: timePtr(now)},
				{CustomerID: bob, Variant: campaign.VariantA, Status: campaign.RecipientSent, DueAt: now, SentAt: timePtr(now)},
			})
			if err != nil {
				t.Fatal(err)
			}
			for i, in := range []inbox.Inbound{
				{Channel: inbox.ChannelEmail, From: "mailer-daemon@mx.example.com", To: "shop@shop.example", Subject: "Undelivered",
					Text: "failed", Auto: inbox.Bounce, Bounce: &inbox.BounceReport{Recipient: "ann@example.com", Status: "5.1.1",
						Permanent: true, OriginalMessageID: fmt.Sprintf("k%d-%d@shopcare", id, ann)}},
				{Channel: inbox.ChannelEmail, From: "fbl@corp.mail.ru", To: "shop@shop.example", Subject: "complaint",
					Text: "report", Auto: inbox.Bounce, Bounce: &inbox.BounceReport{Recipient: "", Status: "abuse",
						Complaint: true, OriginalMessageID: fmt.Sprintf("k%d-%d@shopcare", id, bob)}},
			} {
				in.MessageID = fmt.Sprintf("report-%d@example.com", i)
				if err := s.a.Inbox.Receive(ctx, in); err != nil {
					t.Fatal(err)
				}
			}
			r, err := s.a.Campaigns.Results(ctx, id)
			if err != nil || r.Sent != 2 || r.Bounced != 1 || r.Delivered != 1 || r.Complained != 1 {
				t.Fatalf("results %+v, %v", r, err)
			}
			p, err := customer.GetProfile(ctx, s.a.DB.Read(), bob)
			if err != nil || p.MarketingOptedOutAt == nil {
				t.Fatalf("bob after his complaint: %+v, %v", p, err)
			}
			p, err = customer.GetProfile(ctx, s.a.DB.Read(), ann)
			if err != nil || p.MarketingOptedOutAt != nil {
				t.Fatalf("ann after her bounce: %+v, %v", p, err)
			}
		})
	}
}

// TestFlowResults: the marketing flows' messages are reported by rule like
// campaigns: sent, bounced, clicks on their tracked links (not the
// scanners'), and the orders attributed to them.
func TestFlowResults(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newResultsShop(t, engine)
			ann, bob, cid := s.customer(t, "ann"), s.customer(t, "bob"), s.customer(t, "cid")
			from := s.clk.Now()
			s.clk.Advance(time.Hour)
			now := s.clk.Now()
			plans := []message.Plan{
				{CustomerID: ann, Rule: "welcome_1", Template: "welcome_1", DedupeKey: "w1-ann", Language: "en"},
				{CustomerID: bob, Rule: "welcome_1", Template: "welcome_1", DedupeKey: "w1-bob", Language: "en"},
				{CustomerID: cid, Rule: "win_back", Template: "win_back", DedupeKey: "wb-cid", Language: "en"},
				{CustomerID: cid, Rule: "shipped", Template: "shipped", DedupeKey: "sh-cid", Language: "en", Transactional: true},
			}
			for i := range plans {
				plans[i].EventAt, plans[i].ScheduledAt = now, now
			}
			ids := map[string]int64{}
			err := s.a.DB.InTx(ctx, func(tx *store.Tx) error {
				if _, err := message.Schedule(ctx, tx, s.a.Queue, plans, now); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE messages SET status = 'sent', sent_at = $1`, now); err != nil {
					return err
				}
				return store.Each(ctx, tx, `SELECT dedupe_key, id FROM messages`, nil, func(r store.Rows) error {
					var k string
					var id int64
					err := r.Scan(&k, &id)
					ids[k] = id
					return err
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			err = s.a.DB.InTx(ctx, func(tx *store.Tx) error {
				return message.RecordReport(ctx, tx, ids["w1-bob"], false, now)
			})
			if err != nil {
				t.Fatal(err)
			}
			s.clk.Advance(time.Hour)
			for _, c := range []struct {
				key      string
				customer int64
				prefetch bool
			}{{"w1-ann", ann, false}, {"w1-ann", ann, false}, {"wb-cid", cid, true}} {
				u := s.a.Campaigns.FlowURL(ids[c.key], "ignored", c.customer, 0, "https://shop.example/")
				if _, err := s.a.Campaigns.RecordClick(ctx, strings.TrimPrefix(u, "http://127.0.0.1:8080/c/"), campaign.Click{Prefetch: c.prefetch}); err != nil {
					t.Fatal(err)
				}
				s.clk.Advance(time.Minute)
			}
			s.clk.Advance(24 * time.Hour)
			annOrder := s.order(t, "ann", 3000)
			s.order(t, "cid", 2000)
			got, err := s.a.Campaigns.FlowResults(ctx, from, s.clk.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].Rule != "welcome_1" || got[1].Rule != "win_back" {
				t.Fatalf("flows %+v", got)
			}
			w, b := got[0], got[1]
			if w.Sent != 2 || w.Bounced != 1 || w.Delivered != 1 || w.Clicked != 1 || w.Clicks != 2 || w.Orders != 1 ||
				w.RevenueMinor != annOrder.TotalMinor || w.RevenuePerMessageMinor != annOrder.TotalMinor/2 {
				t.Fatalf("welcome_1 %+v", w)
			}
			if b.Sent != 1 || b.Clicked != 0 || b.Orders != 1 {
				t.Fatalf("win_back %+v", b)
			}
			if _, err := s.a.Campaigns.FlowResults(ctx, now, from); err == nil {
				t.Fatal("a period that ends before it starts")
			}
		})
	}
}
