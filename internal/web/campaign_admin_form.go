package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// campaignForm is the compose form as typed: every field a string or a
// box, so a form to correct comes back exactly as it was sent.
type campaignForm struct {
	Name, Channel                      string
	All, Club                          bool
	Segment, Tier, RFM, MinCLV, MaxCLV string
	Product, Category, Countries       string
	Languages                          []string
	Content, VariantB                  map[string]campaign.Content
	AB                                 bool
	Share, Metric, WaitHours           string
	Holdout, Schedule, SendAt          string
	WindowHours, AttributionDays, Cost string
	Track                              bool
	Saved                              string
}

// campaignFormOf fills the form from a stored campaign, in the shop's
// zone.
func campaignFormOf(c *campaign.Campaign, loc *time.Location) campaignForm {
	a := c.Audience
	f := campaignForm{Name: c.Name, Channel: c.Channel, All: a.All, Club: a.Club, Segment: a.Segment, Tier: a.Tier,
		RFM: a.RFM, Product: a.Product, Category: a.Category, Countries: strings.Join(a.Countries, ", "),
		Languages: a.Languages, Content: c.Content, VariantB: c.VariantB, AB: c.Test.Share > 0,
		Metric: c.Test.Metric, Schedule: c.Schedule, Track: c.TrackClicks}
	if a.MinCLV != nil {
		f.MinCLV = strconv.FormatFloat(*a.MinCLV, 'f', -1, 64)
	}
	if a.MaxCLV != nil {
		f.MaxCLV = strconv.FormatFloat(*a.MaxCLV, 'f', -1, 64)
	}
	if a.Saved > 0 {
		f.Saved = strconv.FormatInt(a.Saved, 10)
	}
	if c.Test.Share > 0 {
		f.Share = strconv.Itoa(c.Test.Share)
		f.WaitHours = strconv.FormatFloat(c.Test.Wait.Hours(), 'f', -1, 64)
	}
	if c.Holdout > 0 {
		f.Holdout = strconv.Itoa(c.Holdout)
	}
	if c.SendAt != nil {
		f.SendAt = c.SendAt.In(loc).Format("2006-01-02T15:04")
	}
	if c.Window > 0 {
		f.WindowHours = strconv.FormatFloat(c.Window.Hours(), 'f', -1, 64)
	}
	if c.AttributionDays > 0 {
		f.AttributionDays = strconv.Itoa(c.AttributionDays)
	}
	if c.CostMinor > 0 {
		f.Cost = strconv.FormatFloat(float64(c.CostMinor)/100, 'f', 2, 64)
	}
	return f
}

// campaignLangs are the languages an audience can be narrowed to.
var campaignLangs = []string{"ru", "lv", "en"}

