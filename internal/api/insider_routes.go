package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/invalid"
)

// insiderClub is what the API reads of the "first to know" club.
type insiderClub interface {
	ProjectList(ctx context.Context) ([]insider.Project, error)
	Members(ctx context.Context, projectID int64, cursor string, limit int, withLeft bool) (insider.MemberPage, error)
	CustomerProjects(ctx context.Context, customerID int64) ([]insider.Membership, error)
	Consents(ctx context.Context, customerID int64) ([]insider.Member, error)
	Today() string
}

// insiders is the club's service.
func (h *Handler) insiders() insiderClub { return h.app.Insiders }

// insiderRoutes are the API routes of the club: its projects, and each
// project's members with their consent, the audiences of campaigns.
func (h *Handler) insiderRoutes() []route {
	read := []auth.Scope{auth.ScopeRead}
	return []route{
		{Method: "GET", Path: "/api/v1/insiders/projects", Tag: "insiders", Scopes: read, handle: h.insiderProjects,
			Summary: "List the club's projects",
			Description: "The \"first to know\" club's projects (pre-orders, early access, beta tests, crowdfunding), the open " +
				"ones first: titles and descriptions per language, the goal and the members now, the days they run and their state.",
			Response: insiderProjectsJSON{}, Status: 200},
		{Method: "GET", Path: "/api/v1/insiders/projects/{id}/members", Tag: "insiders", Scopes: read, handle: h.insiderMembers,
			Summary: "List a project's members with their consent",
			Description: "The customers who joined the project and have not left, the earliest first, each with their contacts " +
				"and the consent they gave: where they joined (my_page, message_link), the wording's version and language, " +
				"and when. left=true lists those who left too, with left_at (the withdrawal).",
			Query:    append([]param{{Name: "left", Type: "boolean", Description: "Also list the members who left."}}, pageQuery...),
			Response: insiderMembersJSON{}, Status: 200, Errors: []int{s404, s422}},
	}
}

// insiderProjectJSON is a project of the club.
type insiderProjectJSON struct {
	ID          int64             `json:"id"`
	Kind        insider.Kind      `json:"kind" doc:"pre_order, early_access, beta_test or crowdfunding."`
	Title       map[string]string `json:"title" doc:"The title per language (ru, lv, en); empty where the shop wrote none."`
	Description map[string]string `json:"description"`
	Goal        int64             `json:"goal" doc:"The sign-ups the shop hopes for; 0 for none."`
	Members     int64             `json:"members" doc:"The customers in it now."`
	StartsOn    string            `json:"starts_on,omitempty" doc:"The first day of sign-ups (YYYY-MM-DD, shop-local)."`
	EndsOn      string            `json:"ends_on,omitempty" doc:"The last day of sign-ups (YYYY-MM-DD, shop-local)."`
	State       string            `json:"state" doc:"open, upcoming, over or closed (by the shop)."`
	ClosedAt    *time.Time        `json:"closed_at,omitempty"`
	CreatedAt   time.Time         `json:"created_at"`
}

// insiderProjectsJSON is the list of projects.
type insiderProjectsJSON struct {
	Projects []insiderProjectJSON `json:"projects"`
}

// insiderMemberJSON is a project's member with their consent.
type insiderMemberJSON struct {
	CustomerID     int64          `json:"customer_id"`
	ExternalID     string         `json:"external_id,omitempty"`
	Name           string         `json:"name"`
	Email          string         `json:"email,omitempty"`
	Phone          string         `json:"phone,omitempty"`
	Language       string         `json:"language"`
	Source         insider.Source `json:"source" doc:"Where the customer joined: my_page or message_link."`
	ConsentVersion int            `json:"consent_version" doc:"The version of the consent's wording the customer agreed to."`
	ConsentLang    string         `json:"consent_language"`
	JoinedAt       time.Time      `json:"joined_at"`
	LeftAt         *time.Time     `json:"left_at,omitempty"`
}

// insiderMembersJSON is a page of members.
type insiderMembersJSON struct {
	Members    []insiderMemberJSON `json:"members"`
	NextCursor string              `json:"next_cursor" doc:"The cursor of the next page; empty on the last."`
}

// insiderProjects lists the club's projects.
func (h *Handler) insiderProjects(w http.ResponseWriter, r *http.Request) {
	list, err := h.insiders().ProjectList(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today, loc := h.insiders().Today(), h.app.Settings.Shop.Location()
	out := insiderProjectsJSON{Projects: []insiderProjectJSON{}}
	for _, p := range list {
		v := insiderProjectJSON{ID: p.ID, Kind: p.Kind, Title: p.Title, Description: p.Description, Goal: p.Goal,
			Members: p.Members, StartsOn: p.StartsOn, EndsOn: p.EndsOn, State: p.State(today), CreatedAt: p.CreatedAt.In(loc)}
		if p.ClosedAt != nil {
			at := p.ClosedAt.In(loc)
			v.ClosedAt = &at
		}
		out.Projects = append(out.Projects, v)
	}
	writeJSON(w, http.StatusOK, out)
}

// insiderMembers lists a page of a project's members.
func (h *Handler) insiderMembers(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, app.ErrNotFound)
		return
	}
	var errs invalid.List
	withLeft := false
	if v := r.URL.Query().Get("left"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs.Add("left", "invalid", "must be true or false")
		}
		withLeft = b
	}
	limit, cursor := pageOf(r, &errs)
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.insiders().Members(r.Context(), id, cursor, limit, withLeft)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	loc := h.app.Settings.Shop.Location()
	out := insiderMembersJSON{Members: []insiderMemberJSON{}, NextCursor: page.Next}
	for _, m := range page.Members {
		v := insiderMemberJSON{CustomerID: m.CustomerID, ExternalID: m.ExternalID, Name: m.Name, Email: m.Email,
			Phone: m.Phone, Language: m.Language, Source: m.Source, ConsentVersion: m.ConsentVersion,
			ConsentLang: m.ConsentLang, JoinedAt: m.JoinedAt.In(loc)}
		if m.LeftAt != nil {
			at := m.LeftAt.In(loc)
			v.LeftAt = &at
		}
		out.Members = append(out.Members, v)
	}
	writeJSON(w, http.StatusOK, out)
}

// customerInsiderJSON is a project of the club a customer is in, on the
// customer's GET.
type customerInsiderJSON struct {
	ProjectID int64        `json:"project_id"`
	Kind      insider.Kind `json:"kind"`
	Title     string       `json:"title" doc:"The project's title in the customer's language (another when the shop wrote none in it)."`
	JoinedAt  time.Time    `json:"joined_at"`
}

// customerInsiderProjects are the projects customer id is in, titled
// in lang, never nil.
func (h *Handler) customerInsiderProjects(ctx context.Context, id int64, lang string) ([]customerInsiderJSON, error) {
	ms, err := h.insiders().CustomerProjects(ctx, id)
	if err != nil {
		return nil, err
	}
	out := []customerInsiderJSON{}
	for _, m := range ms {
		v := customerInsiderJSON{ProjectID: m.ID, Kind: m.Kind, Title: m.TitleIn(lang)}
		if m.JoinedAt != nil {
			v.JoinedAt = m.JoinedAt.In(h.app.Settings.Shop.Location())
		}
		out = append(out, v)
	}
	return out, nil
}
