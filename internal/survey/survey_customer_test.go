package survey_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/survey"
)

// TestForCustomerExportAndErasePersonal: ForCustomer lists a customer's
// answers, confirmed or not, the newest first, and no one else's (the
// export); ErasePersonal blanks that customer's comments only, keeps the
// scores, reports the count once and nothing on a second run.
func TestForCustomerExportAndErasePersonal(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newShop(t, engine)
			n := order.NewOrder{ExternalID: "S-2", Carrier: "courier",
				Customer: customer.Input{ExternalID: "c-2", Name: "Борис Белов", Email: "boris@example.com", Language: "ru"},
				Items:    []order.Item{{SKU: "TEA", Name: "Чай", Qty: 1, PriceMinor: 49000}}}
			other := apptest.Order(t, s.app, n)
			if got, err := s.app.Surveys.ForCustomer(ctx, s.customer); err != nil || got == nil || len(got) != 0 {
				t.Fatalf("before any answer: %v %v, want an empty list", got, err)
			}

			// Anna confirms her delivery survey with a comment, and
			// clicks (unconfirmed) on a CSAT about a conversation later.
			if _, err := s.app.Surveys.Confirm(ctx, s.app.Surveys.Token(s.ask()), survey.Answer{Score: 9, Comment: "Всё вовремя"}); err != nil {
				t.Fatal(err)
			}
			s.clock.Advance(time.Hour)
			conv := survey.Ask{Kind: survey.CSAT, Trigger: survey.Conversation, SubjectID: 77, CustomerID: s.customer,
				AskedAt: s.clock.Now().Add(-time.Hour).Truncate(time.Second), Channel: survey.ChannelEmail}
			if _, err := s.app.Surveys.Record(ctx, s.app.Surveys.Token(conv), 4, survey.Click{Channel: survey.ChannelEmail}); err != nil {
				t.Fatal(err)
			}
			// Boris's answer, which must stay.
			boris := survey.Ask{Kind: survey.NPS, Trigger: survey.Delivery, SubjectID: other.ID, CustomerID: other.CustomerID,
				AskedAt: s.clock.Now().Add(-time.Hour).Truncate(time.Second), Channel: survey.ChannelEmail}
			if _, err := s.app.Surveys.Confirm(ctx, s.app.Surveys.Token(boris), survey.Answer{Score: 10, Comment: "Отлично"}); err != nil {
				t.Fatal(err)
			}

			got, err := s.app.Surveys.ForCustomer(ctx, s.customer)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].Trigger != survey.Conversation || got[0].Confirmed() || got[0].Score != 4 ||
				got[1].OrderID != s.order || !got[1].Confirmed() || got[1].Comment != "Всё вовремя" || got[1].CommentAt == nil {
				t.Fatalf("ForCustomer = %+v", got)
			}

			erase := func() map[string]int64 {
				var rows map[string]int64
				if err := s.app.DB.InTx(ctx, func(tx *store.Tx) error {
					var err error
					rows, err = survey.ErasePersonal(ctx, tx, s.customer, s.clock.Now())
					return err
				}); err != nil {
					t.Fatal(err)
				}
				return rows
			}
			if rows := erase(); len(rows) != 1 || rows["survey_comments"] != 1 {
				t.Errorf("erase: %v, want survey_comments 1", rows)
			}
			if rows := erase(); rows != nil {
				t.Errorf("erase again: %v, want nothing", rows)
			}
			after, err := s.app.Surveys.ForCustomer(ctx, s.customer)
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != 2 || after[1].Comment != "" || after[1].Score != 9 || !after[1].Confirmed() {
				t.Errorf("after the erasure: %+v", after)
			}
			kept, err := s.app.Surveys.ForCustomer(ctx, other.CustomerID)
			if err != nil || len(kept) != 1 || kept[0].Comment != "Отлично" {
				t.Errorf("the other customer's answers: %+v %v", kept, err)
			}
		})
	}
}
