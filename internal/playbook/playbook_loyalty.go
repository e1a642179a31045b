package playbook

import (
	"context"
	"net/url"
	"strconv"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
)

// loyaltyData is the customer's standing in the program for a message, and
// the transaction and coupon it is about (Message.About).
func (p *Playbook) loyaltyData(ctx context.Context, q store.Querier, m *message.Message, lang i18n.Lang, rule *Rule, referral string) (LoyaltyData, error) {
	var d LoyaltyData
	member, err := p.loyalty.Member(ctx, q, m.CustomerID)
	if err != nil {
		return d, err
	}
	cur := p.settings.Shop.Currency
	amount := func(minor int64) string { return i18n.Money(lang, minor, cur) }
	d.Balance, d.BalanceValue = int(member.Balance), amount(member.ValueMinor)
	if t, ok := p.settings.Loyalty.Tier(member.Tier); ok {
		d.Tier, d.TierCode, d.TierDiscount = t.Name(string(lang)), t.Code, t.DiscountPercent
		d.FreeGiftWrap, d.FreeDelivery, d.Souvenir = t.HasPerk("free_gift_wrap"), t.HasPerk("free_delivery"), t.HasPerk("souvenir")
	}
	if n := member.Next; n != nil {
		d.NextTier, d.NextTierOrders = n.Tier.Name(string(lang)), int(max(0, n.OrdersToGo))
		if n.Tier.MinSpend > 0 {
			d.NextTierSpend = amount(max(0, n.SpendToGoMinor))
		}
	}
	if member.Expiring.Points > 0 {
		d.Lapsing = int(member.Expiring.Points)
		d.LapsesOn = calendar.DayOf(member.Expiring.At.In(p.settings.Shop.Location()))
	}
	if m.OrderID != 0 {
		earned, err := loyalty.EarnedBy(ctx, q, m.OrderID)
		if err != nil {
			return d, err
		}
		d.Earned = int(earned)
	}
	about, _ := url.ParseQuery(m.About)
	if id, _ := strconv.ParseInt(about.Get("transaction"), 10, 64); id != 0 {
		t, err := loyalty.TransactionByID(ctx, q, id)
		if err != nil {
			return d, err
		}
		d.Points, d.ReasonCode, d.Reason = int(t.Points), t.Reason, t.Reason
		if t.Kind == loyalty.Compensation || t.Kind == loyalty.Adjustment {
			d.ReasonCode = string(t.Kind) // the shop's own words are in Reason
		}
	}
	if id, _ := strconv.ParseInt(about.Get("coupon"), 10, 64); id != 0 {
		c, err := loyalty.CouponByID(ctx, q, id)
		if err != nil {
			return d, err
		}
		d.Coupon = c.Display()
		d.CouponOff = amount(c.Value)
		if c.Kind == loyalty.Percent {
			d.CouponOff = strconv.FormatFloat(c.PercentOff(), 'f', -1, 64) + " %"
		}
		if c.ExpiresAt != nil {
			// The last day it can be used, in the shop's calendar.
			d.CouponUntil = calendar.DayOf(c.ExpiresAt.In(p.settings.Shop.Location())).AddDays(-1)
		}
		if c.MinOrderMinor > 0 {
			d.CouponMinOrder = amount(c.MinOrderMinor)
		}
		if d.Reason == "" {
			d.ReasonCode, d.Reason = "compensation", c.Reason
		}
	}
	if referralNews(rule) {
		code := referral // read for the batch
		if code == "" {
			var err error
			if code, err = p.loyalty.ReferralCode(ctx, m.CustomerID); err != nil {
				return d, err
			}
		}
		d.ReferralURL = p.loyalty.ReferralLink(code)
	}
	return d, nil
}

// referralNews tells whether the rule's news carries the customer's
// referral link.
func referralNews(rule *Rule) bool {
	return rule.Event == journal.LoyaltyTierChanged || rule.Event == journal.LoyaltyPointsCredited
}

// loyaltyMoot says why a loyalty message must not go after all, "" when
// it may.
func loyaltyMoot(rule *Rule, d LoyaltyData) string {
	if rule.Event == journal.LoyaltyPointsExpiring && d.Lapsing == 0 {
		return "no points lapse any more: they were spent"
	}
	return ""
}
