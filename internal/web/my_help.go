package web

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/faq"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/packing"
)

// faqCountRule bounds the searches of one client address counted for
// the owner's list of unanswered questions: 30 an hour go, then fewer and
// fewer; an hour of quiet forgets the count. The search itself is never
// refused.
var faqCountRule = auth.ThrottleRule{Free: 30, Base: time.Minute, Max: time.Hour, Forget: time.Hour}

// myHelpPage is the help of the customer's page (/my/help): the FAQ in
// the page's language with its search, the delivery and packing terms,
// the shop's contacts and the "ask a question" form.
type myHelpPage struct {
	myPage
	// Query is the search asked (?q=); Hits what it found, best first.
	Query    string
	Hits     []helpEntry
	Sections []helpSection
	Delivery []helpCarrier
	Packing  []string
	// ReturnDays is the shop's return window in days after delivery (0:
	// customers do not ask for returns here); ReturnReasons the
	// reasons it takes, in words.
	ReturnDays    int
	ReturnReasons []string
	Contacts      trackingContacts
	Question      helpQuestion
	// LangParam is the ?lang= the page was asked in, kept by its forms
	// for a visitor who is not signed in.
	LangParam string
}

// helpSection is a heading of the FAQ with its entries.
type helpSection struct {
	Name    string
	Entries []helpEntry
}

// helpEntry is one question with its answer made HTML (helpAnswer).
type helpEntry struct {
	ID       int64
	Question string
	Answer   template.HTML
}

// helpCarrier is one carrier's delivery time in words.
type helpCarrier struct {
	Name, Days string
}

// helpQuestion is the "ask a question" form: filled back with what to
// correct, or Sent.
type helpQuestion struct {
	Available                   bool // the inbox takes messages
	Name, Email, Phone, Message string
	ID                          string // the form's own id: the same message sent twice is stored once
	Sent                        bool
	Problem, ProblemField       string
}

