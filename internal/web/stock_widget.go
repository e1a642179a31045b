package web

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

// stockJS is the stock widget a shop puts on its product pages: each
// <div data-shopcare-stock data-sku="…"> shows whether the item is in
// stock, in the visitor's language (GET /api/v1/stock/{sku}/availability),
// and, when it is out, a "Tell me when it's back" form posting to
// POST /stock/waitlist. Plain JavaScript, no library, a few kilobytes.
//
//go:embed widget/stock.js
var stockJS []byte

// stockTextIDs are the texts of the widget's form, sent with the script
// in every language; the availability line comes from the server.
var stockTextIDs = []string{"tracking.stock.ask", "tracking.stock.ask_intro", "tracking.stock.email", "tracking.stock.honeypot",
	"tracking.stock.send", "tracking.stock.sending", "tracking.stock.error.unavailable"}

// stockScript serves GET /stock.js with its texts in ru, lv and en.
func (h *Handler) stockScript(w http.ResponseWriter, r *http.Request) {
	texts := map[i18n.Lang]map[string]string{}
	for _, l := range i18n.Langs() {
		texts[l] = map[string]string{}
		for _, id := range stockTextIDs {
			texts[l][strings.TrimPrefix(id, "tracking.stock.")] = i18n.Text(l, id, nil)
		}
	}
	data, err := json.Marshal(map[string]any{"texts": texts, "fallback": h.shopLanguage()})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeWidgetScript(w, r, bytes.Replace(stockJS, widgetTextsMark, data, 1))
}

// stockAsk is the widget's form: {sku, email, lang, page, website}.
// website is the honeypot a person never sees.
type stockAsk struct {
	SKU     string `json:"sku"`
	Email   string `json:"email"`
	Lang    string `json:"lang"`
	Page    string `json:"page"`
	Website string `json:"website"`
}

// stockAnswer is POST /stock/waitlist's answer: ok with the confirmation
// and the link that cancels the request, or the problem and its field.
type stockAnswer struct {
	OK        bool   `json:"ok"`
	Message   string `json:"message"`
	Field     string `json:"field,omitempty"`
	CancelURL string `json:"cancel_url,omitempty"`
	Cancel    string `json:"cancel,omitempty"`
}

// maxStockBody bounds the widget's form.
const maxStockBody = 8 << 10

// stockWaitlistPost takes a visitor's "tell me when it's back" from the
// widget on the shop's site: CORS for the shop's own sites, limited like
// the contact form, a honeypot for robots. The visitor is found among the
// customers by the e-mail, or becomes one; nothing is stored on a 4xx.
func (h *Handler) stockWaitlistPost(w http.ResponseWriter, r *http.Request) {
	lang := h.visitorLanguage(r)
	if !h.allowOrigin(w, r) {
		h.stockJSON(w, http.StatusForbidden, stockAnswer{Message: i18n.Text(lang, "tracking.stock.error.origin",
			map[string]any{"Shop": h.app.Settings.Shop.Name})})
		return
	}
	in, err := readStockAsk(w, r)
	if l, ok := i18n.Parse(in.Lang); ok {
		lang = l
	}
	if err != nil {
		h.stockJSON(w, formStatus(err), stockAnswer{Message: i18n.Text(lang, "tracking.stock.error.bad_request", nil)})
		return
	}
	if strings.TrimSpace(in.Website) != "" {
		h.log.InfoContext(r.Context(), "stock widget: honeypot filled, dropped", "ip", h.clientIP(r))
		h.stockJSON(w, http.StatusOK, stockAnswer{OK: true, Message: i18n.Text(lang, "tracking.stock.asked", nil)})
		return
	}
	if e := invalid.Text("email", in.Email); e != nil || strings.TrimSpace(in.Email) == "" {
		h.stockJSON(w, http.StatusUnprocessableEntity, stockAnswer{Field: "email", Message: i18n.Text(lang, "tracking.stock.error.email", nil)})
		return
	}
	if wait, ok := h.contacts.limits.allow(r.Context(), h.clientIP(r), "stock:"+strings.ToLower(strings.TrimSpace(in.Email)), h.human.Now()); !ok {
		w.Header().Set("Retry-After", retryAfterSeconds(wait))
		h.stockJSON(w, http.StatusTooManyRequests, stockAnswer{Message: i18n.Text(lang, "tracking.stock.error.throttled",
			map[string]any{"Wait": i18n.Duration(lang, wait)})})
		return
	}
	page := in.Page
	if !h.fromShopSite(page) {
		page = "" // only a page of the shop's own sites is linked in the message
	}
	res, err := h.app.Stock.Ask(r.Context(), stock.AskParams{SKU: in.SKU, Email: in.Email, Language: string(lang),
		Source: stock.SourceWidget, PageURL: page})
	if err != nil {
		h.stockFail(w, r, lang, err)
		return
	}
	msg := "tracking.stock.asked"
	if res.Again {
		msg = "tracking.stock.again"
	}
	h.stockJSON(w, http.StatusOK, stockAnswer{OK: true, Message: i18n.Text(lang, msg, nil),
		CancelURL: h.stockCancelURL(res.Request.ID), Cancel: i18n.Text(lang, "tracking.stock.cancel_link", nil)})
}

