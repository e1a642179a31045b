package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/faq"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

func faqRows(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.app.DB.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM faq_entries`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// ownerInEnglish makes the owner's admin speak English, for the texts
// the test reads.
func ownerInEnglish(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	users, err := auth.UserList(ctx, e.app.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Email == people[auth.Owner] {
			if err := auth.UserSetLanguage(ctx, e.app.DB, u.ID, "en", e.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

var savedEntry = regexp.MustCompile(`^/faq\?lang=(\w\w)&saved=1#entry-(\d+)$`)

// TestFAQAdminAndHelp: the owner writes the FAQ on /faq (an invalid
// entry names its fields and writes nothing), edits, moves and deletes
// entries; the help page shows them by section and searches them with
// stemming in ru and lv; a search that finds nothing shows on /faq with
// "write an answer" filling the form. Only the owner reaches /faq. Both
// engines.
func TestFAQAdminAndHelp(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, engine)
			addPeople(t, e)
			ownerInEnglish(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])

			if status, _, body := b.do("GET", "/faq?lang=ru", nil); status != http.StatusOK || !strings.Contains(body, `id="faq-none"`) {
				t.Fatalf("empty FAQ: %d\n%.400s", status, body)
			}
			if _, _, body := b.do("GET", "/settings", nil); !strings.Contains(body, `href="/faq"`) {
				t.Error("the settings page has no link to the FAQ")
			}
			status, _, body := b.do("POST", "/faq", url.Values{"csrf": {b.csrf}, "language": {"ru"}, "section": {strings.Repeat("я", faq.MaxSection+1)},
				"question": {" "}, "answer": {"Ответ"}, "position": {"первый"}})
			if status != http.StatusUnprocessableEntity || strings.Count(body, `aria-invalid="true"`) != 3 ||
				!strings.Contains(body, "At most 100 characters.") || !strings.Contains(body, "Fill this in.") ||
				!strings.Contains(body, "A whole number from 0 to 1000000.") || !strings.Contains(body, `role="alert"`) {
				t.Fatalf("invalid entry: %d\n%s", status, body)
			}
			if n := faqRows(t, e); n != 0 {
				t.Fatalf("an invalid entry left %d rows", n)
			}
			if status, _, _ := b.do("POST", "/faq", url.Values{"csrf": {b.csrf}, "language": {"de"}, "section": {"A"}, "question": {"Q"}, "answer": {"A"}}); status != http.StatusUnprocessableEntity {
				t.Fatalf("unknown language: %d", status)
			}

			add := func(lang, section, question, answer string) int64 {
				t.Helper()
				status, h, body := b.do("POST", "/faq", url.Values{"csrf": {b.csrf}, "language": {lang}, "section": {section},
					"question": {question}, "answer": {answer}})
				m := savedEntry.FindStringSubmatch(h.Get("Location"))
				if status != http.StatusSeeOther || m == nil || m[1] != lang {
					t.Fatalf("add %q: %d to %q\n%.600s", question, status, h.Get("Location"), body)
				}
				id, err := strconv.ParseInt(m[2], 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				return id
			}
			pay := add("ru", "Оплата", "Как оплатить заказ?", "Картой на сайте или при получении; после доставки чек придёт на почту.")
			ship := add("ru", "Доставка", "Сколько идёт доставка?", "Обычно 2–3 дня.\n\nПодробнее: https://shop.example/delivery. <script>alert(1)</script>")
			cost := add("ru", "Доставка", "Сколько стоит доставка?", "Бесплатно от 50 евро.")
			lv := add("lv", "Piegāde", "Cik ilgi notiek piegāde?", "Parasti 2–3 dienas.")

			// Edit, then move the cost above the time in its section.
			if status, h, _ := b.do("POST", "/faq", url.Values{"csrf": {b.csrf}, "id": {itoa(cost)}, "language": {"ru"}, "section": {"Доставка"},
				"question": {"Сколько стоит доставка?"}, "answer": {"Бесплатно от 40 евро."}, "position": {"3"}}); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/faq?lang=ru&saved=1") {
				t.Fatalf("edit: %d to %q", status, h.Get("Location"))
			}
			if got, err := e.app.FAQ.Get(ctx, cost); err != nil || got.Answer != "Бесплатно от 40 евро." {
				t.Fatalf("edited: %+v, %v", got, err)
			}
			if status, _, body := b.do("GET", "/faq?edit="+itoa(cost), nil); status != http.StatusOK || !strings.Contains(body, "Бесплатно от 40 евро.") || !strings.Contains(body, "Edit the question") {
				t.Fatalf("edit form: %d", status)
			}
			if status, _, _ := b.do("POST", "/faq", url.Values{"csrf": {b.csrf}, "id": {itoa(cost)}, "move": {"up"}}); status != http.StatusSeeOther {
				t.Fatalf("move: %d", status)
			}
			list, err := e.app.FAQ.List(ctx, "ru")
			if err != nil || len(list) != 3 || list[0].ID != pay || list[1].ID != cost || list[2].ID != ship {
				t.Fatalf("after the move: %+v, %v", list, err)
			}

			// The help page, as a visitor who is not signed in.
			v := newBrowser(t, e)
			status, _, body = v.do("GET", "/my/help?lang=ru", nil)
			if status != http.StatusOK || !strings.Contains(body, "<h3>Оплата</h3>") || !strings.Contains(body, "<h3>Доставка</h3>") ||
				!strings.Contains(body, "<summary>Сколько идёт доставка?</summary>") || strings.Contains(body, "Cik ilgi") {
				t.Fatalf("help page: %d\n%s", status, body)
			}
			if !strings.Contains(body, `<a href="https://shop.example/delivery" rel="nofollow noopener">https://shop.example/delivery</a>.`) ||
				strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") || !strings.Contains(body, "<p>Обычно 2–3 дня.</p>") {
				t.Errorf("the answer's markup:\n%s", body)
			}
			if strings.Index(body, "Как оплатить заказ?") > strings.Index(body, "Сколько стоит доставка?") ||
				strings.Index(body, "Сколько стоит доставка?") > strings.Index(body, "Сколько идёт доставка?") {
				t.Error("the help page does not keep the FAQ's order")
			}
			_, _, body = v.do("GET", "/my/help?lang=ru&q="+url.QueryEscape("доставкой"), nil)
			results := section(body, `id="results"`)
			if strings.Count(results, "<details") != 3 || strings.Index(results, "Сколько стоит доставка?") > strings.Index(results, "Как оплатить заказ?") {
				t.Errorf("search доставкой: the questions with it first, then the answer with it:\n%s", results)
			}
			_, _, body = v.do("GET", "/my/help?lang=lv&q="+url.QueryEscape("piegādi"), nil)
			if results := section(body, `id="results"`); !strings.Contains(results, "Cik ilgi notiek piegāde?") {
				t.Errorf("search piegādi in lv:\n%s", results)
			}
			for range 2 {
				_, _, body = v.do("GET", "/my/help?lang=ru&q="+url.QueryEscape("Подарочная упаковка?"), nil)
				if !strings.Contains(section(body, `id="results"`), "Ничего не нашлось.") {
					t.Errorf("a search with no answer:\n%s", body)
				}
			}
			_, _, body = b.do("GET", "/faq?lang=ru", nil)
			unanswered := section(body, `id="unanswered"`)
			if !strings.Contains(unanswered, `<td lang="ru">подарочная упаковка</td>`) || !strings.Contains(unanswered, "<td>2</td>") ||
				!strings.Contains(unanswered, `href="/faq?lang=ru&amp;question=%d0%bf`) {
				t.Errorf("the unanswered searches:\n%s", unanswered)
			}
			if _, _, body := b.do("GET", "/faq?lang=ru&question="+url.QueryEscape("подарочная упаковка"), nil); !strings.Contains(body, `value="подарочная упаковка"`) {
				t.Error("write an answer does not fill the question in")
			}

			if status, h, _ := b.do("POST", "/faq/"+itoa(lv)+"/delete", url.Values{"csrf": {b.csrf}}); status != http.StatusSeeOther || h.Get("Location") != "/faq?deleted=1&lang=lv" {
				t.Fatalf("delete: %d to %q", status, h.Get("Location"))
			}
			if status, _, _ := b.do("POST", "/faq/"+itoa(lv)+"/delete", url.Values{"csrf": {b.csrf}}); status != http.StatusNotFound {
				t.Fatalf("delete again: %d", status)
			}
			if n := faqRows(t, e); n != 3 {
				t.Fatalf("%d entries left, want 3", n)
			}

			op := newBrowser(t, e)
			op.login(people[auth.Operator])
			for _, c := range []struct{ method, path string }{{"GET", "/faq"}, {"POST", "/faq"}, {"POST", "/faq/" + itoa(pay) + "/delete"}} {
				status, _, body := op.do(c.method, c.path, url.Values{"csrf": {op.csrf}, "language": {"ru"}, "section": {"X"}, "question": {"Q"}, "answer": {"A"}})
				if status != http.StatusForbidden || strings.Contains(body, "Как оплатить заказ?") {
					t.Errorf("operator %s %s: %d, want 403", c.method, c.path, status)
				}
			}
			if n := faqRows(t, e); n != 3 {
				t.Fatalf("the operator changed the FAQ: %d entries", n)
			}
		})
	}
}

