package omniva

import (
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
)

// TestStatusOf maps Omniva's codes to statuses.
func TestStatusOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		event, state string
		want         carrier.Status
	}{
		{"PACKET_EVENT_SAVED", "PACKET_STATE_SAVED", ""},
		{"PACKET_EVENT_PICKED_UP_QUANTITATIVELY", "PACKET_STATE_IN_WAREHOUSE", carrier.Accepted},
		{"PACKET_EVENT_PICKED_UP_WITH_SCAN", "PACKET_STATE_IN_WAREHOUSE", carrier.Accepted},
		{"PACKET_EVENT_IPS_A", "", carrier.Accepted},
		{"PACKET_EVENT_IN_POSTOFFICE", "PACKET_STATE_SORTED", carrier.InTransit},
		{"PACKET_EVENT_ARRIVED_EXCESS", "", carrier.InTransit},
		{"PACKET_EVENT_FROM_CONTAINER", "PACKET_STATE_SORTED", carrier.InTransit},
		{"PACKET_EVENT_FROM_WAYBILL_LIST", "", carrier.InTransit},
		{"PACKET_EVENT_FROM_DELIVERY_LIST", "PACKET_STATE_IN_WAREHOUSE", carrier.InTransit},
		{"PACKET_EVENT_OPENING_CONTAINER", "", carrier.InTransit},
		{"PACKET_EVENT_IN_DEST_POSTOFFICE", "PACKET_STATE_SORTED", carrier.InTransit},
		{"PACKET_EVENT_IN_DEST_POSTOFFICE", "PACKET_STATE_DELIVERED_POSTOFFICE", carrier.ArrivedAtPickup},
		{"PACKET_EVENT_ON_ROUTE_LIST", "", carrier.InTransit},
		{"PACKET_EVENT_IN_CONTAINER", "PACKET_STATE_IN_CONTAINER", carrier.InTransit},
		{"PACKET_EVENT_REDIRECTION", "", carrier.InTransit},
		{"PACKET_EVENT_IPS_C", "", carrier.InTransit},
		{"PACKET_EVENT_IPS_D", "", carrier.InTransit},
		{"PACKET_EVENT_IPS_EDD", "", carrier.InTransit},
		{"PACKET_EVENT_IPS_EMF", "", carrier.InTransit},
		{"PACKET_EVENT_IPS_G", "", carrier.InTransit},
		{"PACKET_EVENT_IPS_E", "PACKET_STATE_ON_HOLD", carrier.Customs},
		{"PACKET_EVENT_IPS_EME", "", carrier.Customs},
		{"PACKET_EVENT_IPS_EDA", "", carrier.Customs},
		{"PACKET_EVENT_IPS_EDB", "", carrier.Customs},
		{"PACKET_EVENT_IPS_EDC", "", carrier.Customs},
		{"PACKET_EVENT_STORING", "PACKET_STATE_DELIVERED_POSTOFFICE", carrier.ArrivedAtPickup},
		{"PACKET_EVENT_ON_DELIVERY_LIST", "PACKET_STATE_HANDED_OVER_TO_COURIER", carrier.OutForDelivery},
		{"PACKET_EVENT_DELIVERING_TRY", "PACKET_STATE_ON_COURIER", carrier.FailedAttempt},
		{"PACKET_EVENT_IPS_H", "", carrier.FailedAttempt},
		{"PACKET_EVENT_DELIVERED", "PACKET_STATE_DELIVERED", carrier.Delivered},
		{"PACKET_EVENT_IPS_I", "", carrier.Delivered},
		{"PACKET_EVENT_RETURN", "PACKET_STATE_BEING_TRANSPORTED", carrier.Returning},
		{"PACKET_EVENT_WRITING_OFF", "PACKET_STATE_WRITTEN_OFF", carrier.Lost},
		{"PACKET_EVENT_DELIVERY_CALL", "", ""},
		{"PACKET_EVENT_SEND_REC_EMAIL_NOTIF", "PACKET_STATE_DELIVERED_POSTOFFICE", ""},
		{"PACKET_EVENT_SEND_REC_SMS_NOTIF", "PACKET_STATE_DELIVERED_POSTOFFICE", ""},
		{"PACKET_EVENT_DELIVERY_CANCELLED", "PACKET_STATE_DELIVERED_POSTOFFICE", ""},
		{" PACKET_EVENT_DELIVERED\n", "", carrier.Delivered},
		// A code Omniva added since is read by the state it left.
		{"PACKET_EVENT_NEW_KIND", "PACKET_STATE_ON_COURIER", carrier.OutForDelivery},
		{"PACKET_EVENT_NEW_KIND", "PACKET_STATE_DELIVERED_POSTOFFICE", carrier.ArrivedAtPickup},
		{"PACKET_EVENT_NEW_KIND", "PACKET_STATE_DELIVERED", carrier.Delivered},
		{"PACKET_EVENT_NEW_KIND", "PACKET_STATE_WRITTEN_OFF", carrier.Lost},
		{"PACKET_EVENT_NEW_KIND", "PACKET_STATE_BEING_TRANSPORTED", carrier.InTransit},
		{"PACKET_EVENT_NEW_KIND", "PACKET_STATE_REGISTERED", ""},
		{"PACKET_EVENT_NEW_KIND", "PACKET_STATE_NEW_KIND", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := statusOf(tt.event, tt.state); got != tt.want {
			t.Errorf("statusOf(%q, %q) = %q, want %q", tt.event, tt.state, got, tt.want)
		}
	}
	for k, c := range eventCodes {
		if c.status != "" && !c.status.Valid() || c.text == "" {
			t.Errorf("event code %s: status %q, text %q", k, c.status, c.text)
		}
	}
	for k, c := range stateCodes {
		if c.status != "" && !c.status.Valid() || c.text == "" {
			t.Errorf("state code %s: status %q, text %q", k, c.status, c.text)
		}
	}
	if got := describe("PACKET_EVENT_NEW_KIND", "PACKET_STATE_ON_COURIER"); got != "At delivery" {
		t.Errorf("describe of a new code = %q, want its state's words", got)
	}
	if got := describe("PACKET_EVENT_NEW_KIND", ""); got != "PACKET_EVENT_NEW_KIND" {
		t.Errorf("describe of an unknown code = %q, want the code", got)
	}
}

