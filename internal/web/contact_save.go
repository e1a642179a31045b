package web

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/secret"
)

// contactSave takes the tracking page's contact form (POST /t/{token}) to the inbox as a web message from the order's
// customer about the order, then sends the customer back to the page's
// confirmation. CrossOriginProtection refuses the form posted from any
// other site; the token in the path is the customer's key. A form a
// robot filled in (the honeypot) is answered as if taken, and dropped.
func (h *Handler) contactSave(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if !secret.Plausible(token) {
		h.notFound(w, r)
		return
	}
	if !readForm(w, r, maxContactBody) {
		return
	}
	if _, ok := r.PostForm["message"]; !ok {
		h.notFound(w, r) // a POST without the form is no page
		return
	}
	ctx := r.Context()
	o, err := h.orders.GetByTrackingToken(ctx, token)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	recv := h.inbox()
	if recv == nil {
		h.notFound(w, r)
		return
	}
	in := contactInput{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"),
		Message: r.PostFormValue("message"), Website: r.PostFormValue("website"), ID: r.PostFormValue("id")}
	if in.ID == "" {
		in.ID = pageFormID(token, in.Message, h.human.Now())
	}
	sent := "/t/" + token + "?contact=sent#contact"
	if strings.TrimSpace(in.Website) != "" {
		h.log.InfoContext(r.Context(), "contact form: honeypot filled, dropped", "ip", h.clientIP(r))
		http.Redirect(w, r, sent, http.StatusSeeOther)
		return
	}
	customerLang := ""
	if o.Customer != nil {
		customerLang = o.Customer.Language
	}
	lang := h.customerLanguage(r, customerLang)
	if p := in.normalize(false); p != nil {
		h.trackingAgain(w, r, o, lang, http.StatusUnprocessableEntity, in, p.Field, p.text(lang))
		return
	}
	limitKey := "order:" + token
	if o.Customer != nil {
		limitKey = "customer:" + o.Customer.Email + ":" + o.Customer.Phone
	}
	if wait, ok := h.contacts.limits.allow(r.Context(), h.clientIP(r), in.limitKey(limitKey), h.human.Now()); !ok {
		w.Header().Set("Retry-After", retryAfterSeconds(wait))
		h.trackingAgain(w, r, o, lang, http.StatusTooManyRequests, in, "",
			i18n.Text(lang, "tracking.contact.error.throttled", map[string]any{"Wait": i18n.Duration(lang, wait)}))
		return
	}
	msg := inbox.Inbound{Channel: inbox.ChannelWeb, From: in.from(), FromName: in.Name, Text: in.Message, Visible: in.Message,
		MessageID: "web:" + in.ID, Language: string(lang), OrderID: o.ID}
	if c := o.Customer; c != nil {
		msg.CustomerID = c.ID
		if msg.From == "" {
			msg.From = firstNonEmpty(c.Email, c.Phone)
		}
		if msg.FromName == "" {
			msg.FromName = c.Name
		}
	}
	if err := recv.Receive(ctx, msg); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sent, http.StatusSeeOther)
}

// trackingAgain shows the tracking page again with the form filled back
// and what to correct.
func (h *Handler) trackingAgain(w http.ResponseWriter, r *http.Request, o *order.Order, lang i18n.Lang, status int,
	in contactInput, field, problem string) {
	ctx := r.Context()
	ex, err := h.orders.ExplainOrder(ctx, o, lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.trackingPage(o, ex, lang)
	if p.Parcels, err = h.trackingParcels(ctx, o.ID, lang, p.Loc); err != nil {
		h.fail(w, r, err)
		return
	}
	if f := h.contactForm(r, o); f != nil {
		p.Contact = f.withProblem(in, field, problem)
	}
	p.MyURL = h.trackingMyURL(o)
	h.render(w, r, status, "tracking_show", p)
}

// pageFormID is the id of a message sent with the tracking page's form,
// which has no script to make one: the same text to the same order within
// the same ten minutes (a double click, a resent form) is one message.
func pageFormID(token, message string, now time.Time) string {
	sum := sha256.Sum256([]byte(token + "\x00" + strings.TrimSpace(message) + "\x00" + now.Truncate(10*time.Minute).UTC().Format(time.RFC3339)))
	return base64.RawURLEncoding.EncodeToString(sum[:18])
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
