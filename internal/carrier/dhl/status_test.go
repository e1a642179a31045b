package dhl

import (
	"testing"

	"github.com/shopcare/shopcare/internal/carrier"
)

func TestStatusOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		service, statusCode, status, description string
		want                                     carrier.Status
	}{
		// pre-transit: accepted only once DHL has the parcel.
		{"express", "pre-transit", "Shipment information received", "Shipment information received", ""},
		{"parcel-de", "pre-transit", "PO", "The instruction data for this shipment have been provided by the sender to DHL electronically.", ""},
		{"parcel-de", "pre-transit", "", "Die Sendung wurde elektronisch angekündigt.", ""},
		{"ecommerce-europe", "pre-transit", "", "The parcel has been dropped off by the sender at a DHL ServicePoint", carrier.Accepted},
		{"parcel-nl", "pre-transit", "", "Awaiting parcel", ""},
		// transit
		{"parcel-de", "transit", "", "The shipment has been posted by the sender at the retail outlet.", carrier.Accepted},
		{"parcel-de", "transit", "", "Die Sendung wurde vom Absender in der Filiale eingeliefert.", carrier.Accepted},
		{"parcel-de", "transit", "", "The shipment has been processed in the parcel center of origin.", carrier.InTransit},
		{"parcel-pl", "transit", "", "przesyłka przyjęta w terminalu nadawczym DHL", carrier.InTransit},
		{"ecommerce-europe", "transit", "", "Customs clearance in progress", carrier.Customs},
		{"parcel-de", "transit", "", "Die Sendung wird vom Zoll geprüft.", carrier.Customs},
		{"parcel-de", "transit", "", "The shipment has been loaded onto the <b>delivery vehicle</b>.", carrier.OutForDelivery},
		{"parcel-de", "transit", "", "Die Sendung wurde in das Zustellfahrzeug geladen.", carrier.OutForDelivery},
		{"ecommerce-europe", "transit", "In delivery", "The parcel is out for delivery", carrier.OutForDelivery},
		{"parcel-de", "transit", "", "The shipment is ready for pick-up at the PACKSTATION 102.", carrier.ArrivedAtPickup},
		{"parcel-de", "transit", "", "Die Sendung liegt in der Filiale zur Abholung bereit.", carrier.ArrivedAtPickup},
		{"ecommerce-europe", "transit", "", "The parcel has arrived at the DHL ServicePoint", carrier.ArrivedAtPickup},
		{"parcel-uk", "transit", "", "Your parcel has been delivered to a Parcel Locker", carrier.ArrivedAtPickup},
		{"parcel-de", "transit", "", "The recipient was not at home. The shipment will be taken to a retail outlet.", carrier.FailedAttempt},
		{"parcel-de", "transit", "", "The shipment is being returned to the sender.", carrier.Returning},
		{"parcel-de", "transit", "", "Die Sendung wird zurück an den Absender geschickt.", carrier.Returning},
		// delivered
		{"parcel-de", "delivered", "", "The shipment has been delivered.", carrier.Delivered},
		{"parcel-de", "delivered", "", "Die Sendung wurde zugestellt.", carrier.Delivered},
		{"parcel-de", "delivered", "", "The shipment has been picked up from the PACKSTATION.", carrier.Delivered},
		{"parcel-de", "delivered", "", "The shipment has been delivered to the PACKSTATION.", carrier.ArrivedAtPickup},
		{"ecommerce-europe", "delivered", "", "The parcel has been delivered at the DHL ServicePoint and is ready for collection", carrier.ArrivedAtPickup},
		{"parcel-de", "delivered", "", "The shipment has been returned to the sender.", carrier.Returned},
		{"parcel-de", "delivered", "", "Die Sendung wurde an den Absender zurückgeliefert.", carrier.Returned},
		// failure
		{"parcel-de", "failure", "", "The shipment could not be delivered, and the recipient has been notified.", carrier.FailedAttempt},
		{"ecommerce-europe", "failure", "", "Delivery attempt unsuccessful, recipient not at home", carrier.FailedAttempt},
		{"parcel-de", "failure", "", "The shipment could not be delivered and is being returned to the sender.", carrier.Returning},
		{"express", "failure", "", "Shipment is on hold", ""},
		{"ecommerce-europe", "failure", "", "Parcel lost", carrier.Lost},
		{"express", "failure", "", "Customs clearance delay", carrier.Customs},
		{"parcel-de", "unknown", "", "Status unknown", ""},
		{"parcel-de", "", "", "", ""},
		{"parcel-de", "teleported", "", "Shipment was delivered", ""},
		{"parcel-de", "DELIVERED", "", "Delivered", carrier.Delivered}, // case does not matter
		// DHL Express checkpoint codes decide before the words.
		{"express", "transit", "PU", "Shipment picked up", carrier.Accepted},
		{"express", "transit", "PL", "Processed at LEIPZIG - GERMANY", carrier.InTransit},
		{"express", "transit", "RR", "Customs status updated", carrier.Customs},
		{"express", "transit", "WC", "With delivery courier", carrier.OutForDelivery},
		{"express", "transit", "CC", "Awaiting collection by recipient as requested", carrier.ArrivedAtPickup},
		{"express", "failure", "NH", "Delivery attempted; recipient not home", carrier.FailedAttempt},
		{"express", "failure", "RD", "Recipient refused delivery", carrier.FailedAttempt},
		{"express", "transit", "RT", "Returned to shipper", carrier.Returning},
		{"express", "transit", "OH", "Shipment is on hold", ""},
		{"express", "delivered", "OK", "Delivered", carrier.Delivered},
		{"parcel-de", "transit", "OK", "The shipment has been processed.", carrier.InTransit}, // codes only for express
	}
	for _, tt := range tests {
		e := event{StatusCode: tt.statusCode, Status: tt.status, Description: tt.description}
		if got := statusOf(tt.service, e); got != tt.want {
			t.Errorf("statusOf(%s, %s, %q, %q) = %q, want %q", tt.service, tt.statusCode, tt.status, tt.description, got, tt.want)
		}
	}
}