// stockFail answers a refused ask in the visitor's words.
func (h *Handler) stockFail(w http.ResponseWriter, r *http.Request, lang i18n.Lang, err error) {
	e, ok := invalid.First(err)
	if !ok {
		h.log.ErrorContext(r.Context(), "stock widget: ask", "err", err)
		h.stockJSON(w, http.StatusInternalServerError, stockAnswer{Message: i18n.Text(lang, "tracking.stock.error.unavailable", nil)})
		return
	}
	msg := "tracking.stock.error.bad_request"
	switch {
	case e.Code == "in_stock":
		msg = "tracking.stock.error.in_stock"
	case e.Field == "email":
		msg = "tracking.stock.error.email"
	}
	h.stockJSON(w, http.StatusUnprocessableEntity, stockAnswer{Field: e.Field, Message: i18n.Text(lang, msg, nil)})
}

// fromShopSite tells whether page is an address on one of the shop's
// sites (the widget's origins).
func (h *Handler) fromShopSite(page string) bool {
	for _, o := range h.app.Settings.WidgetOrigins() {
		if strings.HasPrefix(page, o+"/") {
			return true
		}
	}
	return false
}

// stockCancelURL is the link that cancels request id.
func (h *Handler) stockCancelURL(id int64) string {
	t := stock.CancelToken(h.app.SignIns, id)
	if t == "" {
		return ""
	}
	return h.app.Settings.Shop.PublicURL + "/stock/cancel/" + t
}

// stockPreflight answers the browser's CORS preflight of the widget's
// JSON post for the shop's own sites.
func (h *Handler) stockPreflight(w http.ResponseWriter, r *http.Request) {
	h.contactPreflight(w, r)
}

// readStockAsk reads the widget's form as JSON, or as a URL-encoded form.
func readStockAsk(w http.ResponseWriter, r *http.Request) (stockAsk, error) {
	var in stockAsk
	r.Body = http.MaxBytesReader(w, r.Body, maxStockBody)
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
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return in, err
		}
	default:
		return in, errors.New("unknown content type " + ct)
	}
	f := r.PostFormValue
	return stockAsk{SKU: f("sku"), Email: f("email"), Lang: f("lang"), Page: f("page"), Website: f("website")}, nil
}

func (h *Handler) stockJSON(w http.ResponseWriter, status int, a stockAnswer) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(a)
}

// stockCancelPage is the page behind a request's cancel link.
type stockCancelPage struct {
	page
	Item string
	// Done is "" while asking, "cancelled" or "told".
	Done string
}

// stockCancelShow asks before cancelling: a link opened by a mail scanner
// must not cancel anything.
func (h *Handler) stockCancelShow(w http.ResponseWriter, r *http.Request) {
	h.stockCancel(w, r, false)
}

// stockCancelSave cancels the request of the link.
func (h *Handler) stockCancelSave(w http.ResponseWriter, r *http.Request) {
	h.stockCancel(w, r, true)
}

func (h *Handler) stockCancel(w http.ResponseWriter, r *http.Request, save bool) {
	id, err := stock.ParseCancelToken(h.app.SignIns, r.PathValue("token"))
	if err != nil {
		h.notFound(w, r)
		return
	}
	req, err := h.app.Stock.Request(r.Context(), id)
	if save && err == nil {
		req, err = h.app.Stock.Cancel(r.Context(), id, 0)
	}
	if errors.Is(err, app.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := stockCancelPage{page: h.page(h.customerLanguage(r, req.Language)), Item: req.SKU}
	switch {
	case req.ToldAt != nil:
		p.Done = "told"
	case req.CancelledAt != nil:
		p.Done = "cancelled"
	}
	h.render(w, r, http.StatusOK, "stock_cancel", p)
}

// handleStock registers the stock widget's public routes on mux.
func (h *Handler) handleStock(mux *http.ServeMux) {
	mux.HandleFunc("GET /stock.js", h.stockScript)
	mux.HandleFunc("OPTIONS /stock/waitlist", h.stockPreflight)
	mux.HandleFunc("POST /stock/waitlist", h.stockWaitlistPost)
	mux.HandleFunc("GET /stock/cancel/{token}", h.stockCancelShow)
	mux.Handle("POST /stock/cancel/{token}", h.crossOrigin.Handler(http.HandlerFunc(h.stockCancelSave)))
}
