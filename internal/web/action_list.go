package web

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// actionListPage is the log of admin actions, newest first, with its
// filter.
type actionListPage struct {
	adminPage
	// Form is the filter as typed, kept when it is wrong.
	Form    struct{ Actor, From, To string }
	Actions []actionOption
	Errors  map[string]string
	Rows    []actionRow
	Pages   pageLinks
	CSV     string // the export's link, with the filter
}

// actionOption is an action of the filter's list, in words.
type actionOption struct {
	Code, Label string
	Selected    bool
}

// actionRow is one line of the log in the reader's words.
type actionRow struct {
	At                 time.Time
	Who, WhoKind       string
	Action             string
	Target, TargetURL  string
	Summary, Addr, Req string
}

// actionList shows the log (GET /actions).
func (h *Handler) actionList(w http.ResponseWriter, r *http.Request, v *visitor) {
	qs := r.URL.Query()
	p := actionListPage{adminPage: h.adminPage(v, actionsArea), Errors: map[string]string{}}
	p.current("/actions")
	f, err := actionlog.ParseFilter(qs, h.app.Settings.Shop.Location())
	status := http.StatusOK
	if err != nil {
		if _, ok := invalid.First(err); !ok {
			h.fail(w, r, err)
			return
		}
		var list invalid.List
		errors.As(err, &list)
		for _, e := range list {
			p.Errors[e.Field] = i18n.Text(v.Lang, "actions.error."+e.Field, nil)
		}
		status = http.StatusUnprocessableEntity
	}
	p.Form.Actor, p.Form.From, p.Form.To = qs.Get("actor"), qs.Get("from"), qs.Get("to")
	for _, a := range actionlog.Actions {
		p.Actions = append(p.Actions, actionOption{Code: string(a), Label: actionName(v.Lang, a), Selected: a == f.Action})
	}
	if status == http.StatusOK {
		f.Limit = pageSize
		lines, more, err := h.app.Actions.List(r.Context(), f)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		last := ""
		for _, l := range lines {
			p.Rows = append(p.Rows, actionRowOf(v.Lang, l))
			last = strconv.FormatInt(l.ID, 10)
		}
		p.Pages = newPager("/actions", qs).links(last, more)
		p.CSV = "/actions.csv"
		if q := f.Query().Encode(); q != "" {
			p.CSV += "?" + q
		}
	}
	h.render(w, r, status, "actions", p)
}

// actionCSV downloads the lines the filter selects (GET /actions.csv),
// with machine codes and UTC times: a file for tools. The export is
// itself an action, recorded once the file was sent.
func (h *Handler) actionCSV(w http.ResponseWriter, r *http.Request, v *visitor) {
	f, err := actionlog.ParseFilter(r.URL.Query(), h.app.Settings.Shop.Location())
	if err != nil {
		h.actionList(w, r, v)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="actions.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "at", "shop_at", "actor_kind", "actor_id", "actor", "action", "target_kind", "target_id",
		"detail", "remote_addr", "request_id"})
	rows := 0
	err = h.app.Actions.Each(r.Context(), f, func(l actionlog.Line) error {
		rows++
		shopAt := ""
		if l.ShopAt != nil {
			shopAt = l.ShopAt.UTC().Format(time.RFC3339)
		}
		detail, _ := json.Marshal(l.Detail)
		return cw.Write([]string{strconv.FormatInt(l.ID, 10), l.At.UTC().Format(time.RFC3339), shopAt, string(l.ActorKind),
			strconv.FormatInt(l.ActorID, 10), csvSafe(l.ActorName), string(l.Action), l.TargetKind, csvSafe(l.TargetID),
			csvSafe(string(detail)), l.RemoteAddr, csvSafe(l.RequestID)})
	})
	cw.Flush()
	if err != nil {
		h.log.ErrorContext(r.Context(), "actions CSV", "err", err)
		panic(http.ErrAbortHandler)
	}
	h.recordExport(r, actionlog.Entry{Action: actionlog.ActionsExported,
		Detail: map[string]any{"rows": rows, "filter": f.Query().Encode()}})
}

// actionName is an action's name in lang.
func actionName(lang i18n.Lang, a actionlog.Action) string {
	return i18n.Text(lang, "actions.action."+string(a), nil)
}

