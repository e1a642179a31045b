package loyalty_test

import (
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestReturnedFirstOrderTakesItsBonusBack: a returned first order takes
// back its own points and the first-order bonus, as far as the balance
// goes, once however often its events are handled; the customer's next
// order earns no first-order bonus again, and the books balance.
func TestReturnedFirstOrderTakesItsBonusBack(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false, "loyalty: {redeem_max_percent: 100}")

			// All of it still there: 62 points for 1 250.00 and the 100
			// bonus go back.
			o := place(t, a, "F-1", "f1", 125000)
			move(t, a, o.ID, order.Delivered)
			move(t, a, o.ID, order.Returned)
			if got, want := kinds(t, a, o.CustomerID), "accrual:62 bonus:100 reversal:-62 reversal:-100"; got != want {
				t.Fatalf("ledger after the first order's return = %q, want %q", got, want)
			}
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				return a.Loyalty.HandleEvents(ctx, tx, orderEvents(t, a, o.ID))
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := kinds(t, a, o.CustomerID), "accrual:62 bonus:100 reversal:-62 reversal:-100"; got != want {
				t.Fatalf("ledger after handling the events again = %q, want %q", got, want)
			}
			o2 := place(t, a, "F-2", "f1", 40000)
			move(t, a, o2.ID, order.Delivered)
			if got, want := kinds(t, a, o.CustomerID), "accrual:62 bonus:100 reversal:-62 reversal:-100 accrual:20"; got != want {
				t.Fatalf("ledger after the next order = %q, want %q", got, want)
			}

			// Some spent meanwhile: 162 earned, 120 paid an open order;
			// the return takes the 42 left and no debt.
			p := place(t, a, "G-1", "g1", 125000)
			move(t, a, p.ID, order.Delivered)
			open := place(t, a, "G-2", "g1", 200000)
			if _, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: p.CustomerID, OrderID: open.ID, Points: 120}); err != nil {
				t.Fatal(err)
			}
			move(t, a, p.ID, order.Returned)
			if got, want := kinds(t, a, p.CustomerID), "accrual:62 bonus:100 redemption:-120 reversal:-42"; got != want {
				t.Fatalf("ledger after a return with points spent = %q, want %q", got, want)
			}
			if b := balance(t, a, p.CustomerID); b != 0 {
				t.Fatalf("balance = %d, want 0", b)
			}

			// Only the bonus left to take: 62 of the order's points were
			// spent, the 100 are taken back in full.
			q := place(t, a, "H-1", "h1", 125000)
			move(t, a, q.ID, order.Delivered)
			open = place(t, a, "H-2", "h1", 200000)
			if _, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: q.CustomerID, OrderID: open.ID, Points: 50}); err != nil {
				t.Fatal(err)
			}
			move(t, a, q.ID, order.Returned)
			if got, want := kinds(t, a, q.CustomerID), "accrual:62 bonus:100 redemption:-50 reversal:-62 reversal:-50"; got != want {
				t.Fatalf("ledger = %q, want %q", got, want)
			}
			audit(t, a)
		})
	}
}