// parseCampaignForm reads the compose form into the form as typed and
// the input for the service; a number that is no number is a problem
// here under the service's field name, the rest the service checks.
func parseCampaignForm(form url.Values, langs []string, loc *time.Location) (campaignForm, campaign.Input, invalid.List) {
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	f := campaignForm{Name: form.Get("name"), Channel: get("channel"), All: form.Get("all") == "1", Club: form.Get("club") == "1",
		Segment: get("segment"), Tier: get("tier"), RFM: get("rfm"), MinCLV: get("min_clv"), MaxCLV: get("max_clv"),
		Product: get("product"), Category: get("category"), Countries: get("countries"), Saved: get("saved"),
		AB: form.Get("ab") == "1", Share: get("test_share"), Metric: get("test_metric"), WaitHours: get("test_wait"),
		Holdout: get("holdout"), Schedule: get("schedule"), SendAt: get("send_at"), WindowHours: get("window"),
		AttributionDays: get("attribution_days"), Cost: get("cost"), Track: form.Get("track_clicks") == "1",
		Content: map[string]campaign.Content{}, VariantB: map[string]campaign.Content{}}
	for _, l := range form["languages"] {
		if slices.Contains(campaignLangs, l) && !slices.Contains(f.Languages, l) {
			f.Languages = append(f.Languages, l)
		}
	}
	var problems invalid.List
	in := campaign.Input{Name: f.Name, Channel: f.Channel, Schedule: f.Schedule}
	in.Audience = campaign.Audience{All: f.All, Segment: f.Segment, Tier: f.Tier, Club: f.Club, RFM: f.RFM,
		Product: f.Product, Category: f.Category, Languages: f.Languages}
	for _, c := range strings.FieldsFunc(f.Countries, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		in.Audience.Countries = append(in.Audience.Countries, strings.ToUpper(c))
	}
	in.Audience.MinCLV = parseOptionalFloat(&problems, "audience.min_clv", f.MinCLV)
	in.Audience.MaxCLV = parseOptionalFloat(&problems, "audience.max_clv", f.MaxCLV)
	in.Audience.Saved = int64(parseWhole(&problems, "audience.saved", f.Saved))
	for _, lang := range langs {
		if c, ok := contentOf(form, "content", lang); ok {
			f.Content[lang] = c
		}
		if b, ok := contentOf(form, "b", lang); ok {
			f.VariantB[lang] = b
		}
	}
	in.Content = f.Content
	if f.AB {
		in.VariantB = f.VariantB
		in.Test = campaign.Test{Share: parseWhole(&problems, "test.share", f.Share), Metric: f.Metric}
		if h := parseOptionalFloat(&problems, "test.wait", f.WaitHours); h != nil {
			in.Test.Wait = time.Duration(*h * float64(time.Hour))
		}
	}
	in.Holdout = parseWhole(&problems, "holdout", f.Holdout)
	if f.Schedule == campaign.At || f.SendAt != "" {
		if f.SendAt == "" {
			if f.Schedule == campaign.At {
				problems.Add("send_at", "required", "say when to send")
			}
		} else if t, err := time.ParseInLocation("2006-01-02T15:04", f.SendAt, loc); err != nil {
			problems.Add("send_at", "invalid", "is not a date and time")
		} else if f.Schedule == campaign.At {
			in.SendAt = &t
		}
	}
	if h := parseOptionalFloat(&problems, "window", f.WindowHours); h != nil {
		in.Window = time.Duration(*h * float64(time.Hour))
	}
	in.AttributionDays = parseWhole(&problems, "attribution_days", f.AttributionDays)
	if m := parseOptionalFloat(&problems, "cost", f.Cost); m != nil {
		in.CostMinor = int64(math.Round(*m * 100))
	}
	in.TrackClicks = &f.Track
	return f, in, problems
}

// contentOf reads one language's content of the form; false when every
// field is empty.
func contentOf(form url.Values, prefix, lang string) (campaign.Content, bool) {
	v := func(field string) string { return form.Get(prefix + "_" + lang + "_" + field) }
	c := campaign.Content{Subject: strings.TrimSpace(v("subject")), Markdown: v("markdown"), Text: v("text"), HTML: v("html")}
	return c, c != campaign.Content{}
}

// parseWhole reads a whole number; empty is 0.
func parseWhole(problems *invalid.List, field, s string) int {
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		problems.Add(field, "number", "must be a whole number")
	}
	return n
}

// parseOptionalFloat reads a number; empty is nil.
func parseOptionalFloat(problems *invalid.List, field, s string) *float64 {
	if s == "" {
		return nil
	}
	// "1 000,50" as Russian and Latvian write it, "1,000.50" never
	// comes from these fields' placeholders: a comma is the decimal one.
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".").Replace(s)
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		problems.Add(field, "number", "must be a number")
		return nil
	}
	return &n
}

// campaignEditPage is the compose form: /campaigns/new and
// /campaigns/{id}/edit.
type campaignEditPage struct {
	adminPage
	// Campaign is the draft being edited, nil for a new one.
	Campaign *campaign.Campaign
	Form     campaignForm
	Problems []campaignProblem
	Errors   map[string]bool // the fields with a problem
	Channels []string
	Segments []string
	Tiers    [][2]string // code, name
	Langs    []string    // the shop's languages
	AllLangs []string    // the languages an audience can be narrowed to
	Metrics  []string
	// Customers are whom the preview can be rendered for.
	Customers []*customer.Customer
	Notice    string
	Problem   string // a text id: why the test send did not go
	// Window is the settings' default spread, in hours.
	Window string
	// ContentBlocks and VariantBlocks are the content's fields per
	// language of the shop, variant A's and B's.
	ContentBlocks, VariantBlocks []campaignBlock
}

// campaignBlock is one language's content fields of the form, named
// <Prefix>_<Lang>_<field>.
type campaignBlock struct {
	Prefix, Lang string
	Content      campaign.Content
}

// campaignProblem is one problem of the form in words.
type campaignProblem struct {
	Field string
	Text  string
}

