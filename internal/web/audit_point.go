package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/audit"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// auditChecksShown is how many of a point's latest checks its page lists.
const auditChecksShown = 24

// auditPointPage is one touch point: what shopcare measures, the form to
// record a check, the trend, the checks made and the checklist editor.
type auditPointPage struct {
	adminPage
	Point  auditPointView
	Kinds  []auditKindOption
	Checks []auditCheckView
	Form   auditCheckForm
	Today  string
	// Errors are the check form's problems by field; ItemErrors the
	// checklist editor's, by the item's id ("new" for the one added).
	Errors     map[string]string
	ItemErrors map[string]string
	ItemText   map[string]string // the texts typed, kept on a 422
	Notice     string            // what was just done, in words
}

// auditKindOption is a kind of check as the form offers it.
type auditKindOption struct {
	Value, Name string
}

// auditCheckForm is the check form's values: a check's input, and the
// answers as the form's radio buttons name them.
type auditCheckForm struct {
	Day, Kind, Who, Score, Notes string
	Answers                      map[int64]string // item id → pass, fail or ""
}

// auditCheckView is a check made, in words.
type auditCheckView struct {
	audit.Check
	DayName  string
	KindName string
	Score    string
	Passed   string
}

// auditPoint shows one touch point.
func (h *Handler) auditPoint(w http.ResponseWriter, r *http.Request, v *visitor) {
	point, ok := h.auditPointOf(w, r)
	if !ok {
		return
	}
	p := auditPointPage{Form: auditCheckForm{Kind: string(audit.KindSelf), Who: v.User.Email}}
	switch q := r.URL.Query(); {
	case q.Get("saved") != "":
		p.Notice = i18n.Text(v.Lang, "admin.audit.check.saved", nil)
	case q.Get("deleted") != "":
		p.Notice = i18n.Text(v.Lang, "admin.audit.check.deleted", nil)
	case q.Get("items") != "":
		p.Notice = i18n.Text(v.Lang, "admin.audit.items.saved", nil)
	case q.Get("item_deleted") != "":
		p.Notice = i18n.Text(v.Lang, "admin.audit.items.deleted", nil)
	}
	h.renderAuditPoint(w, r, v, http.StatusOK, point, p)
}

