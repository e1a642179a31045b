package web

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
)

// widgetJS is the contact widget a shop puts on its own site with
// <script src="https://care.shop.example/widget.js" data-lang="lv" defer></script>:
// a "write to us" button that opens a form posting to POST /contact. It
// is plain JavaScript with no library, styled through the DOM so that the
// shop's stylesheets and Content-Security-Policy leave it alone.
//
//go:embed widget/widget.js
var widgetJS []byte

// widgetTextIDs are the texts the widget shows, sent with it in every
// language; the script picks its visitor's.
var widgetTextIDs = []string{"tracking.contact.button", "tracking.contact.heading", "tracking.contact.intro_widget", "tracking.contact.close", "tracking.contact.name",
	"tracking.contact.email", "tracking.contact.phone", "tracking.contact.reach_hint", "tracking.contact.message", "tracking.contact.send", "tracking.contact.sending",
	"tracking.contact.honeypot", "tracking.contact.sent", "tracking.contact.error.unavailable"}

// widgetTextsMark is replaced in widgetJS by the texts.
var widgetTextsMark = []byte("/*TEXTS*/{}")

// widgetScript serves GET /widget.js with its texts in ru, lv and en.
// Shops link it under one address for years, so it is cached for an hour
// only, and may be loaded by any site.
func (h *Handler) widgetScript(w http.ResponseWriter, r *http.Request) {
	texts := map[i18n.Lang]map[string]string{}
	for _, l := range i18n.Langs() {
		texts[l] = map[string]string{}
		for _, id := range widgetTextIDs {
			texts[l][strings.TrimPrefix(id, "tracking.contact.")] = i18n.Text(l, id, map[string]any{"Shop": h.app.Settings.Shop.Name})
		}
	}
	data, err := json.Marshal(map[string]any{"texts": texts, "fallback": h.shopLanguage()})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeWidgetScript(w, r, bytes.Replace(widgetJS, widgetTextsMark, data, 1))
}

// contactAnswer is POST /contact's JSON answer: ok with the confirmation,
// or the problem with the field it is about, in the visitor's language.
type contactAnswer struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// allowOrigin checks the request's Origin against the shop's sites
// (config Settings.WidgetOrigins) and, when allowed, says so in the CORS
// headers. A request without an Origin comes from no browser page (a
// server, curl): no site's visitor can be tricked into it, so it is
// allowed, under the same limits.
func (h *Handler) allowOrigin(w http.ResponseWriter, r *http.Request) bool {
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if !slices.Contains(h.app.Settings.WidgetOrigins(), origin) {
		return false
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	return true
}

// contactPreflight answers the browser's CORS preflight of the widget's
// JSON post (OPTIONS /contact) for the shop's own sites.
func (h *Handler) contactPreflight(w http.ResponseWriter, r *http.Request) {
	if !h.allowOrigin(w, r) || r.Header.Get("Origin") == "" {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	hd := w.Header()
	hd.Set("Access-Control-Allow-Methods", "POST")
	hd.Set("Access-Control-Allow-Headers", "Content-Type")
	hd.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// contactPost takes the widget's message (POST /contact, JSON or a form)
// to the inbox as a web message from whoever the visitor says they are;
// the conversations' service matches them to a customer by the e-mail or
// phone. Nothing is stored on any 4xx; a robot that filled the honeypot
// is told its message was taken.
func (h *Handler) contactPost(w http.ResponseWriter, r *http.Request) {
	lang := h.visitorLanguage(r)
	if !h.allowOrigin(w, r) {
		h.contactJSON(w, http.StatusForbidden, contactAnswer{Message: i18n.Text(lang, "tracking.contact.error.origin",
			map[string]any{"Shop": h.app.Settings.Shop.Name})})
		return
	}
	in, err := readContact(w, r)
	if l, ok := i18n.Parse(in.Lang); ok {
		lang = l
	}
	if err != nil {
		h.contactJSON(w, formStatus(err), contactAnswer{Message: i18n.Text(lang, "tracking.contact.error.bad_request", nil)})
		return
	}
	if strings.TrimSpace(in.Website) != "" {
		h.log.InfoContext(r.Context(), "contact widget: honeypot filled, dropped", "ip", h.clientIP(r))
		h.contactJSON(w, http.StatusOK, contactAnswer{OK: true, Message: i18n.Text(lang, "tracking.contact.sent", nil)})
		return
	}
	recv := h.inbox()
	if recv == nil {
		h.contactJSON(w, http.StatusServiceUnavailable, contactAnswer{Message: i18n.Text(lang, "tracking.contact.error.unavailable", nil)})
		return
	}
	if p := in.normalize(true); p != nil {
		h.contactJSON(w, http.StatusUnprocessableEntity, contactAnswer{Message: p.text(lang), Field: p.Field})
		return
	}
	if wait, ok := h.contacts.limits.allow(r.Context(), h.clientIP(r), in.limitKey(""), h.human.Now()); !ok {
		w.Header().Set("Retry-After", retryAfterSeconds(wait))
		h.contactJSON(w, http.StatusTooManyRequests, contactAnswer{Message: i18n.Text(lang, "tracking.contact.error.throttled",
			map[string]any{"Wait": i18n.Duration(lang, wait)})})
		return
	}
	msg := inbox.Inbound{Channel: inbox.ChannelWeb, From: in.from(), FromName: in.Name, Text: in.Message, Visible: in.Message,
		MessageID: "web:" + in.ID, Language: string(lang)}
	if err := recv.Receive(r.Context(), msg); err != nil {
		h.log.ErrorContext(r.Context(), "contact widget: receive", "err", err)
		h.contactJSON(w, http.StatusInternalServerError, contactAnswer{Message: i18n.Text(lang, "tracking.contact.error.unavailable", nil)})
		return
	}
	h.contactJSON(w, http.StatusOK, contactAnswer{OK: true, Message: i18n.Text(lang, "tracking.contact.sent", nil)})
}

// readContact reads the widget's message as JSON, or as a form
// (URL-encoded or multipart without files), within maxContactBody.
func readContact(w http.ResponseWriter, r *http.Request) (contactInput, error) {
	var in contactInput
	r.Body = http.MaxBytesReader(w, r.Body, maxContactBody)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		dec := json.NewDecoder(r.Body)
		if err := dec.Decode(&in); err != nil {
			return in, err
		}
		if dec.More() {
			return in, errors.New("more than one JSON value")
		}
		return in, nil
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxContactBody); err != nil {
			return in, err
		}
		if len(r.MultipartForm.File) > 0 {
			return in, errors.New("files are not taken")
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return in, err
		}
	default:
		return in, errors.New("unknown content type " + ct)
	}
	f := r.PostFormValue
	return contactInput{Name: f("name"), Email: f("email"), Phone: f("phone"), Message: f("message"),
		Website: f("website"), Lang: f("lang"), ID: f("id")}, nil
}

func (h *Handler) contactJSON(w http.ResponseWriter, status int, a contactAnswer) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(a)
}

// retryAfterSeconds is a wait as Retry-After's whole seconds, at least 1.
func retryAfterSeconds(wait time.Duration) string {
	return strconv.Itoa(max(int((wait+time.Second-1)/time.Second), 1))
}

// telegramHook takes the Telegram bot's webhook deliveries
// (POST /hooks/telegram) when it receives by webhook; 404 otherwise.
func (h *Handler) telegramHook(w http.ResponseWriter, r *http.Request) {
	if h.app.TelegramIn == nil || !h.app.TelegramIn.Webhook() {
		http.NotFound(w, r)
		return
	}
	h.app.TelegramIn.ServeHTTP(w, r)
}
