package cdek

import (
	"testing"

	"github.com/shopcare/shopcare/internal/carrier"
)

func TestStatusOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code             string
		direct, onReturn carrier.Status
	}{
		{"ACCEPTED", "", ""},
		{"CREATED", "", ""},
		{"REMOVED", "", ""},
		{"INVALID", "", ""},
		{"RECEIVED_AT_SHIPMENT_WAREHOUSE", carrier.Accepted, carrier.Returning},
		{"READY_FOR_SHIPMENT_IN_SENDER_CITY", carrier.InTransit, carrier.Returning},
		{"READY_TO_SHIP_AT_SENDING_OFFICE", carrier.InTransit, carrier.Returning},
		{"RETURNED_TO_SENDER_CITY_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"RETURNED_TO_SENDER_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY", carrier.InTransit, carrier.Returning},
		{"PASSED_TO_CARRIER_AT_SENDING_OFFICE", carrier.InTransit, carrier.Returning},
		{"SENT_TO_TRANSIT_CITY", carrier.InTransit, carrier.Returning},
		{"SEND_TO_TRANSIT_OFFICE", carrier.InTransit, carrier.Returning},
		{"ACCEPTED_IN_TRANSIT_CITY", carrier.InTransit, carrier.Returning},
		{"MET_AT_TRANSIT_OFFICE", carrier.InTransit, carrier.Returning},
		{"ENTERED_TO_TRANSIT_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"ENTERED_TO_OFFICE_TRANSIT_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"ACCEPTED_AT_TRANSIT_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"ACCEPTED_TO_OFFICE_TRANSIT_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"RETURNED_TO_TRANSIT_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"READY_FOR_SHIPMENT_IN_TRANSIT_CITY", carrier.InTransit, carrier.Returning},
		{"READY_TO_SHIP_IN_TRANSIT_OFFICE", carrier.InTransit, carrier.Returning},
		{"TAKEN_BY_TRANSPORTER_FROM_TRANSIT_CITY", carrier.InTransit, carrier.Returning},
		{"PASSED_TO_CARRIER_AT_TRANSIT_OFFICE", carrier.InTransit, carrier.Returning},
		{"SENT_TO_RECIPIENT_CITY", carrier.InTransit, carrier.Returning},
		{"SEND_TO_RECIPIENT_OFFICE", carrier.InTransit, carrier.Returning},
		{"ACCEPTED_IN_RECIPIENT_CITY", carrier.InTransit, carrier.Returning},
		{"MET_AT_RECIPIENT_OFFICE", carrier.InTransit, carrier.Returning},
		{"ENTERED_TO_RECIPIENT_CITY_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"ENTERED_TO_DELIVERY_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"ACCEPTED_AT_RECIPIENT_CITY_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"ACCEPTED_AT_DELIVERY_WAREHOUSE", carrier.InTransit, carrier.Returning},
		{"ENTERED_TO_PICK_UP_POINT", carrier.InTransit, carrier.Returning},
		{"ENTERED_TO_WAREHOUSE_ON_DEMAND", carrier.InTransit, carrier.Returning},
		{"SHIPPED_TO_DESTINATION", carrier.InTransit, carrier.Returning},
		{"PASSED_TO_TRANSIT_CARRIER", carrier.InTransit, carrier.Returning},
		{"IN_CUSTOMS_INTERNATIONAL", carrier.Customs, carrier.Returning},
		{"IN_CUSTOMS_LOCAL", carrier.Customs, carrier.Returning},
		{"CUSTOMS_COMPLETE", carrier.Customs, carrier.Returning},
		{"ACCEPTED_AT_PICK_UP_POINT", carrier.ArrivedAtPickup, carrier.Returning},
		{"ACCEPTED_AT_WAREHOUSE_ON_DEMAND", carrier.ArrivedAtPickup, carrier.Returning},
		{"POSTOMAT_POSTED", carrier.ArrivedAtPickup, carrier.Returning},
		{"TAKEN_BY_COURIER", carrier.OutForDelivery, carrier.Returning},
		{"ISSUED_FOR_DELIVERY", carrier.OutForDelivery, carrier.Returning},
		{"RETURNED_TO_RECIPIENT_CITY_WAREHOUSE", carrier.FailedAttempt, carrier.Returning},
		{"RETURNED_TO_DELIVERY_WAREHOUSE", carrier.FailedAttempt, carrier.Returning},
		{"DELIVERED", carrier.Delivered, carrier.Returned},
		{"POSTOMAT_RECEIVED", carrier.Delivered, carrier.Returned},
		{"NOT_DELIVERED", carrier.Returning, carrier.Returning},
		{"POSTOMAT_SEIZED", carrier.Returning, carrier.Returning},
		{"SENT_TO_SENDER_CITY", carrier.Returning, carrier.Returning},
		{"SEND_TO_SENDING_OFFICE", carrier.Returning, carrier.Returning},
		{"ACCEPTED_IN_SENDER_CITY", carrier.Returning, carrier.Returning},
		{"MET_AT_SENDING_OFFICE", carrier.Returning, carrier.Returning},
		{" delivered ", carrier.Delivered, carrier.Returned},
		{"SOMETHING_NEW", "", ""},
		{"", "", ""},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.code] = true
		if got := statusOf(tt.code, false); got != tt.direct {
			t.Errorf("statusOf(%q) = %q, want %q", tt.code, got, tt.direct)
		}
		if got := statusOf(tt.code, true); got != tt.onReturn {
			t.Errorf("statusOf(%q) on a return order = %q, want %q", tt.code, got, tt.onReturn)
		}
	}
	for code, info := range codes {
		if !seen[code] {
			t.Errorf("code %s not in the table", code)
		}
		if info.status != "" && !info.status.Valid() {
			t.Errorf("code %s → invalid status %q", code, info.status)
		}
		if info.name == "" {
			t.Errorf("code %s has no name", code)
		}
	}
	for num, code := range numericCodes {
		if _, ok := codes[code]; !ok {
			t.Errorf("numeric %s → %s, not a known code", num, code)
		}
	}
}
