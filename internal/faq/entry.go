package faq

import (
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// The longest texts an entry takes, in characters.
const (
	MaxSection  = 100
	MaxQuestion = 300
	MaxAnswer   = 5000
)

// Entry is one question and its answer, in one language and section.
// Answer is plain text; a blank line separates its paragraphs.
type Entry struct {
	ID       int64
	Language i18n.Lang
	Section  string
	Question string
	Answer   string
	// Position orders the language's entries, and so its sections, which
	// appear in the order of their first entry.
	Position  int
	UpdatedAt time.Time
}

// Normalize trims e's texts (line breaks made \n) and checks them, every
// problem at once as an invalid.List naming the field: language,
// section, question, answer, position.
func (e *Entry) Normalize() error {
	e.Section = strings.Join(strings.Fields(e.Section), " ")
	e.Question = strings.Join(strings.Fields(e.Question), " ")
	e.Answer = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(e.Answer, "\r\n", "\n"), "\r", "\n"))
	var l invalid.List
	if _, ok := i18n.Parse(string(e.Language)); !ok || string(e.Language) != strings.ToLower(string(e.Language)) || len(e.Language) != 2 {
		l.Add("language", "unknown", "must be one of en, ru, lv")
	}
	for _, f := range []struct {
		field, value string
		max          int
		multiline    bool
	}{
		{"section", e.Section, MaxSection, false},
		{"question", e.Question, MaxQuestion, false},
		{"answer", e.Answer, MaxAnswer, true},
	} {
		if err := invalid.TextMax(f.field, f.value, f.max, f.multiline); err != nil {
			l = append(l, err)
			continue
		}
		if f.value == "" {
			l.Add(f.field, "required", "is required")
		}
	}
	if e.Position < 0 || e.Position > 1_000_000 {
		l.Add("position", "out_of_range", "must be between 0 and 1000000")
	}
	return l.Err()
}

// Section is a heading of the FAQ with its entries, in order.
type Section struct {
	Name    string
	Entries []Entry
}

// Sections groups entries (in position order) by section, the sections in
// the order of their first entry.
func Sections(entries []Entry) []Section {
	var out []Section
	at := map[string]int{}
	for _, e := range entries {
		i, ok := at[e.Section]
		if !ok {
			i = len(out)
			at[e.Section] = i
			out = append(out, Section{Name: e.Section})
		}
		out[i].Entries = append(out[i].Entries, e)
	}
	return out
}
