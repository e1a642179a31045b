package web

import (
	"context"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/insider"
)

// insiderClub is what the web surface calls of the "first to know" club.
type insiderClub interface {
	ForCustomer(ctx context.Context, customerID int64) ([]insider.Membership, error)
	Join(ctx context.Context, in insider.JoinInput) (bool, error)
	Leave(ctx context.Context, projectID, customerID int64) error
	Verify(ctx context.Context, token string, now time.Time) (insider.Invitation, error)
	ProjectGet(ctx context.Context, id int64) (insider.Project, error)
	ProjectList(ctx context.Context) ([]insider.Project, error)
	ProjectSave(ctx context.Context, in insider.ProjectInput) (int64, error)
	ProjectClose(ctx context.Context, id int64, closed bool) error
	Members(ctx context.Context, projectID int64, cursor string, limit int, withLeft bool) (insider.MemberPage, error)
	EachMember(ctx context.Context, projectID int64, fn func(insider.Member) error) error
	Invited(ctx context.Context, token string, now time.Time) (insider.Invited, error)
	Today() string
}

// insiders is the club's service.
func (h *Handler) insiders() insiderClub { return h.app.Insiders }

// handleInsiders registers the club's public pages on mux: the
// invitation link of a message, whose GET only shows a button (mail
// scanners follow links) and whose POST joins.
func (h *Handler) handleInsiders(mux *http.ServeMux) {
	mux.Handle("GET /i/{token}", h.crossOrigin.Handler(http.HandlerFunc(h.insiderInviteShow)))
	mux.Handle("POST /i/{token}", h.crossOrigin.Handler(http.HandlerFunc(h.insiderInviteSave)))
}

// insiderAdminRoutes are the admin's pages of the club (area customers).
func (h *Handler) insiderAdminRoutes() []adminRoute {
	return []adminRoute{
		{"GET /insiders", auth.AreaCustomers, h.insiderList},
		{"POST /insiders", auth.AreaCustomers, h.insiderSave},
		{"GET /insiders/{id}", auth.AreaCustomers, h.insiderShow},
		{"POST /insiders/{id}/close", auth.AreaCustomers, h.insiderClose},
		{"GET /insiders/{id}/members.csv", auth.AreaCustomers, h.insiderMembersCSV},
	}
}

// insiderMyRoutes are the customer's own pages (/my) of the club.
func (h *Handler) insiderMyRoutes() []myRoute {
	return []myRoute{
		{pattern: "GET /my/insiders", mine: h.myInsiders},
		{pattern: "POST /my/insiders/{id}/join", mine: h.myInsiderJoin},
		{pattern: "POST /my/insiders/{id}/leave", mine: h.myInsiderLeave},
	}
}
