package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// campaignDesk is what the admin's campaign pages call of the campaigns
// (campaign.Service).
type campaignDesk interface {
	Create(ctx context.Context, in campaign.Input) (int64, error)
	Update(ctx context.Context, id int64, in campaign.Input) error
	Get(ctx context.Context, id int64) (*campaign.Campaign, error)
	List(ctx context.Context, cursor string, limit int) (campaign.Page, error)
	CountAudience(ctx context.Context, a campaign.Audience, channel string) (campaign.Count, error)
	Preview(ctx context.Context, id, customerID int64, lang, variant string) (campaign.Rendered, error)
	TestSend(ctx context.Context, id int64, to, lang, variant string) error
	Start(ctx context.Context, id int64, by string) error
	Pause(ctx context.Context, id int64) error
	Resume(ctx context.Context, id int64) error
	Cancel(ctx context.Context, id int64) error
	Progress(ctx context.Context, id int64) (campaign.Progress, error)
	Results(ctx context.Context, id int64) (campaign.Results, error)
	SaveImage(ctx context.Context, name, contentType string, data []byte) (campaign.Image, error)
	ImageURL(token string) string
	FlowResults(ctx context.Context, from, to time.Time) ([]campaign.FlowResults, error)
}

// campaigns is the campaigns' service.
func (h *Handler) campaigns() campaignDesk { return h.app.Campaigns }

// campaignPages are the admin's pages of campaigns (area campaigns, the
// owner's): the list, composing, the campaign with its progress and
// results, and its actions.
func (h *Handler) campaignPages() []adminRoute {
	a := auth.AreaCampaigns
	return []adminRoute{
		{"GET /campaigns", a, h.campaignList},
		{"GET /campaigns/new", a, h.campaignNew},
		{"POST /campaigns", a, h.campaignCreate},
		{"POST /campaigns/count", a, h.campaignCount},
		{"GET /campaigns/{id}", a, h.campaignShow},
		{"GET /campaigns/{id}/edit", a, h.campaignEdit},
		{"POST /campaigns/{id}/edit", a, h.campaignUpdate},
		{"POST /campaigns/{id}/draft", a, h.campaignDraft},
		{"GET /campaigns/{id}/preview", a, h.campaignPreview},
		{"POST /campaigns/{id}/test", a, h.campaignTest},
		{"POST /campaigns/{id}/images", a, h.campaignImageUpload},
		{"GET /campaigns/{id}/progress", a, h.campaignProgress},
		{"POST /campaigns/{id}/start", a, h.campaignAct},
		{"POST /campaigns/{id}/pause", a, h.campaignAct},
		{"POST /campaigns/{id}/resume", a, h.campaignAct},
		{"POST /campaigns/{id}/cancel", a, h.campaignAct},
	}
}

// campaignPage is the admin page of the campaigns, their menu entry
// marked.
func (h *Handler) campaignPage(v *visitor) adminPage {
	p := h.adminPage(v, auth.AreaCampaigns)
	p.current("/campaigns")
	return p
}

// campaignID is the {id} of the path, false when it is no id.
func campaignID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// campaignGet loads the campaign of the path, answering 404 itself.
func (h *Handler) campaignGet(w http.ResponseWriter, r *http.Request) (*campaign.Campaign, bool) {
	id, ok := campaignID(r)
	if !ok {
		h.notFound(w, r)
		return nil, false
	}
	c, err := h.campaigns().Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return c, true
}

// campaignRow is one campaign of the list with its figures.
type campaignRow struct {
	campaign.Campaign
	Words   []audienceWord
	Results *campaign.Results
}

// campaignListPage is /campaigns: the campaigns, newest first, and the
// marketing flows' figures over the last 30 days.
type campaignListPage struct {
	adminPage
	Rows     []campaignRow
	Next     string
	Currency string
	Flows    []campaign.FlowResults
	// FlowsMissing: the flows' figures could not be read (an error,
	// logged).
	FlowsMissing bool
	Tiers        map[string]string
}

// campaignFlowDays is the period of the flows' figures on the list.
const campaignFlowDays = 30

