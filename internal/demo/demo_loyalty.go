package demo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// OpeningReason is the ledger's words, in the shop's first language (as
// an owner would write them), for the points a seeded customer starts
// with: what their delivered orders of the past year would have earned
// had the program run then. History earns nothing by itself (it happened
// before the program), so the demo posts it once, as a shop that starts a
// program on its order history does.
func OpeningReason(s config.Settings) string { return shopWords(s)[0] }

// shopWords are the demo shop's own texts, in its first language: the
// opening balance's reason and the welcome coupon's.
func shopWords(s config.Settings) [2]string {
	words := map[string][2]string{
		"ru": {"начальный баланс по истории заказов", "приветственный код для новых покупателей"},
		"lv": {"sākuma atlikums pēc pasūtījumu vēstures", "sveiciena kods jauniem pircējiem"},
		"en": {"opening balance from order history", "welcome code for new customers"},
	}
	if len(s.Shop.Languages) > 0 {
		if w, ok := words[s.Shop.Languages[0]]; ok {
			return w
		}
	}
	return words["en"]
}

// WelcomeCode is the shop's own coupon, 10 % off, that a new customer
// types in now and then.
const WelcomeCode = "WELCOME10"

// How often a demo customer does something with the program when
// ordering, in percent.
const (
	referredPercent = 12 // a new customer brought by a friend's code
	welcomePercent  = 15 // a new customer using the welcome code
	redeemPercent   = 35 // a returning customer with points paying part with them
	birthdayPercent = 40 // a customer who told the shop their birthday
	tellPercent     = 20 // a returning customer telling it now
)

// Opening is the loyalty program's opening position after Seed.
type Opening struct {
	Members int   // customers credited an opening balance
	Points  int64 // the points credited
	Cards   int   // customers holding a tier card
}

// openLoyalty gives the seeded customers their opening position through
// the real ledger: an opening balance each (an adjustment by the program,
// once per customer), their tier cards by the orders of the tier window
// (RetierAll; the tier_changed events tell them, as a shop launching a
// program would), and the shop's welcome coupon.
func openLoyalty(ctx context.Context, a *app.App, until time.Time) (Opening, error) {
	var op Opening
	l := a.Settings.Loyalty
	scale := math.Pow10(money.Scale(a.Settings.Shop.Currency))
	since := time.Time{}
	if l.ExpireAfter > 0 { // what is older would have lapsed by now
		since = until.Add(-time.Duration(l.ExpireAfter))
	}
	var postings []loyalty.Posting
	err := order.EachImportedSpend(ctx, a.DB.Read(), since, func(c, spent int64) error {
		points := int64(math.Floor(float64(spent)/scale*l.EarnPercent/100 + 1e-9))
		if points > 0 {
			postings = append(postings, loyalty.Posting{Kind: loyalty.Adjustment, CustomerID: c, Points: points,
				Source: loyalty.FromProgram, Reason: OpeningReason(a.Settings), Key: fmt.Sprintf("demo:opening:c%d", c)})
		}
		return nil
	})
	if err != nil {
		return op, fmt.Errorf("demo loyalty: spend of the history: %w", err)
	}
	for start := 0; start < len(postings); start += historyChunk {
		chunk := postings[start:min(start+historyChunk, len(postings))]
		err := a.DB.InTx(ctx, func(tx *store.Tx) error {
			posted, err := a.Loyalty.Post(ctx, tx, chunk)
			for _, t := range posted {
				op.Members++
				op.Points += t.Points
			}
			return err
		})
		if err != nil {
			return op, fmt.Errorf("demo loyalty: opening balances: %w", err)
		}
	}
	if _, err := a.Loyalty.RetierAll(ctx); err != nil {
		return op, fmt.Errorf("demo loyalty: tiers: %w", err)
	}
	cards, err := loyalty.CountCards(ctx, a.DB.Read())
	if err != nil {
		return op, fmt.Errorf("demo loyalty: count cards: %w", err)
	}
	op.Cards = int(cards)
	err = a.DB.InTx(ctx, func(tx *store.Tx) error {
		_, _, err := a.Loyalty.CreateCoupon(ctx, tx, loyalty.CouponRequest{Code: WelcomeCode,
			Spec: config.CouponSpec{Percent: 10}, Reason: shopWords(a.Settings)[1]})
		return err
	})
	if err != nil {
		return op, fmt.Errorf("demo loyalty: coupon %s: %w", WelcomeCode, err)
	}
	return op, nil
}

// birthday is the shop's n-th customer's birthday (MM-DD) and whether
// they told it the shop when they first ordered. It is drawn from n, not
// from the shop's random numbers, so the rest of the generated shop is
// the same with birthdays as without.
func birthday(n int) (day string, told bool) {
	z := uint64(n)*0x9e3779b97f4a7c15 + 0x2545f4914f6cdd1d
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	// A common year's days: 29 February is left out.
	day = time.Date(2001, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(z>>8%365)).Format("01-02")
	return day, int(z%100) < birthdayPercent
}

// referral gives a new customer's order, now and then, the referral code
// of a customer the shop knows: a friend recommended the shop, and both
// are credited when the order is delivered.
func referral(ctx context.Context, a *app.App, rnd *rand.Rand, n *order.NewOrder) error {
	if rnd.IntN(100) >= referredPercent {
		return nil
	}
	q := a.DB.Read()
	count, err := customer.CountAll(ctx, q)
	if err != nil {
		return fmt.Errorf("demo: %w", err) // says "count customers"
	}
	if count == 0 {
		return nil
	}
	friend, err := customer.GetIDByOffset(ctx, q, rnd.Int64N(int64(count)))
	if err != nil {
		return fmt.Errorf("demo: pick a referrer: %w", err)
	}
	code, err := a.Loyalty.ReferralCode(ctx, friend)
	if err != nil {
		return fmt.Errorf("demo: referral code: %w", err)
	}
	n.ReferralCode, n.Channel = code, "referral"
	return nil
}

// spend lets the customer of a new order use the program on it now and
// then: a returning customer pays part of it with their points (as much
// as the program lets them), a new one types in the welcome code.
func spend(ctx context.Context, a *app.App, rnd *rand.Rand, res order.Result, totalMinor int64, first bool) error {
	if first {
		if rnd.IntN(100) >= welcomePercent {
			return nil
		}
		_, err := a.Loyalty.RedeemCoupon(ctx, WelcomeCode, res.ID)
		var ce *loyalty.CouponError
		if errors.As(err, &ce) { // a demo from before the coupon, say
			return nil
		}
		if err != nil {
			return fmt.Errorf("demo: use %s on order %d: %w", WelcomeCode, res.ID, err)
		}
		return nil
	}
	if rnd.IntN(100) >= redeemPercent {
		return nil
	}
	balance, err := loyalty.Balance(ctx, a.DB.Read(), res.CustomerID)
	if err != nil || balance <= 0 {
		return err
	}
	per := a.Loyalty.PointsValueMinor(1)
	if per <= 0 {
		return nil
	}
	limit := int64(float64(totalMinor) * a.Settings.Loyalty.RedeemMaxPercent / 100)
	points := min(balance, limit/per)
	if points <= 0 {
		return nil
	}
	_, err = a.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: res.CustomerID, OrderID: res.ID, Points: points})
	var ie *loyalty.InsufficientError
	if errors.As(err, &ie) { // points lapsed meanwhile
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: redeem %d points on order %d: %w", points, res.ID, err)
	}
	return nil
}
