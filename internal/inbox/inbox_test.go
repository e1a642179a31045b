package inbox_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
)

func TestThreadingByEachRule(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, _, _ := shop(t, engine)
		orderID, anna := place(t, a, "A-1001", customer.Input{Name: "Анна", Email: "anna@example.com", Language: "ru"})
		_, boris := place(t, a, "B-2002", customer.Input{Name: "Boris", Email: "boris@example.com", Language: "en"})

		// A reply to an order's message (the playbook's confirmation,
		// Message-ID <m{id}@shopcare>) belongs to that order and customer.
		if _, err := a.Dispatcher.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		ms, err := message.ListByOrder(ctx, a.DB.Read(), orderID)
		if err != nil || len(ms) == 0 {
			t.Fatalf("the order has no message to answer: %v", err)
		}
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", Subject: "Re: Заказ принят",
			Text: "Можно доставить в субботу?", MessageID: "a1@mail.example", InReplyTo: fmt.Sprintf("m%d@shopcare", ms[0].ID)})
		c1 := convOf(t, a, "a1@mail.example")
		if c1.CustomerID != anna || c1.OrderID != orderID || c1.Language != "ru" || c1.Status != inbox.Open {
			t.Fatalf("reply to the order's message: %+v", c1)
		}

		// A reply to the conversation's own outgoing message joins it,
		// whatever its subject; the same reference from a stranger does not.
		reply, err := a.Inbox.Reply(ctx, c1.ID, inbox.Author{UserID: 0, Name: "Мария"}, "Да, конечно.")
		if err != nil {
			t.Fatal(err)
		}
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", Subject: "другое",
			Text: "Спасибо!", MessageID: "a2@mail.example", InReplyTo: reply.EmailID()})
		if got := convOf(t, a, "a2@mail.example"); got.ID != c1.ID || got.Status != inbox.Open {
			t.Fatalf("reply to our reply: conversation %d %s, want %d open", got.ID, got.Status, c1.ID)
		}
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "mallory@example.net", Subject: "hi",
			Text: "let me in", MessageID: "x1@evil.example", InReplyTo: reply.EmailID()})
		if got := convOf(t, a, "x1@evil.example"); got.ID == c1.ID || got.CustomerID != 0 {
			t.Fatalf("a stranger's reference joined conversation %d: %+v", c1.ID, got)
		}

		// The customer's own earlier Message-ID in References.
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", Subject: "ещё",
			Text: "И ещё вопрос", MessageID: "a3@mail.example", References: []string{"a1@mail.example", "zz@other"}})
		if got := convOf(t, a, "a3@mail.example"); got.ID != c1.ID {
			t.Fatalf("reference to the customer's own message: conversation %d, want %d", got.ID, c1.ID)
		}

		// An order number in the subject, the customer's own order: a
		// conversation about it; a stranger quoting it gets none.
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "boris@example.com", Subject: "Where is order #B-2002?",
			Text: "Hello, it has not come yet.", MessageID: "b1@mail.example"})
		cb := convOf(t, a, "b1@mail.example")
		if cb.CustomerID != boris || cb.OrderID == 0 || cb.Language != "en" {
			t.Fatalf("order number: %+v", cb)
		}
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "eve@example.net", Subject: "order B-2002",
			Text: "Where is it?", MessageID: "e1@mail.example"})
		if got := convOf(t, a, "e1@mail.example"); got.OrderID != 0 || got.CustomerID != 0 {
			t.Fatalf("a stranger quoting an order number got it: %+v", got)
		}

		// By the sender: a new message without references joins the open
		// conversation of the same address.
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "eve@example.net", Subject: "again",
			Text: "Hello again", MessageID: "e2@mail.example"})
		eve := convOf(t, a, "e2@mail.example")
		if n := len(messagesOf(t, a, eve.ID)); n != 2 {
			t.Fatalf("sender's open conversation has %d messages, want 2", n)
		}

		// An unknown sender is linked by an operator; bad ids are refused.
		if err := a.Inbox.Link(ctx, eve.ID, boris); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Inbox.Get(ctx, eve.ID); got.CustomerID != boris {
			t.Fatalf("linked conversation: %+v", got)
		}
		if err := a.Inbox.Link(ctx, eve.ID, 99999); err == nil || !strings.Contains(err.Error(), "customer_id") {
			t.Fatalf("link to no customer: %v", err)
		}

		// A closed conversation is reopened by a reply to it.
		if err := a.Inbox.Close(ctx, c1.ID); err != nil {
			t.Fatal(err)
		}
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", Subject: "Re: Заказ принят",
			Text: "Ой, забыла", MessageID: "a4@mail.example", InReplyTo: reply.EmailID()})
		if got, _ := a.Inbox.Get(ctx, c1.ID); got.Status != inbox.Open || got.NextResponseDue == nil {
			t.Fatalf("reply to a closed conversation: %+v", got)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM events WHERE kind = 'conversation.opened'`); n != 4 {
			t.Fatalf("%d conversation.opened events, want 4", n)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM events WHERE kind = 'message.received'`); n != 8 {
			t.Fatalf("%d message.received events, want 8", n)
		}
	})
}