// campaignList lists the campaigns with their figures.
func (h *Handler) campaignList(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx := r.Context()
	page, err := h.campaigns().List(ctx, r.URL.Query().Get("after"), 50)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := campaignListPage{adminPage: h.campaignPage(v), Next: page.Next,
		Currency: h.app.Settings.Shop.Currency, Tiers: h.tierNames(v)}
	for _, c := range page.Campaigns {
		row := campaignRow{Campaign: c, Words: campaignAudienceWords(v.Lang, c.Audience, p.Tiers)}
		if c.Status != campaign.Draft {
			if res, err := h.campaigns().Results(ctx, c.ID); err == nil {
				row.Results = &res
			} else {
				h.log.WarnContext(r.Context(), "campaign results", "campaign", c.ID, "err", err)
			}
		}
		p.Rows = append(p.Rows, row)
	}
	now := h.app.Clock.Now()
	if flows, err := h.campaigns().FlowResults(ctx, now.AddDate(0, 0, -campaignFlowDays), now); err == nil {
		p.Flows = flows
	} else {
		p.FlowsMissing = true
		h.log.WarnContext(r.Context(), "flow results", "err", err)
	}
	h.render(w, r, http.StatusOK, "campaign_list", p)
}

// campaignShowPage is /campaigns/{id}: what the campaign is, how far it
// is, what came of it, and what the owner may do with it now.
type campaignShowPage struct {
	adminPage
	Campaign *campaign.Campaign
	Words    []audienceWord
	Progress *campaign.Progress
	Results  *campaign.Results
	Count    *campaign.Count
	// Missing names what could not be read (progress, results, count):
	// an error, logged.
	Missing  map[string]bool
	Currency string
	Tiers    map[string]string
	Notice   string
	Problem  string // a text id: why the last action did not happen
	// Live: the progress refreshes itself (scheduled, sending).
	Live bool
	// Done is how many recipients are done with: sent, failed,
	// suppressed or held.
	Done int64
}

// setProgress shows pr.
func (p *campaignShowPage) setProgress(pr campaign.Progress) {
	p.Progress, p.Done = &pr, pr.Sent+pr.Failed+pr.Suppressed+pr.Held
}

// campaignShow shows one campaign.
func (h *Handler) campaignShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	c, ok := h.campaignGet(w, r)
	if !ok {
		return
	}
	h.campaignShowRender(w, r, v, http.StatusOK, c, r.URL.Query().Get("done"), "")
}

// campaignNotices are the ?done= values the campaign's page words.
var campaignNotices = map[string]bool{"start": true, "pause": true, "resume": true, "cancel": true}

func (h *Handler) campaignShowRender(w http.ResponseWriter, r *http.Request, v *visitor, status int, c *campaign.Campaign, done, problem string) {
	ctx := r.Context()
	p := campaignShowPage{adminPage: h.campaignPage(v), Campaign: c, Missing: map[string]bool{},
		Currency: h.app.Settings.Shop.Currency, Tiers: h.tierNames(v), Problem: problem,
		Live: c.Status == campaign.Scheduled || c.Status == campaign.Sending}
	p.Words = campaignAudienceWords(v.Lang, c.Audience, p.Tiers)
	if campaignNotices[done] {
		p.Notice = done
	}
	if c.Status == campaign.Draft {
		if n, err := h.campaigns().CountAudience(ctx, c.Audience, c.Channel); err == nil {
			p.Count = &n
		} else {
			h.log.WarnContext(r.Context(), "campaign audience count", "campaign", c.ID, "err", err)
			p.Missing["count"] = true
		}
	} else {
		if pr, err := h.campaigns().Progress(ctx, c.ID); err == nil {
			p.setProgress(pr)
		} else {
			h.log.WarnContext(r.Context(), "campaign progress", "campaign", c.ID, "err", err)
			p.Missing["progress"] = true
		}
		if res, err := h.campaigns().Results(ctx, c.ID); err == nil {
			p.Results = &res
		} else {
			h.log.WarnContext(r.Context(), "campaign results", "campaign", c.ID, "err", err)
			p.Missing["results"] = true
		}
	}
	h.render(w, r, status, "campaign_show", p)
}

// campaignProgress is the progress fragment htmx polls while the
// campaign sends; it stops polling once the campaign is done.
func (h *Handler) campaignProgress(w http.ResponseWriter, r *http.Request, v *visitor) {
	c, ok := h.campaignGet(w, r)
	if !ok {
		return
	}
	p := campaignShowPage{adminPage: h.campaignPage(v), Campaign: c, Missing: map[string]bool{},
		Live: c.Status == campaign.Scheduled || c.Status == campaign.Sending}
	if pr, err := h.campaigns().Progress(r.Context(), c.ID); err == nil {
		p.setProgress(pr)
	} else {
		h.log.WarnContext(r.Context(), "campaign progress", "campaign", c.ID, "err", err)
		p.Missing["progress"] = true
	}
	if !p.Live {
		// The status changed under the page: reload it whole, for
		// the buttons and the results.
		w.Header().Set("HX-Refresh", "true")
	}
	h.renderPart(w, r, "campaign_show", "campaign_progress", p)
}

