package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/order"
)

// firstOrderNumber is the shop's number of its first demo order; the
// rest follow in the order they were placed.
const firstOrderNumber = 100001

// orderNumber is the shop's id of its n-th order (counting from 0).
func orderNumber(n int) string { return fmt.Sprint(firstOrderNumber + n) }

// order makes an order of p placed at at: what they buy, how it goes to
// them, how they pay. A repeat order mostly keeps the carrier and comes in
// directly rather than through an advert.
func (g *people) order(p *person, number string, at time.Time, first bool) order.NewOrder {
	rnd := g.rnd
	carrier, channel := p.carrier, p.channel
	if !first {
		if rnd.IntN(100) < 15 {
			carrier = g.carrier(p.in.Country)
		}
		if rnd.IntN(100) < 55 {
			channel = "direct"
		}
	}
	return order.NewOrder{
		ExternalID: number,
		PlacedAt:   at,
		Customer:   p.in,
		Items:      basket(rnd, g.settings, p.basket),
		Carrier:    carrier,
		Channel:    channel,
		Payment:    order.Payment{Method: p.payment, Paid: p.payment == "prepaid"},
		GiftWrap:   rnd.IntN(100) < 8,
		Address:    p.address,
	}
}

// trackingNumber makes a carrier's parcel number: a UPU S10 number
// (RR123456785LV) for postal carriers, which hold parcels for pickup, and
// a courier's 14 digits for the rest.
func trackingNumber(rnd *rand.Rand, c config.Carrier, country string) string {
	if c.PickupHoldDays > 0 {
		return s10(rnd.IntN(100_000_000), country)
	}
	return fmt.Sprintf("0%013d", rnd.Int64N(10_000_000_000_000))
}

// s10 is the S10 number of a registered parcel with its check digit.
func s10(serial int, country string) string {
	digits := fmt.Sprintf("%08d", serial)
	weights := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i, c := range digits {
		sum += int(c-'0') * weights[i]
	}
	check := 11 - sum%11
	switch check {
	case 10:
		check = 0
	case 11:
		check = 5
	}
	return fmt.Sprintf("RR%s%d%s", digits, check, country)
}
