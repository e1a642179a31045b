package inbox_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/store"
)

// convText returns every text a conversation's rows hold, with the raw
// bytes and attachments' names and bytes, for a search of what is left.
func convText(t *testing.T, a *app.App, convID int64) string {
	t.Helper()
	ctx := context.Background()
	var out strings.Builder
	var subject, address, name, comment string
	if err := a.DB.Read().QueryRow(ctx, `SELECT subject, address, contact_name, rating_comment FROM conversations WHERE id = $1`,
		convID).Scan(&subject, &address, &name, &comment); err != nil {
		t.Fatal(err)
	}
	out.WriteString(strings.Join([]string{subject, address, name, comment}, "|"))
	err := store.Each(ctx, a.DB.Read(), `SELECT m.author_name, m.in_reply_to, m.refs, m.subject, m.text, m.visible, m.html,
		m.bounce, m.sent_error, m.raw FROM conversation_messages m WHERE m.conversation_id = $1 ORDER BY m.id`,
		[]any{convID}, func(r store.Rows) error {
			var f [9]string
			var raw []byte
			if err := r.Scan(&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &raw); err != nil {
				return err
			}
			out.WriteString("\n" + strings.Join(f[:], "|") + "|" + string(raw))
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	err = store.Each(ctx, a.DB.Read(), `SELECT t.name, t.data FROM conversation_attachments t
		JOIN conversation_messages m ON m.id = t.message_id WHERE m.conversation_id = $1`, []any{convID},
		func(r store.Rows) error {
			var name string
			var data []byte
			if err := r.Scan(&name, &data); err != nil {
				return err
			}
			out.WriteString("\n" + name + "|" + string(data))
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestErasePersonal: erasing a customer blanks their conversations'
// subjects, addresses, names, rating comment, every message's texts
// (the shop's reply and the operator's note quoting them too) and raw
// bytes, and deletes the attachments; ids, statuses, directions, the
// score and the figures stay; another customer's conversation is
// untouched; a second run finds nothing.
func TestErasePersonal(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, _, _ := shop(t, engine, "surveys:", "  enabled: false")
		_, anna := place(t, a, "A-1", customer.Input{Name: "Анна Стёртая", Email: "anna.erase@example.com", Language: "ru"})
		_, boris := place(t, a, "B-1", customer.Input{Name: "Boris Kept", Email: "boris.kept@example.com", Language: "en"})

		write := func(from, name, words, mid string) inbox.Conversation {
			receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: from, FromName: name, Subject: "Тема " + words,
				Text: "Текст " + words, Visible: "Текст " + words, HTML: "<p>HTML " + words + "</p>", MessageID: mid,
				Raw:         []byte("From: " + name + " <" + from + ">\r\n\r\nRaw " + words),
				Attachments: []inbox.Attachment{{Name: "паспорт " + words + ".txt", ContentType: "text/plain", Data: []byte("Файл " + words)}}})
			c := convOf(t, a, mid)
			if _, err := a.Inbox.Reply(ctx, c.ID, inbox.Author{Name: "Мария"}, "Здравствуйте, "+name+"! Ответ "+words); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Inbox.AddNote(ctx, c.ID, inbox.Author{Name: "Мария"}, "Заметка "+words); err != nil {
				t.Fatal(err)
			}
			if err := a.Inbox.CloseWith(ctx, c.ID, inbox.CloseOptions{AskRating: true}); err != nil {
				t.Fatal(err)
			}
			g, err := a.Inbox.RatingOf(ctx, c.ID)
			if err != nil || g == nil {
				t.Fatalf("rating: %+v %v", g, err)
			}
			if _, err := a.Inbox.Rate(ctx, g.Token, 2); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Inbox.RateComment(ctx, g.Token, "Комментарий "+words); err != nil {
				t.Fatal(err)
			}
			return convOf(t, a, mid)
		}
		ca := write("anna.erase@example.com", "Анна Стёртая", "секрет-анны", "anna1@mail.example")
		cb := write("boris.kept@example.com", "Boris Kept", "boris-words", "boris1@mail.example")
		if ca.CustomerID != anna || cb.CustomerID != boris {
			t.Fatalf("conversations of %d and %d, want %d and %d", ca.CustomerID, cb.CustomerID, anna, boris)
		}
		annaNeedles := []string{"секрет-анны", "anna.erase", "Стёртая"}
		before, borisBefore := convText(t, a, ca.ID), convText(t, a, cb.ID)
		for _, needle := range annaNeedles {
			if !strings.Contains(before, needle) {
				t.Fatalf("%q is not in Anna's conversation before the erasure: %s", needle, before)
			}
		}
		msgsBefore := messagesOf(t, a, ca.ID)
		metricsBefore := count(t, a, `SELECT COUNT(*) FROM conversation_messages`)

		erase := func() map[string]int64 {
			var rows map[string]int64
			if err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				var err error
				rows, err = inbox.ErasePersonal(ctx, tx, anna, a.Clock.Now())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return rows
		}
		rows := erase()
		if rows["conversations"] != 1 || rows["conversation_messages"] != int64(len(msgsBefore)) || rows["conversation_attachments"] != 1 {
			t.Fatalf("erase rows %v, want 1 conversation, %d messages, 1 attachment", rows, len(msgsBefore))
		}

		after := convText(t, a, ca.ID)
		for _, needle := range annaNeedles {
			if strings.Contains(strings.ToLower(after), strings.ToLower(needle)) {
				t.Errorf("%q is still in Anna's conversation: %s", needle, after)
			}
		}
		for _, needle := range []string{"Здравствуйте", "Заметка", "Комментарий", "Raw", "Файл", "<p>"} {
			if strings.Contains(after, needle) {
				t.Errorf("%q is still in Anna's conversation: %s", needle, after)
			}
		}
		if got := convText(t, a, cb.ID); got != borisBefore {
			t.Errorf("Boris's conversation changed:\n%s\n→\n%s", borisBefore, got)
		}

		// What the figures need stays: the rows, their directions and
		// times, the status, the score.
		got, err := a.Inbox.Get(ctx, ca.ID)
		if err != nil || got.CustomerID != anna || got.Status != inbox.Closed || got.Channel != inbox.ChannelEmail ||
			got.FirstRespondedAt == nil || !got.CreatedAt.Equal(ca.CreatedAt) {
			t.Errorf("Anna's conversation after: %+v %v", got, err)
		}
		msgs := messagesOf(t, a, ca.ID)
		if len(msgs) != len(msgsBefore) || count(t, a, `SELECT COUNT(*) FROM conversation_messages`) != metricsBefore {
			t.Fatalf("%d messages after, want %d", len(msgs), len(msgsBefore))
		}
		for i, m := range msgs {
			b := msgsBefore[i]
			if m.ID != b.ID || m.Direction != b.Direction || m.Auto != b.Auto || m.MessageID != b.MessageID ||
				!m.CreatedAt.Equal(b.CreatedAt) || len(m.Attachments) != 0 || m.Text != "" || m.Subject != "" {
				t.Errorf("message %d after: %+v, before %+v", i, m, b)
			}
			if m.Direction == inbox.Out && m.AuthorName != b.AuthorName {
				t.Errorf("the operator's name went from message %d: %q", i, m.AuthorName)
			}
		}
		if g, err := a.Inbox.RatingOf(ctx, ca.ID); err != nil || g == nil || g.Score != 2 || g.Comment != "" {
			t.Errorf("Anna's rating after: %+v %v", g, err)
		}
		if g, err := a.Inbox.RatingOf(ctx, cb.ID); err != nil || g == nil || g.Comment != "Комментарий boris-words" {
			t.Errorf("Boris's rating after: %+v %v", g, err)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM conversation_attachments`); n != 1 {
			t.Errorf("%d attachments left, want Boris's 1", n)
		}

		// Again: no attachment is left to delete, the text stays blank.
		if again := erase(); again["conversation_attachments"] != 0 {
			t.Errorf("second erase: %v", again)
		}
		if got := convText(t, a, ca.ID); got != after {
			t.Errorf("a second erasure changed the text:\n%s\n→\n%s", after, got)
		}

		// Someone with no conversation: nothing to report.
		_, carl := place(t, a, "C-1", customer.Input{Name: "Carl", Email: "carl@example.com", Language: "en"})
		if err := a.DB.InTx(ctx, func(tx *store.Tx) error {
			rows, err := inbox.ErasePersonal(ctx, tx, carl, a.Clock.Now())
			if err == nil && rows != nil {
				t.Errorf("erase of a customer without conversations: %v", rows)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	})
}