// campaignAct starts, pauses, resumes or cancels the campaign, by the
// path's last segment. Starting needs the owner's confirmation of the
// audience they were shown.
func (h *Handler) campaignAct(w http.ResponseWriter, r *http.Request, v *visitor) {
	c, ok := h.campaignGet(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	act := r.URL.Path[len(r.URL.Path)-len(lastSegment(r.URL.Path)):]
	var err error
	switch act {
	case "start":
		if r.PostFormValue("confirm") != "1" {
			h.campaignShowRender(w, r, v, http.StatusUnprocessableEntity, c, "", "admin.campaign.problem.confirm")
			return
		}
		err = h.campaigns().Start(ctx, c.ID, v.User.Email)
	case "pause":
		err = h.campaigns().Pause(ctx, c.ID)
	case "resume":
		err = h.campaigns().Resume(ctx, c.ID)
	case "cancel":
		err = h.campaigns().Cancel(ctx, c.ID)
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.campaignActFailed(w, r, v, c, err)
		return
	}
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(c.ID, 10)+"?done="+act, http.StatusSeeOther)
}

// campaignActFailed shows the campaign again with why the action did not
// happen: its status does not allow it (409), the campaign cannot be
// sent as written (422), or the service failed (logged; 503 while a part
// of the campaigns is not there).
func (h *Handler) campaignActFailed(w http.ResponseWriter, r *http.Request, v *visitor, c *campaign.Campaign, err error) {
	var state *campaign.StateError
	var problems invalid.List
	switch {
	case errors.As(err, &state):
		fresh, gerr := h.campaigns().Get(r.Context(), c.ID)
		if gerr == nil {
			c = fresh
		}
		h.campaignShowRender(w, r, v, http.StatusConflict, c, "", "admin.campaign.problem.state")
	case errors.As(err, &problems):
		h.campaignShowRender(w, r, v, http.StatusUnprocessableEntity, c, "", "admin.campaign.problem.unsendable")
	case errors.Is(err, context.Canceled):
		return
	default:
		h.log.ErrorContext(r.Context(), "campaign action", "campaign", c.ID, "path", r.URL.Path, "err", err)
		h.campaignShowRender(w, r, v, http.StatusServiceUnavailable, c, "", "admin.campaign.problem.unavailable")
	}
}

// lastSegment is the part of path after its last slash.
func lastSegment(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

// tierNames are the loyalty tiers' names in the visitor's language, by
// code.
func (h *Handler) tierNames(v *visitor) map[string]string {
	out := map[string]string{}
	for _, t := range h.app.Settings.Loyalty.Tiers {
		out[t.Code] = t.Name(string(v.Lang))
	}
	return out
}

// audienceWord is one criterion of an audience in words: its label, and
// the shop's own value it names verbatim (a SKU, a pattern), if any.
type audienceWord struct {
	Label string
	Code  string
}

// campaignAudienceWords says audience a in the visitor's language.
func campaignAudienceWords(lang i18n.Lang, a campaign.Audience, tiers map[string]string) []audienceWord {
	var out []audienceWord
	say := func(id string, data map[string]any, code string) {
		out = append(out, audienceWord{Label: i18n.Text(lang, "admin.campaign.aud."+id, data), Code: code})
	}
	if a.All {
		say("all", nil, "")
	}
	if a.Segment != "" {
		say("segment", map[string]any{"Segment": i18n.Text(lang, "admin.segment."+a.Segment, nil)}, "")
	}
	if a.Tier != "" {
		name := tiers[a.Tier]
		if name == "" {
			say("tier_code", nil, a.Tier)
		} else {
			say("tier", map[string]any{"Tier": name}, "")
		}
	}
	if a.Club || a.ClubProject > 0 {
		say("club", nil, "")
	}
	if a.RFM != "" {
		say("rfm", nil, a.RFM)
	}
	if a.MinCLV != nil {
		say("min_clv", map[string]any{"Value": *a.MinCLV}, "")
	}
	if a.MaxCLV != nil {
		say("max_clv", map[string]any{"Value": *a.MaxCLV}, "")
	}
	if a.Product != "" {
		say("product", nil, a.Product)
	}
	if a.Category != "" {
		say("category", nil, a.Category)
	}
	if len(a.Languages) > 0 {
		names := make([]string, len(a.Languages))
		for i, l := range a.Languages {
			names[i] = label(lang, "campaign_admin_lang", l)
		}
		say("languages", map[string]any{"Languages": strings.Join(names, ", ")}, "")
	}
	if len(a.Countries) > 0 {
		say("countries", nil, strings.Join(a.Countries, ", "))
	}
	if a.Saved > 0 {
		say("saved", map[string]any{"ID": a.Saved}, "")
	}
	if len(out) == 0 {
		say("all", nil, "")
	}
	return out
}
