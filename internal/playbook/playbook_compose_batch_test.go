package playbook_test

import (
	"context"
	"reflect"
	"strconv"
	"testing"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestBatchComposesAsCompose: a sweep's batch, its orders read once for
// all its messages (two of them about one order, one order shipped since
// its confirmation was planned), is composed exactly as each message
// alone.
func TestBatchComposesAsCompose(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _, _ := shop(t, engine, false)
			var ids []int64
			for i := range 4 {
				c := strconv.Itoa(i % 3) // the last customer orders twice
				ids = append(ids, place(t, a, "B-"+strconv.Itoa(i), customer.Input{ExternalID: "c-b" + c, Email: "b" + c + "@example.com", Name: "Анна Петрова"}))
			}
			drain(t, a)
			for _, st := range []order.Status{order.Processing, order.Shipped} {
				if _, err := a.Orders.ChangeStatus(ctx, ids[1], order.StatusUpdate{Status: st}); err != nil {
					t.Fatal(err)
				}
				drain(t, a)
			}
			var batch []*message.Message
			for _, id := range ids {
				for _, m := range messages(t, a, id) {
					batch = append(batch, &m)
				}
			}
			if len(batch) <= len(ids) {
				t.Fatalf("%d messages for %d orders; want more than one for order %d", len(batch), len(ids), ids[1])
			}
			composer := a.Playbook.Batch(ctx, a.DB.Read(), batch)
			for _, m := range batch {
				c, err := message.LoadContact(ctx, a.DB.Read(), m.CustomerID)
				if err != nil {
					t.Fatal(err)
				}
				// The links in a message are signed on the real clock: a
				// second may pass between two composes, not across three.
				before, errBefore := a.Playbook.Compose(ctx, a.DB.Read(), m, c)
				got, err := composer.Compose(ctx, a.DB.Read(), m, c)
				after, errAfter := a.Playbook.Compose(ctx, a.DB.Read(), m, c)
				if err != nil || errBefore != nil || errAfter != nil {
					t.Fatalf("message %d (%s): %v, alone %v, %v", m.ID, m.Rule, err, errBefore, errAfter)
				}
				if !reflect.DeepEqual(got, before) && !reflect.DeepEqual(got, after) {
					t.Errorf("message %d (%s) in a batch:\n%+v\nalone:\n%+v", m.ID, m.Rule, got, after)
				}
			}
		})
	}
}
