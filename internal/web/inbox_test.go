package web_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
	"github.com/shopcare/shopcare/internal/web"
)

// inboxSettings are the settings of the inbox's tests: mail through a
// local SMTP server, and one canned reply in Russian and English.
func inboxSettings(smtpURL string) []string {
	return []string{
		"shop:",
		"  name: Кастрюля",
		"  public_url: https://care.example.com",
		"channels:",
		"  email:",
		"    smtp_url: " + smtpURL,
		`    from: "Кастрюля <shop@example.com>"`,
		"support:",
		"  canned:",
		"    - name: Где посылка",
		"      text:",
		`        ru: "{{.Customer.FirstName}}, заказ {{.Order.Number}} в пути, трек {{.Order.TrackingNumber}}: {{.TrackingURL}}"`,
		`        en: "{{.Customer.FirstName}}, order {{.Order.Number}} is on its way: {{.TrackingURL}}"`,
	}
}

// newInboxEnv is newEnv with mail set up, and its SMTP server.
func newInboxEnv(t *testing.T, engine store.Engine) (*env, *smtptest.Server) {
	t.Helper()
	srv := smtptest.Start(t)
	a, clk := apptest.New(t, engine, false, inboxSettings(srv.URL())...)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(web.New(a))
	t.Cleanup(hs.Close)
	return &env{app: a, clock: clk, srv: hs}, srv
}

