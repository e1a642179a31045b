package playbook

import (
	"github.com/shopcare/shopcare/internal/calendar"
)

// Data is what a template sees: {{.Order.Number}}, {{on .Promise.Ship}}.
// It is the documented data model of the shop's templates (README.md,
// "Messages"); add to it, never rename.
type Data struct {
	Shop     ShopData
	Customer CustomerData
	Order    OrderData
	Promise  PromiseData
	// Transit is the carrier's usual transit to the customer's country:
	// {{dayRange .Transit.Min .Transit.Max .Transit.Working}} → "5–7 дней".
	Transit TransitData
	Pickup  PickupData
	// Change is the promise change a promise_changed message is about.
	Change ChangeData
	// TrackingURL opens the order's tracking page; every message links it.
	TrackingURL string
	// MyURL opens the customer's own page (all orders, points, help),
	// signed in by a link valid 30 days; every message may link it.
	MyURL string
	// UnsubscribeURL is the one-click opt-out of marketing-type messages;
	// "" in order news.
	UnsubscribeURL string
	// Loyalty is the customer's standing in the loyalty program and what
	// a loyalty message is about.
	Loyalty LoyaltyData
	// Survey is the NPS survey of a delivery follow-up
	// (delivered_followup): {{.Survey.PageURL}} in the text (the e-mail's
	// HTML shows a row of the scores 0–10 there), {{.Survey.SMSURL}} in
	// an SMS; empty when the shop asks no surveys.
	Survey SurveyData
	// ReviewURL opens the page where the customer reviews the order's
	// products without signing in (a link signed for the order, verified
	// buyer); "" without an order. ReviewBonus is the points the loyalty
	// programme gives for a published review (0: none).
	ReviewURL   string
	ReviewBonus int
	// Stock is the order's items not in stock and what an operator
	// agreed about them (playbook_stock.go).
	Stock StockData
	// OptInURL confirms the customer's marketing e-mail consent
	// (marketing_confirm, double opt-in); "" in other messages.
	OptInURL string
	// Item is the item a back_in_stock message is about: {{.Item.Name}},
	// {{.Item.URL}}, {{.Item.CancelURL}}; empty in other messages.
	Item ItemData
}

// LoyaltyData is the customer in the loyalty program when the message is
// written; numbers are points unless they say otherwise.
type LoyaltyData struct {
	Balance      int
	BalanceValue string // what the balance is worth: "1 250.00 RUB"
	// Tier is the tier's name in the customer's language ("" for none);
	// TierCode its code, TierDiscount its discount in percent.
	Tier, TierCode string
	TierDiscount   float64
	FreeGiftWrap   bool
	FreeDelivery   bool
	Souvenir       bool
	// NextTier is the tier above ("" at the top), NextTierOrders the
	// delivered orders still missing for it (0: not counted by orders),
	// NextTierSpend the spend still missing ("" when not counted by
	// spend); either one reached is enough.
	NextTier       string
	NextTierOrders int
	NextTierSpend  string
	// Earned is what the message's order earned.
	Earned int
	// Points is what a credit or a lapse is about; ReasonCode why
	// (first_order, birthday, review, referred_a_friend,
	// referred_by_a_friend, or the shop's words in Reason).
	Points     int
	ReasonCode string
	Reason     string
	// Lapsing points lapse on LapsesOn unless spent.
	Lapsing  int
	LapsesOn calendar.Day
	// Coupon is a coupon granted with the message ("" for none), CouponOff
	// what it takes off ("10 %", "500.00 RUB"), CouponUntil its last day
	// (zero: no end), CouponMinOrder the least order it applies to ("").
	Coupon         string
	CouponOff      string
	CouponUntil    calendar.Day
	CouponMinOrder string
	// ReferralURL is the customer's personal link for friends.
	ReferralURL string
}

// ShopData is the shop.
type ShopData struct {
	Name  string
	Phone string // the shop's number for customers (shop.phone); "" when not set
}

// CustomerData is the customer.
type CustomerData struct {
	Name      string // as the shop has it: "Андрей Петров"
	FirstName string // the first word of Name: "Андрей"
	Phone     string // E.164: "+79161234567"; "" when unknown
	// LastOrderOn is the day of the customer's last order (not_seen:
	// "we haven't seen you since…"); zero in other messages.
	LastOrderOn calendar.Day
}

// OrderData is the order as it is when the message is written.
type OrderData struct {
	Number         string // the shop's order number
	Status         string // new, processing, … (the order's statuses)
	Total          string // "1 250.00 RUB"
	Carrier        string // the carrier's name for customers
	Delivery       string // courier, post or pickup (config.Delivery); "" when the carrier is not known
	TrackingNumber string
	MadeToOrder    bool // some item is made for this order
	CashOnDelivery bool
	Paid           bool
}

