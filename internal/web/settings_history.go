package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/i18n"
)

// settingsHistoryLen is how many versions the page lists.
const settingsHistoryLen = 20

// settingsVersion is one row of the settings history.
type settingsVersion struct {
	ID      int64
	When    string // in the shop's time zone, the owner's language
	Who     string // an e-mail, or the settings file's name in words
	Changed string // the sections it changed, in words
	// Restored is the version a restore brought back; Current marks the
	// settings in force.
	Restored int64
	Current  bool
}

// settingsHistory lists the newest versions for the page.
func (h *Handler) settingsHistory(ctx context.Context, lang i18n.Lang) ([]settingsVersion, error) {
	list, err := h.versions.List(ctx, settingsHistoryLen)
	if err != nil {
		return nil, err
	}
	out := make([]settingsVersion, len(list))
	for i, v := range list {
		row := settingsVersion{ID: v.ID, When: i18n.FormatDayTime(lang, v.SavedAt.In(h.app.Settings.Shop.Location())),
			Who: v.SavedBy, Changed: sectionNames(lang, v.Changed), Restored: v.RestoredFrom, Current: i == 0}
		if row.Who == "" {
			row.Who = i18n.Text(lang, "settings.history.file", nil)
		}
		if len(v.Changed) == 0 {
			row.Changed = i18n.Text(lang, "settings.history.nothing", nil)
		}
		out[i] = row
	}
	return out, nil
}

// sectionNames names top-level settings sections in words: "Магазин,
// Перевозчики".
func sectionNames(lang i18n.Lang, keys []string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = i18n.Text(lang, "settings.section."+k, nil)
	}
	return strings.Join(names, ", ")
}

// settingsRestore brings back a saved version: the same validation as a
// save (a version that no longer validates comes back on the form with
// its errors, nothing saved), kept as a new version, and the app reloads.
func (h *Handler) settingsRestore(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return
	}
	ver, err := h.versions.Get(r.Context(), id)
	if errors.Is(err, app.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.settingsStore(w, r, v, settingsSaveInput{doc: ver.Doc, restored: ver.ID})
}
