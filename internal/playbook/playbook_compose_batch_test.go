package playbook_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestBatchComposesAsCompose: a sweep's batch, its orders and the stock
// held for them read once for all its messages (two of them about one
// order, one order shipped since its confirmation was planned, two
// orders with an item not in stock, orders placed before and after the
// shop tracked its stock), is composed exactly as each message alone,
// from the contacts read for the batch as from each read alone.
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
			short := []int64{placeShort(t, a, "B-S1", i18n.LV, "Zilā krūze"), placeShort(t, a, "B-S2", i18n.EN, "Blue mug")}
			ids = append(ids, short...)
			ids = append(ids, place(t, a, "B-5", customer.Input{ExternalID: "c-b0", Email: "b0@example.com", Name: "Анна Петрова"}))
			drain(t, a)
			for _, st := range []order.Status{order.Processing, order.Shipped} {
				if _, err := a.Orders.ChangeStatus(ctx, ids[1], order.StatusUpdate{Status: st}); err != nil {
					t.Fatal(err)
				}
				drain(t, a)
			}
			batch, contacts := batchOf(t, a, ids)
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
				got, err := composer.Compose(ctx, a.DB.Read(), m, contacts[m.CustomerID])
				after, errAfter := a.Playbook.Compose(ctx, a.DB.Read(), m, c)
				if err != nil || errBefore != nil || errAfter != nil {
					t.Fatalf("message %d (%s): %v, alone %v, %v", m.ID, m.Rule, err, errBefore, errAfter)
				}
				if !reflect.DeepEqual(got, before) && !reflect.DeepEqual(got, after) {
					t.Errorf("message %d (%s) in a batch:\n%+v\nalone:\n%+v", m.ID, m.Rule, got, after)
				}
				if m.OrderID == short[1] && m.Rule == "order_ack" && !strings.Contains(got.Text, "Blue mug is not in stock") {
					t.Errorf("confirmation of an order short of stock, in a batch:\n%s", got.Text)
				}
			}
		})
	}
}

// TestLoadContactsAsLoadContact: the contacts of a batch, read together,
// are each what LoadContact reads, whatever the customer's standings
// (none, consent, an opt-out, a failed address, a marketing opt-out); a
// customer that does not exist is absent. So are the customers read
// together (customer.GetMany).
func TestLoadContactsAsLoadContact(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, _ := shop(t, engine, false)
			var customers []int64
			for i := range 5 {
				n := strconv.Itoa(i)
				id := place(t, a, "LC-"+n, customer.Input{ExternalID: "c-lc" + n, Email: "lc" + n + "@example.com",
					Phone: "+7916123456" + n, Name: "Лев Толстой", Language: "ru", Timezone: "Europe/Moscow"})
				customers = append(customers, customerOf(t, a, id))
			}
			at := clk.Now().Truncate(time.Second)
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				return errors.Join(
					message.SetStanding(ctx, tx, customers[1], message.SMS, true, at),
					message.SetStanding(ctx, tx, customers[2], message.Email, false, at),
					message.SetStanding(ctx, tx, customers[2], message.SMS, true, at),
					message.RecordFailure(ctx, tx, customers[3], message.Email, "550 No such mailbox", at),
					message.OptOutMarketing(ctx, tx, customers[4], at))
			})
			if err != nil {
				t.Fatal(err)
			}
			const missing = 1 << 40
			contacts := loadContacts(t, a.DB.Read(), append(customers, customers[0], missing))
			if len(contacts) != len(customers) || contacts[missing] != nil {
				t.Fatalf("%d contacts for %d customers and one missing: %v", len(contacts), len(customers), contacts)
			}
			for _, id := range customers {
				alone, err := message.LoadContact(ctx, a.DB.Read(), id)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(contacts[id], alone) {
					t.Errorf("customer %d's contact read with others:\n%+v\nalone:\n%+v", id, contacts[id], alone)
				}
			}
			// customer.GetMany, for the orders of a batch, reads as Get.
			many, err := customer.GetMany(ctx, a.DB.Read(), append(customers, missing))
			if err != nil || len(many) != len(customers) {
				t.Fatalf("GetMany: %d customers, %v; want %d", len(many), err, len(customers))
			}
			for _, id := range customers {
				alone, err := customer.Get(ctx, a.DB.Read(), id)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(many[id], alone) {
					t.Errorf("customer %d read with others:\n%+v\nalone:\n%+v", id, many[id], alone)
				}
			}
			if len(contacts[customers[2]].Standing) != 2 || contacts[customers[4]].MarketingOptedOutAt == nil {
				t.Errorf("standings not read: %+v, %+v", contacts[customers[2]], contacts[customers[4]])
			}
		})
	}
}

// loadContacts reads the contacts of customers together, as a sweep does.
func loadContacts(t *testing.T, q store.Querier, customers []int64) map[int64]*message.Contact {
	t.Helper()
	contacts, err := message.LoadContacts(context.Background(), q, customers)
	if err != nil {
		t.Fatal(err)
	}
	return contacts
}

// TestBatchMakesTheTrackingTokens: orders without a tracking token (as
// imported history has none) get theirs when a batch of their messages
// is composed, made together, and each message links to its order's.
func TestBatchMakesTheTrackingTokens(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _, _ := shop(t, engine, false)
			var ids []int64
			for i := range 3 {
				n := strconv.Itoa(i)
				ids = append(ids, place(t, a, "TT-"+n, customer.Input{ExternalID: "c-tt" + n, Email: "tt" + n + "@example.com", Name: "Анна Петрова"}))
			}
			drain(t, a)
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `UPDATE orders SET tracking_token = NULL`)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			batch, contacts := batchOf(t, a, ids)
			composer := a.Playbook.Batch(ctx, a.DB.Read(), batch)
			for _, m := range batch {
				o, err := order.Get(ctx, a.DB.Read(), m.OrderID)
				if err != nil {
					t.Fatal(err)
				}
				if o.TrackingToken == "" {
					t.Fatalf("order %d has no tracking token after its batch was read", m.OrderID)
				}
				d, err := composer.Compose(ctx, a.DB.Read(), m, contacts[m.CustomerID])
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(d.Text, "/t/"+o.TrackingToken) {
					t.Errorf("message %d (%s) does not link to its order's tracking page /t/%s:\n%s", m.ID, m.Rule, o.TrackingToken, d.Text)
				}
			}
		})
	}
}

// batchOf is the messages of the orders ids as a sweep's batch, and their
// customers' contacts read together.
func batchOf(t *testing.T, a *app.App, ids []int64) ([]*message.Message, map[int64]*message.Contact) {
	t.Helper()
	var batch []*message.Message
	var customers []int64
	for _, id := range ids {
		for _, m := range messages(t, a, id) {
			batch = append(batch, &m)
			customers = append(customers, m.CustomerID)
		}
	}
	return batch, loadContacts(t, a.DB.Read(), customers)
}