func TestReceiveIsIdempotent(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		a, _, _ := shop(t, engine)
		in := inbox.Inbound{Channel: inbox.ChannelEmail, From: "Guest@Example.com", Subject: "Вопрос", Text: "Есть ли в наличии?",
			MessageID: "<dup@mail.example>", Attachments: []inbox.Attachment{{Name: "фото.jpg", ContentType: "image/jpeg", Data: []byte("jpeg")}}}
		receive(t, a, in)
		receive(t, a, in)
		// Without a Message-ID the digest of the message stands in.
		web := inbox.Inbound{Channel: inbox.ChannelWeb, From: "guest@example.com", Text: "Перезвоните мне", SentAt: time.Unix(1764000000, 0)}
		receive(t, a, web)
		receive(t, a, web)
		if n := count(t, a, `SELECT COUNT(*) FROM conversation_messages`); n != 2 {
			t.Fatalf("%d messages stored, want 2", n)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM conversation_attachments`); n != 1 {
			t.Fatalf("%d attachments stored, want 1", n)
		}
		c := convOf(t, a, "dup@mail.example")
		ms := messagesOf(t, a, c.ID)
		if c.Address != "guest@example.com" || len(ms[0].Attachments) != 1 || ms[0].Attachments[0].Size != 4 {
			t.Fatalf("stored: %+v %+v", c, ms)
		}
		if err := a.Inbox.Receive(context.Background(), inbox.Inbound{Channel: "fax", From: "x"}); err == nil ||
			!strings.HasPrefix(err.Error(), "channel:") {
			t.Fatalf("a bad channel: %v", err)
		}
		if err := a.Inbox.Receive(context.Background(), inbox.Inbound{Channel: inbox.ChannelEmail}); err == nil ||
			!strings.HasPrefix(err.Error(), "from:") {
			t.Fatalf("no sender: %v", err)
		}
	})
}

func TestAutoRepliesAndBounces(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, clk, _ := shop(t, engine)
		clk.Set(time.Date(2026, 11, 23, 22, 0, 0, 0, moscow)) // after hours: a person would get an acknowledgement
		orderID, anna := place(t, a, "A-1", customer.Input{Name: "Анна", Email: "anna@example.com", Language: "ru"})

		// An auto-reply that belongs to no conversation is dropped.
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", Subject: "Out of office",
			Text: "I am away", MessageID: "ooo1@mail.example", Auto: inbox.AutoReply})
		if n := count(t, a, `SELECT COUNT(*) FROM conversations`); n != 0 {
			t.Fatalf("an auto-reply opened %d conversations", n)
		}

		// In a thread it is kept quietly: no status change, no
		// acknowledgement, no new due time.
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", Subject: "Вопрос",
			Text: "Где заказ?", MessageID: "q1@mail.example"})
		c := convOf(t, a, "q1@mail.example")
		r, err := a.Inbox.Reply(ctx, c.ID, inbox.Author{Name: "Мария"}, "Уже едет.")
		if err != nil {
			t.Fatal(err)
		}
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", Subject: "Auto: Re: Вопрос",
			Text: "Я в отпуске", MessageID: "ooo2@mail.example", InReplyTo: r.EmailID(), Auto: inbox.AutoReply})
		got, _ := a.Inbox.Get(ctx, c.ID)
		if got.Status != inbox.Pending || got.NextResponseDue != nil {
			t.Fatalf("an auto-reply changed the conversation: %+v", got)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM conversation_messages WHERE conversation_id = $1 AND auto = 'auto_reply'`, c.ID); n != 1 {
			t.Fatalf("%d auto-replies kept in the thread, want 1", n)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM conversation_messages WHERE auto = 'ack'`); n != 1 {
			t.Fatalf("%d acknowledgements, want 1 (for the person's message only)", n)
		}

		// A bounce of our reply joins its conversation and marks the
		// customer's e-mail failed (the message package's standing).
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "mailer-daemon@mx.example.com",
			Subject: "Undelivered Mail Returned to Sender", Text: "5.1.1 user unknown", MessageID: "dsn1@mx.example.com",
			Auto: inbox.Bounce, Bounce: &inbox.BounceReport{Recipient: "anna@example.com", Status: "5.1.1", Permanent: true,
				Diagnostic: "smtp; 550 5.1.1 user unknown", OriginalMessageID: r.EmailID()}})
		if n := count(t, a, `SELECT COUNT(*) FROM conversation_messages WHERE conversation_id = $1 AND auto = 'bounce'`, c.ID); n != 1 {
			t.Fatalf("the bounce is not in the conversation")
		}
		contact, err := message.LoadContact(ctx, a.DB.Read(), anna)
		if err != nil {
			t.Fatal(err)
		}
		if st := contact.Standing[message.Email]; st.FailedAt == nil || !strings.Contains(st.Failure, "5.1.1") {
			t.Fatalf("the customer's e-mail is not marked failed: %+v", st)
		}

		// A bounce of a playbook message (no conversation): the failure is
		// recorded, nothing is opened.
		_, bob := place(t, a, "B-1", customer.Input{Name: "Bob", Email: "bob@example.com", Language: "en"})
		if _, err := a.Dispatcher.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		var mid int64
		if err := a.DB.Read().QueryRow(ctx, `SELECT id FROM messages WHERE customer_id = $1 ORDER BY id LIMIT 1`, bob).Scan(&mid); err != nil {
			t.Fatal(err)
		}
		before := count(t, a, `SELECT COUNT(*) FROM conversations`)
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "mailer-daemon@mx.example.com", Subject: "failure",
			Text: "550", MessageID: "dsn2@mx.example.com", Auto: inbox.Bounce,
			Bounce: &inbox.BounceReport{Recipient: "bob@example.com", Status: "5.2.1", Permanent: true, OriginalMessageID: fmt.Sprintf("m%d@shopcare", mid)}})
		if n := count(t, a, `SELECT COUNT(*) FROM conversations`); n != before {
			t.Fatalf("a bounce of a playbook message opened a conversation")
		}
		if contact, _ := message.LoadContact(ctx, a.DB.Read(), bob); contact.Standing[message.Email].FailedAt == nil {
			t.Fatalf("bob's e-mail is not marked failed")
		}
		_ = orderID
	})
}

func TestAcknowledgementOnceOutsideHours(t *testing.T) {
	t.Parallel()
	// Monday 23 Nov 2026 20:00 in Moscow, after the shop's 9–18: the
	// first answer (2 h of working hours) is due Tuesday 11:00 Moscow.
	cases := []struct {
		lang, zone, email, want string
	}{
		{"ru", "Europe/Moscow", "ru@example.com", "ответим до вторник, 24 ноября, 11:00 (MSK)"},
		{"lv", "Europe/Riga", "lv@example.com", "atbildēsim līdz otrdiena, 24. novembris, 10:00 (EET)"},
		{"en", "Europe/London", "en@example.com", "answer by Tuesday 24 Nov 08:00 (GMT)"},
	}
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, clk, srv := shop(t, engine)
		clk.Set(time.Date(2026, 11, 23, 20, 0, 0, 0, moscow))
		for i, tc := range cases {
			place(t, a, fmt.Sprintf("O-%d", i), customer.Input{Name: tc.lang, Email: tc.email, Language: tc.lang, Timezone: tc.zone})
			receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: tc.email, Subject: "#" + tc.lang,
				Text: "?", MessageID: tc.lang + "1@mail.example"})
			c := convOf(t, a, tc.lang+"1@mail.example")
			if want := time.Date(2026, 11, 24, 11, 0, 0, 0, moscow); c.FirstResponseDue == nil || !c.FirstResponseDue.Equal(want) {
				t.Fatalf("%s: first response due %v, want %v", tc.lang, c.FirstResponseDue, want)
			}
			// The second message of the conversation gets none.
			receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: tc.email, Subject: "#" + tc.lang,
				Text: "??", MessageID: tc.lang + "2@mail.example"})
			ms := messagesOf(t, a, c.ID)
			var acks []inbox.Message
			for _, m := range ms {
				if m.Auto == inbox.AutoAck {
					acks = append(acks, m)
				}
			}
			if len(acks) != 1 {
				t.Fatalf("%s: %d acknowledgements, want 1", tc.lang, len(acks))
			}
			if !strings.Contains(acks[0].Text, tc.want) {
				t.Fatalf("%s: acknowledgement %q does not say %q", tc.lang, acks[0].Text, tc.want)
			}
			if err := a.Inbox.Deliver(ctx, acks[0].ID); err != nil {
				t.Fatal(err)
			}
			mail := srv.Wait(t, i+1, 10*time.Second)[i]
			if got := mail.Header("In-Reply-To"); got != "<"+tc.lang+"1@mail.example>" {
				t.Fatalf("%s: acknowledgement In-Reply-To %q", tc.lang, got)
			}
			if mail.Header("Auto-Submitted") != "auto-replied" || mail.Subject() != "Re: #"+tc.lang {
				t.Fatalf("%s: acknowledgement headers: Auto-Submitted %q, subject %q", tc.lang, mail.Header("Auto-Submitted"), mail.Subject())
			}
		}

		// A new conversation of the same sender on the same night gets
		// none either: one a day.
		clk.Set(time.Date(2026, 11, 23, 23, 0, 0, 0, moscow))
		if err := a.Inbox.Close(ctx, convOf(t, a, "ru1@mail.example").ID); err != nil {
			t.Fatal(err)
		}
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "ru@example.com", Subject: "Другое", Text: "Новый вопрос",
			MessageID: "ru3@mail.example"})
		if again := convOf(t, a, "ru3@mail.example"); again.ID == convOf(t, a, "ru1@mail.example").ID {
			t.Fatal("a closed conversation took a message with no reference to it")
		}
		if n := count(t, a, `SELECT COUNT(*) FROM conversation_messages WHERE auto = 'ack'`); n != len(cases) {
			t.Fatalf("%d acknowledgements, want %d: one a day per sender", n, len(cases))
		}

		// Inside working hours nobody gets one.
		clk.Set(time.Date(2026, 11, 24, 12, 0, 0, 0, moscow))
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "day@example.com", Subject: "Днём", Text: "Вопрос днём",
			MessageID: "day1@mail.example"})
		c := convOf(t, a, "day1@mail.example")
		for _, m := range messagesOf(t, a, c.ID) {
			if m.Auto == inbox.AutoAck {
				t.Fatalf("an acknowledgement inside working hours")
			}
		}
		if want := time.Date(2026, 11, 24, 14, 0, 0, 0, moscow); !c.FirstResponseDue.Equal(want) {
			t.Fatalf("first response due %v, want %v", c.FirstResponseDue, want)
		}
		// Nor does a no-reply address.
		clk.Set(time.Date(2026, 11, 24, 23, 0, 0, 0, moscow))
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "noreply@shop.example", Subject: "Notice", Text: "Automated",
			MessageID: "nr1@mail.example"})
		if n := count(t, a, `SELECT COUNT(*) FROM conversation_messages WHERE auto = 'ack'`); n != len(cases) {
			t.Fatalf("%d acknowledgements, want %d", n, len(cases))
		}
	})
}

func TestReplyGoesOutThreaded(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, _, srv := shop(t, engine)
		_, anna := place(t, a, "A-1", customer.Input{Name: "Анна", Email: "anna@example.com", Language: "ru"})
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", FromName: "Анна", Subject: "Вопрос о доставке",
			Text: "Когда привезут?", MessageID: "q1@mail.example", References: []string{"m1@shopcare"}})
		c := convOf(t, a, "q1@mail.example")
		if c.CustomerID != anna {
			t.Fatalf("customer %d, want %d", c.CustomerID, anna)
		}
		m, err := a.Inbox.Reply(ctx, c.ID, inbox.Author{Name: "Мария Петрова"}, "Завтра до обеда.")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Inbox.Deliver(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		mail := srv.Wait(t, 1, 10*time.Second)[0]
		if got := mail.Subject(); got != "Re: Вопрос о доставке" {
			t.Fatalf("subject %q", got)
		}
		if got := mail.Header("In-Reply-To"); got != "<q1@mail.example>" {
			t.Fatalf("In-Reply-To %q", got)
		}
		if got := mail.Header("References"); got != "<m1@shopcare> <q1@mail.example>" {
			t.Fatalf("References %q", got)
		}
		if got := mail.Header("Message-Id"); got != "<"+m.EmailID()+">" {
			t.Fatalf("Message-ID %q, want <%s>", got, m.EmailID())
		}
		if !strings.Contains(string(mail.Data), "anna@example.com") || mail.Header("Auto-Submitted") != "" {
			t.Fatalf("mail: %s", mail.Data)
		}
		ms := messagesOf(t, a, c.ID)
		last := ms[len(ms)-1]
		if last.SentState != inbox.SendSent || last.SentAt == nil || !strings.Contains(last.Text, "Мария Петрова") {
			t.Fatalf("reply as stored: %+v", last)
		}
		got, _ := a.Inbox.Get(ctx, c.ID)
		if got.Status != inbox.Pending || got.FirstRespondedAt == nil || got.NextResponseDue != nil {
			t.Fatalf("after the reply: %+v", got)
		}
		// Delivering again sends nothing more.
		if err := a.Inbox.Deliver(ctx, m.ID); err != nil || srv.Count() != 1 {
			t.Fatalf("a second delivery: %v, %d mails", err, srv.Count())
		}
		// An empty reply is refused and leaves nothing.
		before := count(t, a, `SELECT COUNT(*) FROM conversation_messages`)
		if _, err := a.Inbox.Reply(ctx, c.ID, inbox.Author{Name: "x"}, "  "); err == nil || !strings.HasPrefix(err.Error(), "text:") {
			t.Fatalf("empty reply: %v", err)
		}
		if count(t, a, `SELECT COUNT(*) FROM conversation_messages`) != before {
			t.Fatal("an empty reply left a row")
		}
		// A refused address fails the message, not the job.
		srv.Refuse("anna@example.com", 550, "5.1.1 no such user")
		m2, err := a.Inbox.Reply(ctx, c.ID, inbox.Author{Name: "Мария"}, "Ещё одно")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Inbox.Deliver(ctx, m2.ID); err != nil {
			t.Fatal(err)
		}
		ms = messagesOf(t, a, c.ID)
		if last := ms[len(ms)-1]; last.SentState != inbox.SendFailed || last.SentError == "" {
			t.Fatalf("refused reply: %+v", last)
		}
	})
}

func TestOverduePassAndMetrics(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, clk, _ := shop(t, engine)
		start := time.Date(2026, 11, 23, 10, 0, 0, 0, moscow) // Monday, working
		clk.Set(start)
		_, anna := place(t, a, "A-1", customer.Input{Name: "Анна", Email: "anna@example.com", Language: "ru"})
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", Subject: "1", Text: "Вопрос", MessageID: "1@m"})
		slow := convOf(t, a, "1@m")
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "fast@example.com", Subject: "2", Text: "Question", MessageID: "2@m"})
		fast := convOf(t, a, "2@m")

		clk.Set(start.Add(30 * time.Minute))
		if _, err := a.Inbox.Reply(ctx, fast.ID, inbox.Author{Name: "Op"}, "Answer"); err != nil {
			t.Fatal(err)
		}
		clk.Set(start.Add(90 * time.Minute))
		if res, err := a.Inbox.Watch(ctx); err != nil || res.Overdue != 0 {
			t.Fatalf("before the due time: %+v %v", res, err)
		}
		clk.Set(start.Add(2*time.Hour + time.Minute))
		res, err := a.Inbox.Watch(ctx)
		if err != nil || res.Overdue != 1 {
			t.Fatalf("after the due time: %+v %v", res, err)
		}
		if res, _ := a.Inbox.Watch(ctx); res.Overdue != 0 {
			t.Fatalf("flagged twice: %+v", res)
		}
		got, _ := a.Inbox.Get(ctx, slow.ID)
		if !got.Overdue() {
			t.Fatalf("not overdue: %+v", got)
		}
		yes := true
		if list, _, _ := a.Inbox.List(ctx, inbox.Filter{Overdue: &yes}); len(list) != 1 || list[0].ID != slow.ID {
			t.Fatalf("overdue filter: %+v", list)
		}
		var payload string
		if err := a.DB.Read().QueryRow(ctx, `SELECT payload FROM events WHERE kind = 'experience.negative' AND customer_id = $1`, anna).
			Scan(&payload); err != nil || !strings.Contains(payload, `"cause":"unanswered"`) {
			t.Fatalf("negative experience: %q %v", payload, err)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM events WHERE kind = 'conversation.overdue'`); n != 1 {
			t.Fatalf("%d conversation.overdue events", n)
		}

		// A late answer clears the flag and counts as missed.
		clk.Set(start.Add(3 * time.Hour))
		if _, err := a.Inbox.Reply(ctx, slow.ID, inbox.Author{Name: "Op"}, "Sorry"); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Inbox.Get(ctx, slow.ID); got.Overdue() {
			t.Fatalf("still overdue after the answer")
		}
		m, err := a.Inbox.Metrics(ctx, start.Add(-time.Hour), start.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		// Waits of 30 min and 3 h: the median of two is their mean.
		if m.Conversations != 2 || m.Answered != 2 || m.FirstResponseMedian != 105*time.Minute {
			t.Fatalf("first responses: %+v", m)
		}
		// Answers: one on time, one late (its overdue flag is answered).
		if m.WithinTarget != 1 || m.Responses != 2 || m.WithinTargetShare != 0.5 {
			t.Fatalf("within target: %+v", m)
		}
	})
}

