package config

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Loyalty holds the points program's rules: how points are earned, what
// they are worth, when they lapse, and the club tiers.
type Loyalty struct {
	// EarnPercent is the points per 100 currency units of a delivered
	// order (the part not paid with points).
	EarnPercent float64 `yaml:"earn_percent"`
	// PointValue is the currency units a point is worth when redeemed.
	PointValue float64 `yaml:"point_value"`
	// ExpireAfter is how long points last from the day they were credited
	// (0: they never lapse). Points are spent oldest first.
	ExpireAfter Duration `yaml:"expire_after"`
	// ExpiryReminder is how long before points lapse the customer is told
	// (0: not told).
	ExpiryReminder Duration `yaml:"expiry_reminder"`
	// RedeemMaxPercent caps the share of an order's total that points may
	// pay.
	RedeemMaxPercent float64 `yaml:"redeem_max_percent"`
	// Bonuses are points for moments other than a purchase.
	Bonuses LoyaltyBonuses `yaml:"bonuses"`
	// Referral credits a customer and the friend they brought.
	Referral Referral `yaml:"referral"`
	// TierWindow is the rolling window whose delivered orders decide a
	// customer's tier.
	TierWindow Duration `yaml:"tier_window"`
	// Tiers are the club cards, lowest first.
	Tiers []Tier `yaml:"tiers"`
}

// LoyaltyBonuses are points given once for a moment: a customer's first
// delivered order, their birthday (once a year), a review of an order.
type LoyaltyBonuses struct {
	// FirstOrder is the points a customer is given for their first delivered
	// order.
	FirstOrder int64 `yaml:"first_order"`
	// Birthday is the points a club member is given on their birthday.
	Birthday int64 `yaml:"birthday"`
	// Review is the points a customer is given for a review the shop
	// accepts.
	Review int64 `yaml:"review"`
}

// Referral is the refer-a-friend program: when a friend's first order
// that came with a customer's code is delivered, both are credited.
type Referral struct {
	// ReferrerPoints are credited to the customer whose code brought the
	// friend.
	ReferrerPoints int64 `yaml:"referrer_points"`
	// FriendPoints are credited to the friend.
	FriendPoints int64 `yaml:"friend_points"`
	// LandingURL is where a personal link (/r/CODE) sends the friend,
	// with ?ref=CODE added for the shop to pass on with the order; the
	// shop's public_url when empty.
	LandingURL string `yaml:"landing_url"`
}

// Tier is one club card.
type Tier struct {
	// Code names the tier in settings, the API and packing.souvenir.tiers.
	Code string `yaml:"code"`
	// Names are what customers read, per language; the code when missing.
	Names map[string]string `yaml:"names"`
	// A customer reaches the tier when their delivered orders in the
	// tier window reach MinOrders or their spend reaches MinSpend
	// (currency units), whichever the tier sets.
	MinSpend  float64 `yaml:"min_spend"`
	MinOrders int     `yaml:"min_orders"`
	// DiscountPercent is the members' discount the shop gives.
	DiscountPercent float64 `yaml:"discount_percent"`
	// Perks are among TierPerks.
	Perks []string `yaml:"perks"`
}

// TierPerks are the perks a tier can give: free gift wrap, a souvenir in
// every parcel, free delivery.
var TierPerks = []string{"free_gift_wrap", "souvenir", "free_delivery"}

// Name is the tier's name in a language, else in English, else its code.
func (t Tier) Name(lang string) string {
	if n := t.Names[lang]; n != "" {
		return n
	}
	if n := t.Names["en"]; n != "" {
		return n
	}
	return t.Code
}

// HasPerk reports whether the tier gives the perk.
func (t Tier) HasPerk(perk string) bool { return slices.Contains(t.Perks, perk) }

// Tier returns the tier with the code.
func (l Loyalty) Tier(code string) (Tier, bool) {
	for _, t := range l.Tiers {
		if t.Code == code {
			return t, true
		}
	}
	return Tier{}, false
}

