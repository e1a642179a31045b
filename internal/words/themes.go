package words

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
)

// Doc is one text to find themes in: a customer's answer.
type Doc struct {
	ID   int64
	Lang i18n.Lang
	Text string
	// At says which period the text belongs to: before Options.Since it
	// is the period before, else the period itself.
	At time.Time
}

// Options tune Themes.
type Options struct {
	// Since starts the period whose themes are wanted; the docs before it
	// are the period before, that a theme rises against. A zero Since
	// makes every doc the period itself (nothing to rise against: the
	// commonest words and phrases are the themes).
	Since time.Time
	// Limit is the most themes per language (10 when 0).
	Limit int
	// MinDocs is the fewest docs of the period a theme needs (2 when 0).
	MinDocs int
}

// Theme is a word or phrase that rises in a language's docs.
type Theme struct {
	Lang i18n.Lang `json:"lang"`
	// Key is the theme's stems, one per word, space-separated: the same
	// for every grammatical form of the phrase.
	Key string `json:"key"`
	// Text is the form customers wrote most often, for display.
	Text string `json:"text"`
	// Words is the number of words of Key: 1 to 3, and one more for each
	// negation ("not fresh" is two).
	Words int `json:"words"`
	// Count is the docs of the period that carry it; Previous those of
	// the period before.
	Count    int `json:"count"`
	Previous int `json:"previous"`
	// Share and PreviousShare are those counts as a share of the
	// language's docs in each period (0..1).
	Share         float64 `json:"share"`
	PreviousShare float64 `json:"previous_share"`
	// Score orders the themes: how many docs carry it times how much it
	// rose (a log ratio of the shares, smoothed).
	Score float64 `json:"score"`
	// DocIDs are the docs of the period that carry it, in input order.
	DocIDs []int64 `json:"doc_ids"`
}

// minRise is how much a theme's share of the docs must grow against the
// period before (smoothed): a quarter. Less is the noise of a few docs.
const minRise = 1.25

// absorb: a phrase carried by at least this share of one of its words'
// docs stands for that word (or shorter phrase), which is no theme of its
// own then: "late courier" makes "courier" say nothing more.
const absorb = 0.6

// gram is a phrase of up to three interned stems (0 = no word) in a
// language.
type gram struct {
	lang    i18n.Lang
	a, b, c int32
}

func (g gram) len() int {
	switch {
	case g.c != 0:
		return 3
	case g.b != 0:
		return 2
	}
	return 1
}

// tally is a gram's docs: cur in the period, prev before it; last is the
// last doc counted, so that a doc counts once.
type tally struct {
	cur, prev int32
	last      int32
	absorbed  bool
}

// token is one word of a doc: its stem's and its surface's interned ids;
// a zero stem breaks a phrase (a sentence's end, a comma, a filler).
type token struct{ stem, surface int32 }

// extractor holds one Themes call's interned words and counts.
type extractor struct {
	stems      map[string]int32 // lang + "\x00" + word → stem id
	stemIDs    map[string]int32 // lang + "\x00" + stem → id
	surfaceIDs map[string]int32 // the word as written (lower case) → id
	surfaces   []string         // id → the word as written
	stemText   []string         // stem id → stem
	tallies    map[gram]*tally
	docs       [][]token
	cur        map[i18n.Lang]int // docs per language in the period
	prev       map[i18n.Lang]int
}

// Themes finds, per language, the words and two- or three-word phrases
// that rise in the period from opts.Since against the docs before it,
// best first, at most opts.Limit per language. Words are stemmed, stop
// words and fillers left out (a phrase spans them: "packaging was
// damaged" is "packaging damaged"), a negation kept with its word; a
// phrase never crosses a sentence or a comma. A phrase that carries most of a
// shorter one's docs stands for it. The docs of each period are counted
// once per theme however often a doc repeats it.
func Themes(docs []Doc, opts Options) []Theme {
	if opts.Limit <= 0 {
		opts.Limit = 10
	}
	if opts.MinDocs <= 0 {
		opts.MinDocs = 2
	}
	x := &extractor{stems: map[string]int32{}, stemIDs: map[string]int32{}, surfaceIDs: map[string]int32{}, surfaces: []string{""},
		stemText: []string{""}, tallies: map[gram]*tally{}, docs: make([][]token, len(docs)),
		cur: map[i18n.Lang]int{}, prev: map[i18n.Lang]int{}}
	for i, d := range docs {
		x.docs[i] = x.tokens(d.Lang, d.Text)
		current := !d.At.Before(opts.Since)
		if current {
			x.cur[d.Lang]++
		} else {
			x.prev[d.Lang]++
		}
		x.count(d.Lang, i, current)
	}
	picked := x.pick(opts)
	return x.finish(docs, opts, picked)
}

