package cdek

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
)

func push(t *testing.T, body string) ([]carrier.Event, error) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/hooks/cdek/s3cr3t", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return New(carrier.Options{}).Parse(r)
}

func TestParseOrderStatus(t *testing.T) {
	t.Parallel()
	events, err := push(t, fixture(t, "webhook_order_status.json"))
	if err != nil {
		t.Fatal(err)
	}
	sameBriefs(t, events, []brief{
		{"1106321645", "ACCEPTED_AT_PICK_UP_POINT", carrier.ArrivedAtPickup, time.Date(2024, 3, 5, 9, 12, 44, 0, msk), "Москва"},
	})
	e := events[0]
	if e.Description != "Принят на склад до востребования" {
		t.Errorf("Description %q", e.Description)
	}
	var raw orderStatusWebhook
	if err := json.Unmarshal(e.Raw, &raw); err != nil || raw.UUID != "72753031-6c2c-4d4a-9b87-0c9a1c3e5a11" || raw.Attributes.CityCode != "44" {
		t.Errorf("Raw %s (%v)", e.Raw, err)
	}
}

func TestParseVariants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want []brief
	}{
		{
			name: "code with a trailing space, numbers as numbers",
			body: `{"type":"ORDER_STATUS","date_time":"2020-08-10T21:32:14+0700","uuid":"72753031-2801-4186-a091-0be58cedfee7",
				"attributes":{"is_return":false,"cdek_number":1106321645,"code":"RECEIVED_AT_SHIPMENT_WAREHOUSE ","status_code":3,
				"status_date_time":"2020-08-10T21:32:12+0700","city_name":"Новосибирск","city_code":270}}`,
			want: []brief{{"1106321645", "RECEIVED_AT_SHIPMENT_WAREHOUSE", carrier.Accepted, time.Date(2020, 8, 10, 21, 32, 12, 0, nsk), "Новосибирск"}},
		},
		{
			name: "only the deprecated numeric status_code",
			body: `{"type":"ORDER_STATUS","date_time":"2024-03-07T14:21:06+03:00","uuid":"u",
				"attributes":{"is_return":false,"cdek_number":"1106321645","status_code":"4","status_date_time":"2024-03-07T14:21:05+03:00","city_name":"Москва","city_code":"44"}}`,
			want: []brief{{"1106321645", "DELIVERED", carrier.Delivered, time.Date(2024, 3, 7, 14, 21, 5, 0, msk), "Москва"}},
		},
		{
			name: "numeric 1000 says nothing",
			body: `{"type":"ORDER_STATUS","date_time":"2024-03-07T14:21:06+0300","uuid":"u",
				"attributes":{"is_return":false,"cdek_number":"1106321645","status_code":"1000","status_date_time":"2024-03-07T14:21:05+0300","city_name":"Москва"}}`,
			want: []brief{{"1106321645", "1000", "", time.Date(2024, 3, 7, 14, 21, 5, 0, msk), "Москва"}},
		},
		{
			name: "no status_date_time: the event's date_time",
			body: `{"type":"ORDER_STATUS","date_time":"2024-03-06T10:00:00+0300","uuid":"u",
				"attributes":{"is_return":false,"cdek_number":"1106321645","code":"TAKEN_BY_COURIER","city_name":"Москва"}}`,
			want: []brief{{"1106321645", "TAKEN_BY_COURIER", carrier.OutForDelivery, time.Date(2024, 3, 6, 10, 0, 0, 0, msk), "Москва"}},
		},
		{
			name: "return order, under its direct order's number",
			body: `{"type":"ORDER_STATUS","date_time":"2024-04-16T13:00:01+0300","uuid":"c0ffee00-1234-4567-89ab-cdef01234567",
				"attributes":{"is_return":true,"is_reverse":false,"is_client_return":false,"cdek_number":"1107000999","code":"DELIVERED","status_code":"4",
				"status_date_time":"2024-04-16T13:00:00+0300","city_name":"Санкт-Петербург","city_code":"137",
				"related_entities":[{"type":"direct_order","cdek_number":"1107000123","uuid":"5b3a1f70-2d4e-4c8b-9a61-7e0f2c9d8b10"}]}}`,
			want: []brief{{"1107000123", "DELIVERED", carrier.Returned, time.Date(2024, 4, 16, 13, 0, 0, 0, msk), "Санкт-Петербург"}},
		},
		{
			name: "status taken back",
			body: `{"type":"ORDER_STATUS","date_time":"2024-03-06T10:00:00+0300","uuid":"u",
				"attributes":{"is_return":false,"cdek_number":"1106321645","code":"DELIVERED","status_date_time":"2024-03-06T10:00:00+0300","deleted":true}}`,
		},
		{
			name: "PRINT_FORM",
			body: `{"type":"PRINT_FORM","date_time":"2024-03-01T10:05:00+0700","uuid":"u","attributes":{"type":"WAYBILL","url":"https://api.cdek.ru/v2/print/orders/u.pdf"}}`,
		},
		{
			name: "DELIV_PROBLEM",
			body: `{"type":"DELIV_PROBLEM","date_time":"2024-03-01T10:05:00+0700","uuid":"u","attributes":{"cdek_number":"1106321645","code":"12","create_date":"2024-03-01"}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, err := push(t, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			sameBriefs(t, events, tt.want)
		})
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body string }{
		{"not JSON", `type=ORDER_STATUS`},
		{"empty", ``},
		{"no type", `{"date_time":"2024-03-06T10:00:00+0300","attributes":{}}`},
		{"no attributes", `{"type":"ORDER_STATUS","date_time":"2024-03-06T10:00:00+0300","uuid":"u"}`},
		{"no cdek_number", `{"type":"ORDER_STATUS","uuid":"u","attributes":{"code":"DELIVERED","status_date_time":"2024-03-06T10:00:00+0300"}}`},
		{"no code", `{"type":"ORDER_STATUS","uuid":"u","attributes":{"cdek_number":"1","status_date_time":"2024-03-06T10:00:00+0300"}}`},
		{"no time", `{"type":"ORDER_STATUS","uuid":"u","attributes":{"cdek_number":"1","code":"DELIVERED"}}`},
		{"time without zone", `{"type":"ORDER_STATUS","uuid":"u","attributes":{"cdek_number":"1","code":"DELIVERED","status_date_time":"2024-03-06 10:00:00"}}`},
		{"cdek_number an object", `{"type":"ORDER_STATUS","uuid":"u","attributes":{"cdek_number":{},"code":"DELIVERED","status_date_time":"2024-03-06T10:00:00+0300"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if events, err := push(t, tt.body); err == nil {
				t.Errorf("no error; events %v", events)
			}
		})
	}
	r := httptest.NewRequest(http.MethodGet, "/hooks/cdek/s3cr3t", nil)
	if _, err := New(carrier.Options{}).Parse(r); err == nil {
		t.Error("GET accepted")
	}
}

