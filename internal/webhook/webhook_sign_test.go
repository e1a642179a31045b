package webhook_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/webhook"
)

func TestSignVerify(t *testing.T) {
	t.Parallel()
	const secret = "whsec-0123456789abcdef"
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"id":1,"kind":"order.created"}`)
	sig := webhook.Sign(secret, at, body)
	if !strings.HasPrefix(sig, "t=1795435200,v1=") || len(sig) != len("t=1795435200,v1=")+64 {
		t.Fatalf("Sign = %q", sig)
	}
	other := webhook.Sign("another-secret-0000", at, body)
	tests := []struct {
		name   string
		secret string
		header string
		body   string
		now    time.Time
		want   error
	}{
		{"valid", secret, sig, string(body), at.Add(time.Minute), nil},
		{"valid, spaces after commas", secret, strings.ReplaceAll(sig, ",", ", "), string(body), at, nil},
		{"one of two v1 matches (secret rotation)", secret, other + "," + sig[strings.Index(sig, "v1="):], string(body), at, nil},
		{"tampered body", secret, sig, `{"id":2,"kind":"order.created"}`, at, webhook.ErrBadSignature},
		{"wrong secret", "wrong-secret-000000", sig, string(body), at, webhook.ErrBadSignature},
		{"old timestamp", secret, sig, string(body), at.Add(6 * time.Minute), webhook.ErrStaleSignature},
		{"timestamp from the future", secret, sig, string(body), at.Add(-6 * time.Minute), webhook.ErrStaleSignature},
		{"replayed with a new timestamp", secret, strings.Replace(sig, "t=1795435200", "t=1795435500", 1), string(body), at.Add(5 * time.Minute), webhook.ErrBadSignature},
		{"empty header", secret, "", string(body), at, webhook.ErrMalformedSignature},
		{"no v1", secret, "t=1795435200", string(body), at, webhook.ErrMalformedSignature},
		{"no t", secret, sig[strings.Index(sig, "v1="):], string(body), at, webhook.ErrMalformedSignature},
		{"v1 not hex", secret, "t=1795435200,v1=zz", string(body), at, webhook.ErrMalformedSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.Verify(tt.secret, tt.header, []byte(tt.body), tt.now, 0)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
	if err := webhook.Verify(secret, sig, body, at.Add(time.Hour), 2*time.Hour); err != nil {
		t.Errorf("a wider tolerance: %v", err)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	want := map[int]time.Duration{
		1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 10: 256 * time.Minute,
		11: 6 * time.Hour, 15: 6 * time.Hour, 1000: 6 * time.Hour,
	}
	for attempt, d := range want {
		if got := webhook.Backoff(attempt); got != d {
			t.Errorf("Backoff(%d) = %s, want %s", attempt, got, d)
		}
	}
}

func TestMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		patterns []string
		kind     journal.Kind
		want     bool
	}{
		{nil, journal.OrderCreated, true},
		{[]string{"order.created"}, journal.OrderCreated, true},
		{[]string{"order.created"}, journal.OrderStatusChanged, false},
		{[]string{"order.*"}, journal.OrderPromiseDue, true},
		{[]string{"parcel.*"}, journal.OrderCreated, false},
		{[]string{"parcel.*", "*.status_changed"}, journal.OrderStatusChanged, true},
		{[]string{"*"}, journal.OrderCreated, true},
		{[]string{"order"}, journal.OrderCreated, false},
	}
	for _, tt := range tests {
		if got := webhook.Matches(tt.patterns, tt.kind); got != tt.want {
			t.Errorf("Matches(%q, %s) = %v, want %v", tt.patterns, tt.kind, got, tt.want)
		}
	}
}
