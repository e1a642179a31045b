package faq

import (
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/words"
)

// MaxQuery bounds a search, in characters: a longer one is cut.
const MaxQuery = 200

// Weights of one search term found in an entry: in its question, or only
// in its answer. A question that names what was asked for is the better
// answer than a long text that mentions it.
const (
	questionWeight = 3
	answerWeight   = 1
)

// Hit is an entry a search found, with its score.
type Hit struct {
	Entry
	Score int
}

// Searched is a query customers searched for: how often, when last, and
// whether its last search found anything.
type Searched struct {
	Query    string
	Language i18n.Lang
	Count    int
	LastAt   time.Time
	Found    bool
}

// NormalizeQuery is how a search is counted: its words in lower case,
// single-spaced, at most MaxQuery characters; "" when it has no word.
func NormalizeQuery(q string) string {
	if r := []rune(q); len(r) > MaxQuery {
		q = string(r[:MaxQuery])
	}
	return strings.Join(words.Words(q), " ")
}

// Rank scores entries against query in lang and returns those that match
// any of its terms, best first: each term counts questionWeight when the
// question has it, else answerWeight when the answer has it; ties keep
// the FAQ's order.
func Rank(lang i18n.Lang, entries []Entry, query string) []Hit {
	terms := words.Terms(lang, NormalizeQuery(query))
	if len(terms) == 0 {
		return nil
	}
	slices.Sort(terms)
	terms = slices.Compact(terms)
	var hits []Hit
	for _, e := range entries {
		q, a := termSet(lang, e.Question), termSet(lang, e.Answer)
		score := 0
		for _, t := range terms {
			switch {
			case q[t]:
				score += questionWeight
			case a[t]:
				score += answerWeight
			}
		}
		if score > 0 {
			hits = append(hits, Hit{Entry: e, Score: score})
		}
	}
	slices.SortStableFunc(hits, func(x, y Hit) int { return y.Score - x.Score })
	return hits
}

func termSet(lang i18n.Lang, text string) map[string]bool {
	set := map[string]bool{}
	for _, t := range words.Terms(lang, text) {
		set[t] = true
	}
	return set
}
