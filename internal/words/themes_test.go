package words_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/words"
)

var (
	before = time.Date(2026, 9, 10, 12, 0, 0, 0, time.UTC)
	since  = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	during = time.Date(2026, 10, 10, 12, 0, 0, 0, time.UTC)
)

// doc is a test doc: its id, language, text and period.
func doc(id int64, lang i18n.Lang, text string, current bool) words.Doc {
	at := before
	if current {
		at = during
	}
	return words.Doc{ID: id, Lang: lang, Text: text, At: at}
}

func find(ts []words.Theme, lang i18n.Lang, text string) *words.Theme {
	for i := range ts {
		if ts[i].Lang == lang && ts[i].Text == text {
			return &ts[i]
		}
	}
	return nil
}

// TestThemesRise: a phrase that many answers of the month carry, in its
// grammatical forms, rises against the month before and is shown in the
// form written most; a word as common before as now does not rise.
func TestThemesRise(t *testing.T) {
	t.Parallel()
	docs := []words.Doc{
		doc(1, i18n.RU, "Курьер опоздал на два часа.", true),
		doc(2, i18n.RU, "курьер опоздал, чай вкусный", true),
		doc(3, i18n.RU, "Опять курьер опоздал!", true),
		doc(4, i18n.RU, "Курьера опоздали ждать. Упаковка мятая", true),
		doc(5, i18n.RU, "Чай вкусный", true),
		doc(6, i18n.RU, "Вкусный чай, спасибо", false),
		doc(7, i18n.RU, "чай вкусный", false),
		doc(8, i18n.RU, "Упаковка хорошая", false),
		doc(9, i18n.LV, "Kurjers kavējās. Tēja garšīga.", true),
		doc(10, i18n.LV, "kurjers kavējās", true),
		doc(11, i18n.LV, "Tēja garšīga", false),
		doc(12, i18n.EN, "The tea was not fresh", true),
		doc(13, i18n.EN, "Tea not fresh at all", true),
		doc(14, i18n.EN, "Lovely tea", false),
	}
	ts := words.Themes(docs, words.Options{Since: since})
	late := find(ts, i18n.RU, "курьер опоздал")
	if late == nil {
		t.Fatalf("no theme «курьер опоздал» in %+v", ts)
	}
	if late.Count != 4 || late.Previous != 0 || late.Words != 2 || !slices.Equal(late.DocIDs, []int64{1, 2, 3, 4}) {
		t.Errorf("«курьер опоздал» = %+v, want 4 docs (1 to 4: «курьера опоздали» too), none before", *late)
	}
	if find(ts, i18n.RU, "курьер") != nil {
		t.Errorf("«курьер» is a theme of its own beside «курьер опоздал»: %+v", ts)
	}
	for _, th := range ts {
		if strings.Contains(th.Key, words.Stem(i18n.RU, "вкусный")) {
			t.Errorf("«чай вкусный», as common before, rose: %+v", th)
		}
		if th.Lang == i18n.RU && strings.Contains(th.Text, "спасибо") {
			t.Errorf("a filler is a theme: %+v", th)
		}
	}
	if find(ts, i18n.LV, "kurjers kavējās") == nil {
		t.Errorf("no Latvian theme «kurjers kavējās» in %+v", ts)
	}
	if th := find(ts, i18n.EN, "tea not fresh"); th == nil || th.Count != 2 || th.Words != 3 {
		t.Errorf("no English theme «tea not fresh» of 2 docs (a negation stays with its word, a stop word is spanned) in %+v", ts)
	}
}

// TestThemesNoPeriodBefore: without docs before, the commonest phrases
// are the themes, best first, within the limit per language.
func TestThemesNoPeriodBefore(t *testing.T) {
	t.Parallel()
	var docs []words.Doc
	for i := range 10 {
		docs = append(docs, doc(int64(i), i18n.EN, "slow delivery", true))
	}
	for i := range 4 {
		docs = append(docs, doc(int64(100+i), i18n.EN, "great packaging", true))
	}
	docs = append(docs, doc(200, i18n.EN, "one-off remark", true))
	ts := words.Themes(docs, words.Options{Limit: 1})
	if len(ts) != 1 || ts[0].Text != "slow delivery" || ts[0].Count != 10 || ts[0].Share != 10.0/15 && ts[0].Share != 0.6667 {
		t.Fatalf("Themes = %+v, want only «slow delivery» of 10 docs", ts)
	}
	if ts := words.Themes(nil, words.Options{}); ts != nil {
		t.Errorf("Themes(nil) = %+v", ts)
	}
}