// myHelp shows the help page, to anyone; a signed-in customer gets it in
// their language with the question form filled in.
func (h *Handler) myHelp(w http.ResponseWriter, r *http.Request) {
	v := h.myVisitorOf(r)
	p, err := h.myHelpOf(r, v, r.URL.Query().Get("q"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Question.Sent = r.URL.Query().Get("question") == "sent"
	h.render(w, r, http.StatusOK, "my_help", p)
}

// myHelpOf builds the help page for v (nil when nobody is signed in),
// searching the FAQ for query when it has a word.
func (h *Handler) myHelpOf(r *http.Request, v *myVisit, query string) (myHelpPage, error) {
	lang := h.visitorLanguage(r)
	if v != nil {
		lang = v.Lang
	}
	ctx := r.Context()
	p := myHelpPage{myPage: h.myPageOf(r, v, lang, "help"), Query: strings.TrimSpace(query)}
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok && v == nil {
		p.LangParam = string(l)
	}
	if p.Query != "" {
		hits, err := h.faq.Search(ctx, lang, p.Query)
		if err != nil {
			return p, err
		}
		// Counting is a write; past a few dozen searches an hour from one
		// address (a robot, a flood) the answers go on, uncounted.
		if _, ok := h.faqCounts.Attempt(ctx, h.clientIP(r), "", h.human.Now()); ok {
			if err := h.faq.Count(ctx, lang, p.Query, len(hits) > 0, h.human.Now()); err != nil {
				return p, err
			}
		}
		for _, x := range hits {
			p.Hits = append(p.Hits, helpEntryOf(x.Entry))
		}
	}
	entries, err := h.faq.List(ctx, lang)
	if err != nil {
		return p, err
	}
	for _, s := range faq.Sections(entries) {
		sec := helpSection{Name: s.Name}
		for _, e := range s.Entries {
			sec.Entries = append(sec.Entries, helpEntryOf(e))
		}
		p.Sections = append(p.Sections, sec)
	}
	p.Delivery = h.helpDelivery(lang)
	p.Packing = h.helpPacking(lang)
	if rs := h.app.Settings.Returns; rs.WindowDays > 0 {
		p.ReturnDays = rs.WindowDays
		for _, code := range rs.Reasons {
			p.ReturnReasons = append(p.ReturnReasons, label(lang, "return_reason", code))
		}
	}
	loc := h.app.Settings.Shop.Location()
	if v != nil {
		loc = notify.Location(v.Customer.Timezone, loc)
	}
	p.Contacts = h.trackingContacts(lang, loc)
	p.Question = helpQuestion{Available: h.inbox() != nil, ID: newFormID()}
	if v != nil {
		p.Question.Name, p.Question.Email, p.Question.Phone = v.Customer.Name, v.Customer.Email, v.Customer.Phone
	}
	return p, nil
}

func helpEntryOf(e faq.Entry) helpEntry {
	return helpEntry{ID: e.ID, Question: e.Question, Answer: helpAnswer(e.Answer)}
}

// helpDelivery says each carrier's delivery time in words: "2–4 working
// days".
func (h *Handler) helpDelivery(lang i18n.Lang) []helpCarrier {
	var out []helpCarrier
	for _, c := range h.app.Settings.Carriers {
		if len(c.TransitDays) != 2 {
			continue
		}
		out = append(out, helpCarrier{Name: i18n.CarrierName(lang, c.Code, c.Name), Days: transitWords(lang, c)})
	}
	return out
}

// transitWords is a carrier's [min, max] transit days in words.
func transitWords(lang i18n.Lang, c config.Carrier) string {
	from, to := c.TransitDays[0], c.TransitDays[1]
	data := map[string]any{"From": from, "Count": to}
	switch {
	case c.TransitWorkingDays && from == to:
		return i18n.Text(lang, "my_help.delivery.working_days", data)
	case c.TransitWorkingDays:
		return i18n.Text(lang, "my_help.delivery.working_days_range", data)
	case from == to:
		return i18n.Text(lang, "my_help.delivery.days", data)
	}
	return i18n.Text(lang, "my_help.delivery.days_range", data)
}

// helpPacking is how the shop packs, in the customer's words: the
// built-in checks of the packing station's checklist (the shop's own
// checks are the packers' words, not shown), the holiday cards, the club
// tiers whose gift wrap is free, and the souvenir.
func (h *Handler) helpPacking(lang i18n.Lang) []string {
	pk := h.app.Settings.Packing
	var out []string
	for _, key := range pk.Checklist {
		switch key {
		case "bubble_wrap":
			out = append(out, i18n.Text(lang, "my_help.packing.bubble_wrap", nil))
		case "kraft_paper":
			out = append(out, i18n.Text(lang, "my_help.packing.kraft_paper", nil))
		case "tape":
			out = append(out, i18n.Text(lang, "my_help.packing.tape", nil))
		case "branded_box":
			out = append(out, i18n.Text(lang, "my_help.packing.branded_box", nil))
		}
	}
	var holidays []string
	for _, w := range pk.HolidayCards {
		holidays = append(holidays, packing.HolidayName(lang, w.Holiday))
	}
	if len(holidays) > 0 {
		out = append(out, i18n.Text(lang, "my_help.packing.holiday_cards", map[string]any{"Holidays": strings.Join(holidays, ", ")}))
	}
	var wrapped []string
	for _, t := range h.app.Settings.Loyalty.Tiers {
		if slices.Contains(t.Perks, "free_gift_wrap") {
			wrapped = append(wrapped, t.Name(string(lang)))
		}
	}
	if len(wrapped) > 0 {
		out = append(out, i18n.Text(lang, "my_help.packing.gift_wrap_free", map[string]any{"Tiers": strings.Join(wrapped, ", ")}))
	}
	if pk.Souvenir.FirstOrder {
		out = append(out, i18n.Text(lang, "my_help.packing.souvenir_first", nil))
	}
	return out
}

// answerLink finds the web addresses an answer may link: http and https
// only, up to a space, a quote or an angle bracket.
var answerLink = regexp.MustCompile(`https?://[^\s<>"']+`)

// answerBreak is the blank line between two paragraphs of an answer.
var answerBreak = regexp.MustCompile(`\n\s*\n`)

// helpAnswer makes an answer's plain text HTML: paragraphs at blank
// lines, line breaks within them, and its http(s) addresses as links.
// Everything else is escaped: the shop's text never becomes markup.
func helpAnswer(text string) template.HTML {
	var b strings.Builder
	for _, para := range answerBreak.Split(strings.TrimSpace(text), -1) {
		if para = strings.TrimSpace(para); para == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			writeLinked(&b, line)
		}
		b.WriteString("</p>")
	}
	return template.HTML(b.String()) //nolint:gosec // every piece of the shop's text is escaped by writeLinked
}

// writeLinked writes line escaped, its web addresses as links. Trailing
// punctuation ends a sentence, not the address.
func writeLinked(b *strings.Builder, line string) {
	last := 0
	for _, m := range answerLink.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		end = start + len(strings.TrimRight(line[start:end], ".,;:!?)"))
		u, err := url.Parse(line[start:end])
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		b.WriteString(html.EscapeString(line[last:start]))
		href := html.EscapeString(u.String())
		b.WriteString(`<a href="` + href + `" rel="nofollow noopener">` + html.EscapeString(line[start:end]) + `</a>`)
		last = end
	}
	b.WriteString(html.EscapeString(line[last:]))
}

