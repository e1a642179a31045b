package event

import "time"

// ParcelStatusChangedPayload is the payload of a parcel.status_changed
// event; From and To are normalised carrier statuses (carrier.Status).
type ParcelStatusChangedPayload struct {
	ParcelID       int64     `json:"parcel_id"`
	TrackingNumber string    `json:"tracking_number"`
	Carrier        string    `json:"carrier"`
	From           string    `json:"from,omitempty"`
	To             string    `json:"to"`
	At             time.Time `json:"at"`
	Code           string    `json:"code,omitempty"`
	Description    string    `json:"description,omitempty"`
	Location       string    `json:"location,omitempty"`
}

// EventKind returns ParcelStatusChanged.
func (ParcelStatusChangedPayload) EventKind() Kind { return ParcelStatusChanged }

// ParcelWaitingPayload is the payload of a parcel.waiting event: the
// parcel has waited Days at the pickup point and is kept until KeptUntil
// (the last day before it goes back; "" when the carrier's hold is not
// known).
type ParcelWaitingPayload struct {
	ParcelID       int64  `json:"parcel_id"`
	TrackingNumber string `json:"tracking_number"`
	Carrier        string `json:"carrier"`
	Days           int64  `json:"days"`
	KeptUntil      string `json:"kept_until,omitempty"`
}

// EventKind returns ParcelWaiting.
func (ParcelWaitingPayload) EventKind() Kind { return ParcelWaiting }

// ParcelStuckPayload is the payload of a parcel.stuck event.
type ParcelStuckPayload struct {
	ParcelID       int64     `json:"parcel_id"`
	TrackingNumber string    `json:"tracking_number"`
	Carrier        string    `json:"carrier"`
	Status         string    `json:"status,omitempty"`
	SilentSince    time.Time `json:"silent_since"`
	Days           int64     `json:"days"`
}

// EventKind returns ParcelStuck.
func (ParcelStuckPayload) EventKind() Kind { return ParcelStuck }
