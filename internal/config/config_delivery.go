package config

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Delivery is how a carrier hands a parcel to the customer; the messages
// and the tracking page word an order's steps by it ("packed and waiting
// for the courier" is for courier orders only).
type Delivery string

// The ways a parcel reaches the customer.
const (
	// DeliveryCourier: a courier brings it to the door.
	DeliveryCourier Delivery = "courier"
	// DeliveryPost: the post brings it to a post office (or the door),
	// where the customer collects it with a notice.
	DeliveryPost Delivery = "post"
	// DeliveryPickup: it waits at a pickup point or parcel locker.
	DeliveryPickup Delivery = "pickup"
)

// UnmarshalYAML reads courier, post or pickup, in any case.
func (d *Delivery) UnmarshalYAML(n *yaml.Node) error {
	switch v := Delivery(strings.ToLower(strings.TrimSpace(n.Value))); v {
	case DeliveryCourier, DeliveryPost, DeliveryPickup, "":
		*d = v
		return nil
	}
	return fmt.Errorf("line %d: %q is not a delivery (courier, post or pickup)", n.Line, n.Value)
}

// DeliveryType returns how the carrier delivers: its delivery setting,
// else what its other settings say — a carrier whose parcels are not held
// for pickup (no pickup_hold_days) comes to the door by courier, one that
// holds them is the post when its code is post, else a pickup point.
func (c Carrier) DeliveryType() Delivery {
	switch {
	case c.Delivery != "":
		return c.Delivery
	case c.PickupHoldDays <= 0:
		return DeliveryCourier
	case strings.EqualFold(c.Code, "post"):
		return DeliveryPost
	}
	return DeliveryPickup
}