// tokens splits text into its words, interned, with a break token between
// sentences and clauses; stop words and fillers are left out, so a phrase
// spans them.
func (x *extractor) tokens(lang i18n.Lang, text string) []token {
	var out []token
	neg := ""
	for clause := range strings.FieldsFuncSeq(text, clauseBreak) {
		ws := Words(clause)
		for _, w := range ws {
			if negation(lang, w) {
				neg = w
				continue
			}
			if filler(lang, w) || !wordLike(w) {
				continue // "packaging was damaged" is about "packaging damaged"
			}
			if neg != "" {
				w, neg = neg+" "+w, ""
			}
			out = append(out, x.intern(lang, w))
		}
		neg = ""
		out = appendBreak(out)
	}
	return out
}

// clauseBreak is punctuation that ends a clause: no phrase crosses it.
func clauseBreak(r rune) bool {
	switch r {
	case '.', ',', '!', '?', ';', ':', '\n', '(', ')', '"', '«', '»', '—', '–', '…':
		return true
	}
	return false
}

// wordLike says whether w may be a theme's word: two letters at least,
// and not only digits.
func wordLike(w string) bool {
	letters := 0
	for _, r := range w {
		if r < '0' || r > '9' {
			letters++
		}
	}
	return letters >= 2
}

func appendBreak(ts []token) []token {
	if len(ts) == 0 || ts[len(ts)-1].stem == 0 {
		return ts
	}
	return append(ts, token{})
}

// intern returns the ids of w's stem and surface in lang; a negated word
// ("не пришёл") stems its word and keeps the negation.
func (x *extractor) intern(lang i18n.Lang, w string) token {
	key := string(lang) + "\x00" + w
	id, ok := x.stems[key]
	if !ok {
		stem := Stem(lang, w)
		if neg, word, found := strings.Cut(w, " "); found {
			stem = neg + " " + Stem(lang, word)
		}
		skey := string(lang) + "\x00" + stem
		if id, ok = x.stemIDs[skey]; !ok {
			id = int32(len(x.stemText))
			x.stemIDs[skey] = id
			x.stemText = append(x.stemText, stem)
		}
		x.stems[key] = id
	}
	sid, ok := x.surfaceIDs[w]
	if !ok {
		sid = int32(len(x.surfaces))
		x.surfaces = append(x.surfaces, w)
		x.surfaceIDs[w] = sid
	}
	return token{stem: id, surface: sid}
}

// grams calls f with each phrase of one to three words of ts, and the
// index of its first token.
func grams(lang i18n.Lang, ts []token, f func(g gram, at int)) {
	for i, t := range ts {
		if t.stem == 0 {
			continue
		}
		g := gram{lang: lang, a: t.stem}
		f(g, i)
		if i+1 < len(ts) && ts[i+1].stem != 0 && ts[i+1].stem != t.stem {
			g.b = ts[i+1].stem
			f(g, i)
			if i+2 < len(ts) && ts[i+2].stem != 0 {
				g.c = ts[i+2].stem
				f(g, i)
			}
		}
	}
}

// count adds doc i's phrases to the tallies, once each.
func (x *extractor) count(lang i18n.Lang, i int, current bool) {
	grams(lang, x.docs[i], func(g gram, _ int) {
		t := x.tallies[g]
		if t == nil {
			t = &tally{last: -1}
			x.tallies[g] = t
		}
		if t.last == int32(i) {
			return
		}
		t.last = int32(i)
		if current {
			t.cur++
		} else {
			t.prev++
		}
	})
}

// candidate is a gram worth ranking, with its score.
type candidate struct {
	g     gram
	t     *tally
	score float64
}

