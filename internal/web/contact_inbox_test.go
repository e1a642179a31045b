package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestContactFormIntoConversation: through the App's own inbox, the
// tracking page's form opens a web conversation with the order's
// customer about the order, in their language; the same form sent twice
// is one message.
func TestContactFormIntoConversation(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			tok := placeOrders(t, e)
			ctx := context.Background()
			o, err := order.GetByTrackingToken(ctx, e.app.DB.Read(), tok.making)
			if err != nil {
				t.Fatal(err)
			}
			ce := &contactEnv{env: e}
			for range 2 {
				status, _, _ := ce.do(t, "POST", "/t/"+tok.making, form("name", "Андрей", "message", "Можно доставить после 18:00?"), formType)
				if status != http.StatusSeeOther {
					t.Fatalf("send: %d", status)
				}
			}
			convs, _, err := e.app.Inbox.List(ctx, inbox.Filter{CustomerID: o.Customer.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(convs) != 1 {
				t.Fatalf("conversations %+v, want one", convs)
			}
			c := convs[0]
			if c.Channel != inbox.ChannelWeb || c.OrderID != o.ID || c.Language != "ru" {
				t.Errorf("conversation %+v", c)
			}
			msgs, err := e.app.Inbox.Messages(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			in := 0
			for _, m := range msgs {
				if m.Direction == inbox.In {
					in++
					if m.Text != "Можно доставить после 18:00?" {
						t.Errorf("message %+v", m)
					}
				}
			}
			if in != 1 {
				t.Errorf("%d incoming messages, want 1: %+v", in, msgs)
			}
		})
	}
}
