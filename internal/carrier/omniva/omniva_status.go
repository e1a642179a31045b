package omniva

import (
	"strings"

	"github.com/shopcare/shopcare/internal/carrier"
)

// code is one of Omniva's event or state codes: the status it moves a
// parcel to ("" for one that moves it to none of ours) and Omniva's words
// for it.
type code struct {
	status carrier.Status
	text   string
}

// eventCodes are the events interface's event codes (eventCode), as Omniva
// lists them. The PACKET_EVENT_IPS_* codes are the UPU EMSEVT events
// (EMA…EMI, EDA…EDD) of international mail.
var eventCodes = map[string]code{
	// Data only: the shop registered the parcel, Omniva does not have it yet.
	"PACKET_EVENT_SAVED": {"", "Parcel data saved to Omniva's system"},

	"PACKET_EVENT_PICKED_UP_QUANTITATIVELY": {carrier.Accepted, "Parcel picked up by courier from sender or parcel machine"},
	"PACKET_EVENT_PICKED_UP_WITH_SCAN":      {carrier.Accepted, "Parcel picked up by courier from sender or parcel machine"},
	"PACKET_EVENT_IPS_A":                    {carrier.Accepted, "Acceptance of packet from client"},

	"PACKET_EVENT_IN_POSTOFFICE":      {carrier.InTransit, "Arrival to Omniva"},
	"PACKET_EVENT_ARRIVED_EXCESS":     {carrier.InTransit, "Parcel arrived to hub"},
	"PACKET_EVENT_FROM_CONTAINER":     {carrier.InTransit, "Parcel arrived to hub"},
	"PACKET_EVENT_FROM_WAYBILL_LIST":  {carrier.InTransit, "Parcel arrived to hub"},
	"PACKET_EVENT_FROM_DELIVERY_LIST": {carrier.InTransit, "Parcel arrived to hub"},
	"PACKET_EVENT_OPENING_CONTAINER":  {carrier.InTransit, "Parcel arrived to hub"},
	// The final hub: the receiver's post office or the courier's depot; the
	// packet's state tells which (see statusOf), STORING that it waits.
	"PACKET_EVENT_IN_DEST_POSTOFFICE": {carrier.InTransit, "Parcel arrived to final hub"},
	"PACKET_EVENT_ON_ROUTE_LIST":      {carrier.InTransit, "Parcel sent out from hub"},
	"PACKET_EVENT_IN_CONTAINER":       {carrier.InTransit, "Parcel sent out from hub"},
	"PACKET_EVENT_REDIRECTION":        {carrier.InTransit, "Parcel has been redirected"},
	"PACKET_EVENT_IPS_C":              {carrier.InTransit, "Shipment from country of departure"},
	"PACKET_EVENT_IPS_EMC":            {carrier.InTransit, "Shipment from country of departure"},
	"PACKET_EVENT_IPS_D":              {carrier.InTransit, "Arrival to destination country"},
	"PACKET_EVENT_IPS_EMD":            {carrier.InTransit, "Arrival to destination country"},
	"PACKET_EVENT_IPS_EDD":            {carrier.InTransit, "Item into sorting centre"},
	"PACKET_EVENT_IPS_EMF":            {carrier.InTransit, "Departure from inward sorting centre"},
	"PACKET_EVENT_IPS_G":              {carrier.InTransit, "Arrival to destination post office"},

	"PACKET_EVENT_IPS_E":   {carrier.Customs, "Customs clearance (parcel in customs)"},
	"PACKET_EVENT_IPS_EME": {carrier.Customs, "Customs clearance (parcel in customs)"},
	"PACKET_EVENT_IPS_EDA": {carrier.Customs, "Held at inward office of exchange"},
	"PACKET_EVENT_IPS_EDB": {carrier.Customs, "Item presented to customs"},
	"PACKET_EVENT_IPS_EDC": {carrier.Customs, "Item returned from customs"},

	"PACKET_EVENT_STORING": {carrier.ArrivedAtPickup, "Parcel was stored and is waiting for receiver to pick it up"},

	"PACKET_EVENT_ON_DELIVERY_LIST": {carrier.OutForDelivery, "Parcel handed over to courier for delivery"},

	"PACKET_EVENT_DELIVERING_TRY": {carrier.FailedAttempt, "Physical delivery attempt was made"},
	"PACKET_EVENT_IPS_H":          {carrier.FailedAttempt, "Delivery attempt"},

	// A delivery after PACKET_EVENT_RETURN is the sender's: see markReturns.
	"PACKET_EVENT_DELIVERED": {carrier.Delivered, "Parcel was delivered"},
	"PACKET_EVENT_IPS_I":     {carrier.Delivered, "Delivery"},

	"PACKET_EVENT_RETURN": {carrier.Returning, "Parcel is starting to move back to initial sender"},

	"PACKET_EVENT_WRITING_OFF": {carrier.Lost, "Parcel written off, neither sender nor receiver accepting it"},

	// Notices and calls: signs of life that change nothing.
	"PACKET_EVENT_DELIVERY_CALL":        {"", "Receiver was contacted to make agreement"},
	"PACKET_EVENT_SEND_REC_EMAIL_NOTIF": {"", "Receiver was notified of parcel arrival by e-mail"},
	"PACKET_EVENT_SEND_REC_SMS_NOTIF":   {"", "Receiver was notified of parcel arrival by SMS"},
	// A delivery scanned by mistake, taken back: it names no status the
	// parcel is in, the events after it will.
	"PACKET_EVENT_DELIVERY_CANCELLED": {"", "Delivery event was marked by mistake and it is cancelled"},
}

