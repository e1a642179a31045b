package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

var ctx = context.Background()

// place stores an order of totalMinor for the customer ext and handles
// its events.
func place(t testing.TB, a *app.App, ext, customerExt string, totalMinor int64, mod ...func(*order.NewOrder)) order.Result {
	t.Helper()
	n := order.NewOrder{ExternalID: ext, Carrier: "courier", TotalMinor: totalMinor, TotalGiven: true,
		Customer: customer.Input{ExternalID: customerExt, Name: "Анна " + customerExt, Email: customerExt + "@example.ru"}}
	for _, m := range mod {
		m(&n)
	}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	drain(t, a)
	return res
}

func drain(t testing.TB, a *app.App) {
	t.Helper()
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

func move(t testing.TB, a *app.App, id int64, to order.Status) {
	t.Helper()
	if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: to, Source: order.SourceAPI}); err != nil {
		t.Fatal(err)
	}
	drain(t, a)
}

func balance(t testing.TB, a *app.App, customerID int64) int64 {
	t.Helper()
	b, err := loyalty.Balance(ctx, a.DB.Read(), customerID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func audit(t testing.TB, a *app.App) {
	t.Helper()
	if err := loyalty.Audit(ctx, a.DB.Read()); err != nil {
		t.Fatal(err)
	}
}

// kinds lists a customer's ledger as "kind:points" oldest first.
func kinds(t testing.TB, a *app.App, customerID int64) string {
	t.Helper()
	ts, err := loyalty.Ledger(ctx, a.DB.Read(), customerID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(ts) - 1; i >= 0; i-- {
		out = append(out, fmt.Sprintf("%s:%d", ts[i].Kind, ts[i].Points))
	}
	return strings.Join(out, " ")
}

func TestEarnOnDeliveryTakeBackOnReturn(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			o := place(t, a, "1001", "c1", 125000) // 1 250.00 RUB
			if b := balance(t, a, o.CustomerID); b != 0 {
				t.Fatalf("balance before delivery = %d, want 0: points come when the order is delivered", b)
			}
			move(t, a, o.ID, order.Delivered)
			// 5 % of 1 250 = 62 points, and 100 for a first order.
			if got, want := kinds(t, a, o.CustomerID), "accrual:62 bonus:100"; got != want {
				t.Fatalf("ledger = %q, want %q", got, want)
			}
			// A second delivered order earns no second first-order bonus.
			o2 := place(t, a, "1002", "c1", 40000)
			move(t, a, o2.ID, order.Delivered)
			move(t, a, o2.ID, order.Delivered) // a repeated status changes nothing
			if got, want := kinds(t, a, o.CustomerID), "accrual:62 bonus:100 accrual:20"; got != want {
				t.Fatalf("ledger = %q, want %q", got, want)
			}
			move(t, a, o2.ID, order.Returned)
			if got, want := kinds(t, a, o.CustomerID), "accrual:62 bonus:100 accrual:20 reversal:-20"; got != want {
				t.Fatalf("ledger after the return = %q, want %q", got, want)
			}
			if b := balance(t, a, o.CustomerID); b != 162 {
				t.Fatalf("balance = %d, want 162", b)
			}
			// Handling the same events again (a retried drain) credits
			// nothing twice: every posting has its key.
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				return a.Loyalty.HandleEvents(ctx, tx, orderEvents(t, a, o.ID, o2.ID))
			})
			if err != nil {
				t.Fatal(err)
			}
			if b := balance(t, a, o.CustomerID); b != 162 {
				t.Fatalf("balance after handling the events again = %d, want 162", b)
			}
			audit(t, a)
		})
	}
}

