package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"unicode"

	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/store"
)

// TestSeedWritesTheFAQ: the Latvian demo shop gets a FAQ of 8 to 12
// entries in each of its languages, the Russian one in Cyrillic, and
// each language's search finds the delivery answers by a word in another
// form.
func TestSeedWritesTheFAQ(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := shop(t, store.SQLite, "lv", false)
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(5, 6)), a.Clock.Now(), demo.Options{Customers: 20, Recent: 1}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang  i18n.Lang
		query string
	}{{i18n.RU, "доставкой"}, {i18n.LV, "piegādi"}, {i18n.EN, "deliveries"}} {
		entries, err := a.FAQ.List(ctx, c.lang)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) < 8 || len(entries) > 12 {
			t.Errorf("%s: %d entries, want 8 to 12", c.lang, len(entries))
		}
		if c.lang == i18n.RU {
			for _, e := range entries {
				for _, r := range e.Question + e.Answer {
					if unicode.Is(unicode.Latin, r) {
						t.Errorf("ru entry %q has Latin letters", e.Question)
						break
					}
				}
			}
		}
		hits, err := a.FAQ.Search(ctx, c.lang, c.query)
		if err != nil || len(hits) < 2 {
			t.Errorf("%s: search %q: %d hits, %v; want the delivery answers", c.lang, c.query, len(hits), err)
		}
	}
}
