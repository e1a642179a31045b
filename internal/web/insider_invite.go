package web

import (
	"errors"
	"net/http"

	"github.com/shopcare/shopcare/internal/insider"
)

// insiderInvitePage is the page of an invitation link: the project, the
// consent and the button that joins (a POST: the GET a mail scanner
// makes joins no one).
type insiderInvitePage struct {
	myPage
	Token   string
	Project myInsiderProject
	// Joined: the customer is in the project (just now, or before);
	// Done: they joined just now.
	Joined, Done bool
	// Closed: the project takes no sign-ups now.
	Closed bool
}

// insiderInviteShow shows an invitation: an unknown, forged or expired
// token (or one of an erased customer) is the 404 page.
func (h *Handler) insiderInviteShow(w http.ResponseWriter, r *http.Request) {
	h.insiderInviteRender(w, r, http.StatusOK)
}

// insiderInviteRender renders the invitation of the path's token.
func (h *Handler) insiderInviteRender(w http.ResponseWriter, r *http.Request, status int) {
	token := r.PathValue("token")
	in, err := h.insiders().Invited(r.Context(), token, h.app.Clock.Now())
	if errors.Is(err, insider.ErrLink) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := h.customerLanguage(r, in.Language)
	today := h.insiders().Today()
	p := insiderInvitePage{myPage: h.myPageOf(r, nil, lang, ""), Token: token, Joined: in.Member,
		Done:    in.Member && r.URL.Query().Get("done") == "joined",
		Project: insiderProjectView(lang, h.app.Settings.Shop.Location(), in.Project, nil, today)}
	p.Closed = !in.Project.Open(today) && !in.Member
	h.render(w, r, status, "insider_invite", p)
}

// insiderInviteSave joins the invitation's customer to its project, in
// the language the page was shown in, and shows the invitation again,
// now saying they are in. A project closed meanwhile is a 409 page
// saying so.
func (h *Handler) insiderInviteSave(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	token := r.PathValue("token")
	inv, err := h.insiders().Verify(r.Context(), token, h.app.Clock.Now())
	if err != nil {
		h.notFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	_, err = h.insiders().Join(r.Context(), insider.JoinInput{ProjectID: inv.ProjectID, CustomerID: inv.CustomerID,
		Source: insider.FromLink, Lang: r.PostForm.Get("lang")})
	switch {
	case errors.Is(err, insider.ErrClosed):
		h.insiderInviteRender(w, r, http.StatusConflict)
	case err != nil:
		h.fail(w, r, err)
	default:
		http.Redirect(w, r, "/i/"+token+"?done=joined", http.StatusSeeOther)
	}
}
