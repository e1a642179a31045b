package web

import (
	"context"
	"html/template"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/order"
)

// contactForm is the tracking page's "write to us" section: the form the
// customer writes to the shop with, about the order shown, and the link
// that opens a chat with the shop's Telegram bot, linked to them.
type contactForm struct {
	// Form is set when the inbox takes messages; Action is where the form
	// posts.
	Form   bool
	Action string
	// ID is this form's own id: the same message sent twice is stored
	// once.
	ID                          string
	Name, Email, Phone, Message string
	// Sent shows the confirmation instead of the form.
	Sent bool
	// Problem is what to correct, in the customer's language, and
	// ProblemField the field it is about.
	Problem, ProblemField string
	// TelegramURL is https://t.me/<bot>?start=<tracking token>; "" when
	// the shop's bot does not receive messages.
	TelegramURL template.URL
}

// telegramLinkWait bounds the one getMe a page may wait for: the bot's
// name is asked once and kept, and a page never hangs on Telegram.
const telegramLinkWait = 3 * time.Second

// contactForm returns the tracking page's contact section for order o,
// nil when the shop takes no messages at all.
func (h *Handler) contactForm(r *http.Request, o *order.Order) *contactForm {
	if h.app.Inbox == nil {
		return nil
	}
	f := &contactForm{Form: true, Action: "/t/" + o.TrackingToken + "/contact", ID: newFormID(),
		Sent: r.URL.Query().Get("contact") == "sent"}
	if o.Customer != nil {
		f.Name = o.Customer.Name
	}
	if bot := h.app.TelegramIn; bot != nil {
		ctx, cancel := context.WithTimeout(r.Context(), telegramLinkWait)
		defer cancel()
		if link := bot.DeepLink(ctx, o.TrackingToken); link != "" {
			f.TelegramURL = template.URL(link) // https://t.me/… built from getMe's username and the token's own alphabet
		}
	}
	return f
}

// withProblem fills the form back with what the customer wrote and the
// problem to correct.
func (f *contactForm) withProblem(in contactInput, field, text string) *contactForm {
	f.Name, f.Email, f.Phone, f.Message = in.Name, in.Email, in.Phone, in.Message
	f.ID = in.ID
	f.Problem, f.ProblemField = text, field
	return f
}
