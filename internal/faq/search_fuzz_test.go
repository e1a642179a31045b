package faq_test

import (
	"testing"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/faq"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/words"
)

// FuzzSearchQuery: any query normalises to valid UTF-8 words within
// MaxQuery characters, its terms stem without a panic in every language,
// and ranking against entries never fails.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"доставка", "piegāde", "How long?", "", "   ", "ё\x00\xff", "a-b_c.d", "ajiem", "šņ", "ж"} {
		f.Add(s)
	}
	entries := []faq.Entry{{ID: 1, Section: "x", Question: "Сколько идёт доставка?", Answer: "Piegāde 2 dienās. Delivery."}}
	f.Fuzz(func(t *testing.T, q string) {
		norm := faq.NormalizeQuery(q)
		if !utf8.ValidString(norm) || utf8.RuneCountInString(norm) > faq.MaxQuery {
			t.Fatalf("NormalizeQuery(%q) = %q", q, norm)
		}
		if faq.NormalizeQuery(norm) != norm {
			t.Fatalf("NormalizeQuery is not stable on %q", norm)
		}
		for _, lang := range i18n.Langs() {
			for _, term := range words.Terms(lang, norm) {
				if term == "" || !utf8.ValidString(term) {
					t.Fatalf("Terms(%s, %q) has %q", lang, norm, term)
				}
			}
			for _, h := range faq.Rank(lang, entries, q) {
				if h.Score <= 0 {
					t.Fatalf("Rank(%s, %q) gave a hit scored %d", lang, q, h.Score)
				}
			}
		}
	})
}
