package config_test

import (
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
)

// TestShopContacts: shop.email and shop.messengers are read and checked,
// the messengers listed in a fixed order with their chat links; a wrong
// one is an error naming its line.
func TestShopContacts(t *testing.T) {
	t.Parallel()
	s, err := config.Parse([]byte("shop:\n  email: hello@example.lv\n  messengers: {viber: \"+371 2000 0000\", telegram: \"@shop_lv\", WhatsApp: \"+371 2612 3456\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range s.Shop.Messengers.List() {
		got = append(got, m.Name+" "+m.Handle+" "+m.URL)
	}
	want := "Telegram @shop_lv https://t.me/shop_lv; WhatsApp +371 2612 3456 https://wa.me/37126123456; Viber +371 2000 0000 viber://chat?number=%2B37120000000"
	if s.Shop.Email != "hello@example.lv" || strings.Join(got, "; ") != want {
		t.Errorf("email %q, messengers:\n%s\nwant:\n%s", s.Shop.Email, strings.Join(got, "; "), want)
	}
	for _, bad := range []string{
		"shop:\n  email: \"Shop <hello@example.lv>\"\n",
		"shop:\n  email: not-an-address\n",
		"shop:\n  messengers: {icq: \"12345\"}\n",
		"shop:\n  messengers: {telegram: \"@a b\"}\n",
		"shop:\n  messengers: {whatsapp: \"call us\"}\n",
		"shop:\n  messengers: [telegram]\n",
	} {
		if _, err := config.Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "line ") {
			t.Errorf("%q: %v, want an error naming its line", bad, err)
		}
	}
}
