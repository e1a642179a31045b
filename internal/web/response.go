package web

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
)

// page is what every page's template gets: the language it is written in
// and the shop it speaks for.
type page struct {
	Lang i18n.Lang
	Shop string
	Loc  *time.Location // the shop's time zone, for the times shown
	// Brand is the shop's logo and colours (my_brand.go) on the
	// customer's pages: the tracking page and those of its layout.
	Brand myBrand
}

func (h *Handler) page(lang i18n.Lang) page {
	return page{Lang: lang, Shop: h.app.Settings.Shop.Name, Loc: h.app.Settings.Shop.Location(), Brand: h.brand}
}

// render executes the page into a buffer first, so a failing template
// gives the error page rather than half a page with a 200.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		h.log.ErrorContext(r.Context(), "render page", "page", name, "path", redactPath(r.URL.Path), "err", err)
		if name != "error" {
			h.render(w, r, http.StatusInternalServerError, "error", h.page(h.visitorLanguage(r)))
			return
		}
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// renderPart executes one named template of a page, without the layout:
// the piece htmx swaps in.
func (h *Handler) renderPart(w http.ResponseWriter, r *http.Request, name, part string, data any) {
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, part, data); err != nil {
		h.log.ErrorContext(r.Context(), "render part", "page", name, "part", part, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// fail maps an error to its page: the one place where errors become
// statuses. An unknown tracking token is the same plain 404 as any unknown
// path, so the answer tells nothing about which tokens exist. A 5xx logs
// the real error and shows a plain message.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, order.ErrNoSuchToken), errors.Is(err, app.ErrNotFound):
		h.notFound(w, r)
	default:
		h.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", redactPath(r.URL.Path), "err", err)
		h.render(w, r, http.StatusInternalServerError, "error", h.page(h.visitorLanguage(r)))
	}
}

// notFound is the 404 page of every path the web surface does not know.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusNotFound, "not_found", h.page(h.visitorLanguage(r)))
}

// visitorLanguage picks the language of a page that belongs to no
// customer: ?lang=, else the browser's first choice, else the shop's first
// language.
func (h *Handler) visitorLanguage(r *http.Request) i18n.Lang {
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	accept, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	accept, _, _ = strings.Cut(accept, ";")
	if l, ok := i18n.Parse(accept); ok {
		return l
	}
	return h.shopLanguage()
}

// customerLanguage picks the language of a customer's page: ?lang=, else
// the customer's own, else the shop's first language.
func (h *Handler) customerLanguage(r *http.Request, customerLang string) i18n.Lang {
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	return i18n.Pick(customerLang, h.shopLanguage())
}

func (h *Handler) shopLanguage() i18n.Lang {
	if langs := h.app.Settings.Shop.Languages; len(langs) > 0 {
		return i18n.Pick(langs[0], i18n.EN)
	}
	return i18n.EN
}

// redactPath keeps tracking tokens out of the logs: a log line must not
// be a key to a customer's page.
func redactPath(p string) string {
	if strings.HasPrefix(p, "/t/") {
		return "/t/…"
	}
	if strings.HasPrefix(p, "/my/in/") {
		return "/my/in/…"
	}
	return p
}

// formStatus is the answer to a form that could not be read: 413 when it
// was over its size limit, else 400.
func formStatus(err error) int {
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// readForm parses a posted form of at most limit bytes; when it cannot,
// it answers 413 or 400 itself and returns false.
func readForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		status := formStatus(err)
		http.Error(w, http.StatusText(status), status)
		return false
	}
	return true
}
