package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/invalid"
)

// campaigns is what the API asks of the campaigns' service.
type campaigns interface {
	Create(ctx context.Context, in campaign.Input) (int64, error)
	Update(ctx context.Context, id int64, in campaign.Input) error
	Get(ctx context.Context, id int64) (*campaign.Campaign, error)
	List(ctx context.Context, cursor string, limit int) (campaign.Page, error)
	Start(ctx context.Context, id int64, by string) error
	Pause(ctx context.Context, id int64) error
	Resume(ctx context.Context, id int64) error
	Cancel(ctx context.Context, id int64) error
	Progress(ctx context.Context, id int64) (campaign.Progress, error)
	Results(ctx context.Context, id int64) (campaign.Results, error)
	TestSend(ctx context.Context, id int64, to, lang, variant string) error
	Preview(ctx context.Context, id, customerID int64, lang, variant string) (campaign.Rendered, error)
	CountAudience(ctx context.Context, a campaign.Audience, channel string) (campaign.Count, error)
	SaveAudience(ctx context.Context, name string, a campaign.Audience) (campaign.SavedAudience, error)
	Audiences(ctx context.Context) ([]campaign.SavedAudience, error)
	DeleteAudience(ctx context.Context, id int64) error
}

// campaignService is the campaigns' service.
func (h *Handler) campaignService() campaigns { return h.app.Campaigns }

