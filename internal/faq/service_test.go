package faq_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/faq"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

var at = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func newService(t *testing.T, engine store.Engine) (*faq.Service, *store.DB) {
	t.Helper()
	db, _ := storetest.OpenTest(t, engine)
	return faq.New(service.Deps{DB: db}), db
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEntryCRUD adds, edits, moves and deletes entries; an invalid entry
// names its fields and writes nothing; on both engines.
func TestEntryCRUD(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, db := newService(t, engine)
			for _, c := range []struct {
				name   string
				e      faq.Entry
				fields []string
			}{
				{"empty", faq.Entry{Language: "ru"}, []string{"section", "question", "answer"}},
				{"language", faq.Entry{Language: "de", Section: "A", Question: "Q", Answer: "A"}, []string{"language"}},
				{"language case", faq.Entry{Language: "RU", Section: "A", Question: "Q", Answer: "A"}, []string{"language"}},
				{"long question", faq.Entry{Language: "en", Section: "A", Question: string(make([]rune, faq.MaxQuestion+1)), Answer: "A"}, []string{"question"}},
				{"control", faq.Entry{Language: "en", Section: "A\x07", Question: "Q", Answer: "A\x00"}, []string{"section", "answer"}},
				{"position", faq.Entry{Language: "en", Section: "A", Question: "Q", Answer: "A", Position: -1}, []string{"position"}},
			} {
				_, err := s.Save(ctx, c.e, at)
				var l invalid.List
				if !errors.As(err, &l) || len(l) != len(c.fields) {
					t.Errorf("%s: %v; want problems with %v", c.name, err, c.fields)
					continue
				}
				for i, f := range c.fields {
					if l[i].Field != f {
						t.Errorf("%s: problem %d is about %q, want %q", c.name, i, l[i].Field, f)
					}
				}
			}
			if n := count(t, db, "faq_entries"); n != 0 {
				t.Fatalf("invalid entries left %d rows", n)
			}

			a, err := s.Save(ctx, faq.Entry{Language: "ru", Section: " Доставка ", Question: "Сколько  идёт\nдоставка?", Answer: "Два дня.\r\n\r\nИногда три."}, at)
			if err != nil || a.ID == 0 || a.Position != 1 || a.Section != "Доставка" || a.Question != "Сколько идёт доставка?" || a.Answer != "Два дня.\n\nИногда три." {
				t.Fatalf("add: %+v, %v", a, err)
			}
			b, _ := s.Save(ctx, faq.Entry{Language: "ru", Section: "Доставка", Question: "Куда вы доставляете?", Answer: "В Латвию."}, at)
			c, _ := s.Save(ctx, faq.Entry{Language: "ru", Section: "Оплата", Question: "Как оплатить?", Answer: "Картой."}, at)
			if _, err := s.Save(ctx, faq.Entry{Language: "lv", Section: "Piegāde", Question: "Cik ilgi?", Answer: "Divas dienas."}, at); err != nil {
				t.Fatal(err)
			}
			if b.Position != 2 || c.Position != 3 {
				t.Fatalf("positions %d, %d; want 2, 3", b.Position, c.Position)
			}
			a.Answer = "Обычно два дня."
			if _, err := s.Save(ctx, a, at.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Get(ctx, a.ID); err != nil || got.Answer != "Обычно два дня." || !got.UpdatedAt.Equal(at.Add(time.Hour)) {
				t.Fatalf("edited: %+v, %v", got, err)
			}
			if _, err := s.Save(ctx, faq.Entry{ID: 9999, Language: "ru", Section: "X", Question: "Q", Answer: "A"}, at); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("edit a missing entry: %v", err)
			}

			order := func() []int64 {
				list, err := s.List(ctx, "ru")
				if err != nil {
					t.Fatal(err)
				}
				var ids []int64
				for _, e := range list {
					ids = append(ids, e.ID)
				}
				return ids
			}
			if err := s.Move(ctx, b.ID, true, at); err != nil {
				t.Fatal(err)
			}
			if got := order(); len(got) != 3 || got[0] != b.ID || got[1] != a.ID || got[2] != c.ID {
				t.Fatalf("after moving b up: %v; want %d %d %d", got, b.ID, a.ID, c.ID)
			}
			if err := s.Move(ctx, a.ID, false, at); err != nil { // the last of its section: stays
				t.Fatal(err)
			}
			if got := order(); got[1] != a.ID || got[2] != c.ID {
				t.Fatalf("moving the section's last down changed the order: %v", got)
			}
			secs := faq.Sections(mustList(t, s, "ru"))
			if len(secs) != 2 || secs[0].Name != "Доставка" || len(secs[0].Entries) != 2 || secs[1].Name != "Оплата" {
				t.Fatalf("sections: %+v", secs)
			}

			if err := s.Delete(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.Delete(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("delete twice: %v", err)
			}
			if _, err := s.Get(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("get deleted: %v", err)
			}
		})
	}
}

