package inbox_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/store"
)

// BenchmarkReceive measures inbound e-mails threaded and stored per second
// on SQLite (issue 20's figure: at least 500/s): a mix of a shop's day —
// customers who write again (threaded by sender), replies to the shop's
// answers (by reference), messages quoting an order number, and strangers
// (new conversations with unknown senders).
func BenchmarkReceive(b *testing.B) {
	ctx := context.Background()
	a, _, _ := shop(b, store.SQLite)
	const customers = 200
	for i := range customers {
		place(b, a, fmt.Sprintf("B-%d", i), customer.Input{Name: "Клиент", Email: fmt.Sprintf("c%d@example.com", i), Language: "ru"})
	}
	// Each customer has a conversation with an answer to reply to.
	replies := make([]string, customers)
	for i := range customers {
		receive(b, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: fmt.Sprintf("c%d@example.com", i), Subject: "Вопрос",
			Text: "Здравствуйте, где мой заказ?", MessageID: fmt.Sprintf("seed%d@mail.example", i)})
		c := convOf(b, a, fmt.Sprintf("seed%d@mail.example", i))
		m, err := a.Inbox.Reply(ctx, c.ID, inbox.Author{Name: "Оператор"}, "Уже в пути.")
		if err != nil {
			b.Fatal(err)
		}
		replies[i] = m.EmailID()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % customers
		in := inbox.Inbound{Channel: inbox.ChannelEmail, From: fmt.Sprintf("c%d@example.com", k), Subject: "Re: Вопрос",
			Text: "Спасибо, а когда именно привезут? Мне нужно быть дома.", MessageID: fmt.Sprintf("b%d@mail.example", i)}
		switch i % 4 {
		case 1:
			in.InReplyTo = replies[k]
		case 2:
			in.Subject = fmt.Sprintf("Заказ № B-%d", k)
		case 3:
			in.From = fmt.Sprintf("stranger%d@example.net", i)
			in.Subject, in.Text = "Question", "Hello, do you ship to Riga?"
		}
		if err := a.Inbox.Receive(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