func TestOperations(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, clk, _ := shop(t, engine)
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelTelegram, From: "123456", FromName: "Ivo", Text: "Labdien! Kur ir mans pasūtījums?",
			MessageID: "5"})
		c := convOf(t, a, "5")
		if c.Language != "lv" || c.Channel != inbox.ChannelTelegram {
			t.Fatalf("telegram conversation: %+v", c)
		}
		if _, err := a.Inbox.AddNote(ctx, c.ID, inbox.Author{Name: "Op"}, "Call him"); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Inbox.Get(ctx, c.ID); got.Status != inbox.Open || got.NextResponseDue == nil {
			t.Fatalf("a note answered the customer: %+v", got)
		}
		var uid int64
		now := clk.Now()
		if err := a.DB.InTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `INSERT INTO users (email, password_hash, role, created_at, updated_at)
				VALUES ('op@example.com', 'x', 'operator', $1, $1) RETURNING id`, now).Scan(&uid)
		}); err != nil {
			t.Fatal(err)
		}
		if err := a.Inbox.Assign(ctx, c.ID, uid); err != nil {
			t.Fatal(err)
		}
		if list, _, _ := a.Inbox.List(ctx, inbox.Filter{AssigneeID: uid}); len(list) != 1 {
			t.Fatalf("assigned list: %+v", list)
		}
		if err := a.Inbox.Snooze(ctx, c.ID, now.Add(-time.Minute)); err == nil {
			t.Fatal("snoozed into the past")
		}
		if err := a.Inbox.Snooze(ctx, c.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Inbox.Get(ctx, c.ID); got.Status != inbox.Snoozed {
			t.Fatalf("snoozed: %+v", got)
		}
		clk.Set(now.Add(61 * time.Minute))
		if res, err := a.Inbox.Watch(ctx); err != nil || res.Woken != 1 {
			t.Fatalf("wake: %+v %v", res, err)
		}
		if err := a.Inbox.Close(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := a.Inbox.Snooze(ctx, c.ID, clk.Now().Add(time.Hour)); err == nil {
			t.Fatal("snoozed a closed conversation")
		}
		if err := a.Inbox.Reopen(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Inbox.Get(ctx, c.ID); got.Status != inbox.Open || got.NextResponseDue == nil {
			t.Fatalf("reopened: %+v", got)
		}
		// Telegram is not set up here: a reply is refused, naming why.
		if _, err := a.Inbox.Reply(ctx, c.ID, inbox.Author{Name: "Op"}, "Sveiki"); err == nil || !strings.HasPrefix(err.Error(), "reply to conversation") {
			t.Fatalf("reply with no telegram channel: %v", err)
		}
		if _, err := a.Inbox.Get(ctx, 999); err == nil {
			t.Fatal("got a conversation that does not exist")
		}
		// Paging with the cursor walks every conversation once.
		for i := range 5 {
			clk.Set(clk.Now().Add(time.Minute))
			receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: fmt.Sprintf("p%d@example.com", i), Text: "hi", MessageID: fmt.Sprintf("p%d@m", i)})
		}
		seen := map[int64]bool{}
		cursor := ""
		for pages := 0; pages < 10; pages++ {
			list, next, err := a.Inbox.List(ctx, inbox.Filter{Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range list {
				if seen[c.ID] {
					t.Fatalf("conversation %d twice", c.ID)
				}
				seen[c.ID] = true
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if len(seen) != 6 {
			t.Fatalf("paged through %d conversations, want 6", len(seen))
		}
	})
}

// TestSenderByPhoneAndChat: a web form's phone number (written any way)
// and a linked Telegram chat find their customer; a connector's order is
// found by the number the customer knows.
func TestSenderByPhoneAndChat(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		a, _, _ := shop(t, engine, "connectors:", "  - name: shop1", "    platform: custom",
			"    webhook_secret: 0123456789abcdef0123", "    mapping: {order_id: /id, status: /status}")
		_, ivan := place(t, a, "P-1", customer.Input{Name: "Иван", Phone: "+7 916 123-45-67", Language: "ru"})
		_, ivo := place(t, a, "T-1", customer.Input{Name: "Ivo", Email: "ivo@example.lv", TelegramChatID: "777001", Language: "lv"})
		orderID, _ := place(t, a, "shop1:5001", customer.Input{Name: "Ivo", Email: "ivo@example.lv", Language: "lv"})
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelWeb, From: "8 (916) 123 45 67", Text: "Перезвоните, пожалуйста", MessageID: "w1"})
		if c := convOf(t, a, "w1"); c.CustomerID != ivan {
			t.Fatalf("web form by phone: customer %d, want %d", c.CustomerID, ivan)
		}
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelTelegram, From: "777001", Text: "Kur ir pasūtījums Nr. 5001?", MessageID: "777001:1"})
		if c := convOf(t, a, "777001:1"); c.CustomerID != ivo || c.OrderID != orderID || c.Language != "lv" {
			t.Fatalf("telegram chat with a connector's order number: %+v (want customer %d, order %d)", c, ivo, orderID)
		}
	})
}