func TestRedeemPaysPartAndRefundsOnCancel(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			first := place(t, a, "2001", "c2", 500000)
			move(t, a, first.ID, order.Delivered) // 250 + 100
			second := place(t, a, "2002", "c2", 100000)
			r, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: first.CustomerID, OrderID: second.ID, Points: 200})
			if err != nil {
				t.Fatal(err)
			}
			if r.Balance != 150 || r.ValueMinor != 20000 || r.Replayed {
				t.Fatalf("redemption = %+v, want balance 150 worth 200.00", r)
			}
			again, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: first.CustomerID, OrderID: second.ID, Points: 200})
			if err != nil || !again.Replayed || again.Balance != 150 {
				t.Fatalf("the same redemption again = %+v, %v; want a replay", again, err)
			}
			var conflict *loyalty.ConflictError
			if _, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: first.CustomerID, OrderID: second.ID, Points: 10}); !errors.As(err, &conflict) {
				t.Fatalf("another amount for the same order: err = %v, want a ConflictError", err)
			}
			// Points pay at most half of an order by default.
			third := place(t, a, "2003", "c2", 10000)
			_, err = a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: first.CustomerID, OrderID: third.ID, Points: 60})
			if ie, ok := invalid.First(err); !ok || ie.Field != "points" || ie.Code != "over_limit" {
				t.Fatalf("over the limit: err = %v, want points over_limit", err)
			}
			var short *loyalty.InsufficientError
			fourth := place(t, a, "2004", "c2", 1000000)
			if _, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: first.CustomerID, OrderID: fourth.ID, Points: 151}); !errors.As(err, &short) || short.Balance != 150 {
				t.Fatalf("more than the balance: err = %v, want InsufficientError with balance 150", err)
			}
			other := place(t, a, "2005", "someone-else", 100000)
			if _, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: first.CustomerID, OrderID: other.ID, Points: 10}); err == nil {
				t.Fatal("points were spent on another customer's order")
			}
			// The order paid with points is delivered: it earns on what
			// was paid in money (1 000 − 200 = 800 → 40).
			move(t, a, second.ID, order.Delivered)
			if got, want := kinds(t, a, first.CustomerID), "accrual:250 bonus:100 redemption:-200 accrual:40"; got != want {
				t.Fatalf("ledger = %q, want %q", got, want)
			}
			// Cancelled with points on it: they come back.
			r4, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: first.CustomerID, OrderID: fourth.ID, Points: 100})
			if err != nil || r4.Balance != 90 {
				t.Fatalf("redeem 100 of 190: %+v, %v", r4, err)
			}
			move(t, a, fourth.ID, order.Cancelled)
			if b := balance(t, a, first.CustomerID); b != 190 {
				t.Fatalf("balance after the cancel = %d, want 190", b)
			}
			if _, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: first.CustomerID, OrderID: fourth.ID, Points: 5}); err == nil {
				t.Fatal("points were spent on a cancelled order")
			}
			audit(t, a)
		})
	}
}

// TestConcurrentRedemptionsNeverOverdraw races redemptions of one
// customer's points on different orders: the balance covers three of
// them, and exactly three succeed, whatever the interleaving.
func TestConcurrentRedemptionsNeverOverdraw(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false, "loyalty: {redeem_max_percent: 100}")
			first := place(t, a, "3000", "c3", 200000)
			move(t, a, first.ID, order.Delivered) // 100 + 100
			const racers = 12
			var orders [racers]int64
			for i := range orders {
				orders[i] = place(t, a, fmt.Sprintf("30%02d", i+1), "c3", 100000).ID
			}
			for round := range 5 {
				var wg sync.WaitGroup
				var mu sync.Mutex
				ok, short := 0, 0
				start := make(chan struct{})
				for i := range orders {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						_, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: first.CustomerID, OrderID: orders[i], Points: 60})
						mu.Lock()
						defer mu.Unlock()
						var ie *loyalty.InsufficientError
						switch {
						case err == nil:
							ok++
						case errors.As(err, &ie):
							short++
						default:
							t.Errorf("round %d: redeem: %v", round, err)
						}
					}()
				}
				close(start)
				wg.Wait()
				if ok != 3 || short != racers-3 {
					t.Fatalf("round %d: %d redemptions went through and %d were refused; the balance of 200 covers 3 of 60", round, ok, short)
				}
				if b := balance(t, a, first.CustomerID); b != 20 {
					t.Fatalf("round %d: balance = %d, want 20", round, b)
				}
				audit(t, a)
				// Give the points back for the next round: cancel the
				// paid orders and start over with fresh ones.
				for i := range orders {
					move(t, a, orders[i], order.Cancelled)
					orders[i] = place(t, a, fmt.Sprintf("3%d%02d", round+1, i+1), "c3", 100000).ID
				}
				if b := balance(t, a, first.CustomerID); b != 200 {
					t.Fatalf("round %d: balance after the refunds = %d, want 200", round, b)
				}
			}
		})
	}
}

// TestLedgerBalanceIsTheSumOfEntries runs randomised sequences of every
// kind of operation and checks after each one that the balance is what a
// plain model says, that it is the sum of the customer's entries, and
// that every transaction's legs sum to zero.
func TestLedgerBalanceIsTheSumOfEntries(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			for seed := uint64(1); seed <= 3; seed++ {
				t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
					t.Parallel()
					ledgerSequence(t, engine, seed)
				})
			}
		})
	}
}

