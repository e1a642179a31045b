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
	// Form is set when the inbox takes messages. It posts to the page's
	// own address (POST /t/{token}), so the markup holds no token.
	Form bool
	// Name is prefilled with the customer's first name only: the page
	// shows nothing more of them.
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
	if h.inbox() == nil {
		return nil
	}
	f := &contactForm{Form: true, Sent: r.URL.Query().Get("contact") == "sent"}
	f.Name = myFirstName(o.Customer)
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
	f.Problem, f.ProblemField = text, field
	return f
}
