package campaign_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// audienceShop is twenty synthetic customers (ids 1–20) and one who
// ordered, with scores, consents, a tier and a club membership:
//
//   - 1–10 champions (RFM 5x3 with x = id%5+1, CLV id×100.00), 11–20 unscored;
//   - e-mail marketing consent 1–6, but 2 opted out of e-mail, 3's address
//     bounced, 4 unsubscribed from all marketing, 5 has no address: 1 and
//     6 are reachable by e-mail; 8 has SMS consent (and a phone);
//   - 7 is erased: in no audience;
//   - 11–15 speak Latvian in Latvia; 1 and 12 hold the gold card;
//   - 9 and 13 are in the club's one project, 14 left it;
//   - the order's customer bought POT-1 in category "pots".
func audienceShop(t *testing.T, engine store.Engine) (*app.App, int64) {
	t.Helper()
	ctx := context.Background()
	a, clk := apptest.New(t, engine, false)
	at := clk.Now().Add(-24 * time.Hour)
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		return customer.SyntheticInsert(ctx, tx, customer.Synthetic{Engine: engine, From: 1, To: 20, At: at})
	})
	if err != nil {
		t.Fatal(err)
	}
	o := apptest.Order(t, a, order.NewOrder{ExternalID: "P-1", Customer: customer.Input{ExternalID: "buyer", Name: "Анна",
		Email: "anna@example.com"}, Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 1000}}})
	err = a.DB.InTx(ctx, func(tx *store.Tx) error {
		for _, q := range []string{
			`INSERT INTO customer_scores (customer_id, frequency, recency, age, monetary_minor, expected_30, expected_90, expected_365,
				p_alive, clv_minor, rfm, segment, segment_since, scored_at)
				SELECT id, 1, 1, 1, 1000, 0.1, 0.3, 1, 0.8, id * 10000, '5' || (id % 5 + 1) || '3', 'champions', $1, $1
				FROM customers WHERE id <= 10`,
			`INSERT INTO customer_channels (customer_id, channel, marketing_consent_at, marketing_consent_source, updated_at)
				SELECT id, 'email', $1, 'test', $1 FROM customers WHERE id <= 6`,
			`UPDATE customer_channels SET opted_out_at = $1 WHERE customer_id = 2`,
			`UPDATE customer_channels SET failed_at = $1, failure = 'bounced' WHERE customer_id = 3`,
			`UPDATE customers SET marketing_opted_out_at = $1 WHERE id = 4`,
			`UPDATE customers SET email = NULL WHERE id = 5`,
			`UPDATE customers SET phone = '+79990000008' WHERE id = 8`,
			`INSERT INTO customer_channels (customer_id, channel, marketing_consent_at, updated_at) VALUES (8, 'sms', $1, $1)`,
			`UPDATE customers SET erased_at = $1 WHERE id = 7`,
			`UPDATE customers SET language = 'lv', country = 'LV' WHERE id BETWEEN 11 AND 15`,
			`INSERT INTO loyalty_accounts (code, customer_id, tier, created_at) VALUES ('m1', 1, 'gold', $1), ('m12', 12, 'gold', $1)`,
			`INSERT INTO insider_projects (kind, title_en, created_at, updated_at) VALUES ('pre_order', 'Pan', $1, $1)`,
			`INSERT INTO insider_members (project_id, customer_id, source, consent_version, consent_lang, joined_at)
				SELECT p.id, c.id, 'my_page', 1, 'ru', $1 FROM insider_projects p, customers c WHERE c.id IN (9, 13, 14)`,
			`UPDATE insider_members SET left_at = $1 WHERE customer_id = 14`,
			`UPDATE order_items SET category = 'pots' WHERE sku = 'POT-1'`,
		} {
			var args []any
			if strings.Contains(q, "$1") {
				args = append(args, at)
			}
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return a, o.Customer.ID
}

func ptr(v float64) *float64 { return &v }

// TestCountAudience: each criterion narrows the audience, they combine,
// and the reach counts only marketing consent on the channel with an
// address that stands.
func TestCountAudience(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, buyer := audienceShop(t, engine)
			gold := "gold"
			var project int64
			if err := a.DB.Read().QueryRow(ctx, `SELECT id FROM insider_projects`).Scan(&project); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name      string
				audience  campaign.Audience
				channel   string
				customers int64
				reachable int64
			}{
				{"all", campaign.Audience{All: true}, campaign.Email, 20, 2}, // 21 less the erased
				{"all by sms", campaign.Audience{All: true}, campaign.SMS, 20, 1},
				{"all on paper", campaign.Audience{All: true}, campaign.Paper, 20, 20},
				{"segment", campaign.Audience{Segment: "champions"}, campaign.Email, 9, 2},
				{"another segment", campaign.Audience{Segment: "at_risk"}, campaign.Email, 0, 0},
				{"rfm", campaign.Audience{RFM: "52*"}, campaign.Email, 2, 2}, // 1 and 6
				{"rfm no", campaign.Audience{RFM: "1**"}, campaign.Email, 0, 0},
				{"clv", campaign.Audience{MinCLV: ptr(300), MaxCLV: ptr(600)}, campaign.Email, 4, 1}, // 3–6: 6
				{"tier", campaign.Audience{Tier: gold}, campaign.Email, 2, 1},
				{"club", campaign.Audience{Club: true}, campaign.Email, 2, 0},
				{"club project", campaign.Audience{ClubProject: project}, campaign.Email, 2, 0},
				{"another project", campaign.Audience{ClubProject: project + 1}, campaign.Email, 0, 0},
				{"product", campaign.Audience{Product: "POT-1"}, campaign.Email, 1, 0},
				{"category", campaign.Audience{Category: "pots"}, campaign.Email, 1, 0},
				{"languages", campaign.Audience{Languages: []string{"lv"}}, campaign.Email, 5, 0},
				{"countries", campaign.Audience{Countries: []string{"LV", "EE"}}, campaign.Email, 5, 0},
				{"combined", campaign.Audience{Tier: gold, Countries: []string{"LV"}}, campaign.Email, 1, 0},
			} {
				n, err := a.Campaigns.CountAudience(ctx, c.audience, c.channel)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				if n.Customers != c.customers || n.Reachable != c.reachable {
					t.Errorf("%s: %d customers, %d reachable; want %d, %d", c.name, n.Customers, n.Reachable, c.customers, c.reachable)
				}
			}
			// The buyer gives marketing consent: now the product reaches one.
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO customer_channels (customer_id, channel, marketing_consent_at, updated_at)
					VALUES ($1, 'email', $2, $2)`, buyer, time.Now())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if n, err := a.Campaigns.CountAudience(ctx, campaign.Audience{Product: "POT-1"}, campaign.Email); err != nil || n.Reachable != 1 {
				t.Errorf("product after consent: %+v %v", n, err)
			}
		})
	}
}

// TestAudienceMembers: the members come in id order, consent or not,
// never the erased, and the callback may write in the same transaction.
func TestAudienceMembers(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, buyer := audienceShop(t, engine)
			var got []int64
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				return a.Campaigns.Members(ctx, tx, campaign.Audience{All: true}, campaign.Email, func(id int64) error {
					got = append(got, id)
					// A write between pages, in the same transaction.
					_, err := tx.Exec(ctx, `UPDATE customers SET city = 'Riga' WHERE id = $1`, id)
					return err
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			want := []int64{1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, buyer}
			if !slices.Equal(got, want) {
				t.Errorf("members %v, want %v", got, want)
			}
			got = nil
			err = a.Campaigns.Members(ctx, a.DB.Read(), campaign.Audience{Segment: "champions", Languages: []string{"lv"}}, campaign.Email,
				func(id int64) error { got = append(got, id); return nil })
			if err != nil || len(got) != 0 {
				t.Errorf("champions in Latvian: %v %v", got, err)
			}
			stop := errors.New("stop")
			if err := a.Campaigns.Members(ctx, a.DB.Read(), campaign.Audience{All: true}, campaign.Email,
				func(int64) error { return stop }); !errors.Is(err, stop) {
				t.Errorf("the callback's error: %v", err)
			}
		})
	}
}

// TestSavedAudiences: an audience saved by name combines with the
// criteria beside it; names are unique; a deleted one is a 422 naming
// audience.saved; a bad audience is refused with its fields and nothing
// is written.
func TestSavedAudiences(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := audienceShop(t, engine)
			s := a.Campaigns
			saved, err := s.SaveAudience(ctx, " Чемпионы ", campaign.Audience{Segment: "champions"})
			if err != nil || saved.ID == 0 || saved.Name != "Чемпионы" {
				t.Fatalf("save: %+v %v", saved, err)
			}
			if _, err := s.SaveAudience(ctx, "Чемпионы", campaign.Audience{All: true}); fieldOf(err) != "name" {
				t.Errorf("a taken name: %v", err)
			}
			if _, err := s.SaveAudience(ctx, "nested", campaign.Audience{Saved: saved.ID}); fieldOf(err) != "audience.saved" {
				t.Errorf("a saved audience naming another: %v", err)
			}
			if _, err := s.SaveAudience(ctx, "bad", campaign.Audience{Segment: "vip"}); fieldOf(err) != "audience.segment" {
				t.Errorf("a bad segment: %v", err)
			}
			list, err := s.Audiences(ctx)
			if err != nil || len(list) != 1 || list[0].Audience.Segment != "champions" {
				t.Fatalf("list: %+v %v", list, err)
			}
			for _, c := range []struct {
				audience  campaign.Audience
				customers int64
			}{
				{campaign.Audience{Saved: saved.ID}, 9},
				{campaign.Audience{Saved: saved.ID, Tier: "gold"}, 1},
				{campaign.Audience{Saved: saved.ID, Segment: "at_risk"}, 0}, // two segments: nobody
				{campaign.Audience{Saved: saved.ID, RFM: "*2*"}, 2},
			} {
				n, err := s.CountAudience(ctx, c.audience, campaign.Email)
				if err != nil || n.Customers != c.customers {
					t.Errorf("%+v: %+v %v, want %d", c.audience, n, err, c.customers)
				}
			}
			if err := s.DeleteAudience(ctx, saved.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteAudience(ctx, saved.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("delete again: %v", err)
			}
			if _, err := s.CountAudience(ctx, campaign.Audience{Saved: saved.ID}, campaign.Email); fieldOf(err) != "audience.saved" {
				t.Errorf("a deleted saved audience: %v", err)
			}
		})
	}
}

// TestAudienceValidation: every bad criterion is named.
func TestAudienceValidation(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, store.SQLite, false)
	ctx := context.Background()
	for _, c := range []struct {
		audience campaign.Audience
		channel  string
		field    string
	}{
		{campaign.Audience{}, campaign.Email, "audience"},
		{campaign.Audience{All: true}, "fax", "channel"},
		{campaign.Audience{Segment: "vip"}, campaign.Email, "audience.segment"},
		{campaign.Audience{Tier: "platinum"}, campaign.Email, "audience.tier"},
		{campaign.Audience{RFM: "6**"}, campaign.Email, "audience.rfm"},
		{campaign.Audience{RFM: "5*"}, campaign.Email, "audience.rfm"},
		{campaign.Audience{MinCLV: ptr(-1)}, campaign.Email, "audience.min_clv"},
		{campaign.Audience{MinCLV: ptr(5), MaxCLV: ptr(1)}, campaign.Email, "audience.max_clv"},
		{campaign.Audience{Languages: []string{"RU"}}, campaign.Email, "audience.languages[0]"},
		{campaign.Audience{Countries: []string{"RU", "lv"}}, campaign.Email, "audience.countries[1]"},
		{campaign.Audience{Product: "a\x00b"}, campaign.Email, "audience.product"},
		{campaign.Audience{ClubProject: -1}, campaign.Email, "audience.club_project"},
	} {
		_, err := a.Campaigns.CountAudience(ctx, c.audience, c.channel)
		if got := fieldOf(err); got != c.field {
			t.Errorf("%+v on %s: field %q (%v), want %q", c.audience, c.channel, got, err, c.field)
		}
	}
}

// fieldOf is the field an invalid error names first, "" for another.
func fieldOf(err error) string {
	if e, ok := invalid.First(err); ok {
		return e.Field
	}
	return ""
}
