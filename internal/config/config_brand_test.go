package config_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
)

// TestShopBrand: shop.logo_url takes an https address or a path under
// public_url, shop.brand_color a #RRGGBB dark enough for white text
// (4.5:1); anything else is refused naming the key, in the owner's
// language.
func TestShopBrand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml  string
		logo, color string // as read, when valid
		field, code string // the refusal, when not
		ru          string // part of the Russian message
	}{
		{name: "none", yaml: ""},
		{name: "https logo, dark blue", yaml: "logo_url: https://cdn.shop.example/logo.svg\n  brand_color: \"#1F5F8B\"",
			logo: "https://cdn.shop.example/logo.svg", color: "#1f5f8b"},
		{name: "a path under public_url", yaml: "public_url: https://care.shop.example/\n  logo_url: /files/logo.png",
			logo: "https://care.shop.example/files/logo.png"},
		{name: "black is fine", yaml: "brand_color: \"#000000\"", color: "#000000"},
		{name: "http logo", yaml: "logo_url: http://shop.example/logo.png", field: "shop.logo_url", code: "invalid", ru: "не адрес https"},
		{name: "protocol-relative", yaml: "logo_url: //evil.example/logo.png", field: "shop.logo_url", code: "invalid"},
		{name: "javascript", yaml: "logo_url: \"javascript:alert(1)\"", field: "shop.logo_url", code: "invalid"},
		{name: "quote in a path", yaml: "logo_url: '/a\"onerror=x'", field: "shop.logo_url", code: "invalid"},
		{name: "a name, not a hex", yaml: "brand_color: navy", field: "shop.brand_color", code: "invalid", ru: "«navy» — не цвет в виде «#RRGGBB»"},
		{name: "three digits", yaml: "brand_color: \"#123\"", field: "shop.brand_color", code: "invalid"},
		{name: "yellow under white text", yaml: "brand_color: \"#ffcc00\"", field: "shop.brand_color", code: "low_contrast",
			ru: "слишком светлый для белого текста: контраст должен быть не меньше 4,5:1"},
		{name: "just below AA", yaml: "brand_color: \"#777777\"", field: "shop.brand_color", code: "low_contrast"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := config.Parse([]byte("shop:\n  " + tt.yaml + "\n"))
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if s.Shop.LogoAddress() != tt.logo || s.Shop.BrandColor != tt.color {
					t.Errorf("logo %q, colour %q; want %q, %q", s.Shop.LogoAddress(), s.Shop.BrandColor, tt.logo, tt.color)
				}
				return
			}
			var list config.Errors
			if !errors.As(err, &list) || len(list) != 1 || list[0].Field != tt.field || list[0].Code != tt.code {
				t.Fatalf("err = %v, want one %s on %s", err, tt.code, tt.field)
			}
			if ru := list[0].Text(i18n.RU); tt.ru != "" && !strings.Contains(ru, tt.ru) {
				t.Errorf("in Russian: %q, want %q in it", ru, tt.ru)
			}
		})
	}
}

func TestWhiteContrast(t *testing.T) {
	t.Parallel()
	for hex, want := range map[string]string{"#000000": "21.00", "#ffffff": "1.00", "#767676": "4.54", "#1f5f8b": "6.84", "#ffcc00": "1.51", "#777777": "4.48", "bad": "1.00"} {
		if got := fmt.Sprintf("%.2f", config.WhiteContrast(hex)); got != want {
			t.Errorf("WhiteContrast(%s) = %s, want %s", hex, got, want)
		}
	}
}

// FuzzShopBrand feeds shop.logo_url and shop.brand_color anything: what
// the settings accept is an https address or a root path with nothing
// that could end an HTML attribute or a CSS declaration, and a #rrggbb
// colour white text can be read on.
func FuzzShopBrand(f *testing.F) {
	for _, seed := range [][2]string{
		{"https://cdn.shop.example/logo.svg", "#1f5f8b"}, {"/files/logo.png", "#000000"}, {"//evil.example/x", "#ffcc00"},
		{"javascript:alert(1)", "navy"}, {"/a\"onerror=x", "#12345"}, {"https://u:p@host/x", "#FFFFFF"}, {"", ""},
		{"/x;}body{display:none", "#1f5f8b;}x{"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, logo, color string) {
		doc := "shop:\n  logo_url: " + strconv.Quote(logo) + "\n  brand_color: " + strconv.Quote(color) + "\n"
		s, err := config.Parse([]byte(doc))
		if err != nil {
			return
		}
		if l := s.Shop.LogoAddress(); l != "" && !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, s.Shop.PublicURL+"/") {
			t.Errorf("logo %q accepted as %q", logo, l)
		}
		if strings.ContainsAny(s.Shop.LogoURL, "\"'<> \\") {
			t.Errorf("logo %q accepted", logo)
		}
		if c := s.Shop.BrandColor; c != "" && (len(c) != 7 || c[0] != '#' || strings.Trim(c[1:], "0123456789abcdef") != "" ||
			config.WhiteContrast(c) < config.MinBrandContrast) {
			t.Errorf("colour %q accepted as %q", color, c)
		}
	})
}