func ledgerSequence(t *testing.T, engine store.Engine, seed uint64) {
	a, clk := apptest.New(t, engine, false, "loyalty: {expire_after: 30d, expiry_reminder: 5d, redeem_max_percent: 100}")
	rng := rand.New(rand.NewPCG(seed, 42))
	model := map[int64]int64{}
	var customers []int64
	open := map[int64][]int64{} // customer → open orders
	n := 0
	newOrder := func(cust string) order.Result {
		n++
		return place(t, a, fmt.Sprintf("s%d-%d", seed, n), cust, int64(rng.IntN(400000)+1000))
	}
	for i := range 4 {
		o := newOrder(fmt.Sprintf("m%d", i))
		customers = append(customers, o.CustomerID)
		open[o.CustomerID] = append(open[o.CustomerID], o.ID)
	}
	for step := range 60 {
		c := customers[rng.IntN(len(customers))]
		var op string
		switch r := rng.IntN(10); {
		case r < 3:
			op = "deliver"
			if len(open[c]) == 0 {
				continue
			}
			id := open[c][0]
			open[c] = open[c][1:]
			move(t, a, id, order.Delivered)
			if rng.IntN(3) == 0 {
				move(t, a, id, order.Returned)
			}
		case r < 5:
			op = "redeem"
			o := newOrder(fmt.Sprintf("m%d", indexOf(customers, c)))
			open[c] = append(open[c], o.ID)
			pts := int64(rng.IntN(300) + 1)
			_, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: c, OrderID: o.ID, Points: pts})
			var short *loyalty.InsufficientError
			var ie *invalid.Error
			if err != nil && !errors.As(err, &short) && !errors.As(err, &ie) {
				t.Fatalf("step %d: redeem: %v", step, err)
			}
			if errors.As(err, &short) && short.Balance >= pts {
				t.Fatalf("step %d: refused %d points with a balance of %d", step, pts, short.Balance)
			}
		case r < 6:
			op = "cancel"
			if len(open[c]) == 0 {
				continue
			}
			id := open[c][len(open[c])-1]
			open[c] = open[c][:len(open[c])-1]
			move(t, a, id, order.Cancelled)
		case r < 8:
			op = "adjust"
			pts := int64(rng.IntN(200) - 80)
			if pts == 0 {
				continue
			}
			_, err := a.Loyalty.Grant(ctx, loyalty.GrantRequest{CustomerID: c, Kind: loyalty.Adjustment, Source: loyalty.FromOperator,
				Actor: "test", Grant: config.Grant{Points: pts, Reason: "correction"}})
			var short *loyalty.InsufficientError
			if err != nil && !errors.As(err, &short) {
				t.Fatalf("step %d: adjust: %v", step, err)
			}
		default:
			op = "time"
			clk.Advance(time.Duration(rng.IntN(12*24)) * time.Hour)
			if _, err := a.Loyalty.ExpireDue(ctx); err != nil {
				t.Fatalf("step %d: expire: %v", step, err)
			}
			if _, err := a.Loyalty.RemindExpiring(ctx); err != nil {
				t.Fatalf("step %d: remind: %v", step, err)
			}
		}
		// The model: the sum of what the ledger says happened.
		for _, cust := range customers {
			var sum int64
			if err := a.DB.Read().QueryRow(ctx, `SELECT COALESCE(SUM(points), 0) FROM loyalty_transactions WHERE customer_id = $1`, cust).Scan(&sum); err != nil {
				t.Fatal(err)
			}
			model[cust] = sum
			b := balance(t, a, cust)
			if b != sum || b < 0 {
				t.Fatalf("step %d (%s): customer %d balance %d, transactions sum to %d", step, op, cust, b, sum)
			}
		}
		audit(t, a)
	}
	// What lapsed never exceeds what was credited and not spent.
	for _, cust := range customers {
		if model[cust] < 0 {
			t.Fatalf("customer %d ends negative: %d", cust, model[cust])
		}
	}
}