// myQuestionSave takes the help page's question to the support inbox as
// a web message: from the signed-in customer, linked to them, or from
// whoever the visitor says they are (an e-mail or a phone needed). A 4xx
// stores nothing; a robot that filled the honeypot is told it was sent.
func (h *Handler) myQuestionSave(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r, maxContactBody) {
		return
	}
	v := h.myVisitorOf(r)
	lang := h.visitorLanguage(r)
	if v != nil {
		lang = v.Lang
		if !myCSRFOK(r, v) {
			h.myForbidden(w, r, lang)
			return
		}
	}
	sent := "/my/help?question=sent#question"
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok && v == nil {
		sent = "/my/help?lang=" + string(l) + "&question=sent#question"
	}
	in := contactInput{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"),
		Message: r.PostFormValue("message"), Website: r.PostFormValue("website"), ID: r.PostFormValue("id")}
	if strings.TrimSpace(in.Website) != "" {
		h.log.InfoContext(r.Context(), "help question: honeypot filled, dropped", "ip", h.clientIP(r))
		http.Redirect(w, r, sent, http.StatusSeeOther)
		return
	}
	recv := h.inbox()
	if recv == nil {
		h.helpAgain(w, r, v, http.StatusServiceUnavailable, in, "", i18n.Text(lang, "tracking.contact.error.unavailable", nil))
		return
	}
	if p := in.normalize(v == nil); p != nil {
		h.helpAgain(w, r, v, http.StatusUnprocessableEntity, in, p.Field, p.text(lang))
		return
	}
	limitKey := ""
	if v != nil {
		limitKey = "customer:" + strconv.FormatInt(v.Customer.ID, 10)
	}
	if wait, ok := h.contacts.limits.allow(r.Context(), h.clientIP(r), in.limitKey(limitKey), h.human.Now()); !ok {
		w.Header().Set("Retry-After", retryAfterSeconds(wait))
		h.helpAgain(w, r, v, http.StatusTooManyRequests, in, "",
			i18n.Text(lang, "tracking.contact.error.throttled", map[string]any{"Wait": i18n.Duration(lang, wait)}))
		return
	}
	msg := inbox.Inbound{Channel: inbox.ChannelWeb, From: in.from(), FromName: in.Name, Text: in.Message, Visible: in.Message,
		MessageID: "web:" + in.ID, Language: string(lang)}
	if v != nil {
		msg.CustomerID = v.Customer.ID
		msg.From = firstNonEmpty(msg.From, v.Customer.Email, v.Customer.Phone)
		msg.FromName = firstNonEmpty(msg.FromName, v.Customer.Name)
	}
	if err := recv.Receive(r.Context(), msg); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sent, http.StatusSeeOther)
}

// helpAgain shows the help page again with the question filled back and
// what to correct.
func (h *Handler) helpAgain(w http.ResponseWriter, r *http.Request, v *myVisit, status int, in contactInput, field, problem string) {
	p, err := h.myHelpOf(r, v, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := &p.Question
	q.Name, q.Email, q.Phone, q.Message = in.Name, in.Email, in.Phone, in.Message
	if plausibleFormID(in.ID) {
		q.ID = in.ID
	}
	q.Problem, q.ProblemField = problem, field
	h.render(w, r, status, "my_help", p)
}