// Grant is points and/or a coupon given to make amends or to reward: the
// compensation of a late order, a playbook rule's grant, an operator's.
type Grant struct {
	// Points are credited to the customer's account.
	Points int64 `yaml:"points"`
	// Coupon, when set, is created for the customer with the grant.
	Coupon *CouponSpec `yaml:"coupon"`
	// Reason is the words kept in the ledger and shown to the customer.
	Reason string `yaml:"reason"`
}

// CouponSpec describes a coupon to generate.
type CouponSpec struct {
	// Percent off the order, or Amount off it (currency units): one of
	// the two.
	Percent float64 `yaml:"percent"`
	Amount  float64 `yaml:"amount"`
	// MinOrder is the least order total it applies to (currency units).
	MinOrder float64 `yaml:"min_order"`
	// ValidFor is how long it can be used (0: no end).
	ValidFor Duration `yaml:"valid_for"`
}

func defaultLoyalty() Loyalty {
	return Loyalty{
		EarnPercent: 5, PointValue: 1, ExpireAfter: Duration(365 * 24 * time.Hour),
		ExpiryReminder:   Duration(14 * 24 * time.Hour),
		RedeemMaxPercent: 50,
		Bonuses:          LoyaltyBonuses{FirstOrder: 100, Birthday: 200, Review: 50},
		Referral:         Referral{ReferrerPoints: 300, FriendPoints: 200},
		TierWindow:       Duration(365 * 24 * time.Hour),
		Tiers: []Tier{
			{Code: "silver", Names: map[string]string{"ru": "Серебряная карта", "lv": "Sudraba karte", "en": "Silver card"},
				MinSpend: 15000, MinOrders: 5, DiscountPercent: 3, Perks: []string{"free_gift_wrap"}},
			{Code: "gold", Names: map[string]string{"ru": "Золотая карта", "lv": "Zelta karte", "en": "Gold card"},
				MinSpend: 50000, MinOrders: 12, DiscountPercent: 7, Perks: []string{"free_gift_wrap", "souvenir", "free_delivery"}},
		},
	}
}

