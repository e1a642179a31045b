package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/playbook"
)

// settingsSave applies the form to the settings document, validates it
// (the settings, the playbook and every template) and saves it; errors go
// back to their fields and nothing is saved.
func (h *Handler) settingsSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	doc, err := h.settingsDoc(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, err)
		return
	}
	if !settingsFormPosted(r.PostForm) {
		h.settingsRefuse(w, r, v, http.StatusBadRequest, "settings.error.no_form", nil)
		return
	}
	var errs invalid.List
	for _, f := range settingsForm {
		if _, ok := r.PostForm[f.Key]; !ok {
			continue
		}
		val := strings.TrimSpace(r.PostForm.Get(f.Key))
		if f.Kind == "number" {
			if _, err := strconv.ParseFloat(val, 64); err != nil {
				errs.Add(f.Key, "invalid", "%q is not a number", val)
				continue
			}
		}
		if err := checkAlone(f, val); err != nil {
			errs.Add(f.Key, "invalid", "%s", err)
			continue
		}
		setNode(&root, strings.Split(f.Key, "."), val, f.Kind)
	}
	for _, rule := range playbook.Defaults() {
		key := "playbook.rules." + rule.Name
		if _, ok := r.PostForm[key+".after"]; !ok {
			continue
		}
		enabled := r.PostForm[key+".enabled"] // a hidden "false", then the box's "true"
		setNode(&root, strings.Split(key+".enabled", "."), strconv.FormatBool(slices.Contains(enabled, "true")), "bool")
		if after := strings.TrimSpace(r.PostForm.Get(key + ".after")); after != "" || rule.After > 0 {
			if after == "" {
				after = "0s"
			}
			setNode(&root, strings.Split(key+".after", "."), after, "text")
		}
	}
	tmpl, lang := r.PostForm.Get("template"), r.PostForm.Get("template_lang")
	if tmpl != "" {
		if l, ok := i18n.Parse(lang); ok {
			for _, part := range []string{"subject", "text", "sms"} {
				if val, ok := r.PostForm["templates."+part]; ok {
					setNode(&root, []string{"templates", tmpl, string(l), part}, strings.ReplaceAll(val[0], "\r\n", "\n"), "text")
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		h.fail(w, r, err)
		return
	}
	h.settingsStore(w, r, v, settingsSaveInput{doc: buf.Bytes(), errs: errs, tmpl: tmpl, lang: lang})
}

// checkAlone reads one field's value as the only setting of a document:
// a value YAML cannot even read into its key ("25:00-18:00" for a time
// range) fails the whole document with a line number the form's user
// never saw, so each field is tried on its own first and its error kept
// for its field.
func checkAlone(f settingsField, val string) error {
	var root yaml.Node
	setNode(&root, strings.Split(f.Key, "."), val, f.Kind)
	doc, err := yaml.Marshal(&root)
	if err != nil {
		return err
	}
	_, err = config.Parse(doc)
	var list invalid.List
	var one *invalid.Error
	if err == nil || errors.As(err, &list) || errors.As(err, &one) {
		return nil // valid alone, or the validator names it in the full check
	}
	return errors.New(yamlLine.ReplaceAllString(err.Error(), ""))
}

// yamlLine is the decoder's pointer into a document the form's user never
// saw.
var yamlLine = regexp.MustCompile(`^(not valid YAML: )?line \d+: `)

// settingsSaveInput is one document to save and where it came from.
type settingsSaveInput struct {
	doc        []byte
	errs       invalid.List // the form's own errors, found before the document was built
	tmpl, lang string       // the template being edited in the form
	restored   int64        // the version a restore brings back
}

// settingsNow is the real time of a save: the history shows when a
// person saved, which the shop's clock (scaled in the demo) does not.
var settingsNow = time.Now

// settingsStore validates the document and saves it as a new version,
// then reloads the app on it; or shows the form again with every error
// on its field and nothing saved.
func (h *Handler) settingsStore(w http.ResponseWriter, r *http.Request, v *visitor, in settingsSaveInput) {
	err := in.errs.Err()
	if err == nil {
		var s config.Settings
		if s, err = config.Parse(in.doc); err == nil {
			err = validatePlaybook(s)
		}
	}
	if err == nil {
		h.settingsKeep(w, r, v, in)
		return
	}
	p, perr := h.settingsPage(r.Context(), v, in.doc, in.tmpl, in.lang)
	if perr != nil {
		// The document is not even YAML: show the saved one with the error.
		saved, derr := h.settingsDoc(r.Context())
		if derr != nil {
			h.fail(w, r, derr)
			return
		}
		if p, perr = h.settingsPage(r.Context(), v, saved, in.tmpl, in.lang); perr != nil {
			h.fail(w, r, perr)
			return
		}
		p.YAML = string(in.doc)
	}
	if in.tmpl != "" {
		if t, ok := r.PostForm["templates.text"]; ok {
			p.Parts = config.Template{Subject: r.PostForm.Get("templates.subject"), Text: t[0], SMS: r.PostForm.Get("templates.sms")}
		}
	}
	for i, f := range p.Fields { // what was typed stays in the form
		if typed, ok := r.PostForm[f.Key]; ok {
			p.Fields[i].Value = typed[0]
		}
	}
	placeErrors(p, err)
	h.render(w, r, http.StatusUnprocessableEntity, "settings", p)
}

// settingsKeep saves a valid document as a new version and reloads the
// app on it; an empty document, or one that leaves out configured
// sections, is refused and changes nothing.
func (h *Handler) settingsKeep(w http.ResponseWriter, r *http.Request, v *visitor, in settingsSaveInput) {
	base, err := h.app.Settings.Export()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	_, _, err = config.SaveVersion(r.Context(), h.app.DB, config.SaveParams{
		Doc: in.doc, Base: base, By: v.User.Email, At: settingsNow(), RestoredFrom: in.restored})
	var drop *config.DropError
	switch {
	case errors.Is(err, config.ErrEmpty):
		h.settingsRefuse(w, r, v, http.StatusUnprocessableEntity, "settings.error.empty", nil)
		return
	case errors.As(err, &drop):
		h.settingsRefuse(w, r, v, http.StatusUnprocessableEntity, "settings.error.dropped",
			map[string]any{"Sections": sectionNames(v.Lang, drop.Sections)})
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	h.log.Info("settings saved", "by", v.User.Email, "restored_from", in.restored)
	saved := "restart"
	if h.app.Reload != nil {
		h.app.Reload()
		saved = "1"
	}
	if in.restored != 0 {
		saved += "&restored=" + strconv.FormatInt(in.restored, 10)
	}
	dest := "/settings?saved=" + saved
	if in.tmpl != "" {
		dest += "&template=" + url.QueryEscape(in.tmpl) + "&lang=" + url.QueryEscape(in.lang)
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
}

// settingsRefuse shows the settings in force again with one message
// above the form, and changes nothing.
func (h *Handler) settingsRefuse(w http.ResponseWriter, r *http.Request, v *visitor, status int, msg string, args map[string]any) {
	doc, err := h.settingsDoc(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.settingsPage(r.Context(), v, doc, "", "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Errors = append(p.Errors, i18n.Text(v.Lang, msg, args))
	h.render(w, r, status, "settings", p)
}

// validatePlaybook checks what only the playbook knows: rule overrides
// and every template, executed on sample data.
func validatePlaybook(s config.Settings) error {
	if _, err := playbook.Build(s); err != nil {
		return err
	}
	_, err := playbook.LoadTemplates(s.Templates)
	return err
}

// placeErrors puts each validation message on its field; one with no
// field of the form goes to the YAML editor.
func placeErrors(p *settingsPage, err error) {
	var list invalid.List
	if !errors.As(err, &list) {
		var one *invalid.Error
		if errors.As(err, &one) {
			list = invalid.List{one}
		} else {
			p.YAMLError = err.Error()
			p.Errors = append(p.Errors, err.Error())
			return
		}
	}
	for _, e := range list {
		p.Errors = append(p.Errors, e.Error())
		placed := false
		for i := range p.Fields {
			if p.Fields[i].Key == e.Field {
				p.Fields[i].Error, placed = e.Message, true
			}
		}
		for i := range p.Rules {
			if strings.HasPrefix(e.Field, "playbook.rules."+p.Rules[i].Name+".") || e.Field == "playbook.rules."+p.Rules[i].Name {
				p.Rules[i].Error, placed = e.Message, true
			}
		}
		if part, ok := strings.CutPrefix(e.Field, "templates."+p.Template+"."+p.TemplateLang+"."); ok && p.Template != "" {
			p.PartErrors[part], placed = e.Message, true
		}
		if !placed && p.YAMLError == "" {
			p.YAMLError = e.Error()
		}
	}
}

// settingsFormPosted tells whether a form carries any setting at all: a
// blank submission is refused, not saved as the same document again.
func settingsFormPosted(form url.Values) bool {
	for key := range form {
		if key != "csrf" && key != "template" && key != "template_lang" {
			return true
		}
	}
	return false
}