func mustList(t *testing.T, s *faq.Service, lang i18n.Lang) []faq.Entry {
	t.Helper()
	l, err := s.List(context.Background(), lang)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestSearch ranks a match in the question over one in the answer, finds
// a word in another form, keeps to the language, and counts every search
// with whether it found anything: the unanswered ones, the most searched
// first.
func TestSearch(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, db := newService(t, engine)
			add := func(lang i18n.Lang, sec, q, a string) faq.Entry {
				t.Helper()
				e, err := s.Save(ctx, faq.Entry{Language: lang, Section: sec, Question: q, Answer: a}, at)
				if err != nil {
					t.Fatal(err)
				}
				return e
			}
			pay := add("ru", "Оплата", "Можно ли оплатить при получении?", "Да, курьеру или в пункте выдачи; после доставки чек придёт на почту.")
			ship := add("ru", "Доставка", "Сколько стоит доставка?", "Бесплатно от 50 евро.")
			add("ru", "Баллы", "Как копить баллы?", "За каждый заказ.")
			lvShip := add("lv", "Piegāde", "Cik maksā piegāde?", "Bez maksas no 50 eiro.")
			add("en", "Delivery", "How much is delivery?", "Free from 50 euros.")

			for _, c := range []struct {
				lang  i18n.Lang
				q     string
				want  []int64
				found bool
			}{
				{"ru", "доставкой", []int64{ship.ID, pay.ID}, true},             // question beats answer
				{"ru", "Про ДОСТАВКУ и оплату", []int64{pay.ID, ship.ID}, true}, // pay: оплат in question (3) + доставк in answer (1)
				{"lv", "piegādi", []int64{lvShip.ID}, true},
				{"lv", "доставка", nil, false},
				{"ru", "подарочная упаковка", nil, false},
				{"ru", "подарочная упаковка", nil, false},
				{"en", "gift wrap", nil, false},
			} {
				hits, err := search(ctx, s, c.lang, c.q, at)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, h := range hits {
					got = append(got, h.ID)
				}
				if len(got) != len(c.want) {
					t.Errorf("%s %q: %v, want %v", c.lang, c.q, got, c.want)
					continue
				}
				for i := range got {
					if got[i] != c.want[i] {
						t.Errorf("%s %q: %v, want %v", c.lang, c.q, got, c.want)
						break
					}
				}
			}
			if hits, err := search(ctx, s, "ru", " ?! ", at); err != nil || hits != nil {
				t.Fatalf("a query without a word: %v, %v", hits, err)
			}
			if n := count(t, db, "faq_searches"); n != 6 {
				t.Fatalf("%d searches counted, want 6 distinct", n)
			}
			// A customer's details typed into the search are not kept.
			if _, err := search(ctx, s, "ru", "anna@example.com", at); err != nil {
				t.Fatal(err)
			}
			if _, err := search(ctx, s, "ru", "заказ 1042 телефон +7 916 123-45-67", at); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, "faq_searches"); n != 7 {
				t.Fatalf("%d searches counted, want 7: the e-mail not kept", n)
			}
			var kept string
			if err := db.Read().QueryRow(ctx, `SELECT query FROM faq_searches WHERE query LIKE 'заказ%'`).Scan(&kept); err != nil || kept != "заказ телефон 7 916 123 45 67" {
				t.Fatalf("kept %q, %v", kept, err)
			}
			un, err := s.Unanswered(ctx, 10)
			if err != nil || len(un) != 3 {
				t.Fatalf("unanswered: %+v, %v; want 3", un, err)
			}
			if un[0].Query != "подарочная упаковка" || un[0].Count != 2 || un[0].Language != "ru" || un[0].Found || !un[0].LastAt.Equal(at) {
				t.Fatalf("most searched unanswered: %+v", un[0])
			}

			// Once the shop answers, the next search finds it and the
			// query leaves the list.
			add("ru", "Упаковка", "Есть ли подарочная упаковка?", "Да.")
			if hits, err := search(ctx, s, "ru", "Подарочная упаковка", at.Add(time.Hour)); err != nil || len(hits) != 1 {
				t.Fatalf("after answering: %v, %v", hits, err)
			}
			if un, _ := s.Unanswered(ctx, 10); len(un) != 2 {
				t.Fatalf("unanswered after answering: %+v", un)
			}
		})
	}
}

// search searches as the help page does: the hits, then the search
// counted with whether it found any.
func search(ctx context.Context, s *faq.Service, lang i18n.Lang, q string, now time.Time) ([]faq.Hit, error) {
	hits, err := s.Search(ctx, lang, q)
	if err != nil {
		return nil, err
	}
	return hits, s.Count(ctx, lang, q, len(hits) > 0, now)
}