// TestMarkReturns: only a delivery after a return of the same parcel is a
// return to the shop.
func TestMarkReturns(t *testing.T) {
	t.Parallel()
	evs := []carrier.Event{
		{TrackingNumber: "A", Status: carrier.ArrivedAtPickup},
		{TrackingNumber: "A", Status: carrier.Returning},
		{TrackingNumber: "A", Status: carrier.InTransit},
		{TrackingNumber: "A", Status: carrier.Delivered},
		{TrackingNumber: "B", Status: carrier.Delivered},
	}
	markReturns(evs)
	want := []carrier.Status{carrier.ArrivedAtPickup, carrier.Returning, carrier.InTransit, carrier.Returned, carrier.Delivered}
	for i, w := range want {
		if evs[i].Status != w {
			t.Errorf("event %d (%s): %s, want %s", i, evs[i].TrackingNumber, evs[i].Status, w)
		}
	}
}

// TestParseTime reads eventDate with its zone, or in Tallinn's without one.
func TestParseTime(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"2026-11-18T11:32:09.000+02:00", "2026-11-18T11:32:09+02:00"},
		{"2026-11-18T11:32:09+02:00", "2026-11-18T11:32:09+02:00"},
		{"2026-07-18T11:32:09.123+03:00", "2026-07-18T11:32:09.123+03:00"},
		{"2026-11-18T09:32:09Z", "2026-11-18T09:32:09Z"},
		{"2026-11-18T11:32:09.000+0200", "2026-11-18T11:32:09+02:00"},
		{"2026-11-18T11:32:09", "2026-11-18T11:32:09+02:00"},
		{"2026-07-18T11:32:09.5", "2026-07-18T11:32:09.5+03:00"},
		{" 2026-11-18 11:32:09 ", "2026-11-18T11:32:09+02:00"},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in)
		want, _ := time.Parse(time.RFC3339Nano, tt.want)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v", tt.in, got, err, want)
			continue
		}
		_, gotOff := got.Zone()
		_, wantOff := want.Zone()
		if gotOff != wantOff {
			t.Errorf("parseTime(%q) zone offset %d, want %d", tt.in, gotOff, wantOff)
		}
	}
	for _, bad := range []string{"", "18.11.2026 11:32", "yesterday", "2026-13-01T00:00:00"} {
		if _, err := parseTime(bad); err == nil {
			t.Errorf("parseTime(%q) read it", bad)
		}
	}
}

