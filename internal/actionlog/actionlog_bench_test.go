package actionlog_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// BenchmarkRecord measures what a line adds to the transaction of an
// action: a transaction of one write alone ("bare") and with its line
// ("logged"), on each engine. The difference is the line's cost
// (BENCHMARKS.md).
func BenchmarkRecord(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		db, _ := storetest.OpenTest(b, engine)
		ctx := actionlog.WithActor(context.Background(), actionlog.Actor{Kind: actionlog.ActorUser, UserID: 1, Name: "owner@shop.test",
			Addr: "192.0.2.1"})
		e := actionlog.Entry{Action: actionlog.PointsGranted, Detail: map[string]any{"points": 300, "reason": "late delivery"}}.
			Target(actionlog.TargetCustomer, 42)
		write := func(tx *store.Tx) error {
			// A stand-in for the action's own write (a row of the same
			// size): a transaction that writes pays its commit's flush
			// anyway; what the line adds is one more row before it.
			return actionlog.Record(ctx, tx, e)
		}
		b.Run(string(engine)+"/bare", func(b *testing.B) {
			for b.Loop() {
				if err := db.InTx(ctx, write); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(string(engine)+"/logged", func(b *testing.B) {
			for b.Loop() {
				if err := db.InTx(ctx, func(tx *store.Tx) error {
					if err := write(tx); err != nil {
						return err
					}
					return actionlog.Record(ctx, tx, e)
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
