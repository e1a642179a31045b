package playbook_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestDeliverySurvey, on both engines: the follow-up after a delivery
// goes surveys.after_delivery later as the NPS survey — the page's link
// in its text, a row of eleven score links in its HTML — and a second
// delivery within surveys.quiet_days sends none.
func TestDeliverySurvey(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false, "playbook:", "  frequency_cap: 0s", "surveys:", "  after_delivery: 48h", "  quiet_days: 30")
			c := customer.Input{ExternalID: "c-s", Email: "s@example.com", Name: "Сергей", Language: "ru"}
			deliver := func(ext string) int64 {
				t.Helper()
				id := place(t, a, ext, c)
				if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Delivered}); err != nil {
					t.Fatal(err)
				}
				drain(t, a)
				return id
			}
			first := deliver("S-1")
			f := byRule(t, a, first, "delivered_followup")
			if d := f.ScheduledAt.Sub(clk.Now()); d < 48*time.Hour || d > 48*time.Hour+24*time.Hour {
				t.Fatalf("follow-up in %s, want 48h (and the customer's morning)", d)
			}
			clk.Set(f.ScheduledAt)
			if err := send(t, a, f.ID); err != nil {
				t.Fatal(err)
			}
			mails := srv.Mails()
			mail := mails[len(mails)-1]
			if !strings.Contains(mail.Text(), "/s/") || !strings.Contains(mail.Text(), "от 0 (точно нет) до 10") {
				t.Fatalf("survey text:\n%s", mail.Text())
			}
			if n := strings.Count(string(mail.Data), "score=3D"); n < 11 { // quoted-printable "score="
				if n = strings.Count(string(mail.Data), "score="); n < 11 {
					t.Fatalf("%d score links in the mail:\n%s", n, mail.Data)
				}
			}
			clk.Advance(24 * time.Hour)
			second := deliver("S-2")
			g := byRule(t, a, second, "delivered_followup")
			clk.Set(g.ScheduledAt)
			if err := send(t, a, g.ID); err != nil {
				t.Fatal(err)
			}
			if g = byRule(t, a, second, "delivered_followup"); g.Status != message.Suppressed || !strings.Contains(g.Reason, "quiet_days") {
				t.Fatalf("second survey within the quiet days: %s (%s)", g.Status, g.Reason)
			}
		})
	}
}
