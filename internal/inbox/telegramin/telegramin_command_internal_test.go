package telegramin

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCommand(t *testing.T) {
	t.Parallel()
	tok := strings.Repeat("aB3_-", 8) + "xyz" // 43 characters, as a tracking token
	tests := []struct {
		text, token, rest string
		ok                bool
	}{
		{"/start " + tok, tok, "", true},
		{"/start@berezka_shop_bot " + tok, tok, "", true},
		{"  /start " + tok + "  Когда доставка?  ", tok, "Когда доставка?", true},
		{"/start", "", "", true},
		{"/start hello world", "", "hello world", true},
		{"/start " + strings.Repeat("a", 65), "", strings.Repeat("a", 65), true},
		{"/start " + tok + "\nвторая строка", tok, "вторая строка", true},
		{"/starts " + tok, "", "", false},
		{"Где мой заказ?", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		token, rest, ok := command(tt.text)
		if token != tt.token || rest != tt.rest || ok != tt.ok {
			t.Errorf("command(%q) = %q, %q, %v; want %q, %q, %v", tt.text, token, rest, ok, tt.token, tt.rest, tt.ok)
		}
	}
}

// FuzzCommand: a deep link's token is always within Telegram's alphabet
// and length, and nothing panics.
func FuzzCommand(f *testing.F) {
	for _, s := range []string{"/start abcdefghijklmnopqrstuvwxyz", "/start", "/start@bot x y", "/start \xff", "hi"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		token, rest, _ := command(text)
		if token != "" && (len(token) < minStartToken || len(token) > maxStartToken || strings.IndexFunc(token, notTokenRune) >= 0) {
			t.Errorf("token %q taken from %q", token, text)
		}
		if utf8.ValidString(text) && !utf8.ValidString(rest) {
			t.Errorf("rest %q of valid %q is not valid UTF-8", rest, text)
		}
	})
}
