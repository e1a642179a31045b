package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/invalid"
)

// tokenListPage is the owner's page of API tokens: the list (never a
// token), the form for a new one, and a new token once, right after it
// was made.
type tokenListPage struct {
	adminPage
	Tokens  []auth.Token
	Scopes  []auth.Scope
	Name    string
	Checked map[auth.Scope]bool
	// NewToken is the token just made, shown on this one answer only;
	// NewName is its name.
	NewToken, NewName string
	Revoked           bool
	Error             string // text id
}

// tokenList shows the API tokens.
func (h *Handler) tokenList(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.renderTokens(w, r, v, http.StatusOK, tokenListPage{Revoked: r.URL.Query().Get("revoked") != ""})
}

func (h *Handler) renderTokens(w http.ResponseWriter, r *http.Request, v *visitor, status int, p tokenListPage) {
	tokens, err := h.accounts.TokenList(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.adminPage, p.Tokens, p.Scopes = h.adminPage(v, auth.AreaUsers), tokens, auth.Scopes
	p.current("/users")
	h.render(w, r, status, "token_list", p)
}

// tokenSave makes a token and shows it, once, on the page that answers:
// no redirect, so it is never in a URL, a history entry or a cache
// (every admin answer is no-store).
func (h *Handler) tokenSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	name := r.PostFormValue("name")
	p := tokenListPage{Name: name, Checked: map[auth.Scope]bool{}}
	scopes, err := auth.ParseScopes(r.PostForm["scope"])
	if err == nil {
		for _, s := range scopes {
			p.Checked[s] = true
		}
		var token string
		token, err = h.accounts.TokenAdd(r.Context(), name, scopes, h.human.Now())
		if err == nil {
			h.log.InfoContext(r.Context(), "API token created", "name", name, "scopes", scopes, "by", v.User.Email)
			h.renderTokens(w, r, v, http.StatusOK, tokenListPage{NewToken: token, NewName: name})
			return
		}
	}
	var bad *invalid.Error
	if errors.As(err, &bad) {
		p.Error = "token_list.error.name"
		switch {
		case bad.Field == "scope":
			p.Error = "token_list.error.scope"
		case bad.Code == "duplicate":
			p.Error = "token_list.error.duplicate"
		}
		h.renderTokens(w, r, v, http.StatusUnprocessableEntity, p)
		return
	}
	h.fail(w, r, err)
}

// tokenRevoke revokes a token: programs using it are refused from then on.
func (h *Handler) tokenRevoke(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = h.accounts.TokenRevokeID(r.Context(), id)
	}
	if err != nil && (errors.Is(err, auth.ErrNoToken) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange)) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "API token revoked", "id", id, "by", v.User.Email)
	http.Redirect(w, r, "/tokens?revoked=1", http.StatusSeeOther)
}
