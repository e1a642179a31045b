package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
)

// maxMyName is the longest name the customer may give themself on their
// page, in characters.
const maxMyName = 200

// myChannels are the channels the customer's page lists, in its order.
var myChannels = []string{message.Email, message.SMS, message.Telegram}

// myDataPage is /my/data: the customer's name, language and birthday,
// their consent on each channel for order news and for offers apart,
// the download of their data and the deletion of their account.
type myDataPage struct {
	myPage
	Form      myDataForm
	Languages []myOption
	Months    []myOption
	Channels  []myChannel
	// Problems say what to correct, by field (name, language, birthday,
	// consent, confirm), in the customer's language; Erase why the
	// account could not be deleted now.
	Problems map[string]string
	Erase    string
	// Saved is what the last change saved: "profile" or "consent".
	Saved string
}

// myDataForm is the profile form as filled in.
type myDataForm struct {
	Name, Language, BirthDay, BirthMonth string
}

// myOption is one choice of a select.
type myOption struct {
	Value, Label string
}

// myChannel is the customer's standing on one channel they can be
// reached on: the address, and the two consents.
type myChannel struct {
	Channel   string // email, sms, telegram: the form's value
	Name      string // in words
	Address   string
	News      myConsent
	Marketing myConsent
}

// myConsent is one consent (channel × purpose) as the customer reads
// it: whether it stands, since when and from where, in words, and what
// one click does.
type myConsent struct {
	// Channel, Purpose (news, marketing) and CSRF are the button's form;
	// ChannelName tells a screen reader which channel a button is for.
	Channel, Purpose, CSRF, ChannelName string
	On                                  bool
	Note                                string // "given on 3 December 2026 on this page"
	// Source is where the shop says the consent came from when it is
	// not this page: the shop's own words, shown verbatim.
	Source string
	// Undecided is a marketing consent the customer has neither given
	// nor refused: both buttons are offered.
	Undecided bool
}

