package api

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/invalid"
)

// FuzzCampaignBody feeds arbitrary bodies to POST /api/v1/campaigns's
// decoding (strict: unknown fields refused) and its reading into a
// campaign.Input: nothing panics, every refusal is a 415 or names a
// field, and what is accepted has a schedule the service knows.
func FuzzCampaignBody(f *testing.F) {
	f.Add(`{"name":"Осень","channel":"email","audience":{"segment":"at_risk"},"content":{"ru":{"subject":"Привет","markdown":"**Скидка**"}},"schedule":"now"}`)
	f.Add(`{"name":"A/B","channel":"email","audience":{"all":true},"content":{"en":{"subject":"a","text":"b"}},"variant_b":{"en":{"subject":"c","text":"d"}},"test":{"share":20,"metric":"clicks","wait":"2h"},"holdout":10}`)
	f.Add(`{"name":"x","channel":"sms","audience":{"tier":"gold","countries":["LV"]},"schedule":"2026-12-01T09:00:00+02:00","window":"6h","cost":"12.50"}`)
	f.Add(`{"name":"x","audience":{"segmnt":"at_risk"}}`)
	f.Add(`{"name":"x","content":{"ru":{"subjct":"a"}}}`)
	f.Add(`{"test":{"wait":"forever"},"cost":"abc","window":"-1h","schedule":"tomorrow"}`)
	f.Add(`{"audience":{"min_clv":1e400}}`)
	f.Add(`[]`)
	f.Add(`null`)
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/api/v1/campaigns", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var b campaignBody
		sent, err := strictBody(r, &b)
		if err != nil {
			var nj *notJSONError
			if _, ok := invalid.First(err); !ok && !errors.As(err, &nj) {
				t.Fatalf("%q: refused with neither a 415 nor a field: %T %v", body, err, err)
			}
			return
		}
		in, err := b.input(campaign.Input{}, sent, "RUB")
		if err != nil {
			if _, ok := invalid.First(err); !ok {
				t.Fatalf("%q: %T %v is not a field error", body, err, err)
			}
			return
		}
		switch in.Schedule {
		case "", campaign.Now, campaign.CustomerMorning:
		case campaign.At:
			if in.SendAt == nil {
				t.Fatalf("%q: schedule at without a time", body)
			}
		default:
			t.Fatalf("%q: schedule %q", body, in.Schedule)
		}
	})
}
