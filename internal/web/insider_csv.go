package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/insider"
)

// insiderMembersCSV downloads a project's current members with their
// consent (source, wording version and language, time): the audience of
// a campaign to them. Machine codes, UTC times: a file for tools.
func (h *Handler) insiderMembersCSV(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, ok := insiderID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if _, err := h.insiders().ProjectGet(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="insiders-%d.csv"`, id))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"customer_id", "external_id", "name", "email", "phone", "language", "source",
		"consent_version", "consent_language", "joined_at"})
	rows := 0
	err := h.insiders().EachMember(r.Context(), id, func(m insider.Member) error {
		rows++
		return cw.Write([]string{strconv.FormatInt(m.CustomerID, 10), csvSafe(m.ExternalID), csvSafe(m.Name),
			csvSafe(m.Email), m.Phone, m.Language, string(m.Source), strconv.Itoa(m.ConsentVersion),
			m.ConsentLang, m.JoinedAt.UTC().Format(time.RFC3339)})
	})
	cw.Flush()
	if err != nil {
		h.log.ErrorContext(r.Context(), "insider members CSV", "project", id, "err", err)
		return
	}
	h.recordExport(r, actionlog.Entry{Action: actionlog.CustomersExported, TargetKind: "insider_project", TargetID: strconv.FormatInt(id, 10),
		Detail: map[string]any{"rows": rows, "list": "insiders"}})
}

// csvSafe keeps a spreadsheet from reading a cell a customer wrote as a
// formula (the phone, E.164 from the shop, keeps its plus).
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