// pick ranks the grams that rose and keeps opts.Limit per language.
func (x *extractor) pick(opts Options) []candidate {
	minDocs := int32(opts.MinDocs)
	// A phrase that carries most of a shorter one's docs stands for it.
	for g, t := range x.tallies {
		if t.cur < minDocs || g.len() == 1 {
			continue
		}
		for _, sub := range subGrams(g) {
			if s := x.tallies[sub]; s != nil && float64(t.cur) >= absorb*float64(s.cur) {
				s.absorbed = true
			}
		}
	}
	var cs []candidate
	for g, t := range x.tallies {
		if t.cur < minDocs || t.absorbed {
			continue
		}
		score, ok := rise(int(t.cur), int(t.prev), x.cur[g.lang], x.prev[g.lang])
		if !ok {
			continue
		}
		cs = append(cs, candidate{g: g, t: t, score: score})
	}
	slices.SortFunc(cs, func(a, b candidate) int {
		return cmp.Or(strings.Compare(string(a.g.lang), string(b.g.lang)), cmp.Compare(b.score, a.score),
			cmp.Compare(b.t.cur, a.t.cur), cmp.Compare(b.g.len(), a.g.len()),
			strings.Compare(x.key(a.g), x.key(b.g)))
	})
	var out []candidate
	per := map[i18n.Lang]int{}
	for _, c := range cs {
		if per[c.g.lang] < opts.Limit {
			per[c.g.lang]++
			out = append(out, c)
		}
	}
	return out
}

// subGrams are the shorter phrases inside g: its words and, of three, its
// two pairs.
func subGrams(g gram) []gram {
	one := func(s int32) gram { return gram{lang: g.lang, a: s} }
	if g.c == 0 {
		return []gram{one(g.a), one(g.b)}
	}
	return []gram{one(g.a), one(g.b), one(g.c), {lang: g.lang, a: g.a, b: g.b}, {lang: g.lang, a: g.b, b: g.c}}
}

// rise scores a gram carried by cur of nCur docs in the period and prev
// of nPrev before: cur times the log of the ratio of its shares, each
// smoothed by half a doc, so a rise from nothing is finite and a theme
// of many docs outranks a rare one. ok is false when it did not rise by
// minRise.
// With no docs before, every gram rose by its count.
func rise(cur, prev, nCur, nPrev int) (float64, bool) {
	if nPrev == 0 {
		return float64(cur), true
	}
	now := (float64(cur) + 0.5) / (float64(nCur) + 1)
	before := (float64(prev) + 0.5) / (float64(nPrev) + 1)
	if now < minRise*before {
		return 0, false
	}
	return float64(cur) * math.Log(now/before), true
}

// key is g's stems, space-separated.
func (x *extractor) key(g gram) string {
	parts := []string{x.stemText[g.a]}
	for _, s := range []int32{g.b, g.c} {
		if s != 0 {
			parts = append(parts, x.stemText[s])
		}
	}
	return strings.Join(parts, " ")
}

// finish walks the period's docs once more for the picked themes: their
// docs and the form written most often.
func (x *extractor) finish(docs []Doc, opts Options, picked []candidate) []Theme {
	if len(picked) == 0 {
		return nil
	}
	index := make(map[gram]int, len(picked))
	out := make([]Theme, len(picked))
	forms := make([]map[[3]int32]int, len(picked))
	for i, c := range picked {
		index[c.g] = i
		nCur, nPrev := x.cur[c.g.lang], x.prev[c.g.lang]
		out[i] = Theme{Lang: c.g.lang, Key: x.key(c.g), Words: c.g.len(), Count: int(c.t.cur),
			Previous: int(c.t.prev), Share: share(int(c.t.cur), nCur), PreviousShare: share(int(c.t.prev), nPrev),
			Score: math.Round(c.score*1000) / 1000, DocIDs: make([]int64, 0, c.t.cur)}
		forms[i] = map[[3]int32]int{}
	}
	for di, d := range docs {
		if d.At.Before(opts.Since) {
			continue
		}
		ts := x.docs[di]
		grams(d.Lang, ts, func(g gram, at int) {
			i, ok := index[g]
			if !ok {
				return
			}
			var form [3]int32
			for k := range g.len() {
				form[k] = ts[at+k].surface
			}
			forms[i][form]++
			if ids := out[i].DocIDs; len(ids) == 0 || ids[len(ids)-1] != d.ID {
				out[i].DocIDs = append(out[i].DocIDs, d.ID)
			}
		})
	}
	for i := range out {
		out[i].Text = x.commonest(forms[i])
		out[i].Words = len(strings.Fields(out[i].Key))
	}
	return out
}

// commonest is the form written most often; of equals, the first in
// byte order, so the answer does not depend on map order.
func (x *extractor) commonest(forms map[[3]int32]int) string {
	best, bestN := "", 0
	for f, n := range forms {
		var parts []string
		for _, s := range f {
			if s != 0 {
				parts = append(parts, x.surfaces[s])
			}
		}
		text := strings.Join(parts, " ")
		if n > bestN || (n == bestN && text < best) {
			best, bestN = text, n
		}
	}
	return best
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(of)*10000) / 10000
}
