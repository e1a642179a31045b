package words_test

import (
	"testing"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/words"
)

// TestStemForms: a word's grammatical forms share one stem in each
// language, and different words keep different stems.
func TestStemForms(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang  i18n.Lang
		forms []string
	}{
		{i18n.RU, []string{"доставка", "доставки", "доставкой", "доставку", "доставке"}},
		{i18n.RU, []string{"возврат", "возврата", "возвратом", "возвраты"}},
		{i18n.RU, []string{"ёлка", "елки"}},
		{i18n.LV, []string{"piegāde", "piegādes", "piegādi", "piegādē", "piegādēm"}},
		{i18n.LV, []string{"punkts", "punkti", "punktu", "punktus", "punktiem"}},
		{i18n.LV, []string{"atgriešana", "atgriešanas", "atgriešanu", "atgriešanā"}},
		{i18n.LV, []string{"brālis", "brāļa", "brālim"}},
		{i18n.LV, []string{"ziņa", "ziņas", "ziņām"}},
		{i18n.LV, []string{"lielais", "lielajam", "lielajā", "lielajiem"}},
		{i18n.EN, []string{"delivery", "deliveries"}},
		{i18n.EN, []string{"return", "returns", "returned", "returning"}},
	} {
		want := words.Stem(c.lang, c.forms[0])
		for _, f := range c.forms[1:] {
			if got := words.Stem(c.lang, f); got != want {
				t.Errorf("%s: Stem(%q) = %q, Stem(%q) = %q; want the same", c.lang, f, got, c.forms[0], want)
			}
		}
	}
	for _, c := range []struct {
		lang i18n.Lang
		a, b string
	}{
		{i18n.RU, "доставка", "оплата"},
		{i18n.LV, "piegāde", "apmaksa"},
		{i18n.LV, "kas", "ka"}, // too short to lose an ending
	} {
		if words.Stem(c.lang, c.a) == words.Stem(c.lang, c.b) {
			t.Errorf("%s: %q and %q share the stem %q", c.lang, c.a, c.b, words.Stem(c.lang, c.a))
		}
	}
	if got := words.Stem(i18n.LV, "kas"); got != "kas" {
		t.Errorf("Stem(lv, kas) = %q; a word that would be left without a syllable keeps its ending", got)
	}
}

// TestTerms drops the words too common to search by and stems the rest.
func TestTerms(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang i18n.Lang
		text string
		want []string
	}{
		{i18n.RU, "Как долго идёт доставка?", []string{words.Stem(i18n.RU, "долго"), words.Stem(i18n.RU, "идет"), words.Stem(i18n.RU, "доставка")}},
		{i18n.LV, "Kā notiek piegāde?", []string{words.Stem(i18n.LV, "notiek"), "piegād"}},
		{i18n.EN, "How do I return an item?", []string{"return", "item"}},
	} {
		got := words.Terms(c.lang, c.text)
		if len(got) != len(c.want) {
			t.Errorf("Terms(%s, %q) = %q, want %q", c.lang, c.text, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("Terms(%s, %q) = %q, want %q", c.lang, c.text, got, c.want)
			}
		}
	}
}
