package demo

import (
	"context"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/inbox/mailin"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
)

// lettersPerDay is how many e-mails the demo's customers write to the
// shop a shop day, about their open orders.
const lettersPerDay = 3

// letters are what a customer asks about an order, in their language;
// %s is the order's number.
var letters = map[string][]struct{ subject, text string }{
	"ru": {
		{"Заказ %s", "Здравствуйте! Подскажите, пожалуйста, когда придёт мой заказ %s? Спасибо."},
		{"Адрес доставки", "Добрый день! Можно ли изменить адрес доставки заказа %s? Я буду на даче до конца месяца."},
		{"Оплата заказа %s", "Здравствуйте, а можно ли оплатить заказ %s картой при получении?\n\n--\nОтправлено с телефона"},
	},
	"lv": {
		{"Pasūtījums %s", "Labdien! Kad pienāks mans pasūtījums %s? Paldies."},
		{"Piegādes adrese", "Sveiki! Vai var mainīt pasūtījuma %s piegādes adresi? Būšu laukos līdz mēneša beigām."},
		{"Pasūtījums %s", "Labdien, vai pasūtījumam %s var pievienot vēl vienu pannu?\n\nSūtīts no mana telefona"},
	},
	"en": {
		{"Order %s", "Hello, when will my order %s arrive? Thank you."},
		{"Delivery address", "Hi! Could you change the delivery address of order %s? I'll be away until the end of the month."},
	},
}

// answers are the operator's replies, in the customer's language.
var answers = map[string]string{
	"ru": "Здравствуйте! Спасибо, что написали. Посмотрели ваш заказ: всё в порядке, даты доставки и трек-номер есть на странице заказа по ссылке из наших писем. Если нужно что-то изменить, просто ответьте на это письмо.",
	"lv": "Labdien! Paldies, ka rakstījāt. Apskatījām jūsu pasūtījumu: viss kārtībā, piegādes datumi un sūtījuma numurs ir pasūtījuma lapā, uz kuru ved saite mūsu vēstulēs. Ja kas jāmaina, vienkārši atbildiet uz šo vēstuli.",
	"en": "Hello! Thank you for writing. We looked at your order: all is well, and its delivery dates and tracking number are on the order's page linked from our e-mails. If anything should change, just reply to this e-mail.",
}

// operatorNames sign the operator's replies, by the shop's country.
var operatorNames = map[string]string{"LV": "Anna Bērziņa", "RU": "Ольга Смирнова"}

// inbox plays the listening half: customers write to the shop about
// their open orders (an e-mail as their mail program writes it, read by
// the same parser as the shop's mailbox and shopcare's SMTP listener),
// and the operator answers each within the response target, in working
// hours, unless a person in the admin answered first.
func (l *Live) inbox(ctx context.Context, now time.Time) error {
	if err := l.write(ctx, now); err != nil {
		return err
	}
	return l.answer(ctx, now)
}

// write makes the letters due since the last step.
func (l *Live) write(ctx context.Context, now time.Time) error {
	if l.wrote.IsZero() || now.Sub(l.wrote) > maxCatchUp {
		l.wrote = now
		return nil
	}
	times := arrivals(l.rnd, l.wrote, now, l.a.Settings.Shop.Location(), lettersPerDay)
	l.wrote = now
	if len(times) == 0 {
		return nil
	}
	open, err := l.open(ctx)
	if err != nil || len(open) == 0 {
		return err
	}
	for _, at := range times {
		o, err := order.Get(ctx, l.a.DB.Read(), open[l.rnd.IntN(len(open))].id)
		if err != nil {
			return fmt.Errorf("demo: an order to write about: %w", err)
		}
		if o.Customer == nil || o.Customer.Email == "" {
			continue
		}
		in, err := mailin.Parse(l.letter(o, at))
		if err != nil {
			return fmt.Errorf("demo: a customer's letter: %w", err)
		}
		if err := l.a.Inbox.Receive(ctx, in); err != nil {
			return fmt.Errorf("demo: take in a customer's letter: %w", err)
		}
	}
	return nil
}

// letter is a customer's e-mail about o, written at at, as a mail
// program writes it.
func (l *Live) letter(o *order.Order, at time.Time) []byte {
	c := o.Customer
	choices := letters[c.Language]
	if choices == nil {
		choices = letters["en"]
	}
	w := choices[l.rnd.IntN(len(choices))]
	number := o.ExternalID
	if n, ok := siteNumber(number); ok {
		number = fmt.Sprint(n)
	}
	subject := w.subject
	if strings.Contains(subject, "%s") {
		subject = fmt.Sprintf(subject, number)
	}
	to := l.a.Settings.Shop.Email
	if to == "" {
		to = "shop@demo.shop"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s <%s>\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%d.%d@mail.example>\r\n",
		mimeWord(c.Name), c.Email, to, mimeWord(subject), at.Format(time.RFC1123Z), at.UnixNano(), o.ID)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(fmt.Sprintf(w.text, number), "\n", "\r\n") + "\r\n")
	return []byte(b.String())
}

// answer replies to the conversations waiting for the shop, each an hour
// or so after the customer wrote, in working hours.
func (l *Live) answer(ctx context.Context, now time.Time) error {
	if !l.workingMoment(now).Equal(now) {
		return nil
	}
	convs, _, err := l.a.Inbox.List(ctx, inbox.Filter{Status: inbox.Open, Limit: maxStaffWork})
	if err != nil {
		return fmt.Errorf("demo: the inbox: %w", err)
	}
	for _, c := range convs {
		if c.NextResponseDue == nil || c.CustomerID == 0 {
			continue // answered already, or a stranger for a person to look at
		}
		wait := time.Duration(30+l.jitter(c.ID, 64)%60) * time.Minute
		if now.Sub(c.UpdatedAt) < wait {
			continue
		}
		text, ok := answers[c.Language]
		if !ok {
			text = answers["en"]
		}
		_, err := l.a.Inbox.Reply(ctx, c.ID, inbox.Author{Name: operatorNames[l.a.Settings.Shop.Country]}, text)
		_, bad := invalid.First(err)
		switch {
		case bad:
			continue // no channel carries an answer to this customer (a shop without e-mail)
		case err != nil:
			return fmt.Errorf("demo: answer conversation %d: %w", c.ID, err)
		}
	}
	return nil
}

// mimeWord encodes a header's words for mail (RFC 2047).
func mimeWord(s string) string { return mime.QEncoding.Encode("utf-8", s) }