func indexOf(s []int64, v int64) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func TestPointsLapseOldestFirstWithAReminder(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := apptest.New(t, engine, false, "loyalty: {expire_after: 100d, expiry_reminder: 10d, redeem_max_percent: 100, bonuses: {first_order: 0}}")
			o1 := place(t, a, "4001", "c4", 200000)
			move(t, a, o1.ID, order.Delivered) // 100 points, lapse at day 100
			clk.Advance(50 * 24 * time.Hour)
			o2 := place(t, a, "4002", "c4", 100000)
			move(t, a, o2.ID, order.Delivered) // 50 points, lapse at day 150
			o3 := place(t, a, "4003", "c4", 100000)
			if _, err := a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: o1.CustomerID, OrderID: o3.ID, Points: 30}); err != nil {
				t.Fatal(err)
			}
			// Day 92: the 70 points left of the first credit lapse within
			// the reminder's 10 days.
			clk.Advance(42 * 24 * time.Hour)
			n, err := a.Loyalty.RemindExpiring(ctx)
			if err != nil || n != 1 {
				t.Fatalf("reminders = %d, %v; want 1", n, err)
			}
			if n, _ := a.Loyalty.RemindExpiring(ctx); n != 0 {
				t.Fatalf("a second sweep sent %d more reminders", n)
			}
			drain(t, a)
			var key string
			if err := a.DB.Read().QueryRow(ctx, `SELECT dedupe_key FROM messages WHERE rule = 'points_expiring'`).Scan(&key); err != nil {
				t.Fatalf("the reminder message: %v", err)
			}
			next, err := loyalty.NextLapse(ctx, a.DB.Read(), o1.CustomerID, clk.Now())
			if err != nil || next.Points != 70 {
				t.Fatalf("next lapse = %+v, %v; want 70 points", next, err)
			}
			if n, _ := a.Loyalty.ExpireDue(ctx); n != 0 {
				t.Fatalf("%d points lapsed before their day", n)
			}
			clk.Advance(9 * 24 * time.Hour) // day 101
			if n, err := a.Loyalty.ExpireDue(ctx); err != nil || n != 70 {
				t.Fatalf("lapsed = %d, %v; want 70 (100 credited, 30 spent oldest first)", n, err)
			}
			if n, _ := a.Loyalty.ExpireDue(ctx); n != 0 {
				t.Fatalf("a second sweep lapsed %d more", n)
			}
			if b := balance(t, a, o1.CustomerID); b != 50 {
				t.Fatalf("balance = %d, want the 50 of the second credit", b)
			}
			clk.Advance(50 * 24 * time.Hour) // day 151
			if n, _ := a.Loyalty.ExpireDue(ctx); n != 50 {
				t.Fatalf("lapsed = %d, want 50", n)
			}
			if got, want := kinds(t, a, o1.CustomerID), "accrual:100 accrual:50 redemption:-30 expiry:-70 expiry:-50"; got != want {
				t.Fatalf("ledger = %q, want %q", got, want)
			}
			audit(t, a)
		})
	}
}