// TestThemesStable: the same docs give the same themes, whatever the
// maps' order.
func TestThemesStable(t *testing.T) {
	t.Parallel()
	docs := synthetic(2000, 7)
	want := fmt.Sprint(words.Themes(docs, words.Options{Since: since}))
	for range 3 {
		if got := fmt.Sprint(words.Themes(docs, words.Options{Since: since})); got != want {
			t.Fatalf("Themes differ between runs:\n%s\n%s", got, want)
		}
	}
}

// FuzzThemes: any text in any language gives themes of valid words,
// counted within the docs, without a panic.
func FuzzThemes(f *testing.F) {
	for _, s := range []string{"Курьер опоздал.", "ne ne ne", "не", "not not", "a, b. c", "ё\x00\xff", "šņ ajiem", "1 2 3", ""} {
		f.Add(s, s+" again, "+s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, lang := range i18n.Langs() {
			docs := []words.Doc{doc(1, lang, a, true), doc(2, lang, b, true), doc(3, lang, a, false)}
			for _, th := range words.Themes(docs, words.Options{Since: since, MinDocs: 1}) {
				if th.Text == "" || !utf8.ValidString(th.Text) || th.Count < 1 || th.Count > 2 || len(th.DocIDs) != th.Count {
					t.Fatalf("Themes(%q, %q) gave %+v", a, b, th)
				}
			}
		}
	})
}

// BenchmarkThemes100k: the themes of 100,000 answers in three languages,
// half of them the period before (target: under 5 s).
func BenchmarkThemes100k(b *testing.B) {
	docs := synthetic(100_000, 1)
	b.ResetTimer()
	for b.Loop() {
		if ts := words.Themes(docs, words.Options{Since: since}); len(ts) == 0 {
			b.Fatal("no themes")
		}
	}
}

// synthetic makes n answers like customers write them: a few phrases of
// a language's pool in some order, a rising theme more often in the
// period, and random words so that the vocabulary is large.
func synthetic(n int, seed uint64) []words.Doc {
	r := rand.New(rand.NewPCG(seed, seed))
	pools := map[i18n.Lang][]string{
		i18n.RU: {"курьер опоздал", "чай очень вкусный", "упаковка была мятая", "доставка быстрая", "не пришло уведомление",
			"оператор вежливо ответил", "заказ собрали неправильно", "вкус как всегда отличный", "цены высокие", "долго ждал звонка"},
		i18n.LV: {"kurjers kavējās", "tēja ļoti garšīga", "iepakojums bija saplēsts", "piegāde ātra", "nav atnākusi ziņa",
			"operators laipni atbildēja", "pasūtījums nepareizi salikts", "cenas augstas"},
		i18n.EN: {"courier was late", "tea tastes great", "packaging was damaged", "fast delivery", "did not get the message",
			"friendly support", "wrong items in the box", "prices are high"},
	}
	rising := map[i18n.Lang]string{i18n.RU: "коробка промокла под дождём", i18n.LV: "kaste izmirka lietū", i18n.EN: "box soaked in the rain"}
	langs := []i18n.Lang{i18n.RU, i18n.RU, i18n.LV, i18n.EN}
	letters := []rune("абвгдежзиклмнопрстуфхцчшщыэюяabcdefghijklmnoprstuvz")
	docs := make([]words.Doc, n)
	for i := range docs {
		lang := langs[r.IntN(len(langs))]
		current := i%2 == 1
		var parts []string
		for range 1 + r.IntN(3) {
			parts = append(parts, pools[lang][r.IntN(len(pools[lang]))])
		}
		if current && r.IntN(10) == 0 {
			parts = append(parts, rising[lang])
		}
		word := make([]rune, 4+r.IntN(6))
		for k := range word {
			word[k] = letters[r.IntN(len(letters))]
		}
		parts = append(parts, string(word))
		docs[i] = doc(int64(i+1), lang, strings.Join(parts, ", ")+".", current)
	}
	return docs
}