var tierCode = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// validateLoyalty checks the loyalty keys.
func (s *Settings) validateLoyalty(errs *invalid.List) {
	l := &s.Loyalty
	if l.EarnPercent < 0 || l.EarnPercent > 100 {
		errs.Add("loyalty.earn_percent", "invalid", "must be between 0 and 100")
	}
	if l.PointValue < 0 {
		errs.Add("loyalty.point_value", "invalid", "must not be negative")
	}
	if l.ExpireAfter < 0 {
		errs.Add("loyalty.expire_after", "invalid", "must not be negative")
	}
	if l.ExpiryReminder < 0 || l.ExpireAfter > 0 && l.ExpiryReminder >= l.ExpireAfter {
		errs.Add("loyalty.expiry_reminder", "invalid", "must be between 0 and expire_after (%s)", l.ExpireAfter)
	}
	if l.RedeemMaxPercent < 0 || l.RedeemMaxPercent > 100 {
		errs.Add("loyalty.redeem_max_percent", "invalid", "must be between 0 and 100")
	}
	for key, v := range map[string]int64{"bonuses.first_order": l.Bonuses.FirstOrder, "bonuses.birthday": l.Bonuses.Birthday,
		"bonuses.review": l.Bonuses.Review, "referral.referrer_points": l.Referral.ReferrerPoints,
		"referral.friend_points": l.Referral.FriendPoints} {
		if v < 0 || v > MaxPoints {
			errs.Add("loyalty."+key, "invalid", "must be between 0 and %d points", MaxPoints)
		}
	}
	if u := l.Referral.LandingURL; u != "" {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			errs.Add("loyalty.referral.landing_url", "invalid", "must be an address such as https://shop.example.com/")
		}
	}
	if l.TierWindow <= 0 && len(l.Tiers) > 0 {
		errs.Add("loyalty.tier_window", "invalid", "must be a positive duration such as 365d")
	}
	seen := map[string]bool{}
	for i := range l.Tiers {
		t := &l.Tiers[i]
		key := fmt.Sprintf("loyalty.tiers[%d]", i)
		t.Code = strings.TrimSpace(t.Code)
		switch {
		case !tierCode.MatchString(t.Code):
			errs.Add(key+".code", "invalid", "%q must be a short code of small letters, digits, - and _, such as gold", t.Code)
		case seen[t.Code]:
			errs.Add(key+".code", "duplicate", "tier %q is listed twice", t.Code)
		}
		seen[t.Code] = true
		for lang, n := range t.Names {
			if !slices.Contains([]string{"ru", "lv", "en"}, lang) {
				errs.Add(key+".names."+lang, "invalid", "names are given for ru, lv and en")
			}
			t.Names[lang] = strings.TrimSpace(n)
		}
		if t.MinSpend < 0 || t.MinOrders < 0 || t.MinSpend == 0 && t.MinOrders == 0 {
			errs.Add(key+".min_spend", "invalid", "set min_spend or min_orders (or both) to a positive number")
		}
		if i > 0 {
			prev := l.Tiers[i-1]
			if t.MinSpend > 0 && prev.MinSpend > 0 && t.MinSpend <= prev.MinSpend ||
				t.MinOrders > 0 && prev.MinOrders > 0 && t.MinOrders <= prev.MinOrders {
				errs.Add(key+".min_spend", "invalid", "tiers go lowest first: %s must ask more than %s", t.Code, prev.Code)
			}
		}
		if t.DiscountPercent < 0 || t.DiscountPercent > 100 {
			errs.Add(key+".discount_percent", "invalid", "must be between 0 and 100")
		}
		for j, p := range t.Perks {
			if !slices.Contains(TierPerks, p) {
				errs.Add(fmt.Sprintf("%s.perks[%d]", key, j), "invalid", "%q is not a perk: %s", p, strings.Join(TierPerks, ", "))
			}
		}
	}
	validateGrant(errs, "compensation", Grant{Points: s.Compensation.BonusPoints, Coupon: s.Compensation.Coupon})
}

// MaxPoints bounds any number of points in settings and requests.
const MaxPoints = 10_000_000

// validateGrant checks a grant (key names it for errors).
func validateGrant(errs *invalid.List, key string, g Grant) {
	if g.Points < 0 || g.Points > MaxPoints {
		errs.Add(key+".points", "invalid", "must be between 0 and %d", MaxPoints)
	}
	if c := g.Coupon; c != nil {
		ValidateCoupon(errs, key+".coupon", *c)
	}
}

// ValidateCoupon checks a coupon spec; key prefixes the fields in errors.
func ValidateCoupon(errs *invalid.List, key string, c CouponSpec) {
	switch {
	case c.Percent != 0 && c.Amount != 0:
		errs.Add(key+".percent", "invalid", "give percent or amount, not both")
	case c.Percent == 0 && c.Amount == 0:
		errs.Add(key+".percent", "required", "give percent (1–100) or amount off the order")
	case c.Percent < 0 || c.Percent > 100 || math.IsNaN(c.Percent):
		errs.Add(key+".percent", "invalid", "must be between 1 and 100")
	case c.Amount < 0 || c.Amount > 1e9 || math.IsNaN(c.Amount):
		errs.Add(key+".amount", "invalid", "must be a positive amount")
	}
	if c.MinOrder < 0 || c.MinOrder > 1e12 || math.IsNaN(c.MinOrder) {
		errs.Add(key+".min_order", "invalid", "must not be negative")
	}
	if c.ValidFor < 0 {
		errs.Add(key+".valid_for", "invalid", "must not be negative")
	}
}
