package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/insider"
)

// myInsidersPage is the customer's club page: the open projects and
// those they are in, each with the button to join or leave, and the
// consent the join button gives.
type myInsidersPage struct {
	myPage
	Projects []myInsiderProject
	// Notice is what was just done: joined, left, closed (the project
	// stopped taking sign-ups meanwhile); "" for none.
	Notice string
}

// myInsiderProject is one project on the customer's page, in their
// language.
type myInsiderProject struct {
	ID                 int64
	Kind               insider.Kind
	Title, Description string
	// TextLang is the language the shop wrote the title in, for the
	// lang attribute when it is not the page's.
	TextLang string
	Joined   bool
	JoinedAt string
	Goal     int64
	Members  int64
	Progress int64
	Open     bool
	EndsOn   string
}

// myInsiders shows the club page.
func (h *Handler) myInsiders(w http.ResponseWriter, r *http.Request, v *myVisit) {
	p, err := h.myInsidersData(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch n := r.URL.Query().Get("done"); n {
	case "joined", "left", "closed":
		p.Notice = n
	}
	h.render(w, r, http.StatusOK, "insider_my", p)
}

// myInsidersData builds the club page of the visit's customer.
func (h *Handler) myInsidersData(r *http.Request, v *myVisit) (*myInsidersPage, error) {
	ms, err := h.insiders().ForCustomer(r.Context(), v.Customer.ID)
	if err != nil {
		return nil, err
	}
	p := &myInsidersPage{myPage: h.myPageOf(r, v, v.Lang, "insiders")}
	today, loc := h.insiders().Today(), h.app.Settings.Shop.Location()
	for _, m := range ms {
		p.Projects = append(p.Projects, insiderProjectView(v.Lang, loc, m.Project, m.JoinedAt, today))
	}
	return p, nil
}

// insiderProjectView is project pr in lang for a customer's page;
// joinedAt is when the customer joined, nil when not a member.
func insiderProjectView(lang i18n.Lang, loc *time.Location, pr insider.Project, joinedAt *time.Time, today string) myInsiderProject {
	l := string(lang)
	out := myInsiderProject{ID: pr.ID, Kind: pr.Kind, Title: pr.TitleIn(l), Description: pr.DescriptionIn(l),
		Joined: joinedAt != nil, Goal: pr.Goal, Members: pr.Members, Progress: pr.Progress(), Open: pr.Open(today),
		EndsOn: formatStoredDay(lang, pr.EndsOn)}
	if pr.Title[l] == "" {
		for _, c := range []string{"ru", "lv", "en"} {
			if pr.Title[c] == out.Title {
				out.TextLang = c
				break
			}
		}
	}
	if joinedAt != nil {
		out.JoinedAt = formatWhen(lang, loc, joinedAt)
	}
	return out
}

// myInsiderJoin joins the customer to a project with one click: the
// button sits under the consent's words, which it gives.
func (h *Handler) myInsiderJoin(w http.ResponseWriter, r *http.Request, v *myVisit) {
	id, ok := insiderID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	_, err := h.insiders().Join(r.Context(), insider.JoinInput{ProjectID: id, CustomerID: v.Customer.ID,
		Source: insider.FromMyPage, Lang: string(v.Lang)})
	switch {
	case errors.Is(err, insider.ErrClosed):
		http.Redirect(w, r, "/my/insiders?done=closed", http.StatusSeeOther)
	case err != nil:
		h.fail(w, r, err)
	default:
		http.Redirect(w, r, "/my/insiders?done=joined#project-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	}
}

// myInsiderLeave takes the customer out of a project: the consent is
// withdrawn.
func (h *Handler) myInsiderLeave(w http.ResponseWriter, r *http.Request, v *myVisit) {
	id, ok := insiderID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.insiders().Leave(r.Context(), id, v.Customer.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/my/insiders?done=left#project-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// insiderID reads the path's project id.
func insiderID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}
