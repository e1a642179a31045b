package api

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/invalid"
)

// FuzzVisitsRequest feeds arbitrary bodies through the decoding of POST
// /visits: nothing panics, and a rejection is a validation error; a
// bad count names its row.
func FuzzVisitsRequest(f *testing.F) {
	f.Add(`{"days":[{"day":"2026-12-01","source":"google","visits":120,"unique_visitors":100,"pageviews":300}]}`)
	f.Add(`{"days":[{"day":"2026-12-01","visits":"12"},{"day":"2026-12-02","visits":1e3}]}`)
	f.Add(`{"days":[{"day":"2026-12-01","visits":99999999999999999999}]}`)
	f.Add(`{"days":{"day":"x"}}`)
	f.Add(`{"days":[null, {"source":"\u0000"}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		var req visitsRequest
		err := decode(httptest.NewRequest("POST", "/api/v1/visits", strings.NewReader(body)), &req)
		if err == nil {
			_, err = req.days()
			if ie, ok := invalid.First(err); err != nil && (!ok || !strings.HasPrefix(ie.Field, "days")) {
				t.Fatalf("%s: %v does not name a row", body, err)
			}
			return
		}
		if _, ok := invalid.First(err); !ok {
			t.Fatalf("%s: not a validation error: %v", body, err)
		}
	})
}