// TestErrorMessage takes the gist of the application server's pages.
func TestErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`<html><head><title>Apache Tomcat - Error report</title></head><body><h1>HTTP Status 401 - </h1></body></html>`, "HTTP Status 401 -"},
		{`<html><head><title>Forbidden</title></head><body><h1></h1></body></html>`, "Forbidden"},
		{"  Bad\n  gateway ", "Bad gateway"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := errorMessage([]byte(tt.in)); got != tt.want {
			t.Errorf("errorMessage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := make([]byte, 1000)
	for i := range long {
		long[i] = 'x'
	}
	if got := []rune(errorMessage(long)); len(got) != 201 {
		t.Errorf("a long body gives %d runes, want 200 and an ellipsis", len(got))
	}
}

// FuzzParseFeed feeds the answer parser anything: it never panics, and
// every event it returns is of a number asked for, with a valid or empty
// status and its raw event.
func FuzzParseFeed(f *testing.F) {
	// Small seeds: the fuzzer minimises every new input, and a whole
	// fixture takes it minutes to.
	f.Add([]byte(`<events><event><id>1</id><packetCode>CE473205912EE</packetCode><eventCode>PACKET_EVENT_STORING</eventCode><eventDate>2026-11-18T11:32:09.000+02:00</eventDate><stateCode>PACKET_STATE_DELIVERED_POSTOFFICE</stateCode><eventSource zip="96062">Tartu</eventSource></event></events>`))
	f.Add([]byte(`<ns3:events xmlns:ns3="x"><ns3:event><ns3:packetCode>A</ns3:packetCode><ns3:eventCode>PACKET_EVENT_NEW</ns3:eventCode><ns3:eventDate>2026-07-01 10:00:00</ns3:eventDate><ns3:stateCode>PACKET_STATE_ON_COURIER</ns3:stateCode></ns3:event></ns3:events>`))
	f.Add([]byte(`<html><h1>HTTP Status 401 - </h1></html>`))
	f.Add([]byte(`<events><event><packetCode>X</packetCode><eventCode>PACKET_EVENT_RETURN</eventCode><eventDate>2026-11-18T11:32:09</eventDate></event><event><packetCode>x</packetCode><eventCode>PACKET_EVENT_DELIVERED</eventCode><eventDate>2026-11-18T11:32:10</eventDate></event></events>`))
	f.Add([]byte(`<events><event><packetCode></packetCode><eventDate>0000-01-01T00:00:00Z</eventDate><eventSource zip="1">&amp;</eventSource></event></events>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fd, err := parseFeed(body)
		if err != nil {
			return
		}
		// Ask for every number the feed names, and one it does not.
		numbers := []string{"NOT-IN-FEED"}
		for _, e := range fd.Events {
			numbers = append(numbers, e.PacketCode)
		}
		asked := make(map[string]bool, len(numbers))
		for _, n := range numbers {
			asked[n] = true
		}
		events, err := fd.events(numbers)
		if err != nil {
			return
		}
		for i, e := range events {
			if e.Status != "" && !e.Status.Valid() {
				t.Errorf("event %d: status %q", i, e.Status)
			}
			if !asked[e.TrackingNumber] || e.TrackingNumber == "NOT-IN-FEED" {
				t.Errorf("event %d of %q, not asked for", i, e.TrackingNumber)
			}
			if len(e.Raw) == 0 {
				t.Errorf("event %d without its raw event", i)
			}
			if i > 0 && events[i-1].TrackingNumber == e.TrackingNumber && events[i-1].At.After(e.At) {
				t.Errorf("event %d before its predecessor", i)
			}
		}
	})
}
