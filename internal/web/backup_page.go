package web

import (
	"context"
	"net/http"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/backup"
	"github.com/shopcare/shopcare/internal/i18n"
)

// backupDesk is what the owner's backups page calls.
type backupDesk interface {
	Status(ctx context.Context) (backup.Status, error)
	List(ctx context.Context, limit int) ([]backup.Record, error)
	Start() bool
}

// backups is the backups' service.
func (h *Handler) backups() backupDesk { return h.app.Backups }

// backupAdminRoutes are the owner's backups page and its button.
func (h *Handler) backupAdminRoutes() []adminRoute {
	return []adminRoute{
		{"GET /backups", auth.AreaSettings, h.backupList},
		{"POST /backups", auth.AreaSettings, h.backupSave},
	}
}

// backupRow is one run on the page, in the page's language.
type backupRow struct {
	When, Kind, Name, Size, Took string
	Orders                       string
	Tables                       int
	OK                           bool
	Error                        string
}

// backupListPage is the owner's page of backups: the state, the button,
// the latest runs.
type backupListPage struct {
	adminPage
	Status          backup.Status
	DBSize, WALSize string
	LastGood        *backupRow
	LastTest        *backupRow
	Runs            []backupRow
	Started, Busy   bool
}

// backupList shows the backups.
func (h *Handler) backupList(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx := r.Context()
	st, err := h.backups().Status(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	runs, err := h.backups().List(ctx, 50)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := backupListPage{adminPage: h.adminPage(v, auth.AreaSettings), Status: st,
		Started: r.URL.Query().Get("started") != "", Busy: r.URL.Query().Get("busy") != ""}
	p.current("/settings")
	p.DBSize, p.WALSize = sizeText(v.Lang, st.DBSize), sizeText(v.Lang, st.WALSize)
	row := func(rec backup.Record) backupRow {
		out := backupRow{When: formatWhen(v.Lang, p.Loc, rec.StartedAt), Name: rec.Name(), Size: sizeText(v.Lang, rec.Size),
			Orders: i18n.Number(v.Lang, rec.Orders), Tables: rec.Tables, OK: rec.OK(), Error: rec.Error,
			Kind: i18n.Text(v.Lang, "backup.kind."+rec.Kind, nil)}
		if rec.FinishedAt != nil {
			out.Took = i18n.Duration(v.Lang, rec.FinishedAt.Sub(rec.StartedAt))
		}
		return out
	}
	if st.LastGood != nil {
		g := row(*st.LastGood)
		p.LastGood = &g
	}
	if st.LastRestoreTest != nil {
		tr := row(*st.LastRestoreTest)
		p.LastTest = &tr
	}
	for _, rec := range runs {
		p.Runs = append(p.Runs, row(rec))
	}
	h.render(w, r, http.StatusOK, "backup", p)
}

// backupSave starts a backup in the background and comes back to the
// list, where it shows once it is done.
func (h *Handler) backupSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	if !h.backups().Start() {
		http.Redirect(w, r, "/backups?busy=1", http.StatusSeeOther)
		return
	}
	h.log.Info("backup asked for", "by", v.User.Email)
	http.Redirect(w, r, "/backups?started=1", http.StatusSeeOther)
}