// stateCodes are the packet states (stateCode) Omniva sends with each
// event: the state the event left the parcel in. They decide the status of
// an event whose code is not in eventCodes.
var stateCodes = map[string]code{
	"PACKET_STATE_SAVED":                 {"", "Saved"},
	"PACKET_STATE_REGISTERED":            {"", "Registered"},
	"PACKET_STATE_UNCONFIRMED":           {"", "Unconfirmed"},
	"PACKET_STATE_UNCONFIRMED_NO_TARRIF": {"", "Unconfirmed (no tariff)"},
	"PACKET_STATE_CONFIRMED":             {"", "Confirmed"},
	"PACKET_STATE_WAITING_COURIER":       {"", "Awaiting collection"},
	"PACKET_STATE_WAITING_UNARRIVED":     {"", "Waiting, hasn't arrived"},
	"PACKET_STATE_ON_HOLD":               {"", "Waiting"},
	"PACKET_STATE_CANCELLED":             {"", "Cancelled"},
	"PACKET_STATE_DELETED":               {"", "Deleted"},

	"PACKET_STATE_IN_WAREHOUSE":      {carrier.InTransit, "At warehouse"},
	"PACKET_STATE_SORTED":            {carrier.InTransit, "Sorted"},
	"PACKET_STATE_IN_CONTAINER":      {carrier.InTransit, "In container"},
	"PACKET_STATE_BEING_TRANSPORTED": {carrier.InTransit, "Being transported"},
	"PACKET_STATE_ON_HANDOVER_LIST":  {carrier.InTransit, "In transition sheet"},
	"PACKET_STATE_WAITING_TRANSPORT": {carrier.InTransit, "In delivery list"},
	"PACKET_STATE_HANDED_OVER_TO_PO": {carrier.InTransit, "Re-addressed to post office"},

	"PACKET_STATE_DELIVERED_POSTOFFICE": {carrier.ArrivedAtPickup, "Arrived at post office"},

	"PACKET_STATE_HANDED_OVER_TO_COURIER": {carrier.OutForDelivery, "Transmitted to courier"},
	"PACKET_STATE_ON_COURIER":             {carrier.OutForDelivery, "At delivery"},

	"PACKET_STATE_DELIVERED": {carrier.Delivered, "Delivered"},

	"PACKET_STATE_WRITTEN_OFF": {carrier.Lost, "Written off"},
}

// statusOf is the status an event moves its parcel to: its event code's;
// an arrival at a hub that left the parcel waiting at the post office is
// an arrival for pickup; an event code Omniva added since is read by the
// state it left the parcel in.
func statusOf(event, state string) carrier.Status {
	event, state = strings.TrimSpace(event), strings.TrimSpace(state)
	c, ok := eventCodes[event]
	if !ok {
		return stateCodes[state].status
	}
	if c.status == carrier.InTransit && state == "PACKET_STATE_DELIVERED_POSTOFFICE" {
		return carrier.ArrivedAtPickup
	}
	return c.status
}

// describe is Omniva's words for an event: the interface sends codes only.
func describe(event, state string) string {
	event, state = strings.TrimSpace(event), strings.TrimSpace(state)
	if c, ok := eventCodes[event]; ok {
		return c.text
	}
	if c, ok := stateCodes[state]; ok {
		return c.text
	}
	return event
}

// markReturns turns a delivery that follows a return into the parcel's
// arrival back at the shop: Omniva reports the delivery to the sender with
// the same PACKET_EVENT_DELIVERED. events are grouped by parcel, oldest
// first.
func markReturns(events []carrier.Event) {
	returning := false
	for i := range events {
		if i > 0 && events[i].TrackingNumber != events[i-1].TrackingNumber {
			returning = false
		}
		switch events[i].Status {
		case carrier.Returning:
			returning = true
		case carrier.Delivered:
			if returning {
				events[i].Status = carrier.Returned
			}
		}
	}
}
