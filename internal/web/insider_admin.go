package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/invalid"
)

// insiderMembersShown is how many members the project's page lists; the
// CSV has them all.
const insiderMembersShown = 200

// insiderAdminPage is the admin's club page: the projects with their
// sign-ups against the goal (/insiders), or one project with its form
// and members (/insiders/{id}).
type insiderAdminPage struct {
	adminPage
	Projects []insider.Project
	// Project is the one shown, nil on the list.
	Project *insider.Project
	Form    insiderForm
	Errors  map[string]string // field → its problem, in the user's language
	Members []insider.Member
	// More: the project has more members than the page lists.
	More   bool
	Today  string
	Notice string
	Kinds  []insider.Kind
	Langs  []string
}

// insiderForm is the project form as typed.
type insiderForm struct {
	ID                 int64
	Kind               string
	Title, Description map[string]string
	Goal               string
	StartsOn, EndsOn   string
}

// insiderFormOf fills the form from a stored project.
func insiderFormOf(p insider.Project) insiderForm {
	f := insiderForm{ID: p.ID, Kind: string(p.Kind), Title: p.Title, Description: p.Description,
		StartsOn: p.StartsOn, EndsOn: p.EndsOn}
	if p.Goal > 0 {
		f.Goal = strconv.FormatInt(p.Goal, 10)
	}
	return f
}

// insiderList lists the projects, with the form of a new one.
func (h *Handler) insiderList(w http.ResponseWriter, r *http.Request, v *visitor) {
	p := insiderAdminPage{Form: insiderForm{Kind: string(insider.PreOrder)}}
	if r.URL.Query().Get("saved") != "" {
		p.Notice = "saved"
	}
	h.insiderRender(w, r, v, http.StatusOK, p)
}

// insiderShow shows one project: its form, members and export.
func (h *Handler) insiderShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, ok := insiderID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	pr, err := h.insiders().ProjectGet(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := insiderAdminPage{Project: &pr, Form: insiderFormOf(pr)}
	switch q := r.URL.Query(); {
	case q.Get("saved") != "":
		p.Notice = "saved"
	case q.Get("closed") != "":
		p.Notice = "closed"
	case q.Get("reopened") != "":
		p.Notice = "reopened"
	}
	h.insiderRender(w, r, v, http.StatusOK, p)
}

// insiderRender fills the lists and renders the list (p.Project nil) or
// the project's page.
func (h *Handler) insiderRender(w http.ResponseWriter, r *http.Request, v *visitor, status int, p insiderAdminPage) {
	ctx := r.Context()
	p.adminPage, p.Today, p.Kinds, p.Langs = h.adminPage(v, auth.AreaCustomers), h.insiders().Today(), insider.Kinds,
		[]string{"ru", "lv", "en"}
	p.current("/customers")
	name := "insider_list"
	if p.Project != nil {
		name = "insider_show"
		page, err := h.insiders().Members(ctx, p.Project.ID, "", insiderMembersShown, false)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Members, p.More = page.Members, page.Next != ""
	} else {
		list, err := h.insiders().ProjectList(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Projects = list
	}
	h.render(w, r, status, name, p)
}

// insiderSave adds or changes a project (id empty or a project's). A
// form to correct comes back with each field's problem and writes
// nothing.
func (h *Handler) insiderSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	f, in, problems := parseInsiderForm(r.PostForm)
	var pr *insider.Project
	if in.ID != 0 {
		got, err := h.insiders().ProjectGet(r.Context(), in.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		pr = &got
	}
	if problems == nil {
		id, err := h.insiders().ProjectSave(r.Context(), in)
		if err == nil {
			http.Redirect(w, r, "/insiders/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
			return
		}
		if !errors.As(err, &problems) {
			h.fail(w, r, err)
			return
		}
	}
	p := insiderAdminPage{Project: pr, Form: f, Errors: map[string]string{}}
	for _, e := range problems {
		if _, dup := p.Errors[e.Field]; !dup {
			p.Errors[e.Field] = insiderProblem(v.Lang, e)
		}
	}
	h.insiderRender(w, r, v, http.StatusUnprocessableEntity, p)
}

// parseInsiderForm reads the project form: id, kind, title_<lang>,
// description_<lang>, goal (a whole number, empty for none), starts_on,
// ends_on. A goal or id that is no number is a problem here; the rest is
// checked by the club's service.
func parseInsiderForm(form url.Values) (insiderForm, insider.ProjectInput, invalid.List) {
	f := insiderForm{Kind: form.Get("kind"), Title: map[string]string{}, Description: map[string]string{},
		Goal: strings.TrimSpace(form.Get("goal")), StartsOn: form.Get("starts_on"), EndsOn: form.Get("ends_on")}
	in := insider.ProjectInput{Kind: insider.Kind(f.Kind), Title: map[string]string{}, Description: map[string]string{},
		StartsOn: f.StartsOn, EndsOn: f.EndsOn}
	for _, l := range []string{"ru", "lv", "en"} {
		f.Title[l], f.Description[l] = form.Get("title_"+l), form.Get("description_"+l)
		in.Title[l], in.Description[l] = f.Title[l], f.Description[l]
	}
	var problems invalid.List
	if s := strings.TrimSpace(form.Get("id")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			problems.Add("id", "invalid", "is not a project")
		}
		f.ID, in.ID = id, id
	}
	if f.Goal != "" {
		n, err := strconv.ParseInt(f.Goal, 10, 64)
		if err != nil {
			problems.Add("goal", "number", "must be a whole number")
		}
		in.Goal = n
	}
	if err := in.Check(); err != nil {
		var more invalid.List
		if errors.As(err, &more) {
			problems = append(problems, more...)
		}
	}
	return f, in, problems
}

// insiderProblem words a problem of the project form for the admin:
// insider.error.<code>, the field's length limit where it has one.
func insiderProblem(lang i18n.Lang, e *invalid.Error) string {
	max := insider.MaxTitle
	if strings.HasPrefix(e.Field, "description_") {
		max = insider.MaxDescription
	}
	if e.Field == "goal" {
		max = insider.MaxGoal
	}
	id := "insider.error." + e.Code
	if s := i18n.Text(lang, id, map[string]any{"Max": max}); s != "["+id+"]" {
		return s
	}
	return i18n.Text(lang, "insider.error.invalid", nil)
}

// insiderClose closes a project to sign-ups, or reopens it (open=1).
func (h *Handler) insiderClose(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, ok := insiderID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	reopen := r.PostFormValue("open") == "1"
	if err := h.insiders().ProjectClose(r.Context(), id, !reopen); err != nil {
		h.fail(w, r, err)
		return
	}
	done := "closed"
	if reopen {
		done = "reopened"
	}
	http.Redirect(w, r, "/insiders/"+strconv.FormatInt(id, 10)+"?"+done+"=1", http.StatusSeeOther)
}