func TestTiersFollowTheWindow(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := apptest.New(t, engine, false, `loyalty:
  tier_window: 30d
  tiers:
    - {code: silver, min_orders: 2, discount_percent: 3}
    - {code: gold, min_spend: 10000, discount_percent: 7, perks: [souvenir]}`)
			o1 := place(t, a, "5001", "c5", 100000)
			move(t, a, o1.ID, order.Delivered)
			m, err := a.Loyalty.Member(ctx, a.DB.Read(), o1.CustomerID)
			if err != nil || m.Tier != "" || m.Next == nil || m.Next.Tier.Code != "silver" || m.Next.OrdersToGo != 1 {
				t.Fatalf("after one order: %+v, %v; want no tier, one order to silver", m, err)
			}
			o2 := place(t, a, "5002", "c5", 100000)
			move(t, a, o2.ID, order.Delivered)
			if tier, _ := loyalty.TierOf(ctx, a.DB.Read(), o1.CustomerID); tier != "silver" {
				t.Fatalf("tier = %q, want silver", tier)
			}
			o3 := place(t, a, "5003", "c5", 900000)
			move(t, a, o3.ID, order.Delivered)
			if tier, _ := loyalty.TierOf(ctx, a.DB.Read(), o1.CustomerID); tier != "gold" {
				t.Fatalf("tier = %q, want gold at 11 000", tier)
			}
			// The news: two tier changes up, each with a tier_up message.
			var ups int
			if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM messages WHERE rule = 'tier_up' AND customer_id = $1`, o1.CustomerID).Scan(&ups); err != nil || ups != 2 {
				t.Fatalf("tier_up messages = %d, %v; want 2", ups, err)
			}
			// A month later the window is empty: the nightly pass takes
			// the tier away, quietly.
			clk.Advance(31 * 24 * time.Hour)
			if n, err := a.Loyalty.RetierAll(ctx); err != nil || n != 1 {
				t.Fatalf("RetierAll changed %d, %v; want 1", n, err)
			}
			if n, _ := a.Loyalty.RetierAll(ctx); n != 0 {
				t.Fatalf("a second pass changed %d", n)
			}
			drain(t, a)
			if tier, _ := loyalty.TierOf(ctx, a.DB.Read(), o1.CustomerID); tier != "" {
				t.Fatalf("tier = %q after the window passed, want none", tier)
			}
			var events int
			if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE kind = $1`, string(journal.LoyaltyTierChanged)).Scan(&events); err != nil || events != 3 {
				t.Fatalf("tier events = %d, %v; want 3", events, err)
			}
			if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM messages WHERE rule = 'tier_up'`).Scan(&ups); err != nil || ups != 2 {
				t.Fatalf("tier_up messages = %d after a tier was lost, want still 2", ups)
			}
		})
	}
}

func TestCouponsSingleAndMultiUse(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := apptest.New(t, engine, false)
			o1 := place(t, a, "6001", "c6", 300000)
			o2 := place(t, a, "6002", "c6", 300000)
			o3 := place(t, a, "6003", "c7", 50000)
			var single loyalty.Coupon
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				var err error
				single, _, err = a.Loyalty.CreateCoupon(ctx, tx, loyalty.CouponRequest{Spec: config.CouponSpec{Percent: 10, ValidFor: config.Duration(7 * 24 * time.Hour)}, MaxUses: 1})
				if err != nil {
					return err
				}
				_, _, err = a.Loyalty.CreateCoupon(ctx, tx, loyalty.CouponRequest{Code: "welcome-500", Spec: config.CouponSpec{Amount: 500, MinOrder: 1000}})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(single.Code) != 12 || strings.ContainsAny(single.Code, "01OIL") {
				t.Fatalf("generated code %q: want 12 unambiguous characters", single.Code)
			}
			q, err := a.Loyalty.ValidateCoupon(ctx, strings.ToLower(single.Display()), 0, 300000, "")
			if err != nil || q.DiscountMinor != 30000 {
				t.Fatalf("validate = %+v, %v; want 300.00 off", q, err)
			}
			use, err := a.Loyalty.RedeemCoupon(ctx, single.Code, o1.ID)
			if err != nil || use.DiscountMinor != 30000 || use.Replayed {
				t.Fatalf("redeem = %+v, %v", use, err)
			}
			if use, err := a.Loyalty.RedeemCoupon(ctx, single.Code, o1.ID); err != nil || !use.Replayed {
				t.Fatalf("the same use again = %+v, %v; want a replay", use, err)
			}
			var ce *loyalty.CouponError
			if _, err := a.Loyalty.RedeemCoupon(ctx, single.Code, o2.ID); !errors.As(err, &ce) || ce.Code != "used_up" {
				t.Fatalf("a single-use coupon on a second order: %v, want used_up", err)
			}
			if _, err := a.Loyalty.RedeemCoupon(ctx, "WELCOME500", o3.ID); !errors.As(err, &ce) || ce.Code != "min_order" {
				t.Fatalf("under the minimum order: %v, want min_order", err)
			}
			for _, id := range []int64{o1.ID, o2.ID} {
				if use, err := a.Loyalty.RedeemCoupon(ctx, "Welcome 500", id); err != nil || use.DiscountMinor != 50000 {
					t.Fatalf("multi-use on order %d: %+v, %v", id, use, err)
				}
			}
			if _, err := a.Loyalty.ValidateCoupon(ctx, "NOPE1234", 0, 1, ""); !errors.As(err, &ce) || ce.Code != "not_found" {
				t.Fatalf("unknown code: %v", err)
			}
			clk.Advance(8 * 24 * time.Hour)
			fresh := place(t, a, "6004", "c6", 300000)
			err = a.DB.InTx(ctx, func(tx *store.Tx) error {
				var err error
				single, _, err = a.Loyalty.CreateCoupon(ctx, tx, loyalty.CouponRequest{Spec: config.CouponSpec{Percent: 5, ValidFor: config.Duration(24 * time.Hour)}, MaxUses: 0})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			clk.Advance(25 * time.Hour)
			if _, err := a.Loyalty.RedeemCoupon(ctx, single.Code, fresh.ID); !errors.As(err, &ce) || ce.Code != "expired" {
				t.Fatalf("expired coupon: %v", err)
			}
			err = a.DB.InTx(ctx, func(tx *store.Tx) error {
				_, _, err := a.Loyalty.CreateCoupon(ctx, tx, loyalty.CouponRequest{Code: "WELCOME500", Spec: config.CouponSpec{Percent: 5}})
				return err
			})
			if ie, ok := invalid.First(err); !ok || ie.Field != "coupon.code" {
				t.Fatalf("a code in use: %v, want a coupon.code error", err)
			}
		})
	}
}

// TestLastCouponUseRace races orders for a coupon that has one use left.
func TestLastCouponUseRace(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			var c loyalty.Coupon
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				var err error
				c, _, err = a.Loyalty.CreateCoupon(ctx, tx, loyalty.CouponRequest{Spec: config.CouponSpec{Percent: 10}, MaxUses: 2})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for i := range 8 {
				ids = append(ids, place(t, a, fmt.Sprintf("70%02d", i), fmt.Sprintf("r%d", i), 100000).ID)
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			ok := 0
			for _, id := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := a.Loyalty.RedeemCoupon(ctx, c.Code, id)
					var ce *loyalty.CouponError
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						ok++
					case !errors.As(err, &ce):
						t.Errorf("redeem: %v", err)
					}
				}()
			}
			wg.Wait()
			if ok != 2 {
				t.Fatalf("%d orders used a coupon of 2 uses", ok)
			}
		})
	}
}

func TestGrantOncePerOrderAndReason(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			o := place(t, a, "8001", "c8", 300000)
			req := loyalty.GrantRequest{CustomerID: o.CustomerID, OrderID: o.ID, Grant: config.Grant{Points: 300, Reason: "Late delivery",
				Coupon: &config.CouponSpec{Percent: 10, ValidFor: config.Duration(60 * 24 * time.Hour)}}}
			g1, err := a.Loyalty.Grant(ctx, req)
			if err != nil || !g1.Granted || g1.Transaction == nil || g1.Coupon == nil {
				t.Fatalf("grant = %+v, %v", g1, err)
			}
			req.Grant.Reason = "late delivery " // the same reason, typed again
			g2, err := a.Loyalty.Grant(ctx, req)
			if err != nil || g2.Granted || g2.Transaction.ID != g1.Transaction.ID || g2.Coupon.ID != g1.Coupon.ID {
				t.Fatalf("second grant = %+v, %v; want the first one back", g2, err)
			}
			req.Grant.Reason = "wrong colour"
			if g3, err := a.Loyalty.Grant(ctx, req); err != nil || !g3.Granted {
				t.Fatalf("another reason = %+v, %v; want granted", g3, err)
			}
			if b := balance(t, a, o.CustomerID); b != 600 {
				t.Fatalf("balance = %d, want 600", b)
			}
			drain(t, a)
			var n int
			if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM messages WHERE rule = 'points_credited' AND order_id = $1`, o.ID).Scan(&n); err != nil || n != 2 {
				t.Fatalf("points_credited messages = %d, %v; want 2", n, err)
			}
			_, err = a.Loyalty.Grant(ctx, loyalty.GrantRequest{CustomerID: o.CustomerID, Grant: config.Grant{Points: 10}})
			if ie, ok := invalid.First(err); !ok || ie.Field != "reason" {
				t.Fatalf("a grant without a reason: %v", err)
			}
		})
	}
}

