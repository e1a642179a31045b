package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/packing"
)

// packingQueuePage is the packing station's queue.
type packingQueuePage struct {
	adminPage
	Items []packing.QueueItem
}

func (h *Handler) packingQueue(w http.ResponseWriter, r *http.Request, v *visitor) {
	items, err := h.packing.Queue(r.Context(), 200)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := packingQueuePage{adminPage: h.adminPage(v, auth.AreaPacking), Items: items}
	if r.URL.Query().Get("done") != "" {
		p.Flash = "admin.saved"
	}
	h.render(w, r, http.StatusOK, "packing_queue", p)
}

// packingSheetPage is one order at the packing station.
type packingSheetPage struct {
	adminPage
	Sheet   *packing.Sheet
	Checked map[string]bool
	Missing []string // labels of the lines left unticked
	Error   string
}

func (h *Handler) sheet(r *http.Request) (*packing.Sheet, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, app.ErrNotFound
	}
	return h.packing.Build(r.Context(), h.app.Settings, h.app.Promises.Engine().Calendar(), id, h.app.Clock.Now())
}

// packingShow shows what goes in the box, the checklist to tick off and
// the documents to print.
func (h *Handler) packingShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	s, err := h.sheet(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "packing_sheet", packingSheetPage{adminPage: h.adminPage(v, auth.AreaPacking), Sheet: s,
		Checked: map[string]bool{}})
}

// packingFinish closes the packing when every line is ticked and moves
// the order to ready_to_ship.
func (h *Handler) packingFinish(w http.ResponseWriter, r *http.Request, v *visitor) {
	s, err := h.sheet(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, err)
		return
	}
	checked := r.PostForm["check"]
	_, err = h.packing.Finish(r.Context(), s, checked, v.User.Email, h.app.Clock.Now())
	if err == nil {
		h.log.InfoContext(r.Context(), "packed", "order", s.Order.ID, "user", v.User.Email)
		http.Redirect(w, r, "/packing?done="+strconv.FormatInt(s.Order.ID, 10), http.StatusSeeOther)
		return
	}
	var list invalid.List
	var one *invalid.Error
	notProcessing := errors.Is(err, packing.ErrNotProcessing)
	if !notProcessing && !errors.As(err, &list) && !errors.As(err, &one) {
		h.fail(w, r, err)
		return
	}
	p := packingSheetPage{adminPage: h.adminPage(v, auth.AreaPacking), Sheet: s, Checked: map[string]bool{}}
	for _, c := range checked {
		p.Checked[c] = true
	}
	for _, c := range s.Unticked(checked) {
		p.Missing = append(p.Missing, c.Label(v.Lang))
	}
	if notProcessing {
		p.Error = "packing_sheet.not_processing"
	}
	h.render(w, r, http.StatusUnprocessableEntity, "packing_sheet", p)
}

// packingPDF serves the packing slip or the thank-you note as a PDF, A4
// or A6 (?size=a6); the slip in the packer's language, the note in the
// customer's.
func (h *Handler) packingPDF(w http.ResponseWriter, r *http.Request, v *visitor) {
	size, err := packing.ParseSize(r.URL.Query().Get("size"))
	if err != nil {
		h.notFound(w, r)
		return
	}
	s, err := h.sheet(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var pdf []byte
	name := "packing-slip"
	switch r.PathValue("doc") {
	case "slip.pdf":
		pdf, err = packing.SlipPDF(s, v.Lang, size)
	case "note.pdf":
		name = "thank-you-note"
		pdf, err = packing.NotePDF(s, i18n.Pick(string(s.Language), v.Lang), size)
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`-`+s.Order.ExternalID+`-`+string(size)+`.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf)
}
