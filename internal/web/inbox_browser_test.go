package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/store"
)

// TestInboxReplyInBrowser answers a customer in headless Chromium as an
// operator does: the inbox lists the conversation, the canned reply goes
// into the reply box (htmx, in the customer's Russian, with the order's
// tracking number), the operator adds a line and sends it; the reply is
// on the page and goes out by mail signed with her name. A new message of
// the customer then appears without a reload, and the browser reports no
// script error and no blocked resource throughout.
func TestInboxReplyInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e, smtp := newInboxEnv(t, store.SQLite)
	placeOrders(t, e)
	drainJournal(t, e)
	addPeople(t, e)
	speakEnglish(t, e, auth.Operator)
	ctx := context.Background()
	if err := auth.ProfileSave(ctx, e.app.DB, userID(t, e, people[auth.Operator]), "Мария", []string{"ru"}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := receive(t, e, andreiWrites())
	b := newAdminTab(t, e, exe)
	var problems pageProblems
	problems.listen(t, b)
	b.open("/login")
	b.signIn(people[auth.Operator])

	if st := b.open("/inbox"); st != 200 {
		t.Fatalf("/inbox: %d", st)
	}
	link := `table.conversations a[href="/inbox/` + strconv.FormatInt(c.ID, 10) + `"]`
	if got := b.text(link); got != "Андрей Петров" {
		t.Fatalf("the list's link reads %q", got)
	}
	if paths, _ := b.menu(); !strings.Contains(strings.Join(paths, " "), "/inbox") {
		t.Errorf("the menu has no inbox: %v", paths)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(`nav.menu a[href="/inbox"] .badge`)))
	b.shot("inbox")

	// Open the conversation with its event stream connected.
	_, err := chromedp.Run(b.ctx, chromedp.WaitEvent(network.ResponseReceived, func(ev network.EventResponseReceived) bool {
		return strings.HasSuffix(ev.Response.URL, "/inbox/events") && ev.Response.Status == 200
	}, chromedp.Navigate(b.base+convPath(c.ID, ""))))
	if err != nil {
		t.Fatalf("open the conversation with its event stream: %v", err)
	}
	b.do(chromedp.Click(chromedp.CSS(`#reply-form button[name="insert"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#reply-form[data-filled]`)))
	got := eval[string](b, `document.querySelector('#reply-text').value`)
	if !strings.HasPrefix(got, "Андрей, заказ R-2 в пути, трек RA123456789RU: https://care.example.com/t/") {
		t.Fatalf("the canned reply in the box: %q", got)
	}
	// The caret to the end of the box, where a person goes on typing.
	b.do(chromedp.Evaluate[chromedp.Void](`(t => { t.focus(); t.setSelectionRange(t.value.length, t.value.length); })(document.querySelector('#reply-text'))`),
		chromedp.SendKeys(chromedp.CSS(`#reply-text`), " Хорошего дня!"))
	if st := b.follow(`#reply-form button[type="submit"]:not([name])`); st != 200 || b.at() != convPath(c.ID, "")+"?saved=1" {
		t.Fatalf("send: %d at %s", st, b.at())
	}
	if thread := b.text("#thread"); !strings.Contains(thread, "RA123456789RU: https://care.example.com/t/") ||
		!strings.Contains(thread, " Хорошего дня!") || !strings.Contains(thread, "Мария") {
		t.Errorf("the thread after the reply:\n%s", thread)
	}
	ms, _ := e.app.Inbox.Messages(ctx, c.ID)
	if err := e.app.Inbox.Deliver(ctx, ms[len(ms)-1].ID); err != nil {
		t.Fatal(err)
	}
	mail := smtp.Wait(t, 1, 10*time.Second)[0]
	if text := mail.Text(); !strings.Contains(text, "RA123456789RU") || !strings.Contains(text, "Хорошего дня!") || !strings.Contains(text, "Мария") {
		t.Errorf("the mail:\n%s", text)
	}

	// The customer writes again: it shows without a reload.
	b.do(chromedp.Evaluate[chromedp.Void](`window.stayedHere = true`))
	e.clock.Set(e.clock.Now().Add(time.Minute))
	in := andreiWrites()
	in.MessageID, in.InReplyTo, in.Attachments = "q2@mail.example.com", inbox.OutgoingID(ms[len(ms)-1].ID), nil
	in.Text, in.Visible = "Спасибо, дождусь!", "Спасибо, дождусь!"
	if err := e.app.Inbox.Receive(ctx, in); err != nil {
		t.Fatal(err)
	}
	ms, _ = e.app.Inbox.Messages(ctx, c.ID)
	b.do(chromedp.WaitVisible(chromedp.CSS("#m" + strconv.FormatInt(ms[len(ms)-1].ID, 10))))
	if !eval[bool](b, `window.stayedHere === true`) {
		t.Error("the new message came by reloading the page")
	}
	b.shot("inbox_conversation")
	if p := problems.all(); len(p) > 0 {
		t.Errorf("the browser reports %v", p)
	}
}
