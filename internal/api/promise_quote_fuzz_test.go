package api

import (
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/promise"
)

func FuzzParseCart(f *testing.F) {
	for _, s := range []string{"", "mug", "mug,vase:12", "a:0,b:365", "a:366", ",", "x:-1", "x:1e3", " mug , vase : 3 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, items string) {
		var req promise.Request
		err := parseCart(items, &req)
		made, days := req.MadeToOrder, req.ProductionDays
		if err != nil {
			ie, ok := invalid.First(err)
			if !ok || !strings.HasPrefix(ie.Field, "items") {
				t.Fatalf("%q: error %v does not name the items field", items, err)
			}
			return
		}
		if days < 0 || days > 365 || !made && days != 0 {
			t.Fatalf("%q: made %v, days %d", items, made, days)
		}
	})
}
