package web

import (
	"errors"
	"net/http"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// accountProfile is the account page's profile form: the name replies
// are signed with and the languages one answers customers in.
type accountProfile struct {
	Name      string
	Languages []string
	// All are the languages one may pick.
	All []string
}

// profileOf reads the visitor's profile for the account page.
func (h *Handler) profileOf(r *http.Request, v *visitor) (accountProfile, error) {
	p, err := h.accounts.ProfileGet(r.Context(), v.User.ID)
	if err != nil {
		return accountProfile{}, err
	}
	return accountProfile{Name: p.Name, Languages: p.Languages, All: []string{"ru", "lv", "en"}}, nil
}

// profileOrNone is profileOf for a page that shows another form's error:
// an empty profile form when it cannot be read, rather than no page.
func (h *Handler) profileOrNone(r *http.Request, v *visitor) accountProfile {
	p, err := h.profileOf(r, v)
	if err != nil {
		return accountProfile{All: []string{"ru", "lv", "en"}}
	}
	return p
}

// accountProfileSave sets one's name and the languages one answers in;
// a bad value is a 422 with the field marked, and nothing changes.
func (h *Handler) accountProfileSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	name, langs := r.PostFormValue("name"), r.PostForm["languages"]
	err := h.accounts.ProfileSave(r.Context(), v.User.ID, name, langs, h.human.Now())
	var bad *invalid.Error
	if errors.As(err, &bad) {
		p := accountPage{adminPage: h.adminPage(v, auth.AreaAccount), Langs: i18n.Langs(), ErrorField: "profile"}
		p.Profile = accountProfile{Name: name, Languages: langs, All: []string{"ru", "lv", "en"}}
		h.render(w, r, http.StatusUnprocessableEntity, "account", p)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?saved=1", http.StatusSeeOther)
}