// myDataShow shows the customer's data page.
func (h *Handler) myDataShow(w http.ResponseWriter, r *http.Request, v *myVisit) {
	p, err := h.myDataPageOf(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if s := r.URL.Query().Get("saved"); s == "profile" || s == "consent" {
		p.Saved = s
	}
	h.render(w, r, http.StatusOK, "my_data", p)
}

// myDataPageOf builds the page from the customer's stored profile.
func (h *Handler) myDataPageOf(r *http.Request, v *myVisit) (myDataPage, error) {
	prof, err := h.customers.GetProfile(r.Context(), v.Customer.ID)
	if err != nil {
		return myDataPage{}, err
	}
	lang := v.Lang
	p := myDataPage{myPage: h.myPageOf(r, v, lang, "data"), Problems: map[string]string{},
		Form: myDataForm{Name: prof.Name, Language: prof.Language}}
	if m, d, ok := strings.Cut(prof.Birthday, "-"); ok {
		p.Form.BirthMonth, p.Form.BirthDay = strings.TrimLeft(m, "0"), strings.TrimLeft(d, "0")
	}
	for _, l := range myLanguages(h.app.Settings.Shop.Languages, prof.Language) {
		p.Languages = append(p.Languages, myOption{Value: l, Label: i18n.Text(lang, "mydata.language."+l, nil)})
	}
	for m := 1; m <= 12; m++ {
		p.Months = append(p.Months, myOption{Value: strconv.Itoa(m), Label: i18n.Text(lang, "mydata.month."+strconv.Itoa(m), nil)})
	}
	p.Channels = h.myChannelsOf(prof, lang, v.Session.CSRF)
	return p, nil
}

// myLanguages are the languages the customer may choose: the shop's,
// and the one they have if the shop no longer writes in it (so saving
// their name does not change it), each one shopcare speaks.
func myLanguages(shop []string, current string) []string {
	var out []string
	for _, l := range append(slices.Clone(shop), current) {
		if _, ok := i18n.Parse(l); ok && string(i18n.Pick(l, i18n.EN)) == l && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// myChannelsOf lists the channels the customer has an address on, with
// their consents in words and the buttons' form token.
func (h *Handler) myChannelsOf(prof *customer.Profile, lang i18n.Lang, csrf string) []myChannel {
	stood := map[string]customer.ChannelConsent{}
	for _, c := range prof.Channels {
		stood[c.Channel] = c
	}
	loc := h.app.Settings.Shop.Location()
	// A consent is proof: its date has the year ("1 Dec 2026").
	day := func(t *time.Time) string {
		d := calendar.DayOf(t.In(loc))
		return i18n.Text(lang, "mydata.date", map[string]any{"Day": i18n.FormatDayShort(lang, d), "Year": strconv.Itoa(d.Year())})
	}
	note := func(id string, t *time.Time, source string) (string, string) {
		data := map[string]any{"Day": day(t)}
		switch source {
		case customer.ConsentSourceMyPage:
			return i18n.Text(lang, id+".here", data), ""
		case "":
			return i18n.Text(lang, id, data), ""
		}
		return i18n.Text(lang, id+".shop", data), source
	}
	var out []myChannel
	for _, ch := range myChannels {
		addr := map[string]string{message.Email: prof.Email, message.SMS: prof.Phone, message.Telegram: prof.TelegramChatID}[ch]
		if addr == "" {
			continue
		}
		c := stood[ch]
		name := i18n.Text(lang, "mydata.channel."+ch, nil)
		mc := myChannel{Channel: ch, Name: name, Address: addr,
			News:      myConsent{Channel: ch, Purpose: "news", CSRF: csrf, ChannelName: name},
			Marketing: myConsent{Channel: ch, Purpose: "marketing", CSRF: csrf, ChannelName: name}}
		if ch == message.Telegram {
			mc.Address = "" // a chat id says nothing to a person
		}
		// Order news: as the sender decides (message.Contact.Address):
		// an opt-out closes the channel; SMS needs a consent; e-mail and
		// a linked Telegram chat need none.
		n := &mc.News
		switch {
		case c.OptedOutAt != nil:
			n.Note, _ = note("mydata.news.stopped", c.OptedOutAt, "")
		case c.ConsentAt != nil:
			n.On = true
			n.Note, n.Source = note("mydata.news.given", c.ConsentAt, c.ConsentSource)
		case ch == message.SMS:
			n.Note = i18n.Text(lang, "mydata.news.none", nil)
		default:
			n.On = true
			n.Note = i18n.Text(lang, "mydata.news.default."+ch, nil)
		}
		// Offers: stopped by an unsubscribe from all of them, or a
		// withdrawal on the channel; given with its proof.
		m := &mc.Marketing
		switch {
		case prof.MarketingOptedOutAt != nil && (c.MarketingConsentAt == nil || !c.MarketingConsentAt.After(*prof.MarketingOptedOutAt)):
			m.Note, _ = note("mydata.marketing.unsubscribed", prof.MarketingOptedOutAt, "")
		case c.MarketingConsentAt != nil:
			m.On = true
			m.Note, m.Source = note("mydata.marketing.given", c.MarketingConsentAt, c.MarketingConsentSource)
		case c.MarketingRevokedAt != nil:
			m.Note, _ = note("mydata.marketing.withdrawn", c.MarketingRevokedAt, "")
		default:
			m.Undecided = true
			m.Note = i18n.Text(lang, "mydata.marketing.undecided", nil)
		}
		out = append(out, mc)
	}
	return out
}

// myDataSave saves the customer's name, language and birthday.
func (h *Handler) myDataSave(w http.ResponseWriter, r *http.Request, v *myVisit) {
	in := myDataForm{Name: r.PostFormValue("name"), Language: r.PostFormValue("language"),
		BirthDay: r.PostFormValue("birth_day"), BirthMonth: r.PostFormValue("birth_month")}
	patch, problems := in.patch(v.Lang, myLanguages(h.app.Settings.Shop.Languages, v.Customer.Language))
	if len(problems) == 0 {
		_, err := h.customers.Patch(r.Context(), h.myPatch(v, patch))
		if err != nil {
			var list invalid.List
			if !errors.As(err, &list) {
				h.fail(w, r, err)
				return
			}
			// What the form checks the customer package checks again; a
			// rule only it knows still names the field.
			for _, p := range list {
				problems[myField(p.Field)] = i18n.Text(v.Lang, "mydata.error.invalid", nil)
			}
		}
	}
	if len(problems) > 0 {
		h.myDataAgain(w, r, v, http.StatusUnprocessableEntity, func(p *myDataPage) { p.Form, p.Problems = in, problems })
		return
	}
	http.Redirect(w, r, "/my/data?saved=profile", http.StatusSeeOther)
}

// patch checks the form and returns the change it asks for, or what to
// correct by field, in lang.
func (in myDataForm) patch(lang i18n.Lang, languages []string) (customer.Patch, map[string]string) {
	problems := map[string]string{}
	name := strings.TrimSpace(in.Name)
	switch {
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		problems["name"] = i18n.Text(lang, "mydata.error.name_chars", nil)
	case utf8.RuneCountInString(name) > maxMyName:
		problems["name"] = i18n.Text(lang, "mydata.error.name_long", map[string]any{"Max": maxMyName})
	}
	language := strings.TrimSpace(in.Language)
	if !slices.Contains(languages, language) {
		problems["language"] = i18n.Text(lang, "mydata.error.language", nil)
	}
	birthday := ""
	d, m := strings.TrimSpace(in.BirthDay), strings.TrimSpace(in.BirthMonth)
	switch {
	case d == "" && m == "":
	case d == "" || m == "":
		problems["birthday"] = i18n.Text(lang, "mydata.error.birthday_both", nil)
	default:
		dn, derr := strconv.Atoi(d)
		mn, merr := strconv.Atoi(m)
		// 2000 was a leap year: 29 February is a birthday.
		t := time.Date(2000, time.Month(mn), dn, 0, 0, 0, 0, time.UTC)
		if derr != nil || merr != nil || mn < 1 || mn > 12 || dn < 1 || t.Day() != dn {
			problems["birthday"] = i18n.Text(lang, "mydata.error.birthday", nil)
			break
		}
		birthday = t.Format("01-02")
	}
	return customer.Patch{Name: &name, Language: &language, Birthday: &birthday}, problems
}

// myField is the page's field of a customer package's error.
func myField(f string) string {
	switch {
	case f == "name", f == "language", f == "birthday":
		return f
	case strings.HasPrefix(f, "consent"):
		return "consent"
	}
	return "name"
}

// myPatch is a change the customer makes on their page: the shop's
// defaults, this page as the consent's proof, the business clock (the
// journal's and the API's).
func (h *Handler) myPatch(v *myVisit, p customer.Patch) customer.PatchParams {
	s := h.app.Settings.Shop
	def := customer.Defaults{Country: s.Country, Timezone: s.Timezone}
	if len(s.Languages) > 0 {
		def.Language = s.Languages[0]
	}
	p.ConsentSource = customer.ConsentSourceMyPage
	return customer.PatchParams{ID: v.Customer.ID, Patch: p, Defaults: def, Source: string(order.SourceCustomer), Now: h.app.Clock.Now()}
}

// myConsentSave gives or withdraws one consent, a click of its button:
// channel (email, sms, telegram), purpose (news, marketing) and value
// (on, off). The sender reads the consent when a message goes, so the
// change holds from the next message.
func (h *Handler) myConsentSave(w http.ResponseWriter, r *http.Request, v *myVisit) {
	ch, purpose, value := r.PostFormValue("channel"), r.PostFormValue("purpose"), r.PostFormValue("value")
	cp, ok := myConsentPatch(purpose, value)
	if !ok || !slices.Contains(myChannels, ch) {
		h.myDataAgain(w, r, v, http.StatusUnprocessableEntity, func(p *myDataPage) {
			p.Problems["consent"] = i18n.Text(v.Lang, "mydata.error.consent", nil)
		})
		return
	}
	_, err := h.customers.Patch(r.Context(), h.myPatch(v, customer.Patch{Consent: map[string]customer.ConsentPatch{ch: cp}}))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/my/data?saved=consent#channels", http.StatusSeeOther)
}

// myConsentPatch reads a consent button: purpose news or marketing,
// value on or off.
func myConsentPatch(purpose, value string) (customer.ConsentPatch, bool) {
	var on bool
	switch value {
	case "on":
		on = true
	case "off":
	default:
		return customer.ConsentPatch{}, false
	}
	switch purpose {
	case "news":
		return customer.ConsentPatch{Transactional: &on}, true
	case "marketing":
		return customer.ConsentPatch{Marketing: &on}, true
	}
	return customer.ConsentPatch{}, false
}

// myDataExport downloads everything shopcare holds about the customer:
// the API's export, the same bytes.
func (h *Handler) myDataExport(w http.ResponseWriter, r *http.Request, v *myVisit) {
	body, err := h.exports.Export(r.Context(), v.Customer.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="my-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

// myDataDelete deletes the customer's account after they ticked "I
// understand": the API's erase (the row anonymised, addresses, notes and
// message texts gone), and every session of theirs ended in the same
// transaction. Orders on their way keep their addresses: the customer is
// told to wait for them, with no way to force it (the API's 409).
func (h *Handler) myDataDelete(w http.ResponseWriter, r *http.Request, v *myVisit) {
	if r.PostFormValue("confirm") != "yes" {
		h.myDataAgain(w, r, v, http.StatusUnprocessableEntity, func(p *myDataPage) {
			p.Problems["confirm"] = i18n.Text(v.Lang, "mydata.error.confirm", nil)
		})
		return
	}
	_, err := h.orders.EraseCustomer(r.Context(), v.Customer.ID, false, order.SourceCustomer, h.app.Erasers...)
	if open := (*order.OpenOrdersError)(nil); errors.As(err, &open) {
		h.myDataAgain(w, r, v, http.StatusConflict, func(p *myDataPage) {
			p.Erase = i18n.Text(v.Lang, "mydata.erase.open", map[string]any{"Count": open.Open})
		})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "customer deleted their account on their page", "customer", v.Customer.ID)
	h.clearMyCookie(w, r)
	h.render(w, r, http.StatusOK, "my_goodbye", h.myPageOf(r, nil, v.Lang, ""))
}

// myDataAgain shows the data page again with status, after fill sets
// what the form said and what to correct.
func (h *Handler) myDataAgain(w http.ResponseWriter, r *http.Request, v *myVisit, status int, fill func(*myDataPage)) {
	p, err := h.myDataPageOf(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fill(&p)
	h.render(w, r, status, "my_data", p)
}
