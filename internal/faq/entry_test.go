package faq_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/faq"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// FuzzEntryNormalize: the admin's form, whatever it holds, is either
// refused with problems that name the form's fields, or normalised to
// texts that may be stored: valid UTF-8 within their limits, the
// one-line ones without line breaks, none empty, and normalising again
// changes nothing.
func FuzzEntryNormalize(f *testing.F) {
	f.Add("ru", "Доставка", "Сколько идёт доставка?", "Два дня.\r\n\r\nТри.", 0)
	f.Add("lv", " Piegāde ", "Cik\tilgi?", "Divas dienas.", 5)
	f.Add("de", "", "", "", -1)
	f.Add("RU", "a\x00", "q\n", "\xff", 2000000)
	fields := map[string]bool{"language": true, "section": true, "question": true, "answer": true, "position": true}
	f.Fuzz(func(t *testing.T, lang, section, question, answer string, position int) {
		e := faq.Entry{Language: i18n.Lang(lang), Section: section, Question: question, Answer: answer, Position: position}
		err := e.Normalize()
		if err != nil {
			var l invalid.List
			if !errors.As(err, &l) || len(l) == 0 {
				t.Fatalf("Normalize: %v, not a list of problems", err)
			}
			for _, p := range l {
				if !fields[p.Field] {
					t.Fatalf("a problem with the field %q, which the form has not", p.Field)
				}
			}
			return
		}
		for _, s := range []struct {
			v   string
			max int
		}{{e.Section, faq.MaxSection}, {e.Question, faq.MaxQuestion}, {e.Answer, faq.MaxAnswer}} {
			if s.v == "" || !utf8.ValidString(s.v) || utf8.RuneCountInString(s.v) > s.max || strings.Contains(s.v, "\r") {
				t.Fatalf("normalised %+v", e)
			}
		}
		if strings.ContainsAny(e.Section+e.Question, "\n\t") {
			t.Fatalf("a one-line text with a break: %+v", e)
		}
		again := e
		if err := again.Normalize(); err != nil || again != e {
			t.Fatalf("normalising again: %+v, %v; was %+v", again, err, e)
		}
	})
}