// campaignNew is an empty compose form.
func (h *Handler) campaignNew(w http.ResponseWriter, r *http.Request, v *visitor) {
	f := campaignForm{Channel: campaign.Email, Schedule: campaign.CustomerMorning, All: true,
		Track: h.app.Settings.Campaigns.TrackClicks, Metric: campaign.MetricClicks}
	h.campaignEditRender(w, r, v, http.StatusOK, campaignEditPage{Form: f})
}

// campaignEdit is the compose form of a draft; a campaign that has
// started is shown instead.
func (h *Handler) campaignEdit(w http.ResponseWriter, r *http.Request, v *visitor) {
	c, ok := h.campaignGet(w, r)
	if !ok {
		return
	}
	if c.Status != campaign.Draft {
		http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
		return
	}
	p := campaignEditPage{Campaign: c, Form: campaignFormOf(c, h.app.Settings.Shop.Location())}
	switch q := r.URL.Query(); {
	case q.Get("saved") != "":
		p.Notice = "saved"
	case q.Get("tested") != "":
		p.Notice = "tested"
	}
	h.campaignEditRender(w, r, v, http.StatusOK, p)
}

func (h *Handler) campaignEditRender(w http.ResponseWriter, r *http.Request, v *visitor, status int, p campaignEditPage) {
	p.adminPage = h.campaignPage(v)
	p.Channels, p.Segments, p.Langs = campaign.Channels, analytics.Segments, h.app.Settings.Shop.Languages
	p.AllLangs, p.Metrics = campaignLangs, []string{campaign.MetricClicks, campaign.MetricOrders}
	for _, t := range h.app.Settings.Loyalty.Tiers {
		p.Tiers = append(p.Tiers, [2]string{t.Code, t.Name(string(v.Lang))})
	}
	if w := time.Duration(h.app.Settings.Campaigns.Window); w > 0 {
		p.Window = strconv.FormatFloat(w.Hours(), 'f', -1, 64)
	}
	if p.Form.Content == nil {
		p.Form.Content = map[string]campaign.Content{}
	}
	if p.Form.VariantB == nil {
		p.Form.VariantB = map[string]campaign.Content{}
	}
	for _, l := range p.Langs {
		p.ContentBlocks = append(p.ContentBlocks, campaignBlock{Prefix: "content", Lang: l, Content: p.Form.Content[l]})
		p.VariantBlocks = append(p.VariantBlocks, campaignBlock{Prefix: "b", Lang: l, Content: p.Form.VariantB[l]})
	}
	if p.Campaign != nil {
		list, _, err := h.customers.List(r.Context(), customer.ListFilter{Limit: 20})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Customers = list
	}
	h.render(w, r, status, "campaign_edit", p)
}

// campaignCreate stores a new draft and goes on composing it.
func (h *Handler) campaignCreate(w http.ResponseWriter, r *http.Request, v *visitor) {
	f, in, problems := parseCampaignForm(postForm(r), h.app.Settings.Shop.Languages, h.app.Settings.Shop.Location())
	in.CreatedBy = v.User.Email
	if problems == nil {
		id, err := h.campaigns().Create(r.Context(), in)
		if err == nil {
			http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"/edit?saved=1", http.StatusSeeOther)
			return
		}
		if !errors.As(err, &problems) {
			h.fail(w, r, err)
			return
		}
	}
	h.campaignEditRender(w, r, v, http.StatusUnprocessableEntity, campaignFormProblems(v.Lang, campaignEditPage{Form: f}, problems))
}

// campaignUpdate saves the draft's form.
func (h *Handler) campaignUpdate(w http.ResponseWriter, r *http.Request, v *visitor) {
	c, ok := h.campaignGet(w, r)
	if !ok {
		return
	}
	f, in, problems := parseCampaignForm(postForm(r), h.app.Settings.Shop.Languages, h.app.Settings.Shop.Location())
	if problems == nil {
		err := h.campaigns().Update(r.Context(), c.ID, in)
		if err == nil {
			http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(c.ID, 10)+"/edit?saved=1", http.StatusSeeOther)
			return
		}
		var state *campaign.StateError
		if errors.As(err, &state) {
			h.campaignActFailed(w, r, v, c, err)
			return
		}
		if !errors.As(err, &problems) {
			h.fail(w, r, err)
			return
		}
	}
	h.campaignEditRender(w, r, v, http.StatusUnprocessableEntity, campaignFormProblems(v.Lang, campaignEditPage{Campaign: c, Form: f}, problems))
}