func TestSubscribe(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	var got subscription
	f.routes["POST /v2/webhooks"] = func(w http.ResponseWriter, r *http.Request) {
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("body %s: %v", b, err)
		}
		writeJSON(w, http.StatusAccepted, `{"entity":{"uuid":"4a4a4a4a-5b5b-4c6c-8d7d-8e8e8e8e8e8e"},"requests":[{"request_uuid":"6f6f6f6f-7a7a-4b8b-9c9c-0d0d0d0d0d0d","type":"CREATE","date_time":"2024-03-08T12:00:00+0000","state":"ACCEPTED"}]}`)
	}
	const hook = "https://shop.example/hooks/cdek/s3cr3t"
	if err := f.client(newClock()).Subscribe(context.Background(), hook); err != nil {
		t.Fatal(err)
	}
	if got != (subscription{Type: "ORDER_STATUS", URL: hook}) {
		t.Errorf("subscription %+v", got)
	}
	if reqs := f.requests(); len(reqs) != 1 || reqs[0] != "POST /v2/webhooks Bearer tok-1" {
		t.Errorf("requests %q", reqs)
	}
}

func TestSubscribeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		answer http.HandlerFunc
		check  func(*testing.T, error)
	}{
		{
			name: "INVALID request",
			answer: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusBadRequest, `{"requests":[{"type":"CREATE","state":"INVALID","errors":[{"code":"v2_field_is_empty","message":"Field [url] is empty"}]}]}`)
			},
			check: wantAPIError(http.StatusBadRequest, "v2_field_is_empty", "[url]"),
		},
		{
			name: "accepted but INVALID",
			answer: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, `{"requests":[{"type":"CREATE","state":"INVALID","errors":[{"code":"v2_invalid_format","message":"Invalid url"}]}]}`)
			},
			check: wantAPIError(http.StatusOK, "v2_invalid_format", "Invalid url"),
		},
		{
			name: "rate-limited",
			answer: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "7")
				w.WriteHeader(http.StatusTooManyRequests)
			},
			check: wantRateLimit(7 * time.Second),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.routes["POST /v2/webhooks"] = tt.answer
			err := f.client(newClock()).Subscribe(context.Background(), "https://shop.example/hooks/cdek/s3cr3t")
			if err == nil {
				t.Fatal("no error")
			}
			tt.check(t, err)
		})
	}
	if err := New(carrier.Options{}).Subscribe(context.Background(), ""); err == nil || errors.Is(err, carrier.ErrUnauthorized) {
		t.Errorf("empty url: %v", err)
	}
}