// section returns body from the element with attr to the end of its
// section.
func section(body, attr string) string {
	i := strings.Index(body, attr)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

// TestHelpQuestion: the help page's question opens a conversation in the
// inbox; a visitor must leave an e-mail or a phone, a signed-in customer
// finds the form filled in and their question linked to them; a form
// without the session's token is refused; nothing is stored on a 4xx.
func TestHelpQuestion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, "sqlite")
	tok := placeOrders(t, e)
	o, err := order.GetByTrackingToken(ctx, e.app.DB.Read(), tok.making)
	if err != nil {
		t.Fatal(err)
	}
	conversations := func() []inbox.Conversation {
		t.Helper()
		convs, _, err := e.app.Inbox.List(ctx, inbox.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return convs
	}

	v := newBrowser(t, e)
	status, _, body := v.do("GET", "/my/help?lang=en", nil)
	if status != http.StatusOK || !strings.Contains(body, `action="/my/help/question?lang=en"`) || !strings.Contains(body, `<label for="q-message">`) {
		t.Fatalf("help page: %d\n%s", status, body)
	}
	status, _, body = v.do("POST", "/my/help/question?lang=en", url.Values{"message": {"Do you ship to Tartu?"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "Do you ship to Tartu?") {
		t.Fatalf("a question without a contact: %d\n%s", status, body)
	}
	if status, h, _ := v.do("POST", "/my/help/question?lang=en", url.Values{"message": {"Hi"}, "email": {"bot@example.com"}, "website": {"spam"}}); status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "question=sent") {
		t.Fatalf("honeypot: %d", status)
	}
	if n := len(conversations()); n != 0 {
		t.Fatalf("%d conversations after a refused question and a robot", n)
	}
	form := url.Values{"message": {"Do you ship to Tartu?"}, "email": {"visitor@example.com"}, "id": {"visitor-question-0001"}}
	for range 2 {
		status, h, _ := v.do("POST", "/my/help/question?lang=en", form)
		if status != http.StatusSeeOther || h.Get("Location") != "/my/help?lang=en&question=sent#question" {
			t.Fatalf("question: %d to %q", status, h.Get("Location"))
		}
	}
	if _, _, body := v.do("GET", "/my/help?lang=en&question=sent", nil); !strings.Contains(body, `class="note note-sent" role="status"`) {
		t.Error("no confirmation after sending")
	}
	convs := conversations()
	if len(convs) != 1 || convs[0].Channel != inbox.ChannelWeb || convs[0].Language != "en" {
		t.Fatalf("conversations: %+v; want one web conversation in English", convs)
	}

	c := newBrowser(t, e)
	signInAs(t, e, c, o.Customer.ID)
	_, _, body = c.do("GET", "/my/help", nil)
	if !strings.Contains(body, `value="andrei@example.com"`) || !strings.Contains(body, `name="csrf" value="`+c.csrf+`"`) {
		t.Fatalf("the signed-in customer's form is not filled in:\n%s", section(body, `id="question"`))
	}
	if status, _, _ := c.do("POST", "/my/help/question", url.Values{"csrf": {"forged"}, "message": {"Где мой заказ?"}}); status != http.StatusForbidden {
		t.Fatalf("a question without the session's token: %d, want 403", status)
	}
	if status, h, _ := c.do("POST", "/my/help/question", url.Values{"csrf": {c.csrf}, "message": {"Где мой заказ?"}}); status != http.StatusSeeOther || h.Get("Location") != "/my/help?question=sent#question" {
		t.Fatalf("the customer's question: %d to %q", status, h.Get("Location"))
	}
	mine, _, err := e.app.Inbox.List(ctx, inbox.Filter{CustomerID: o.Customer.ID})
	if err != nil || len(mine) != 1 || mine[0].Language != "ru" {
		t.Fatalf("the customer's conversations: %+v, %v; want one in Russian", mine, err)
	}
	if n := len(conversations()); n != 2 {
		t.Fatalf("%d conversations, want 2", n)
	}
}

// FuzzHelpAnswer: whatever the shop writes, the answer's HTML has no
// markup but its own paragraphs, line breaks and links, and keeps every
// word of the text.
func FuzzHelpAnswer(f *testing.F) {
	for _, s := range []string{"Два дня.\n\nТри.", "see https://a.example/x?y=1&z=2.", "<script>alert(1)</script>", "http://\"onmouseover=x",
		"https://a.example/<b>", "javascript:alert(1) https://ok.example", "line\r\nline", "\n\n\n", "https://", "ftp://x.example"} {
		f.Add(s)
	}
	own := regexp.MustCompile(`</?p>|<br>|<a href="[^"<>]*" rel="nofollow noopener">|</a>`)
	f.Fuzz(func(t *testing.T, text string) {
		out := string(web.HelpAnswer(text))
		rest := own.ReplaceAllString(out, "")
		if strings.ContainsAny(rest, "<>") {
			t.Fatalf("HelpAnswer(%q) has markup of its own: %s", text, out)
		}
		for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(out, -1) {
			u, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("HelpAnswer(%q) links %q", text, m[1])
			}
		}
	})
}

