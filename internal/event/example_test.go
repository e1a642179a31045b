package event_test

import (
	"fmt"

	"github.com/shopcare/shopcare/internal/event"
)

// A consumer reads a journaled payload into the type its producer wrote.
func ExampleDecode() {
	stored := []byte(`{"parcel_id":7,"tracking_number":"CC123456789EE","carrier":"omniva","days":3,"kept_until":"2026-03-28"}`)
	p, err := event.Decode(event.ParcelWaiting, stored)
	if err != nil {
		panic(err)
	}
	waiting := p.(*event.ParcelWaitingPayload)
	fmt.Println(waiting.TrackingNumber, waiting.Days, waiting.KeptUntil)
	fmt.Println(event.ParcelWaiting, "version", event.ParcelWaiting.Version())
	// Output:
	// CC123456789EE 3 2026-03-28
	// parcel.waiting version 1
}
