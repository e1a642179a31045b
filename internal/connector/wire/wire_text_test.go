package wire

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/order"
)

func TestSecretMatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		got, want string
		ok        bool
	}{
		{"s3cret", "s3cret", true},
		{"s3cret", "s3cre", false},
		{"", "", false},
		{"x", "", false},
		{"", "x", false},
	}
	for _, c := range cases {
		if SecretMatches(c.got, c.want) != c.ok {
			t.Errorf("SecretMatches(%q, %q) != %v", c.got, c.want, c.ok)
		}
	}
}

func TestPaymentMethod(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"Наличными курьеру":        "cod",
		"Оплата при получении":     "cod",
		"Наложенный платёж":        "cod",
		"Cash on delivery":         "cod",
		"COD":                      "cod",
		"Skaidrā naudā":            "cod",
		"Apmaksa pie saņemšanas":   "cod",
		"Банковской картой онлайн": "prepaid",
		"Offline":  "prepaid",
		"Encoding": "prepaid",
		"":         "prepaid",
		"ЮKassa":   "prepaid",
	} {
		if got := PaymentMethod(name); got != want {
			t.Errorf("PaymentMethod(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestMappedStatus(t *testing.T) {
	t.Parallel()
	m := map[string]string{"Собран": "ready_to_ship", "lost": "vanished"}
	if st, ok, err := MappedStatus(m, "", "собран"); err != nil || !ok || st != order.ReadyToShip {
		t.Fatalf("собран = %s %v %v", st, ok, err)
	}
	if _, ok, err := MappedStatus(m, "new"); ok || err != nil {
		t.Fatalf("new = %v %v", ok, err)
	}
	if _, _, err := MappedStatus(m, "lost"); err == nil || !strings.Contains(err.Error(), `statuses["lost"]`) {
		t.Fatalf("lost = %v", err)
	}
	if _, ok, _ := MappedStatus(nil, "x"); ok {
		t.Fatal("a nil map mapped")
	}
}

func TestJoinAndID(t *testing.T) {
	t.Parallel()
	if got := Join(" a ", "", "b"); got != "a, b" {
		t.Fatalf("Join = %q", got)
	}
	var v struct{ A, B, C ID }
	if err := json.Unmarshal([]byte(`{"A":123,"B":" K8XTQ ","C":null}`), &v); err != nil || v.A != "123" || v.B != "K8XTQ" || v.C != "" {
		t.Fatalf("%+v %v", v, err)
	}
	if err := json.Unmarshal([]byte(`{"A":{}}`), &v); err == nil {
		t.Fatal("an object read as an id")
	}
}