// TestFAQPagesSpeakTheLanguage: the FAQ editor in every admin language,
// showing every FAQ language, and the help page in ru, lv and en, show
// no raw code and no English word on a Russian or Latvian page; the
// shop's entries and the customers' searches in another language are
// marked with their lang.
func TestFAQPagesSpeakTheLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, storetest.Engines(t)[0])
	addPeople(t, e)
	for _, x := range []faq.Entry{
		{Language: "ru", Section: "Доставка", Question: "Сколько идёт доставка?", Answer: "Два дня."},
		{Language: "lv", Section: "Piegāde", Question: "Cik ilgi notiek piegāde?", Answer: "Divas dienas."},
		{Language: "en", Section: "Delivery", Question: "How long does delivery take?", Answer: "Two days."},
	} {
		if _, err := e.app.FAQ.Save(ctx, x, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := e.app.FAQ.Count(ctx, x.Language, map[string]string{"ru": "подарок", "lv": "dāvana", "en": "gift"}[string(x.Language)], false, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, e)
	b.login(people[auth.Owner])
	for _, admin := range i18n.Langs() {
		if status, _, _ := b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {string(admin)}}); status != http.StatusSeeOther {
			t.Fatalf("set language %s: %d", admin, status)
		}
		for _, shown := range i18n.Langs() {
			for _, p := range []string{"/faq?lang=" + string(shown), "/faq?lang=" + string(shown) + "&question=x"} {
				status, _, body := b.do("GET", p, nil)
				if status != http.StatusOK {
					t.Fatalf("%s %s: %d", admin, p, status)
				}
				for _, problem := range unreadable(pageText(body, admin), admin) {
					t.Errorf("%s admin, %s: %s", admin, p, problem)
				}
			}
		}
	}
	v := newBrowser(t, e)
	for _, lang := range i18n.Langs() {
		for _, p := range []string{"/my/help?lang=" + string(lang), "/my/help?lang=" + string(lang) + "&q=" + url.QueryEscape(map[i18n.Lang]string{"ru": "доставку", "lv": "piegādi", "en": "deliveries"}[lang]),
			"/my/help?lang=" + string(lang) + "&q=zzz&question=sent"} {
			status, _, body := v.do("GET", p, nil)
			if status != http.StatusOK {
				t.Fatalf("%s: %d", p, status)
			}
			for _, problem := range unreadable(pageText(strings.ReplaceAll(body, "zzz", ""), lang), lang) {
				t.Errorf("%s: %s", p, problem)
			}
		}
	}
}

// TestHelpSearchCountsAreBounded: one address's searches are counted for
// the owner up to the hour's allowance; past it the page still answers,
// and nothing more is written.
func TestHelpSearchCountsAreBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Engines(t)[0])
	v := newBrowser(t, e)
	for i := range 40 {
		status, _, body := v.do("GET", "/my/help?lang=ru&q="+url.QueryEscape("подарочная упаковка"), nil)
		if status != http.StatusOK || !strings.Contains(body, "Ничего не нашлось.") {
			t.Fatalf("search %d: %d", i+1, status)
		}
	}
	un, err := e.app.FAQ.Unanswered(context.Background(), 10)
	if err != nil || len(un) != 1 || un[0].Count != 30 {
		t.Fatalf("unanswered %+v, %v; want the query counted 30 times", un, err)
	}
}