func TestReferralCreditsBothOnTheFriendsFirstDelivery(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			ref := place(t, a, "9001", "referrer", 100000)
			code, err := a.Loyalty.ReferralCode(ctx, ref.CustomerID)
			if err != nil || len(code) != 8 {
				t.Fatalf("referral code %q, %v", code, err)
			}
			if again, _ := a.Loyalty.ReferralCode(ctx, ref.CustomerID); again != code {
				t.Fatalf("the code changed: %q then %q", code, again)
			}
			landing, ok, err := a.Loyalty.ReferralLanding(ctx, strings.ToLower(code))
			if err != nil || !ok || !strings.HasSuffix(landing, "?ref="+code) {
				t.Fatalf("landing = %q, %v, %v", landing, ok, err)
			}
			// Their own code earns the referrer nothing.
			self := place(t, a, "9002", "referrer", 100000, func(n *order.NewOrder) { n.ReferralCode = code })
			move(t, a, self.ID, order.Delivered)
			friend := place(t, a, "9003", "friend", 200000, func(n *order.NewOrder) { n.ReferralCode = strings.ToLower(code) })
			// An old customer's order with a code links nobody.
			move(t, a, friend.ID, order.Delivered)
			if got, want := kinds(t, a, friend.CustomerID), "accrual:100 bonus:100 referral:200"; got != want {
				t.Fatalf("friend's ledger = %q, want %q", got, want)
			}
			if got, want := kinds(t, a, ref.CustomerID), "accrual:50 bonus:100 referral:300"; got != want {
				t.Fatalf("referrer's ledger = %q, want %q", got, want)
			}
			second := place(t, a, "9004", "friend", 200000, func(n *order.NewOrder) { n.ReferralCode = code })
			move(t, a, second.ID, order.Delivered)
			if got := kinds(t, a, ref.CustomerID); strings.Count(got, "referral") != 1 {
				t.Fatalf("the friend's second order credited the referrer again: %q", got)
			}
		})
	}
}