// actionRowOf puts a line in lang's words: who, what, to what, and a
// short summary of the detail.
func actionRowOf(lang i18n.Lang, l actionlog.Line) actionRow {
	row := actionRow{At: l.At, Who: l.ActorName, WhoKind: i18n.Text(lang, "actions.actor."+string(l.ActorKind), nil),
		Action: actionName(lang, l.Action), Addr: l.RemoteAddr, Req: l.RequestID}
	id := l.TargetID
	num, numErr := strconv.ParseInt(id, 10, 64)
	numeric := numErr == nil && num > 0
	switch {
	case l.TargetKind == actionlog.TargetCustomer && numeric:
		row.Target, row.TargetURL = i18n.Text(lang, "actions.target.customer", map[string]any{"ID": id}), "/customers/"+id
	case l.TargetKind == actionlog.TargetOrder && numeric:
		row.Target, row.TargetURL = i18n.Text(lang, "actions.target.order", map[string]any{"ID": id}), "/orders/"+id
	case l.TargetKind == actionlog.TargetCampaign && numeric:
		row.Target, row.TargetURL = i18n.Text(lang, "actions.target.campaign", map[string]any{"ID": id}), "/campaigns/"+id
	case l.TargetKind == actionlog.TargetReview && numeric:
		row.Target, row.TargetURL = i18n.Text(lang, "actions.target.review", map[string]any{"ID": id}), "/reviews"
	case l.TargetKind == "insider_project" && numeric:
		row.Target, row.TargetURL = i18n.Text(lang, "actions.target.insiders", map[string]any{"ID": id}), "/insiders/"+id
	case l.TargetKind == actionlog.TargetSegment && id != "":
		row.Target, row.TargetURL = i18n.Text(lang, "admin.segment."+id, nil), "/analytics/segments/"+url.PathEscape(id)
	case l.TargetKind == actionlog.TargetUser:
		row.Target, row.TargetURL = i18n.Text(lang, "actions.target.user", nil), "/users"
	case l.TargetKind == actionlog.TargetToken:
		row.Target, row.TargetURL = i18n.Text(lang, "actions.target.token", nil), "/tokens"
	case l.TargetKind == actionlog.TargetSettings:
		row.Target, row.TargetURL = i18n.Text(lang, "actions.target.settings", nil), "/settings"
	case l.TargetKind == actionlog.TargetStock && id != "":
		row.Target, row.TargetURL = id, stockPath(id)
	case l.TargetKind == actionlog.TargetStock:
		row.Target, row.TargetURL = i18n.Text(lang, "actions.target.stock", nil), "/stock"
	}
	row.Summary = actionSummary(lang, l)
	return row
}

// actionSummary says in lang what a line's detail holds: the settings'
// sections, the points, the rows of an export, the name of a token.
func actionSummary(lang i18n.Lang, l actionlog.Line) string {
	d := l.Detail
	str := func(k string) string {
		s, _ := d[k].(string)
		return s
	}
	num := func(k string) int {
		f, _ := d[k].(float64)
		return int(f)
	}
	switch l.Action {
	case actionlog.SettingsSaved, actionlog.SettingsRestored:
		var keys []string
		if list, ok := d["sections"].([]any); ok {
			for _, k := range list {
				if s, ok := k.(string); ok {
					keys = append(keys, s)
				}
			}
		}
		return sectionNames(lang, keys)
	case actionlog.PointsGranted:
		return i18n.Text(lang, "actions.detail.points", map[string]any{"Count": num("points"), "Reason": str("reason")})
	case actionlog.CustomersExported, actionlog.ActionsExported:
		return i18n.Text(lang, "actions.detail.rows", map[string]any{"Count": num("rows")})
	case actionlog.CustomerExported:
		return i18n.Text(lang, "actions.detail.orders", map[string]any{"Count": num("orders")})
	case actionlog.CustomerChanged:
		if f, ok := d["fields"].([]any); ok {
			return i18n.Text(lang, "actions.detail.fields", map[string]any{"Count": len(f)})
		}
	case actionlog.UserAdded, actionlog.UserRemoved:
		return str("email")
	case actionlog.TokenAdded, actionlog.TokenRevoked:
		return str("name")
	case actionlog.CampaignStarted, actionlog.CampaignCancelled:
		return str("name")
	case actionlog.OrderStatusSet:
		return statusName(lang, str("status"))
	case actionlog.StockSet:
		return i18n.Text(lang, "actions.detail.stock_set", map[string]any{"Count": num("on_hand")})
	case actionlog.StockImported:
		return i18n.Text(lang, "actions.detail.stock_imported", map[string]any{"Count": num("created") + num("updated") + num("unchanged")})
	case actionlog.ReviewPublished:
		if n := num("rating"); n > 0 {
			return strings.Repeat("★", min(n, 5))
		}
	}
	return ""
}
