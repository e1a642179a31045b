package parcel_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// TestIngestBatchIsIngestOneByOne sends the same carrier events to two
// stores seeded alike: to one a round at a time, each round one batch of
// an event a parcel, and to the other an event a call. The orders, their
// status history, the journal (but for its ids), the parcels, their
// events and tasks, and what the journal's handlers made of it all must
// come out the same.
func TestIngestBatchIsIngestOneByOne(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			const n = 12
			var apps [2]*app.App
			for k := range apps {
				a, clk := apptest.New(t, engine, false)
				apps[k] = a
				var tasks []task.Task
				for i := range n {
					code, tracking := "courier", fmt.Sprintf("CB%08d", i)
					if i%3 == 0 {
						code, tracking = "post", fmt.Sprintf("RA%09dRU", i)
					}
					o := shipped(t, a, fmt.Sprintf("70%02d", i), code, tracking)
					if i%4 == 1 {
						tasks = append(tasks, task.Task{Kind: task.FindParcel, OrderID: o.ID, CustomerID: o.CustomerID,
							DedupeKey: "find-" + o.ExternalID, DueAt: apptest.Start})
					}
				}
				// A task for the parcels to close.
				err := a.DB.InTx(ctx, func(tx *store.Tx) error {
					_, err := task.Create(ctx, tx, tasks, apptest.Start)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				clk.Set(apptest.Start.Add(72 * time.Hour))
			}
			life := func(i int) []carrier.Status {
				if i%3 == 0 {
					return []carrier.Status{carrier.Accepted, carrier.InTransit, carrier.ArrivedAtPickup, carrier.Delivered}
				}
				if i%5 == 2 {
					return []carrier.Status{carrier.Accepted, carrier.Returning, carrier.Delivered}
				}
				return []carrier.Status{carrier.Accepted, carrier.OutForDelivery, "", carrier.Delivered}
			}
			var rounds [][]carrier.Event
			for k := range 4 {
				var round []carrier.Event
				for i := range n {
					l := life(i)
					if k >= len(l) {
						continue
					}
					tracking := fmt.Sprintf("CB%08d", i)
					if i%3 == 0 {
						tracking = fmt.Sprintf("RA%09dRU", i)
					}
					e := carrier.Event{TrackingNumber: tracking, Status: l[k], Code: fmt.Sprintf("%s.%d", l[k], k),
						At: apptest.Start.Add(time.Duration(k+1)*5*time.Hour + time.Duration(i)*time.Minute)}
					if l[k] == "" {
						e.Code = "notice"
					}
					round = append(round, e)
				}
				round = append(round, round[0]) // a retry
				rounds = append(rounds, round)
			}
			var outs [2][]parcel.Outcome
			for _, round := range rounds {
				outs[0] = append(outs[0], ingest(t, apps[0], round...)...)
				for _, e := range round {
					outs[1] = append(outs[1], ingest(t, apps[1], e)...)
				}
			}
			if !slices.Equal(outs[0], outs[1]) {
				t.Errorf("outcomes differ:\nbatched    %v\none by one %v", outs[0], outs[1])
			}
			for _, q := range []string{
				`SELECT CAST(id AS TEXT), status, carrier, tracking_number, COALESCE(CAST(delivered_at AS TEXT), '-'),
					COALESCE(delivered_on, '-'), CAST(updated_at AS TEXT), COALESCE(promised_to, '-') FROM orders ORDER BY id`,
				`SELECT CAST(order_id AS TEXT), COALESCE(from_status, '-'), to_status, CAST(at AS TEXT), source
					FROM order_status_history ORDER BY order_id, id`,
				`SELECT kind, COALESCE(CAST(order_id AS TEXT), '-'), COALESCE(CAST(customer_id AS TEXT), '-'), payload,
					CAST(occurred_at AS TEXT), COALESCE(CAST(processed_at AS TEXT), '-') FROM events
					ORDER BY order_id, customer_id, occurred_at, kind, payload`,
				`SELECT CAST(id AS TEXT), CAST(order_id AS TEXT), COALESCE(status, '-'), COALESCE(CAST(status_at AS TEXT), '-'),
					COALESCE(CAST(last_event_at AS TEXT), '-'), COALESCE(CAST(arrived_at AS TEXT), '-'),
					COALESCE(CAST(delivered_at AS TEXT), '-'), COALESCE(CAST(next_poll_at AS TEXT), '-'), CAST(updated_at AS TEXT)
					FROM parcels ORDER BY id`,
				`SELECT CAST(parcel_id AS TEXT), COALESCE(status, '-'), code, CAST(at AS TEXT), source FROM parcel_events
					ORDER BY parcel_id, at, code`,
				`SELECT CAST(id AS TEXT), kind, status, COALESCE(outcome, '-'), COALESCE(CAST(done_at AS TEXT), '-'),
					COALESCE(done_by, '-') FROM tasks ORDER BY id`,
				`SELECT CAST(customer_id AS TEXT), CAST(points AS TEXT), reason, COALESCE(CAST(order_id AS TEXT), '-')
					FROM loyalty_transactions ORDER BY customer_id, order_id, reason, points`,
				`SELECT COALESCE(CAST(order_id AS TEXT), '-'), template, status FROM messages ORDER BY order_id, template`,
			} {
				var got [2][]string
				for k, a := range apps {
					got[k] = storetest.TextRows(t, a.DB.Read(), q)
				}
				if len(got[0]) == 0 {
					t.Errorf("%s: no rows", q)
				}
				if !slices.Equal(got[0], got[1]) {
					t.Errorf("%s\nbatched:\n  %s\none by one:\n  %s", q, strings.Join(got[0], "\n  "), strings.Join(got[1], "\n  "))
				}
			}
		})
	}
}
