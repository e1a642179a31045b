package packing_test

import (
	"fmt"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/packing"
)

// The inserts of a Latvian shop's parcel leaving three days before Līgo,
// a customer's first order, by the default rules.
func ExampleInserts() {
	lv, err := calendar.New("LV", nil)
	if err != nil {
		panic(err)
	}
	facts := packing.Facts{ShipDay: calendar.MustParseDay("2027-06-20"), FirstOrder: true}
	for _, in := range packing.Inserts(config.Default().Packing, lv, facts) {
		fmt.Printf("%s — %s\n", in.Label(i18n.EN), in.Why(i18n.EN))
	}
	// Output:
	// Thank-you note — Goes into every parcel.
	// Holiday card: Midsummer (Līgo) — Ships on Sunday 20 Jun, 3 days before Midsummer (Līgo).
	// Souvenir — The customer's first order.
}
