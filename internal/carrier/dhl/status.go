package dhl

import (
	"strings"

	"github.com/shopcare/shopcare/internal/carrier"
)

// The words DHL uses, in lower case, grouped by what they tell. English
// is DHL's wording with language=en (DHL Paket, eCommerce Europe, Express);
// German is DHL Paket's own, which a push may carry.
var (
	// preAdvice: DHL has the label data, not the parcel.
	preAdvice = []string{"information received", "electronically", "elektronisch",
		"label created", "data transmitted", "instruction data", "angekündigt"}
	// handedOver: the sender gave the parcel to DHL.
	handedOver = []string{"posted by the sender", "dropped off", "drop-off", "handed over by the sender",
		"handed over to dhl", "picked up", "pickup scan", "received by dhl", "shipment accepted", "accepted by dhl",
		"eingeliefert", "beim absender abgeholt", "übernommen"}
	// readyForPickup: waiting for the customer to collect it.
	readyForPickup = []string{"ready for pickup", "ready for pick-up", "ready for collection",
		"ready to be picked up", "ready to be collected", "available for pickup", "available for collection",
		"awaiting collection", "can be picked up", "can be collected", "zur abholung", "abholbereit",
		"kann abgeholt werden"}
	// pickupPoint: a place where customers collect parcels.
	pickupPoint = []string{"packstation", "locker", "service point", "servicepoint", "parcelshop",
		"parcel shop", "paketshop", "pick-up point", "pickup point", "parcel point", "post office",
		"postfiliale", "retail outlet", "filiale", "poststation"}
	// collected: the customer took it from such a place.
	collected = []string{"picked up", "collected", "abgeholt"}
	// outForDelivery: with the courier for delivery today.
	outForDelivery = []string{"out for delivery", "with delivery courier", "with courier", "with the courier",
		"delivery vehicle", "zustellfahrzeug", "in zustellung"}
	// attempt: the courier tried and could not hand it over.
	attempt = []string{"could not be delivered", "delivery attempt", "attempted delivery", "not delivered",
		"unsuccessful delivery", "not at home", "not home", "refused", "closed on arrival", "bad address",
		"nicht zugestellt", "zustellversuch", "nicht angetroffen", "annahme verweigert"}
	// customs: held or processed by customs.
	customs = []string{"customs", "clearance", "zoll"}
	// returning: on its way back to the sender.
	returning = []string{"return to sender", "returned to sender", "returned to the sender", "returning to sender",
		"being returned", "will be returned", "on its way back", "back to the sender",
		"zurück an den absender", "an den absender zurück", "rücksendung an den absender"}
	// backAtSender: a delivered event that went to the sender.
	backAtSender = []string{"return", "to the sender", "to sender", "back to", "absender", "zurück"}
	// lost: DHL gave the parcel up.
	lost = []string{"lost", "destroyed", "verloren", "zerstört"}
)

// rule says: an event of DHL statusCode code whose words contain one of
// words (any, when nil) is at status to.
type rule struct {
	code  string
	words []string
	to    carrier.Status
}

// rules are tried in order; the first that fits decides. This is the whole
// mapping of DHL's wording, kept in one place.
var rules = []rule{
	// pre-transit: a label; accepted only once the sender handed it over.
	{"pre-transit", preAdvice, ""},
	{"pre-transit", handedOver, carrier.Accepted},
	{"pre-transit", nil, ""},

	{"transit", returning, carrier.Returning},
	{"transit", customs, carrier.Customs},
	{"transit", readyForPickup, carrier.ArrivedAtPickup},
	{"transit", attempt, carrier.FailedAttempt},
	{"transit", handedOver, carrier.Accepted},
	{"transit", pickupPoint, carrier.ArrivedAtPickup},
	{"transit", outForDelivery, carrier.OutForDelivery},
	{"transit", nil, carrier.InTransit},

	// delivered: to a locker or point it still waits for the customer.
	{"delivered", backAtSender, carrier.Returned},
	{"delivered", readyForPickup, carrier.ArrivedAtPickup},
	{"delivered", collected, carrier.Delivered},
	{"delivered", pickupPoint, carrier.ArrivedAtPickup},
	{"delivered", nil, carrier.Delivered},

	// failure: only what it failed at moves the parcel; a hold or a delay
	// is information.
	{"failure", lost, carrier.Lost},
	{"failure", returning, carrier.Returning},
	{"failure", customs, carrier.Customs},
	{"failure", attempt, carrier.FailedAttempt},
	{"failure", nil, ""},

	{"unknown", nil, ""},
}

// expressCodes are DHL Express checkpoint codes, which the API gives as the
// event's status for service express; they decide before the words do.
var expressCodes = map[string]carrier.Status{
	"PU": carrier.Accepted,        // shipment picked up
	"PL": carrier.InTransit,       // processed at
	"AF": carrier.InTransit,       // arrived at facility
	"DF": carrier.InTransit,       // departed facility
	"AR": carrier.InTransit,       // arrived at delivery facility
	"TR": carrier.InTransit,       // transferred through
	"MS": carrier.InTransit,       // missorted, rerouted
	"RR": carrier.Customs,         // customs status updated
	"CR": carrier.Customs,         // clearance processing complete
	"CD": carrier.Customs,         // clearance delay
	"OH": "",                      // on hold
	"TD": "",                      // transport delay
	"WC": carrier.OutForDelivery,  // with delivery courier
	"CC": carrier.ArrivedAtPickup, // awaiting collection by the recipient
	"OK": carrier.Delivered,       // delivered
	"NH": carrier.FailedAttempt,   // recipient not home
	"BA": carrier.FailedAttempt,   // bad address
	"CA": carrier.FailedAttempt,   // closed on arrival
	"RD": carrier.FailedAttempt,   // refused delivery
	"RT": carrier.Returning,       // returned to consignor
	"DS": carrier.Lost,            // destroyed
}

// statusOf is the normalised status of e, an event of a shipment of the
// given service.
func statusOf(service string, e event) carrier.Status {
	if service == "express" {
		if s, ok := expressCodes[strings.TrimSpace(e.Status)]; ok {
			return s
		}
	}
	code := strings.ToLower(strings.TrimSpace(e.StatusCode))
	text := strings.ToLower(plain(e.Status + " " + e.Description + " " + e.Remark))
	for _, r := range rules {
		if r.code == code && (r.words == nil || containsAny(text, r.words)) {
			return r.to
		}
	}
	return "" // a statusCode DHL does not document
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