// campaignDraft saves the draft as the owner types (htmx, a second after
// the last key) and answers a line saying so, or what keeps it from
// saving; a saved draft's preview reloads (the campaign-saved event).
func (h *Handler) campaignDraft(w http.ResponseWriter, r *http.Request, v *visitor) {
	c, ok := h.campaignGet(w, r)
	if !ok {
		return
	}
	_, in, problems := parseCampaignForm(postForm(r), h.app.Settings.Shop.Languages, h.app.Settings.Shop.Location())
	if problems == nil {
		err := h.campaigns().Update(r.Context(), c.ID, in)
		if err != nil && !errors.As(err, &problems) {
			h.log.WarnContext(r.Context(), "campaign draft", "campaign", c.ID, "err", err)
			problems = invalid.List{{Field: "", Code: "unavailable"}}
		}
	}
	p := campaignFormProblems(v.Lang, campaignEditPage{Campaign: c, adminPage: h.campaignPage(v)}, problems)
	if problems == nil {
		w.Header().Set("HX-Trigger", "campaign-saved")
		p.Notice = "draft_saved"
	}
	h.renderPart(w, r, "campaign_edit", "campaign_draft", p)
}

// campaignFormProblems words the problems on the page.
func campaignFormProblems(lang i18n.Lang, p campaignEditPage, problems invalid.List) campaignEditPage {
	p.Errors = map[string]bool{}
	for _, e := range problems {
		p.Errors[e.Field] = true
		p.Problems = append(p.Problems, campaignProblem{Field: e.Field, Text: campaignProblemText(lang, e)})
	}
	return p
}

// campaignProblemText says a problem: the field's name and what is wrong
// with it, each from the locale files (the service's English message is
// for the API and the log).
func campaignProblemText(lang i18n.Lang, e *invalid.Error) string {
	code := "admin.campaign.problem." + e.Code
	what := i18n.Text(lang, code, nil)
	if what == "["+code+"]" {
		what = i18n.Text(lang, "admin.campaign.problem.invalid", nil)
	}
	if e.Field == "" {
		return what
	}
	return campaignFieldName(lang, e.Field) + ": " + what
}

// campaignFieldName names a field of the form from its API name
// ("content.ru.subject": "Subject (Русский)").
func campaignFieldName(lang i18n.Lang, field string) string {
	parts := strings.Split(field, ".")
	name := func(id string) string {
		full := "admin.campaign.field." + id
		if s := i18n.Text(lang, full, nil); s != "["+full+"]" {
			return s
		}
		return ""
	}
	switch {
	case (parts[0] == "content" || parts[0] == "variant_b") && len(parts) >= 2:
		head := name(parts[0])
		if len(parts) >= 3 {
			if f := name(parts[2]); f != "" {
				head += " — " + f
			}
		}
		return head + " (" + label(lang, "campaign_admin_lang", parts[1]) + ")"
	case len(parts) >= 2:
		if s := name(parts[0] + "_" + parts[1]); s != "" {
			return s
		}
	}
	if s := name(parts[0]); s != "" {
		return s
	}
	return i18n.Text(lang, "admin.campaign.field.other", nil)
}

// campaignCount counts the audience of the form as it stands (htmx, as
// the owner picks): everyone it matches, and those the channel may
// carry the campaign to.
func (h *Handler) campaignCount(w http.ResponseWriter, r *http.Request, v *visitor) {
	_, in, problems := parseCampaignForm(postForm(r), h.app.Settings.Shop.Languages, h.app.Settings.Shop.Location())
	p := campaignShowPage{adminPage: h.campaignPage(v), Missing: map[string]bool{},
		Campaign: &campaign.Campaign{Channel: in.Channel, Audience: in.Audience}}
	if problems != nil {
		p.Problem = "admin.campaign.problem.number"
	} else if n, err := h.campaigns().CountAudience(r.Context(), in.Audience, in.Channel); err == nil {
		p.Count = &n
	} else {
		var list invalid.List
		if errors.As(err, &list) {
			p.Problem = "admin.campaign.problem.audience"
		} else {
			h.log.WarnContext(r.Context(), "campaign audience count", "err", err)
			p.Missing["count"] = true
		}
	}
	h.renderPart(w, r, "campaign_show", "campaign_count", p)
}

// postForm is the request's form body; an htmx request carries its CSRF
// token in a header, so nothing may have parsed the body before.
func postForm(r *http.Request) url.Values {
	_ = r.ParseForm() // a body that does not parse is an empty form: its problems say what is missing
	return r.PostForm
}
