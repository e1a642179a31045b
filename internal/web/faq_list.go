package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/faq"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// faqUnanswered is how many unanswered searches the FAQ page lists.
const faqUnanswered = 20

// faqListPage is the owner's FAQ editor: one language's entries by
// section, the form to add or edit one, and what customers searched for
// without an answer.
type faqListPage struct {
	adminPage
	FAQLang    i18n.Lang // the language shown
	Langs      []i18n.Lang
	Sections   []faq.Section
	Form       faq.Entry
	Editing    bool
	Errors     map[string]string // field → its problem, in the owner's language
	Unanswered []faq.Searched
	Notice     string // text id of what was just done
}

// faqList shows the FAQ of ?lang= (the owner's language by default);
// ?edit= fills the form with an entry, ?question= with a question
// customers searched for.
func (h *Handler) faqList(w http.ResponseWriter, r *http.Request, v *visitor) {
	q := r.URL.Query()
	lang, ok := i18n.Parse(q.Get("lang"))
	if !ok {
		lang = v.Lang
	}
	p := faqListPage{Form: faq.Entry{Language: lang}}
	if id := q.Get("edit"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			h.notFound(w, r)
			return
		}
		e, err := h.faq.Get(r.Context(), n)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Form, p.Editing, lang = e, true, e.Language
	} else if question := q.Get("question"); question != "" {
		p.Form.Question = question
	}
	switch {
	case q.Get("saved") != "":
		p.Notice = "faq_list.saved"
	case q.Get("deleted") != "":
		p.Notice = "faq_list.deleted"
	}
	h.renderFAQ(w, r, v, http.StatusOK, lang, p)
}

func (h *Handler) renderFAQ(w http.ResponseWriter, r *http.Request, v *visitor, status int, lang i18n.Lang, p faqListPage) {
	ctx := r.Context()
	entries, err := h.faq.List(ctx, lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if p.Unanswered, err = h.faq.Unanswered(ctx, faqUnanswered); err != nil {
		h.fail(w, r, err)
		return
	}
	p.adminPage, p.FAQLang, p.Langs, p.Sections = h.adminPage(v, auth.AreaSettings), lang, i18n.Langs(), faq.Sections(entries)
	p.current("/settings")
	h.render(w, r, status, "faq_list", p)
}

// faqSave adds or edits an entry (id empty or an entry's), or moves one
// up or down its section (move=up|down with id). An invalid entry gets
// the form back with each field's problem and writes nothing.
func (h *Handler) faqSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx, now := r.Context(), h.human.Now()
	var id int64
	if s := r.PostFormValue("id"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			h.notFound(w, r)
			return
		}
		id = n
	}
	if move := r.PostFormValue("move"); move != "" {
		if id == 0 || (move != "up" && move != "down") {
			h.notFound(w, r)
			return
		}
		e, err := h.faq.Get(ctx, id)
		if err == nil {
			err = h.faq.Move(ctx, id, move == "up", now)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/faq?lang="+string(e.Language)+"#entry-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	e := faq.Entry{ID: id, Language: i18n.Lang(r.PostFormValue("language")), Section: r.PostFormValue("section"),
		Question: r.PostFormValue("question"), Answer: r.PostFormValue("answer")}
	p := faqListPage{Form: e, Editing: id != 0, Errors: map[string]string{}}
	if s := strings.TrimSpace(r.PostFormValue("position")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			p.Errors["position"] = i18n.Text(v.Lang, "faq_list.error.position", nil)
			n = 0
		}
		e.Position = n
	}
	var saved faq.Entry
	var err error
	if len(p.Errors) == 0 {
		saved, err = h.faq.Save(ctx, e, now)
	} else {
		// The position is no number: check the rest without writing, to
		// show every problem at once.
		check := e
		err = check.Normalize()
	}
	var list invalid.List
	switch {
	case err == nil && len(p.Errors) == 0:
		h.log.InfoContext(r.Context(), "FAQ entry saved", "id", saved.ID, "lang", saved.Language, "by", v.User.Email)
		http.Redirect(w, r, "/faq?lang="+string(saved.Language)+"&saved=1#entry-"+strconv.FormatInt(saved.ID, 10), http.StatusSeeOther)
		return
	case err == nil:
	case errors.As(err, &list):
		for _, x := range list {
			p.Errors[x.Field] = i18n.Text(v.Lang, faqProblem(x), map[string]any{"Max": faqLimit(x.Field)})
		}
	case errors.Is(err, app.ErrNotFound):
		h.notFound(w, r)
		return
	default:
		h.fail(w, r, err)
		return
	}
	p.Form.Position = e.Position
	lang, ok := i18n.Parse(string(e.Language))
	if !ok {
		lang = v.Lang
	}
	h.renderFAQ(w, r, v, http.StatusUnprocessableEntity, lang, p)
}

// faqProblem is the text id of a field's problem.
func faqProblem(e *invalid.Error) string {
	switch {
	case e.Field == "language":
		return "faq_list.error.language"
	case e.Field == "position":
		return "faq_list.error.position"
	case e.Code == "required":
		return "faq_list.error.required"
	case e.Code == "too_long":
		return "faq_list.error.too_long"
	}
	return "faq_list.error.text"
}

// faqLimit is the longest text a field takes.
func faqLimit(field string) int {
	switch field {
	case "section":
		return faq.MaxSection
	case "question":
		return faq.MaxQuestion
	}
	return faq.MaxAnswer
}

// faqDelete removes an entry.
func (h *Handler) faqDelete(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	e, err := h.faq.Get(ctx, id)
	if err == nil {
		err = h.faq.Delete(ctx, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "FAQ entry deleted", "id", id, "by", v.User.Email)
	http.Redirect(w, r, "/faq?"+url.Values{"lang": {string(e.Language)}, "deleted": {"1"}}.Encode(), http.StatusSeeOther)
}