func TestBirthdayBonusOnceAYear(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := apptest.New(t, engine, false, "loyalty: {bonuses: {first_order: 0}}")
			o := place(t, a, "9101", "bday", 100000, func(n *order.NewOrder) { n.Customer.Birthday = "1990-11-24" })
			none := place(t, a, "9102", "nobuy", 100000, func(n *order.NewOrder) { n.Customer.Birthday = "11-24" })
			move(t, a, o.ID, order.Delivered)
			_ = none // never delivered: not yet a member
			if n, err := a.Loyalty.Birthdays(ctx); err != nil || n != 0 {
				t.Fatalf("birthdays on the 23rd = %d, %v", n, err)
			}
			clk.Advance(24 * time.Hour) // 24 November
			if n, err := a.Loyalty.Birthdays(ctx); err != nil || n != 1 {
				t.Fatalf("birthdays on the 24th = %d, %v; want 1", n, err)
			}
			if n, _ := a.Loyalty.Birthdays(ctx); n != 0 {
				t.Fatalf("a second sweep credited %d more", n)
			}
			clk.Advance(365 * 24 * time.Hour)
			if n, _ := a.Loyalty.Birthdays(ctx); n != 1 {
				t.Fatalf("next year = %d, want 1", n)
			}
			drain(t, a)
			var body string
			if err := a.DB.Read().QueryRow(ctx, `SELECT rule FROM messages WHERE rule = 'points_credited' AND customer_id = $1 LIMIT 1`, o.CustomerID).Scan(&body); err != nil {
				t.Fatalf("birthday message: %v", err)
			}
		})
	}
}

// TestLoyaltyMessagesRender sends the loyalty messages through the real
// composer: numbers and plurals in the customer's language.
func TestLoyaltyMessagesRender(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, storetest.Engines(t)[0], false)
	o := place(t, a, "9201", "lv1", 250000, func(n *order.NewOrder) { n.Customer.Language = "lv" })
	move(t, a, o.ID, order.Delivered)
	if _, err := a.Loyalty.Grant(ctx, loyalty.GrantRequest{CustomerID: o.CustomerID, OrderID: o.ID,
		Grant: config.Grant{Points: 21, Reason: "kavēta piegāde"}}); err != nil {
		t.Fatal(err)
	}
	drain(t, a)
	want := map[string]string{
		"status_delivered": "jūs saņēmāt 125 punktus; kopā jums ir 246 punkti",
		"points_credited":  "Mēs jums piešķīrām 21 punktu; kopā jums ir 246 punkti",
	}
	for rule, text := range want {
		var id int64
		if err := a.DB.Read().QueryRow(ctx, `SELECT id FROM messages WHERE rule = $1 AND order_id = $2 ORDER BY id DESC LIMIT 1`, rule, o.ID).Scan(&id); err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		m, err := message.Get(ctx, a.DB.Read(), id)
		if err != nil {
			t.Fatal(err)
		}
		c, err := message.LoadContact(ctx, a.DB.Read(), o.CustomerID)
		if err != nil {
			t.Fatal(err)
		}
		d, err := a.Playbook.Compose(ctx, a.DB.Read(), m, c)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.Text, text) {
			t.Errorf("%s:\n%s\nwant it to contain %q", rule, d.Text, text)
		}
	}
}