// receive hands a message to the inbox as a channel would, and returns
// its conversation.
func receive(t *testing.T, e *env, in inbox.Inbound) inbox.Conversation {
	t.Helper()
	ctx := context.Background()
	if err := e.app.Inbox.Receive(ctx, in); err != nil {
		t.Fatal(err)
	}
	list, _, err := e.app.Inbox.List(ctx, inbox.Filter{Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no conversation after receiving %s: %v", in.MessageID, err)
	}
	return list[0]
}

// andreiWrites is a customer's e-mail about order R-2 of placeOrders,
// quoting the shop's message, with a picture and an HTML file.
func andreiWrites() inbox.Inbound {
	return inbox.Inbound{Channel: inbox.ChannelEmail, From: "andrei@example.com", FromName: "Андрей", To: "shop@example.com",
		Subject: "Где мой заказ R-2?", MessageID: "q1@mail.example.com",
		Text:    "Здравствуйте! Где мой заказ R-2? Жду уже неделю.\n\n> Ваш заказ отправлен\n> Кастрюля",
		Visible: "Здравствуйте! Где мой заказ R-2? Жду уже неделю.",
		Attachments: []inbox.Attachment{
			{Name: "фото посылки.jpg", ContentType: "image/jpeg", Data: []byte("\xff\xd8\xff\xe0 jpeg")},
			{Name: "../../evil.html", ContentType: "text/html; charset=utf-8", Data: []byte("<script>alert(1)</script>")},
		}}
}

// strangerWrites is an e-mail from an address no customer has.
func strangerWrites() inbox.Inbound {
	return inbox.Inbound{Channel: inbox.ChannelEmail, From: "stranger@example.org", To: "shop@example.com",
		Subject: "Question about delivery", MessageID: "s1@mail.example.org",
		Text: "Hello, do you deliver to Riga? I would like to order a pan.", Visible: "Hello, do you deliver to Riga? I would like to order a pan."}
}

func convPath(id int64, action string) string {
	p := "/inbox/" + strconv.FormatInt(id, 10)
	if action != "" {
		p += "/" + action
	}
	return p
}

func getConv(t *testing.T, e *env, id int64) *inbox.Conversation {
	t.Helper()
	c, err := e.app.Inbox.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func messageCount(t *testing.T, e *env, id int64) int {
	t.Helper()
	ms, err := e.app.Inbox.Messages(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

func userID(t *testing.T, e *env, email string) int64 {
	t.Helper()
	ps, err := auth.ProfileList(context.Background(), e.app.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Email == email {
			return p.UserID
		}
	}
	t.Fatalf("no user %s", email)
	return 0
}

// TestInboxThroughHTTP walks the inbox as an operator does, on both
// engines: the list, a conversation with its orders and attachments, a
// canned reply, the reply that goes out by mail signed with the
// operator's name, a note, assigning, snoozing, reopening, closing,
// linking an unknown sender and making a task. Every form sent with a bad
// value is answered 4xx and changes nothing.
func TestInboxThroughHTTP(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e, smtp := newInboxEnv(t, engine)
			placeOrders(t, e)
			drainJournal(t, e)
			addPeople(t, e)
			andrei := receive(t, e, andreiWrites())
			e.clock.Set(e.clock.Now().Add(time.Minute))
			stranger := receive(t, e, strangerWrites())
			if andrei.CustomerID == 0 || stranger.CustomerID != 0 || andrei.ID == stranger.ID {
				t.Fatalf("conversations: %+v %+v", andrei, stranger)
			}
			b := newBrowser(t, e)
			b.login(people[auth.Operator])
			opID := userID(t, e, people[auth.Operator])

			// The profile: a bad language is refused, then a name and Russian.
			if st, _, _ := b.do("POST", "/account/profile", url.Values{"csrf": {b.csrf}, "name": {"Мария"}, "languages": {"ru", "xx"}}); st != http.StatusUnprocessableEntity {
				t.Errorf("profile with language xx: %d, want 422", st)
			}
			if p, _ := auth.ProfileGet(ctx, e.app.DB.Read(), opID); p.Name != "" {
				t.Errorf("a refused profile was saved: %+v", p)
			}
			if st, _, _ := b.do("POST", "/account/profile", url.Values{"csrf": {b.csrf}, "name": {" Мария "}, "languages": {"ru", "en"}}); st != http.StatusSeeOther {
				t.Fatalf("profile: %d", st)
			}
			b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {"en"}})

			// The list: both, the unknown sender flagged, due times in words.
			st, _, body := b.do("GET", "/inbox", nil)
			if st != http.StatusOK {
				t.Fatalf("/inbox: %d", st)
			}
			for _, want := range []string{"Андрей Петров", "stranger@example.org", "Unknown sender", "Answer within", convPath(andrei.ID, ""), `data-live="/inbox/events"`} {
				if !strings.Contains(body, want) {
					t.Errorf("the list lacks %q", want)
				}
			}
			// The conversation: text, the quote behind its switch, the
			// customer's orders with their parcels, the attachments.
			st, _, body = b.do("GET", convPath(andrei.ID, ""), nil)
			if st != http.StatusOK {
				t.Fatalf("conversation: %d\n%s", st, body)
			}
			for _, want := range []string{"Жду уже неделю", "Show quoted text", "&gt; Ваш заказ отправлен", "Order R-2", "Order R-1",
				"RA123456789RU", "фото посылки.jpg", "evil.html", "Мария · speaks Russian"} {
				if !strings.Contains(body, want) {
					t.Errorf("the conversation lacks %q", want)
				}
			}
			ms, _ := e.app.Inbox.Messages(ctx, andrei.ID)
			for _, a := range ms[0].Attachments {
				resp, err := b.c.Get(e.srv.URL + "/inbox/attachments/" + strconv.FormatInt(a.ID, 10))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition")
				want := "image/jpeg"
				if strings.HasSuffix(a.Name, ".html") {
					want = "application/octet-stream"
				}
				if resp.StatusCode != http.StatusOK || ct != want || !strings.HasPrefix(cd, "attachment;") || strings.Contains(cd, "..") ||
					!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
					t.Errorf("attachment %q: %d %q %q", a.Name, resp.StatusCode, ct, cd)
				}
			}

			// A canned reply in the conversation's language with the order.
			st, _, body = b.do("POST", convPath(andrei.ID, "canned"), url.Values{"csrf": {b.csrf}, "canned": {"Где посылка"}, "text": {"Добрый день!"}})
			if st != http.StatusOK || !strings.Contains(body, "Добрый день!\n\nАндрей, заказ R-2 в пути, трек RA123456789RU: https://care.example.com/t/") {
				t.Errorf("canned reply: %d\n%s", st, regexp.MustCompile(`(?s)<textarea id="reply-text".*?</textarea>`).FindString(body))
			}
			st, _, _ = b.do("POST", convPath(andrei.ID, "canned"), url.Values{"csrf": {b.csrf}, "canned": {"nope"}})
			if st != http.StatusUnprocessableEntity {
				t.Errorf("an unknown canned reply: %d, want 422", st)
			}

			// Bad values: 4xx, nothing changes.
			before := messageCount(t, e, andrei.ID)
			bad := []struct {
				action string
				form   url.Values
			}{
				{"reply", url.Values{"text": {"   "}}},
				{"reply", url.Values{"text": {strings.Repeat("я", inbox.MaxReply)}}},
				{"note", url.Values{"text": {""}}},
				{"assign", url.Values{"assignee": {"abc"}}},
				{"assign", url.Values{"assignee": {"999999"}}},
				{"assign", url.Values{"assignee": {strconv.FormatInt(userID(t, e, people[auth.Packer]), 10)}}},
				{"snooze", url.Values{"until": {"someday"}}},
				{"snooze", url.Values{"until": {"date"}, "date": {"2020-01-01"}}},
				{"snooze", url.Values{"until": {"date"}, "date": {"31.12.2026"}}},
				{"snooze", url.Values{"until": {"date"}, "date": {"2099-01-01"}}},
				{"link", url.Values{"customer_id": {"x"}}},
				{"link", url.Values{"customer_id": {"999999"}}},
				{"task", url.Values{"kind": {"dance"}, "order_id": {strconv.FormatInt(andrei.OrderID, 10)}}},
				{"task", url.Values{"kind": {"callback"}, "order_id": {"0"}}},
			}
			e3, _ := order.GetByExternalID(ctx, e.app.DB.Read(), "E-3")
			bad = append(bad, struct {
				action string
				form   url.Values
			}{"task", url.Values{"kind": {"callback"}, "order_id": {strconv.FormatInt(e3.ID, 10)}}})
			for _, c := range bad {
				c.form.Set("csrf", b.csrf)
				st, _, body := b.do("POST", convPath(andrei.ID, c.action), c.form)
				if st < 400 || st >= 500 {
					t.Errorf("%s %v: %d, want 4xx\n%.300s", c.action, c.form, st, body)
				}
				got := getConv(t, e, andrei.ID)
				if got.Status != inbox.Open || got.AssigneeID != 0 || got.CustomerID != andrei.CustomerID || messageCount(t, e, andrei.ID) != before {
					t.Errorf("%s %v changed the conversation: %+v", c.action, c.form, got)
				}
			}
			if st, _, _ := b.do("POST", "/inbox/999999/reply", url.Values{"csrf": {b.csrf}, "text": {"hi"}}); st != http.StatusNotFound {
				t.Errorf("a reply to no conversation: %d, want 404", st)
			}
			if st, _, _ := b.do("POST", convPath(andrei.ID, "reply"), url.Values{"text": {"без токена"}}); st != http.StatusForbidden {
				t.Errorf("a reply without the CSRF token: %d, want 403", st)
			}
			if n, _ := task.ListByOrder(ctx, e.app.DB.Read(), e3.ID); len(n) != 0 {
				t.Errorf("a task on another customer's order: %v", n)
			}

			// The reply goes out by mail, threaded, signed by Мария.
			if st, h, _ := b.do("POST", convPath(andrei.ID, "reply"), url.Values{"csrf": {b.csrf}, "text": {"Андрей, посылка в пути."}}); st != http.StatusSeeOther || h.Get("Location") != convPath(andrei.ID, "")+"?saved=1" {
				t.Fatalf("reply: %d %q", st, h.Get("Location"))
			}
			ms, _ = e.app.Inbox.Messages(ctx, andrei.ID)
			last := ms[len(ms)-1]
			if last.Direction != inbox.Out || last.AuthorUserID != opID || last.Visible != "Андрей, посылка в пути." {
				t.Fatalf("the reply stored: %+v", last)
			}
			if err := e.app.Inbox.Deliver(ctx, last.ID); err != nil {
				t.Fatal(err)
			}
			mail := smtp.Wait(t, 1, 10*time.Second)[0]
			if !strings.Contains(mail.Text(), "Андрей, посылка в пути.") || !strings.Contains(mail.Text(), "Мария") ||
				!strings.Contains(mail.Header("In-Reply-To"), "q1@mail.example.com") || !strings.Contains(mail.Subject(), "Где мой заказ R-2?") {
				t.Errorf("the mail: %q %q\n%s", mail.Subject(), mail.Header("In-Reply-To"), mail.Text())
			}
			if c := getConv(t, e, andrei.ID); c.Status != inbox.Pending {
				t.Errorf("after the reply the conversation is %s", c.Status)
			}
			_, _, body = b.do("GET", convPath(andrei.ID, ""), nil)
			if !strings.Contains(body, "msg-out") || !strings.Contains(body, "Sent") {
				t.Errorf("the page does not show the reply as sent")
			}

			// A note, assigning, snoozing, reopening, closing.
			steps := []struct {
				action string
				form   url.Values
				check  func(c *inbox.Conversation) bool
			}{
				{"note", url.Values{"text": {"Проверить у курьера"}}, func(*inbox.Conversation) bool {
					ms, _ := e.app.Inbox.Messages(ctx, andrei.ID)
					return ms[len(ms)-1].Direction == inbox.Note
				}},
				{"assign", url.Values{"assignee": {"me"}}, func(c *inbox.Conversation) bool { return c.AssigneeID == opID }},
				{"snooze", url.Values{"until": {"tomorrow"}}, func(c *inbox.Conversation) bool {
					return c.Status == inbox.Snoozed && c.SnoozedUntil != nil &&
						c.SnoozedUntil.In(e.app.Settings.Shop.Location()).Format("2006-01-02 15:04") == "2026-12-02 09:00"
				}},
				{"reopen", url.Values{}, func(c *inbox.Conversation) bool { return c.Status == inbox.Open && c.NextResponseDue != nil }},
				{"task", url.Values{"kind": {"callback"}, "order_id": {strconv.FormatInt(andrei.OrderID, 10)}}, func(*inbox.Conversation) bool {
					ts, _ := task.ListByOrder(ctx, e.app.DB.Read(), andrei.OrderID)
					for _, tk := range ts {
						if tk.Kind == task.Callback && strings.HasPrefix(tk.DedupeKey, "conv") {
							return true
						}
					}
					return false
				}},
				{"close", url.Values{}, func(c *inbox.Conversation) bool { return c.Status == inbox.Closed }},
			}
			for _, s := range steps {
				s.form.Set("csrf", b.csrf)
				if st, _, body := b.do("POST", convPath(andrei.ID, s.action), s.form); st != http.StatusSeeOther {
					t.Fatalf("%s: %d\n%.500s", s.action, st, body)
				}
				if !s.check(getConv(t, e, andrei.ID)) {
					t.Errorf("after %s: %+v", s.action, getConv(t, e, andrei.ID))
				}
			}
			if st, _, body := b.do("POST", convPath(andrei.ID, "snooze"), url.Values{"csrf": {b.csrf}, "until": {"3days"}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "reopen it first") {
				t.Errorf("snoozing a closed conversation: %d", st)
			}

			// Linking the unknown sender to a customer found by the search.
			_, _, body = b.do("GET", convPath(stranger.ID, "")+"?q=Līga", nil)
			m := regexp.MustCompile(`name="customer_id" value="(\d+)"`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("the search finds no customer\n%s", body)
			}
			if st, _, _ := b.do("POST", convPath(stranger.ID, "link"), url.Values{"csrf": {b.csrf}, "customer_id": {m[1]}}); st != http.StatusSeeOther {
				t.Fatalf("link: %d", st)
			}
			if c := getConv(t, e, stranger.ID); strconv.FormatInt(c.CustomerID, 10) != m[1] {
				t.Errorf("linked to %d, want %s", c.CustomerID, m[1])
			}

			// The filters.
			for _, c := range []struct {
				query      string
				has, hasnt int64
			}{
				{"?status=closed", andrei.ID, stranger.ID},
				{"?whose=unassigned", stranger.ID, andrei.ID},
				{"?status=any&whose=mine", andrei.ID, stranger.ID},
				{"?lang=en", stranger.ID, andrei.ID},
			} {
				_, _, body := b.do("GET", "/inbox"+c.query, nil)
				if !strings.Contains(body, `href="`+convPath(c.has, "")+`"`) || strings.Contains(body, `href="`+convPath(c.hasnt, "")+`"`) {
					t.Errorf("/inbox%s: want %d and not %d", c.query, c.has, c.hasnt)
				}
			}
		})
	}
}