// campaignCoreRoutes are /api/v1/campaigns… and /api/v1/audiences….
func (h *Handler) campaignCoreRoutes() []route {
	read, write := []auth.Scope{auth.ScopeRead}, []auth.Scope{auth.ScopeCampaigns}
	idErrors := []int{s404, s409}
	return []route{
		{Method: "POST", Path: "/api/v1/campaigns", Tag: "campaigns", Scopes: write, handle: h.campaignCreate,
			Summary: "Create a campaign (a draft)",
			Description: "A newsletter or offer to an audience on one channel (email, sms, telegram, paper), with its content per " +
				"shop language, an optional A/B test and holdout, and its schedule: now, customer_morning (each customer's own " +
				"morning, spread over window) or a time (RFC 3339). Consent is never part of the audience: only customers with " +
				"marketing consent on the channel get it, under the frequency cap and inside their contact hours. Every field " +
				"is validated before anything is written; unknown fields are refused.",
			Request: campaignBody{}, Response: campaignJSON{}, Status: 201, Errors: bodyErrors},
		{Method: "GET", Path: "/api/v1/campaigns", Tag: "campaigns", Scopes: read, handle: h.campaignList,
			Summary:     "List the campaigns",
			Description: "The campaigns, the newest first, a page at a time, with their progress.",
			Query:       pageQuery, Response: campaignsJSON{}, Status: 200, Errors: []int{s422}},
		{Method: "GET", Path: "/api/v1/campaigns/{id}", Tag: "campaigns", Scopes: read, handle: h.campaignGet,
			Summary: "Get a campaign with its progress and results",
			Description: "The campaign; audience_size, sent, failed, suppressed (by reason) and the rest of its progress; and " +
				"its results: delivered, bounced, complained, unsubscribed, clicked, clicks, orders and revenue attributed " +
				"(within attribution_days of a click, else of the message), revenue per message, per variant, and the holdout.",
			Response: campaignJSON{}, Status: 200, Errors: []int{s404}},
		{Method: "PATCH", Path: "/api/v1/campaigns/{id}", Tag: "campaigns", Scopes: write, handle: h.campaignPatch,
			Summary: "Change a draft",
			Description: "The fields sent replace the draft's; the rest stay. Only a draft changes (409 for a campaign " +
				"already started).",
			Request: campaignBody{}, Response: campaignJSON{}, Status: 200, Errors: append([]int{s404, s409}, bodyErrors...)},
		{Method: "POST", Path: "/api/v1/campaigns/{id}/send", Tag: "campaigns", Scopes: write, handle: h.campaignAction("send"),
			Summary: "Start sending a campaign",
			Description: "Evaluates the audience into its recipients and sends on the campaign's schedule; a draft only " +
				"(409 otherwise).",
			Response: campaignJSON{}, Status: 200, Errors: idErrors},
		{Method: "POST", Path: "/api/v1/campaigns/{id}/pause", Tag: "campaigns", Scopes: write, handle: h.campaignAction("pause"),
			Summary:  "Pause a sending campaign",
			Response: campaignJSON{}, Status: 200, Errors: idErrors},
		{Method: "POST", Path: "/api/v1/campaigns/{id}/resume", Tag: "campaigns", Scopes: write, handle: h.campaignAction("resume"),
			Summary:  "Resume a paused campaign",
			Response: campaignJSON{}, Status: 200, Errors: idErrors},
		{Method: "POST", Path: "/api/v1/campaigns/{id}/cancel", Tag: "campaigns", Scopes: write, handle: h.campaignAction("cancel"),
			Summary:     "Cancel a campaign for good",
			Description: "Nobody else gets it; who got it keeps it.",
			Response:    campaignJSON{}, Status: 200, Errors: idErrors},
		{Method: "POST", Path: "/api/v1/campaigns/{id}/test", Tag: "campaigns", Scopes: write, handle: h.campaignTest,
			Summary: "Send a test of a campaign",
			Description: "Sends the campaign's message in language (and variant) to one address on its channel (an e-mail, a " +
				"phone, a Telegram chat), its subject marked as a test; nothing is counted.",
			Request: campaignTestBody{}, Status: 204, Errors: append([]int{s404}, bodyErrors...)},
		{Method: "GET", Path: "/api/v1/campaigns/{id}/preview", Tag: "campaigns", Scopes: read, handle: h.campaignPreview,
			Summary:     "Preview a campaign for a customer",
			Description: "The message as the customer would get it, in language (theirs by default); nothing is sent.",
			Query: []param{{Name: "customer", Type: "integer", Description: "The customer's id."},
				{Name: "language", Description: "ru, lv or en; the customer's own when left out."},
				{Name: "variant", Enum: []string{"a", "b"}, Description: "The A/B test's variant (a by default)."}},
			Response: campaignPreviewJSON{}, Status: 200, Errors: []int{s404, s422}},
		{Method: "POST", Path: "/api/v1/audiences/count", Tag: "campaigns", Scopes: []auth.Scope{auth.ScopeRead, auth.ScopeCampaigns},
			handle: h.audienceCount, Summary: "Count an audience",
			Description: "How many customers an audience holds, and how many of them a campaign on the channel may reach " +
				"(marketing consent on it, an address that has not failed, no unsubscribe from marketing). Writes nothing.",
			Request: audienceCountBody{}, Response: audienceCountJSON{}, Status: 200, Errors: bodyErrors},
		{Method: "GET", Path: "/api/v1/audiences", Tag: "campaigns", Scopes: read, handle: h.audienceList,
			Summary:  "List the saved audiences",
			Response: audiencesJSON{}, Status: 200},
		{Method: "POST", Path: "/api/v1/audiences", Tag: "campaigns", Scopes: write, handle: h.audienceSave,
			Summary:     "Save an audience",
			Description: "Saves an audience's criteria under a name of its own, for campaigns to name as audience.saved.",
			Request:     audienceSaveBody{}, Response: savedAudienceJSON{}, Status: 201, Errors: bodyErrors},
		{Method: "DELETE", Path: "/api/v1/audiences/{id}", Tag: "campaigns", Scopes: write, handle: h.audienceDelete,
			Summary: "Delete a saved audience", Status: 204, Errors: []int{s404}},
	}
}

// campaignID is the {id} of the path; a bad one is a 404.
func campaignID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.ErrNotFound
	}
	return id, nil
}

