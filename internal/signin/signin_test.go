package signin_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/storetest"
)

func TestParseContact(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		raw, kind, value string
	}{
		{" Anna@Example.COM ", signin.ContactEmail, "anna@example.com"},
		{"+371 2000 0000", signin.ContactPhone, "+37120000000"},
		{"2000 0000", signin.ContactPhone, "+37120000000"}, // the shop's country, Latvia
		{"+7 (916) 123-45-67", signin.ContactPhone, "+79161234567"},
		{"anna", "", ""},
		{"anna@", "", ""},
		{"", "", ""},
		{"12", "", ""},
		{"a\x00@example.com", "", ""},
		{strings.Repeat("a", 250) + "@example.com", "", ""},
	} {
		got, err := signin.ParseContact(c.raw, "LV")
		if c.kind == "" {
			if err == nil {
				t.Errorf("ParseContact(%q) = %+v, want an error", c.raw, got)
			}
			continue
		}
		if err != nil || got.Kind != c.kind || got.Value != c.value {
			t.Errorf("ParseContact(%q) = %+v, %v; want %s %s", c.raw, got, err, c.kind, c.value)
		}
	}
}

func TestCodeShape(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]bool{"123456": true, "123 456": true, "12-34-56": true, "12345": false, "1234567": false,
		"12345a": false, "١٢٣٤٥٦": false, "": false} {
		if got := signin.ValidCode(signin.NormalizeCode(raw)); got != want {
			t.Errorf("code %q valid: %v, want %v", raw, got, want)
		}
	}
}

// TestSignedLinks: a link opens its customer's page on any node (the key
// is made once and shared through the database) until it expires, and a
// link changed anywhere opens nothing.
func TestSignedLinks(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			one, err := signin.New(ctx, service.Deps{DB: db}, signin.Params{})
			if err != nil {
				t.Fatal(err)
			}
			two, err := signin.New(ctx, service.Deps{DB: db}, signin.Params{})
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now()
			token := one.Link(42, signin.ViaTracking, now.Add(time.Hour))
			if len(token) != 46 {
				t.Fatalf("token %q: %d characters, want 46", token, len(token))
			}
			// Customer 42 does not exist: LinkCheck refuses it, but only
			// after the signature held (a tampered one is refused alike).
			if err := two.LinkCheck(ctx, token, now); !errors.Is(err, signin.ErrCode) {
				t.Fatalf("a link of a customer that does not exist: %v, want ErrCode", err)
			}
			if one.Link(42, signin.ViaTracking, now.Add(time.Hour)) != token || two.Link(42, signin.ViaTracking, now.Add(time.Hour)) != token {
				t.Fatal("the two services sign with different keys")
			}
			if one.Link(43, signin.ViaTracking, now.Add(time.Hour)) == token || one.Link(42, signin.ViaMessage, now.Add(time.Hour)) == token {
				t.Fatal("the customer or the way is not in the signature")
			}
		})
	}
}

// FuzzParseContact: whatever is typed, a contact is an e-mail with an @
// in lower case or a phone in E.164, or an error.
func FuzzParseContact(f *testing.F) {
	for _, s := range []string{"anna@example.com", "+371 2000 0000", "2000 0000", "+7 916 123-45-67", "a@b", "\x00", "@@", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := signin.ParseContact(raw, "LV")
		if err != nil {
			return
		}
		switch c.Kind {
		case signin.ContactEmail:
			if !strings.Contains(c.Value, "@") || strings.ToLower(c.Value) != c.Value {
				t.Fatalf("%q gives e-mail %q", raw, c.Value)
			}
		case signin.ContactPhone:
			if !strings.HasPrefix(c.Value, "+") || strings.Trim(c.Value[1:], "0123456789") != "" {
				t.Fatalf("%q gives phone %q", raw, c.Value)
			}
		default:
			t.Fatalf("%q gives kind %q", raw, c.Kind)
		}
	})
}