// TestInboxOverdueFirst lets a conversation's answer come due: the list
// shows it first, under its own heading, overdue since its due time.
func TestInboxOverdueFirst(t *testing.T) {
	t.Parallel()
	e, _ := newInboxEnv(t, storetest.Engines(t)[0])
	placeOrders(t, e)
	addPeople(t, e)
	late := receive(t, e, strangerWrites())
	e.clock.Set(e.clock.Now().Add(3 * time.Hour))
	if _, err := e.app.Inbox.Watch(context.Background()); err != nil {
		t.Fatal(err)
	}
	fresh := receive(t, e, andreiWrites())
	b := newBrowser(t, e)
	b.login(people[auth.Owner])
	b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {"ru"}})
	_, _, body := b.do("GET", "/inbox", nil)
	i, j := strings.Index(body, convPath(late.ID, "")), strings.Index(body, convPath(fresh.ID, ""))
	if i < 0 || j < 0 || i > j || !strings.Contains(body, "Просроченные") || !strings.Contains(body, "Просрочено с") {
		t.Errorf("overdue first: %d before %d?\n%s", i, j, body)
	}
	_, _, badge := b.do("GET", "/inbox/badge", nil, "HX-Request: true")
	if !strings.Contains(badge, ">2 · 1<") {
		t.Errorf("badge: %q", badge)
	}
}