// PromiseData is the order's promise; days are zero when unknown.
type PromiseData struct {
	Known      bool // a ship day is known
	Delivers   bool // a delivery window is known
	Production calendar.Day
	Ship       calendar.Day
	From, To   calendar.Day // the delivery window
	// Changed says the promise moved since the customer was first told.
	Changed bool
}

// TransitData is a carrier's transit, in days.
type TransitData struct {
	Min, Max int
	Working  bool // counted in working days
}

// PickupData is about a parcel waiting at a pickup point.
type PickupData struct {
	HoldDays int // how long the point keeps it
	// A pickup reminder's parcel has waited Days and is kept until
	// KeptUntil (zero when the hold is not known); TrackingNumber is its.
	Days           int
	KeptUntil      calendar.Day
	TrackingNumber string
}

// ChangeData is one change of the promise.
type ChangeData struct {
	Reason         string // in words, in the customer's language
	ReasonCode     string // day_off, started_late, shipped_late, carrier_changed
	OldFrom, OldTo calendar.Day
	OldKnown       bool
}

// SampleData is a full example of Data: templates are tried on it when
// saved, and the README shows it.
func SampleData() Data {
	return Data{
		Shop: ShopData{Name: "Кастрюля и сковородка", Phone: "+7 495 123-45-67"},
		Customer: CustomerData{Name: "Андрей Петров", FirstName: "Андрей", Phone: "+79161234567",
			LastOrderOn: calendar.MustParseDay("2026-06-14")},
		Order: OrderData{Number: "1042", Status: "shipped", Total: "4 990.00 RUB", Carrier: "Почта России", Delivery: "post",
			TrackingNumber: "RA123456789RU", MadeToOrder: true, CashOnDelivery: true},
		Promise: PromiseData{Known: true, Delivers: true, Production: calendar.MustParseDay("2026-11-30"),
			Ship: calendar.MustParseDay("2026-12-01"), From: calendar.MustParseDay("2026-12-06"),
			To: calendar.MustParseDay("2026-12-08"), Changed: true},
		Transit: TransitData{Min: 5, Max: 7},
		Pickup: PickupData{HoldDays: 30, Days: 7, KeptUntil: calendar.MustParseDay("2026-12-31"),
			TrackingNumber: "RA123456789RU"},
		Change: ChangeData{Reason: "инвентаризация", OldFrom: calendar.MustParseDay("2026-12-04"),
			OldTo: calendar.MustParseDay("2026-12-06"), OldKnown: true, ReasonCode: "day_off"},
		Loyalty: LoyaltyData{Balance: 1250, BalanceValue: "1 250.00 RUB", Tier: "Золотая карта", TierCode: "gold", TierDiscount: 7,
			FreeGiftWrap: true, FreeDelivery: true, Souvenir: true, Earned: 249, Points: 300, ReasonCode: "compensation",
			Reason: "задержка доставки", Lapsing: 120, LapsesOn: calendar.MustParseDay("2027-01-15"),
			Coupon: "7KQ2-MX9D-4HWP", CouponOff: "10 %", CouponUntil: calendar.MustParseDay("2027-02-28"), CouponMinOrder: "1 000.00 RUB",
			ReferralURL: "https://care.example.com/r/K7M2QX9D"},
		TrackingURL:    "https://care.example.com/t/Xq3v9T2mKp8WnR5sLd7YbE1cH4gJ6aZ0uF2iO8eQwNt",
		MyURL:          "https://care.example.com/my/in/AW0AAAAAAAAAKgAAAABp2Xq3v9T2mKp8WnR5sLd7YbE1cH",
		UnsubscribeURL: "https://care.example.com/u/Lr4Tn8Wq2Zp6Xv0Bc3Hd7Jf1Gk5Ms9Ya2Ue6Io0PqRs",
		Survey:         sampleSurvey(),
		Stock:          sampleStock(),
		ReviewURL:      "https://care.example.com/rv/AQAAAAAAAAQSAAAAAAAAACoAAAAAaZ3aN8v1Tq2Xm9Wk4Rp7Ls0Yb",
		ReviewBonus:    200,
		OptInURL:       "https://care.example.com/optin/AAAAAAAAACoAAAAAaZ3aNwB8v1Tq2Xm9Wk4Rp7Ls0Yb",
		Item: ItemData{SKU: "POT-24", Name: "Кастрюля 24 см", URL: "https://shop.example.com/products/pot-24",
			CancelURL: "https://care.example.com/stock/cancel/AAAAAAAAAAcQ2Xm9Wk4Rp7Ls0YbTq8vN"},
	}
}
