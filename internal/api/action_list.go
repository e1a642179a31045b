package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/invalid"
)

// actionRoutes are the log of admin actions (issue 26). The route has no
// scope: only a token without scopes (every scope, the owner's kind of
// token) may read who did what.
func (h *Handler) actionRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/v1/admin-actions", Tag: "shop", handle: h.actionList,
			Summary: "The log of admin actions",
			Description: "Who saved the settings, granted points, exported customers, added people or tokens, started " +
				"campaigns — in the admin, with a token or on the command line — newest first, in pages cut by a cursor. " +
				"Only a token without scopes may read it.",
			Query: []param{
				{Name: "action", Description: "Only this action.", Enum: actionNames()},
				{Name: "actor", Description: "Only actors whose e-mail, token name or user contains this text."},
				{Name: "from", Format: "date", Description: "From this day (the shop's time zone)."},
				{Name: "to", Format: "date", Description: "To this day, included."},
				{Name: "cursor", Description: "Where the page starts: the next_cursor of the page before."},
				{Name: "limit", Type: "integer", Description: "Rows per page, 1 to 200 (default 50)."},
			},
			Response: actionsJSON{}, Status: 200, Errors: []int{s422}},
	}
}

func actionNames() []string {
	out := make([]string, len(actionlog.Actions))
	for i, a := range actionlog.Actions {
		out[i] = string(a)
	}
	return out
}

// actionsJSON is a page of the log.
type actionsJSON struct {
	Actions    []actionJSON `json:"actions"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

// actionJSON is one line of the log.
type actionJSON struct {
	ID         int64          `json:"id"`
	At         time.Time      `json:"at"`
	ShopAt     *time.Time     `json:"shop_at,omitempty"`
	ActorKind  string         `json:"actor_kind"`
	ActorID    int64          `json:"actor_id,omitempty"`
	Actor      string         `json:"actor"`
	Action     string         `json:"action"`
	TargetKind string         `json:"target_kind,omitempty"`
	TargetID   string         `json:"target_id,omitempty"`
	Detail     map[string]any `json:"detail"`
	RemoteAddr string         `json:"remote_addr,omitempty"`
	RequestID  string         `json:"request_id,omitempty"`
}

// actionList answers a page of the log (GET /api/v1/admin-actions).
func (h *Handler) actionList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	q.Set("after", q.Get("cursor"))
	f, err := actionlog.ParseFilter(q, h.app.Settings.Shop.Location())
	if e, ok := invalid.First(err); ok && e.Field == "after" {
		err = invalid.Field("cursor", "invalid", "not a cursor of this list: leave it out for the first page")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Limit = 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			h.fail(w, r, invalid.Field("limit", "invalid", "must be a number from 1 to 200"))
			return
		}
		f.Limit = n
	}
	lines, more, err := h.app.Actions.List(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := actionsJSON{Actions: make([]actionJSON, 0, len(lines))}
	for _, l := range lines {
		out.Actions = append(out.Actions, actionJSON{ID: l.ID, At: l.At.UTC(), ShopAt: utcPtr(l.ShopAt), ActorKind: string(l.ActorKind),
			ActorID: l.ActorID, Actor: l.ActorName, Action: string(l.Action), TargetKind: l.TargetKind, TargetID: l.TargetID,
			Detail: l.Detail, RemoteAddr: l.RemoteAddr, RequestID: l.RequestID})
	}
	if more && len(lines) > 0 {
		out.NextCursor = strconv.FormatInt(lines[len(lines)-1].ID, 10)
	}
	writeJSON(w, http.StatusOK, out)
}