func TestRulesAreValid(t *testing.T) {
	t.Parallel()
	for i, r := range rules {
		if r.to != "" && !r.to.Valid() {
			t.Errorf("rule %d maps to invalid status %q", i, r.to)
		}
	}
	for code, s := range expressCodes {
		if s != "" && !s.Valid() {
			t.Errorf("express code %s maps to invalid status %q", code, s)
		}
	}
	// Every documented statusCode ends in a catch-all, so no event falls
	// through to chance.
	for _, code := range []string{"pre-transit", "transit", "delivered", "failure", "unknown"} {
		last := -1
		for i, r := range rules {
			if r.code == code {
				last = i
			}
		}
		if last < 0 || rules[last].words != nil {
			t.Errorf("statusCode %s has no catch-all rule", code)
		}
	}
}

func TestPlain(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"The shipment has been loaded onto the <b>delivery vehicle</b>.": "The shipment has been loaded onto the delivery vehicle.",
		"line one<br/>line two":  "line one line two",
		"Weight &lt; 2 kg":       "Weight < 2 kg",
		"a < b and  more":        "a < b and more",
		"  spaced\n\tout  ":      "spaced out",
		"<p>Paragraph</p><p>Two": "Paragraph Two",
	}
	for in, want := range tests {
		if got := plain(in); got != want {
			t.Errorf("plain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, service, want string }{
		{"2026-04-08T11:47:00+03:00", "express", "2026-04-08T11:47:00+03:00"},
		{"2026-04-08T11:47:00Z", "express", "2026-04-08T11:47:00Z"},
		{"2026-03-13T09:50:00", "parcel-de", "2026-03-13T09:50:00+01:00"},
		{"2026-07-13T09:50:00", "parcel-de", "2026-07-13T09:50:00+02:00"},
		{"2026-07-13T09:50:00", "parcel-uk", "2026-07-13T09:50:00+01:00"},
		{"2026-07-13T09:50:00.250", "express", "2026-07-13T09:50:00.25Z"},
		{"2026-07-13T09:50", "post-de", "2026-07-13T09:50:00+02:00"},
	}
	for _, tt := range tests {
		got, ok := parseTime(tt.in, tt.service)
		if !ok || got.Format("2006-01-02T15:04:05.999999999Z07:00") != tt.want {
			t.Errorf("parseTime(%q, %s) = %s, %v; want %s", tt.in, tt.service, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "13.03.2026 09:50"} {
		if _, ok := parseTime(bad, "parcel-de"); ok {
			t.Errorf("parseTime(%q) read a time", bad)
		}
	}
}