// orderEvents reads back the journal's events of some orders.
func orderEvents(t testing.TB, a *app.App, ids ...int64) []journal.Event {
	t.Helper()
	var out []journal.Event
	err := store.QueryIn(ctx, a.DB.Read(), `SELECT id, kind, order_id, customer_id, payload, occurred_at FROM events
		WHERE order_id IN (IN_LIST) ORDER BY id`, nil, ids, func(r store.Rows) error {
		var e journal.Event
		var payload string
		if err := r.Scan(&e.ID, &e.Kind, &e.OrderID, &e.CustomerID, &payload, &e.OccurredAt); err != nil {
			return err
		}
		e.Payload = []byte(payload)
		out = append(out, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPlaybookRuleGrants gives compensation from a rule of the shop's
// own, once per order, with the rule's own message instead of a second
// one about the points.
func TestPlaybookRuleGrants(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false, `playbook:
  rules:
    sorry_cancelled:
      event: order.status_changed
      status: cancelled
      template: status_cancelled
      transactional: true
      grant: {points: 150, reason: "we had to cancel", coupon: {amount: 300, valid_for: 30d}}`)
			o := place(t, a, "9301", "sorry", 100000)
			move(t, a, o.ID, order.Cancelled)
			if b := balance(t, a, o.CustomerID); b != 150 {
				t.Fatalf("balance = %d, want 150", b)
			}
			var about string
			if err := a.DB.Read().QueryRow(ctx, `SELECT about FROM messages WHERE rule = 'sorry_cancelled' AND order_id = $1`, o.ID).Scan(&about); err != nil {
				t.Fatalf("the rule's message: %v", err)
			}
			if !strings.Contains(about, "transaction=") || !strings.Contains(about, "coupon=") {
				t.Fatalf("about = %q, want the transaction and the coupon", about)
			}
			var credited int
			if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM messages WHERE rule = 'points_credited' AND order_id = $1`, o.ID).Scan(&credited); err != nil || credited != 0 {
				t.Fatalf("points_credited messages = %d, %v; want none beside the rule's own", credited, err)
			}
			coupons, err := loyalty.Coupons(ctx, a.DB.Read(), o.CustomerID, 10)
			if err != nil || len(coupons) != 1 || coupons[0].Value != 30000 || coupons[0].OrderID != o.ID {
				t.Fatalf("coupons = %+v, %v", coupons, err)
			}
			// The same events handled again grant nothing more.
			err = a.DB.InTx(ctx, func(tx *store.Tx) error {
				return a.Playbook.HandleEvents(ctx, tx, orderEvents(t, a, o.ID))
			})
			if err != nil {
				t.Fatal(err)
			}
			if b := balance(t, a, o.CustomerID); b != 150 {
				t.Fatalf("balance after handling again = %d, want 150", b)
			}
			if cs, _ := loyalty.Coupons(ctx, a.DB.Read(), o.CustomerID, 10); len(cs) != 1 {
				t.Fatalf("%d coupons after handling again", len(cs))
			}
		})
	}
}

// TestTwoDeliveriesInOneBatch delivers a new customer's two orders before
// the journal is drained: one first-order bonus, both accruals.
func TestTwoDeliveriesInOneBatch(t *testing.T) {
	t.Parallel()
	a, clk := apptest.New(t, storetest.Engines(t)[0], false)
	o1 := place(t, a, "9401", "twice", 100000)
	o2 := place(t, a, "9402", "twice", 100000)
	for _, id := range []int64{o1.ID, o2.ID} {
		clk.Advance(time.Minute)
		if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Delivered, Source: order.SourceAPI}); err != nil {
			t.Fatal(err)
		}
	}
	drain(t, a)
	if got, want := kinds(t, a, o1.CustomerID), "accrual:50 bonus:100 accrual:50"; got != want {
		t.Fatalf("ledger = %q, want %q", got, want)
	}
}

// TestReferralCodesAsReferralCode: the codes of several customers asked
// for together (a sweep's batch of loyalty news) are each the one the
// customer keeps: a code made before is kept, a customer without an
// account gets one, a customer named twice gets one code.
func TestReferralCodesAsReferralCode(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			var ids []int64
			for i := range 3 {
				ids = append(ids, place(t, a, "9100"+strconv.Itoa(i), "batch"+strconv.Itoa(i), 100000).CustomerID)
			}
			before, err := a.Loyalty.ReferralCode(ctx, ids[0])
			if err != nil {
				t.Fatal(err)
			}
			codes, err := a.Loyalty.ReferralCodes(ctx, append(ids, ids[2]))
			if err != nil {
				t.Fatal(err)
			}
			if len(codes) != len(ids) || codes[ids[0]] != before {
				t.Fatalf("codes %v; want one for each of %v, %q for the first", codes, ids, before)
			}
			seen := map[string]bool{}
			for _, id := range ids {
				alone, err := a.Loyalty.ReferralCode(ctx, id)
				if err != nil || alone != codes[id] || len(alone) != 8 || seen[alone] {
					t.Fatalf("customer %d: code %q alone (%v), %q in the batch; want the same, eight symbols, its own", id, alone, err, codes[id])
				}
				seen[alone] = true
			}
		})
	}
}
