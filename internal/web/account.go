package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// accountPage is one's own account: password and language.
type accountPage struct {
	adminPage
	Langs      []i18n.Lang
	Error      string
	ErrorField string
	// Profile is the name and languages of the support inbox
	// (account_profile.go).
	Profile accountProfile
}

func (h *Handler) accountShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	p := accountPage{adminPage: h.adminPage(v, auth.AreaAccount), Langs: i18n.Langs()}
	var err error
	if p.Profile, err = h.profileOf(r, v); err != nil {
		h.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("saved") != "" {
		p.Flash = "admin.saved"
	}
	h.render(w, r, http.StatusOK, "account", p)
}

// accountPasswordSave changes one's password; the other sessions end.
func (h *Handler) accountPasswordSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	err := h.accounts.PasswordChange(r.Context(), v.User, v.Session.Token, r.PostFormValue("current"),
		r.PostFormValue("password"), h.human.Now())
	var bad *invalid.Error
	if errors.As(err, &bad) {
		p := accountPage{adminPage: h.adminPage(v, auth.AreaAccount), Langs: i18n.Langs(), ErrorField: bad.Field,
			Error: "account.error." + bad.Field}
		p.Profile = h.profileOrNone(r, v)
		h.render(w, r, http.StatusUnprocessableEntity, "account", p)
		return
	}
	if errors.Is(err, auth.ErrBusy) {
		w.Header().Set("Retry-After", "2")
		h.render(w, r, http.StatusTooManyRequests, "account",
			accountPage{adminPage: h.adminPage(v, auth.AreaAccount), Langs: i18n.Langs(), Error: "account.busy", Profile: h.profileOrNone(r, v)})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?saved=1", http.StatusSeeOther)
}

// accountLanguageSave sets the language of one's interface.
func (h *Handler) accountLanguageSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	lang, ok := i18n.Parse(r.PostFormValue("language"))
	if !ok {
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return
	}
	if err := h.accounts.UserSetLanguage(r.Context(), v.User.ID, string(lang), h.human.Now()); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?saved=1", http.StatusSeeOther)
}

// userListPage is the shop's people, for the owner.
type userListPage struct {
	adminPage
	Users      []auth.User
	Roles      []auth.Role
	Email      string
	Role       string
	Error      string
	ErrorField string
}

func (h *Handler) userList(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.renderUsers(w, r, v, http.StatusOK, userListPage{})
}

func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, v *visitor, status int, p userListPage) {
	users, err := h.accounts.UserList(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.adminPage, p.Users, p.Roles = h.adminPage(v, auth.AreaUsers), users, []auth.Role{auth.Owner, auth.Operator, auth.Packer}
	if r.URL.Query().Get("saved") != "" {
		p.Flash = "admin.saved"
	}
	h.render(w, r, status, "user_list", p)
}

// userSave adds a person, or sets the password and role of one who exists.
func (h *Handler) userSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	email, role := r.PostFormValue("email"), r.PostFormValue("role")
	err := h.accounts.UserAdd(r.Context(), email, r.PostFormValue("password"), auth.Role(role), h.human.Now())
	var bad *invalid.Error
	if errors.As(err, &bad) {
		h.renderUsers(w, r, v, http.StatusUnprocessableEntity, userListPage{Email: email, Role: role,
			ErrorField: bad.Field, Error: "user_list.error." + bad.Field})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "user saved", "email", email, "role", role, "by", v.User.Email)
	http.Redirect(w, r, "/users?saved=1", http.StatusSeeOther)
}

// userDelete removes a person; nobody removes themselves (the shop would
// lose its last owner that way).
func (h *Handler) userDelete(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id == v.User.ID {
		h.forbidden(w, r, v)
		return
	}
	if err := h.accounts.UserDelete(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/users?saved=1", http.StatusSeeOther)
}
