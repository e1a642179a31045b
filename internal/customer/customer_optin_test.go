package customer_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
)

// key signs like signin.Service, with a fixed key.
type key []byte

func (k key) Sign(purpose string, payload []byte) []byte {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(purpose + "\x00"))
	m.Write(payload)
	return m.Sum(nil)
}

func (k key) Verify(purpose string, payload, sum []byte) bool {
	full := k.Sign(purpose, payload)
	return len(sum) >= 12 && len(sum) <= len(full) && hmac.Equal(full[:len(sum)], sum)
}

// FuzzParseOptIn: a confirmation link's token never panics the parser, a
// token it takes is one the shop's key signed (it round-trips), and no
// other key's token is taken.
func FuzzParseOptIn(f *testing.F) {
	shop, other := key("the shop's key"), key("another shop's key")
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	good := customer.OptInToken(shop, customer.OptIn{CustomerID: 42, Channel: "email", Requested: at})
	f.Add(good)
	f.Add(customer.OptInToken(other, customer.OptIn{CustomerID: 42, Channel: "email", Requested: at}))
	f.Add(customer.OptInToken(shop, customer.OptIn{CustomerID: 1, Channel: "sms", Requested: time.Unix(0, 0)}))
	f.Add("")
	f.Add("AAAA")
	f.Add(good[:len(good)-1])
	f.Add(good + "A")
	f.Add("../../etc/passwd")
	f.Fuzz(func(t *testing.T, token string) {
		o, err := customer.ParseOptIn(shop, token)
		if err != nil {
			return
		}
		if o.CustomerID <= 0 || o.Channel == "" {
			t.Fatalf("%q: taken as %+v", token, o)
		}
		if again := customer.OptInToken(shop, o); again != token {
			t.Fatalf("%q: taken as %+v, which signs as %q", token, o, again)
		}
		if _, err := customer.ParseOptIn(other, token); err == nil {
			t.Fatalf("%q: taken under two keys", token)
		}
	})
}

// TestOptInTokenRefusesTheImpossible: no link stands for no customer or
// for no channel.
func TestOptInTokenRefusesTheImpossible(t *testing.T) {
	t.Parallel()
	for _, o := range []customer.OptIn{{CustomerID: 0, Channel: "email"}, {CustomerID: 1, Channel: "fax"}, {CustomerID: -1, Channel: "sms"}} {
		if tok := customer.OptInToken(key("k"), o); tok != "" {
			t.Errorf("%+v: token %q", o, tok)
		}
	}
}

// TestMarketingEntry: the marketing_* consent entries of an order name
// their channel; the bare channel names are order news.
func TestMarketingEntry(t *testing.T) {
	t.Parallel()
	for entry, want := range map[string]string{"marketing_email": "email", "marketing_sms": "sms", "marketing_telegram": "telegram",
		"email": "", "marketing_": "", "marketing_fax": "", "MARKETING_EMAIL": ""} {
		got, ok := customer.MarketingEntry(entry)
		if got != want || ok != (want != "") {
			t.Errorf("MarketingEntry(%q) = %q, %v; want %q", entry, got, ok, want)
		}
	}
}