// campaignCreate creates a draft.
func (h *Handler) campaignCreate(w http.ResponseWriter, r *http.Request) {
	var body campaignBody
	raw, err := strictBody(r, &body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in, err := body.input(campaign.Input{}, raw, h.app.Settings.Shop.Currency)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in.CreatedBy, _ = tokenOf(r.Context())
	id, err := h.campaignService().Create(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeCampaign(w, r, id, http.StatusCreated)
}

// campaignPatch changes a draft's fields that were sent.
func (h *Handler) campaignPatch(w http.ResponseWriter, r *http.Request) {
	id, err := campaignID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body campaignBody
	raw, err := strictBody(r, &body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.campaignService().Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in, err := body.input(inputOf(c), raw, h.app.Settings.Shop.Currency)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.campaignService().Update(r.Context(), id, in); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeCampaign(w, r, id, http.StatusOK)
}

// campaignList lists a page of the campaigns.
func (h *Handler) campaignList(w http.ResponseWriter, r *http.Request) {
	var errs invalid.List
	limit, cursor := campaignPage(r, &errs)
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.campaignService().List(r.Context(), cursor, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := campaignsJSON{Campaigns: []campaignJSON{}, NextCursor: page.Next}
	for i := range page.Campaigns {
		c := &page.Campaigns[i]
		v := h.campaignView(c)
		if c.Status != campaign.Draft {
			if p, err := h.campaignService().Progress(r.Context(), c.ID); err == nil {
				v.progress(p)
			}
		}
		out.Campaigns = append(out.Campaigns, v)
	}
	writeJSON(w, http.StatusOK, out)
}

// campaignPage reads limit and cursor; a campaign list's cursor is the
// last id of the page before.
func campaignPage(r *http.Request, errs *invalid.List) (limit int, cursor string) {
	q := r.URL.Query()
	limit = 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			errs.Add("limit", "invalid", "must be a number from 1 to 200")
		}
		limit = n
	}
	cursor = q.Get("cursor")
	if cursor != "" {
		if n, err := strconv.ParseInt(cursor, 10, 64); err != nil || n <= 0 {
			errs.Add("cursor", "invalid", "is not a cursor this API gave (next_cursor of the page before)")
		}
	}
	return limit, cursor
}

// campaignGet answers one campaign with its progress and results.
func (h *Handler) campaignGet(w http.ResponseWriter, r *http.Request) {
	id, err := campaignID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeCampaign(w, r, id, http.StatusOK)
}

// writeCampaign answers campaign id as it is now: with its progress and
// results once started.
func (h *Handler) writeCampaign(w http.ResponseWriter, r *http.Request, id int64, status int) {
	svc := h.campaignService()
	c, err := svc.Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.campaignView(c)
	if c.Status != campaign.Draft {
		p, err := svc.Progress(r.Context(), id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.progress(p)
		res, err := svc.Results(r.Context(), id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Results = h.resultsView(res)
	}
	writeJSON(w, status, v)
}

// campaignAction runs one of the status changes and answers the campaign.
func (h *Handler) campaignAction(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := campaignID(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		svc, ctx := h.campaignService(), r.Context()
		switch action {
		case "send":
			by, _ := tokenOf(ctx)
			err = svc.Start(ctx, id, by)
		case "pause":
			err = svc.Pause(ctx, id)
		case "resume":
			err = svc.Resume(ctx, id)
		case "cancel":
			err = svc.Cancel(ctx, id)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.writeCampaign(w, r, id, http.StatusOK)
	}
}

// campaignTestBody is a test send.
type campaignTestBody struct {
	To       string `json:"to" doc:"The address on the campaign's channel: an e-mail, a phone number, a Telegram chat id."`
	Language string `json:"language" doc:"ru, lv or en; the shop's first language when left out."`
	Variant  string `json:"variant,omitempty" doc:"a (default) or b, the A/B test's second content."`
}

// campaignTest sends a test.
func (h *Handler) campaignTest(w http.ResponseWriter, r *http.Request) {
	id, err := campaignID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body campaignTestBody
	if _, err := strictBody(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	var errs invalid.List
	if body.To == "" {
		errs.Add("to", "required", "the address to send the test to")
	}
	checkVariant(&errs, body.Variant)
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.campaignService().TestSend(r.Context(), id, body.To, body.Language, body.Variant); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func checkVariant(errs *invalid.List, v string) {
	if v != "" && v != campaign.VariantA && v != campaign.VariantB {
		errs.Add("variant", "invalid", "%q is not a or b", v)
	}
}

// campaignPreviewJSON is a campaign's message rendered for a customer.
type campaignPreviewJSON struct {
	Subject     string `json:"subject,omitempty"`
	Text        string `json:"text"`
	HTML        string `json:"html,omitempty"`
	Unsubscribe string `json:"unsubscribe,omitempty" doc:"The customer's one-click unsubscribe link."`
}

// campaignPreview renders the message for a customer.
func (h *Handler) campaignPreview(w http.ResponseWriter, r *http.Request) {
	id, err := campaignID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var errs invalid.List
	customerID, err := strconv.ParseInt(q.Get("customer"), 10, 64)
	if err != nil || customerID <= 0 {
		errs.Add("customer", "invalid", "must be a customer's id")
	}
	variant := q.Get("variant")
	checkVariant(&errs, variant)
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	out, err := h.campaignService().Preview(r.Context(), id, customerID, q.Get("language"), variant)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, campaignPreviewJSON{Subject: out.Subject, Text: out.Text, HTML: out.HTML, Unsubscribe: out.Unsubscribe})
}

// audienceCountBody asks for an audience's count.
type audienceCountBody struct {
	Audience campaign.Audience `json:"audience"`
	Channel  string            `json:"channel" doc:"email, sms, telegram or paper (paper reaches everyone)."`
}

// audienceCountJSON is an audience counted.
type audienceCountJSON struct {
	Customers int64 `json:"customers" doc:"Everyone the audience matches (erased customers never)."`
	Reachable int64 `json:"reachable" doc:"Those of them a campaign on the channel may reach now."`
}

// audienceCount counts an audience.
func (h *Handler) audienceCount(w http.ResponseWriter, r *http.Request) {
	var body audienceCountBody
	if _, err := strictBody(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.campaignService().CountAudience(r.Context(), body.Audience, body.Channel)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, audienceCountJSON{Customers: n.Customers, Reachable: n.Reachable})
}

// audienceSaveBody saves an audience.
type audienceSaveBody struct {
	Name     string            `json:"name"`
	Audience campaign.Audience `json:"audience"`
}

// savedAudienceJSON is a saved audience.
type savedAudienceJSON struct {
	ID        int64             `json:"id"`
	Name      string            `json:"name"`
	Audience  campaign.Audience `json:"audience"`
	CreatedAt time.Time         `json:"created_at"`
}

// audiencesJSON are the saved audiences.
type audiencesJSON struct {
	Audiences []savedAudienceJSON `json:"audiences"`
}

func (h *Handler) savedAudienceView(a campaign.SavedAudience) savedAudienceJSON {
	return savedAudienceJSON{ID: a.ID, Name: a.Name, Audience: a.Audience, CreatedAt: a.CreatedAt.In(h.app.Settings.Shop.Location())}
}

// audienceList lists the saved audiences.
func (h *Handler) audienceList(w http.ResponseWriter, r *http.Request) {
	list, err := h.campaignService().Audiences(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := audiencesJSON{Audiences: []savedAudienceJSON{}}
	for _, a := range list {
		out.Audiences = append(out.Audiences, h.savedAudienceView(a))
	}
	writeJSON(w, http.StatusOK, out)
}

// audienceSave saves an audience.
func (h *Handler) audienceSave(w http.ResponseWriter, r *http.Request) {
	var body audienceSaveBody
	if _, err := strictBody(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.campaignService().SaveAudience(r.Context(), body.Name, body.Audience)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, h.savedAudienceView(a))
}

// audienceDelete deletes a saved audience.
func (h *Handler) audienceDelete(w http.ResponseWriter, r *http.Request) {
	id, err := campaignID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.campaignService().DeleteAudience(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
