package config_test

import (
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
)

// TestCarrierDeliveryType: a carrier's delivery is its setting, else a
// carrier that holds no parcels comes to the door, the post holds them at
// the post office and any other at a pickup point; a wrong value is an
// error naming its line.
func TestCarrierDeliveryType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		carrier config.Carrier
		want    config.Delivery
	}{
		{config.Carrier{Code: "courier"}, config.DeliveryCourier},
		{config.Carrier{Code: "dpd"}, config.DeliveryCourier},
		{config.Carrier{Code: "post", PickupHoldDays: 30}, config.DeliveryPost},
		{config.Carrier{Code: "omniva", PickupHoldDays: 7}, config.DeliveryPickup},
		{config.Carrier{Code: "pasts", PickupHoldDays: 30, Delivery: config.DeliveryPost}, config.DeliveryPost},
		{config.Carrier{Code: "cdek", Delivery: config.DeliveryPickup}, config.DeliveryPickup},
	}
	for _, tt := range tests {
		if got := tt.carrier.DeliveryType(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.carrier.Code, got, tt.want)
		}
	}
	s, err := config.Parse([]byte("carriers:\n  - code: omniva\n    delivery: Pickup\n    transit_days: [1, 2]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Carrier("omniva"); c.DeliveryType() != config.DeliveryPickup {
		t.Errorf("parsed delivery = %q", c.Delivery)
	}
	_, err = config.Parse([]byte("carriers:\n  - code: x\n    delivery: drone\n    transit_days: [1, 2]\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("delivery: drone: %v, want an error naming line 3", err)
	}
}
