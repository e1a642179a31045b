package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/signin"
)

// signinListPage lists the customers who signed in to their own page,
// newest first, with the codes asked for today.
type signinListPage struct {
	adminPage
	SignIns []signinRow
	Today   signin.CodeFigures
	Pages   pageLinks
}

// signinRow is a sign-in with its customer's name ("" once erased).
type signinRow struct {
	signin.SignIn
	Name   string
	Erased bool
}

// signinList shows who signed in, when and how (GET /signins).
func (h *Handler) signinList(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx, qs, now := r.Context(), r.URL.Query(), h.human.Now()
	list, more, err := h.signins.SignInList(ctx, signin.ListPage{After: qs.Get("after"), Limit: pageSize}, now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := signinListPage{adminPage: h.adminPage(v, auth.AreaCustomers)}
	p.current("/customers")
	// The shop's day, on the real clock: codes are asked for in real time.
	loc := h.app.Settings.Shop.Location()
	y, m, d := now.In(loc).Date()
	if p.Today, err = h.signins.CodesSince(ctx, time.Date(y, m, d, 0, 0, 0, 0, loc)); err != nil {
		h.fail(w, r, err)
		return
	}
	names := map[int64]string{}
	last := ""
	for _, in := range list {
		name, seen := names[in.CustomerID]
		if !seen {
			c, err := h.customers.Get(ctx, in.CustomerID)
			switch {
			case errors.Is(err, app.ErrNotFound):
			case err != nil:
				h.fail(w, r, err)
				return
			default:
				name = c.Name
				if name == "" {
					name = firstNonEmpty(c.Email, c.Phone)
				}
			}
			names[in.CustomerID] = name
		}
		p.SignIns = append(p.SignIns, signinRow{SignIn: in, Name: name, Erased: name == ""})
		last = in.Cursor
	}
	p.Pages = newPager("/signins", qs).links(last, more)
	h.render(w, r, http.StatusOK, "signin_list", p)
}