func (h *Handler) renderAuditPoint(w http.ResponseWriter, r *http.Request, v *visitor, status int, point audit.Point, p auditPointPage) {
	ctx, now := r.Context(), h.app.Clock.Now()
	o, err := h.app.Audit.Overview(ctx, point, now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	checks, err := h.app.Audit.Checks(ctx, point, "", "", true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.adminPage, p.Point = h.adminPage(v, auditArea), auditView(v.Lang, o)
	for _, k := range audit.Kinds() {
		p.Kinds = append(p.Kinds, auditKindOption{Value: string(k), Name: auditKindName(v.Lang, k)})
	}
	p.current("/audit")
	p.Today = now.In(h.app.Settings.Shop.Location()).Format("2006-01-02")
	if p.Form.Day == "" {
		p.Form.Day = p.Today
	}
	for i, c := range checks {
		if i == auditChecksShown {
			break
		}
		p.Checks = append(p.Checks, auditCheckView{Check: c, DayName: formatStoredDay(v.Lang, c.Day),
			KindName: auditKindName(v.Lang, c.Kind), Score: auditCheckScore(v.Lang, c), Passed: auditCheckPassed(v.Lang, c)})
	}
	h.render(w, r, status, "audit_point", p)
}

// auditCheckSave records a check of the point from its form; a form to
// correct comes back with each field's problem and writes nothing.
func (h *Handler) auditCheckSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	point, ok := h.auditPointOf(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	in, problems := audit.ParseForm(point, r.PostForm)
	in.By = v.User.Email
	var err error
	if len(problems) == 0 {
		_, err = h.app.Audit.CheckAdd(r.Context(), in, h.app.Clock.Now())
	} else {
		// Some fields could not be read: say what else is wrong too,
		// without writing.
		err = append(problems, h.app.Audit.Validate(in, h.app.Clock.Now())...)
	}
	if err == nil {
		h.log.InfoContext(r.Context(), "audit check recorded", "point", point, "by", v.User.Email)
		http.Redirect(w, r, "/audit/"+string(point)+"?saved=1", http.StatusSeeOther)
		return
	}
	var list invalid.List
	if !errors.As(err, &list) {
		h.fail(w, r, err)
		return
	}
	p := auditPointPage{Errors: map[string]string{}, Form: auditCheckForm{Day: r.PostFormValue("day"), Kind: r.PostFormValue("kind"),
		Who: r.PostFormValue("who"), Score: r.PostFormValue("score"), Notes: r.PostFormValue("notes"), Answers: map[int64]string{}}}
	for _, res := range in.Results {
		p.Form.Answers[res.ItemID] = map[bool]string{true: "pass", false: "fail"}[res.Passed]
	}
	for _, x := range list {
		if _, dup := p.Errors[x.Field]; !dup {
			p.Errors[x.Field] = auditProblem(v.Lang, x)
		}
	}
	h.renderAuditPoint(w, r, v, http.StatusUnprocessableEntity, point, p)
}

// auditCheckDelete removes a check made by mistake.
func (h *Handler) auditCheckDelete(w http.ResponseWriter, r *http.Request, v *visitor) {
	point, ok := h.auditPointOf(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	if err := h.app.Audit.CheckDelete(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "audit check deleted", "id", id, "by", v.User.Email)
	http.Redirect(w, r, "/audit/"+string(point)+"?deleted=1#checks", http.StatusSeeOther)
}

// auditItemSave adds an item (no id), renames one (id) or moves one
// (id, move=up|down) of the point's checklist.
func (h *Handler) auditItemSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	point, ok := h.auditPointOf(w, r)
	if !ok {
		return
	}
	ctx, now := r.Context(), h.app.Clock.Now()
	var id int64
	if s := r.PostFormValue("id"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			h.notFound(w, r)
			return
		}
		id = n
	}
	back := "/audit/" + string(point) + "?items=1#item-" + strconv.FormatInt(id, 10)
	if move := r.PostFormValue("move"); move != "" {
		if id == 0 || (move != "up" && move != "down") {
			h.notFound(w, r)
			return
		}
		if err := h.app.Audit.ItemMove(ctx, point, id, move == "up", now); err != nil {
			h.fail(w, r, err)
			return
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	text := r.PostFormValue("text")
	it, err := h.app.Audit.ItemSave(ctx, point, id, text, now)
	var bad *invalid.Error
	switch {
	case err == nil:
		h.log.InfoContext(r.Context(), "audit item saved", "point", point, "id", it.ID, "by", v.User.Email)
		http.Redirect(w, r, "/audit/"+string(point)+"?items=1#item-"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
	case errors.As(err, &bad):
		key := "new"
		if id != 0 {
			key = strconv.FormatInt(id, 10)
		}
		p := auditPointPage{ItemErrors: map[string]string{key: auditProblem(v.Lang, bad)}, ItemText: map[string]string{key: text},
			Form: auditCheckForm{Kind: string(audit.KindSelf), Who: v.User.Email}}
		h.renderAuditPoint(w, r, v, http.StatusUnprocessableEntity, point, p)
	case errors.Is(err, app.ErrNotFound):
		h.notFound(w, r)
	default:
		h.fail(w, r, err)
	}
}

// auditItemDelete removes an item of the point's checklist.
func (h *Handler) auditItemDelete(w http.ResponseWriter, r *http.Request, v *visitor) {
	point, ok := h.auditPointOf(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	if err := h.app.Audit.ItemDelete(r.Context(), point, id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "audit item deleted", "point", point, "id", id, "by", v.User.Email)
	http.Redirect(w, r, "/audit/"+string(point)+"?item_deleted=1#checklist", http.StatusSeeOther)
}

// auditProblem says a field's problem in the viewer's language.
func auditProblem(lang i18n.Lang, e *invalid.Error) string {
	id := "admin.audit.error.text"
	switch {
	case e.Field == "day" && e.Code == "in_future":
		id = "admin.audit.error.in_future"
	case e.Field == "day":
		id = "admin.audit.error.day"
	case e.Field == "kind":
		id = "admin.audit.error.kind"
	case e.Field == "score" && e.Code == "required":
		id = "admin.audit.error.score_required"
	case e.Field == "score":
		id = "admin.audit.error.score"
	case e.Code == "too_many":
		id = "admin.audit.error.too_many"
	case e.Field == "results":
		id = "admin.audit.error.results"
	case e.Code == "required":
		id = "admin.audit.error.required"
	case e.Code == "too_long":
		id = "admin.audit.error.too_long"
	}
	limit := audit.MaxItemText
	switch e.Field {
	case "who":
		limit = audit.MaxWho
	case "note":
		limit = audit.MaxNotes
	}
	if e.Code == "too_many" {
		limit = audit.MaxItems
	}
	return i18n.Text(lang, id, map[string]any{"Max": limit})
}
