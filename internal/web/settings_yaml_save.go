package web

import (
	"net/http"
	"strings"
)

// settingsYAMLSave saves the whole settings document as the owner wrote
// it in the YAML editor. A form without the document (a blank or forged
// submission) is refused with 400 and changes nothing; an empty document
// or one that leaves out configured sections is refused by the save.
func (h *Handler) settingsYAMLSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, err)
		return
	}
	docs, ok := r.PostForm["yaml"]
	if !ok {
		h.settingsRefuse(w, r, v, http.StatusBadRequest, "settings.error.no_document", nil)
		return
	}
	doc := strings.ReplaceAll(docs[0], "\r\n", "\n")
	h.settingsStore(w, r, v, settingsSaveInput{doc: []byte(doc)})
}