// TestInboxUpdatesLive listens to the inbox's server-sent events and
// receives a message: an event arrives, and the list's refresh (htmx)
// shows the new conversation.
func TestInboxUpdatesLive(t *testing.T) {
	t.Parallel()
	e, _ := newInboxEnv(t, storetest.Engines(t)[0])
	addPeople(t, e)
	b := newBrowser(t, e)
	b.login(people[auth.Operator])
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/inbox/events", nil)
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "retry:") {
		t.Fatalf("stream starts with %q", lines.Text())
	}
	c := receive(t, e, strangerWrites())
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "data: ") {
			_, _, part := b.do("GET", "/inbox", nil, "HX-Request: true")
			if !strings.Contains(part, convPath(c.ID, "")) || strings.Contains(part, "<html") {
				t.Errorf("the refreshed list:\n%s", part)
			}
			_, _, thread := b.do("GET", convPath(c.ID, "")+"?part=thread", nil, "HX-Request: true")
			if !strings.Contains(thread, "deliver to Riga") || strings.Contains(thread, "reply-text") {
				t.Errorf("the refreshed thread:\n%s", thread)
			}
			return
		}
	}
	t.Fatalf("no event after a message: %v", lines.Err())
}

// inboxFixture gives the page walkers conversations to read: a known
// customer's in Russian, late, with a quote, an attachment and a note,
// and an unknown sender's in English, just in.
func inboxFixture(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	now := e.clock.Now()
	e.clock.Set(now.Add(-5 * time.Hour))
	c := receive(t, e, andreiWrites())
	e.clock.Set(now)
	if _, err := e.app.Inbox.AddNote(ctx, c.ID, inbox.Author{Name: "Мария"}, "Проверить у курьера"); err != nil {
		t.Fatal(err)
	}
	receive(t, e, strangerWrites())
}

// demoConversation gives a demo shop of the kind (ru, lv) a customer's
// question in the shop's language, for the demo's page walk: the demo
// does not make conversations itself.
func demoConversation(t *testing.T, e *env, kind string) {
	t.Helper()
	ctx := context.Background()
	list, _, err := customer.List(ctx, e.app.DB.Read(), customer.ListFilter{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Email == "" {
			continue
		}
		in := inbox.Inbound{Channel: inbox.ChannelEmail, From: c.Email, FromName: c.Name, To: "shop@example.com",
			MessageID: "demo-1@mail.example.com", Subject: "Когда придёт мой заказ?",
			Text: "Здравствуйте! Когда придёт мой заказ? Спасибо.", Visible: "Здравствуйте! Когда придёт мой заказ? Спасибо."}
		if kind == "lv" {
			in.Subject, in.Text, in.Visible = "Kad pienāks mans pasūtījums?", "Labdien! Kad pienāks mans pasūtījums? Paldies.",
				"Labdien! Kad pienāks mans pasūtījums? Paldies."
		}
		receive(t, e, in)
		return
	}
	t.Fatal("the demo shop has no customer with an e-mail address")
}
