package web

import (
	"bytes"
	"errors"
	"fmt"
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
	"github.com/shopcare/shopcare/internal/playbook"
)

// settingsSave applies the form to the settings document (only what
// differs from the settings in force is written), validates it (the
// settings, the playbook and every template) and saves it; errors go back
// to their fields in the owner's language and nothing is saved.
func (h *Handler) settingsSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	doc, err := h.settingsDoc(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var root, exported yaml.Node
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
	current, err := config.Parse(doc)
	if err != nil {
		current = h.app.Settings
	}
	buf, err := current.Export()
	if err == nil {
		err = yaml.Unmarshal(buf, &exported)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	errs, err := readFields(&root, &exported, current, v.Lang, r.PostForm)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	carrierRows := readCarriers(&root, &exported, r.PostForm, &errs)
	readRules(&root, r.PostForm, &errs)
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
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		h.fail(w, r, err)
		return
	}
	h.settingsStore(w, r, v, settingsSaveInput{doc: out.Bytes(), errs: errs, tmpl: tmpl, lang: lang, form: true, carrierRows: carrierRows})
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

// settingsSaveInput is one document to save and where it came from.
type settingsSaveInput struct {
	doc         []byte
	errs        config.Errors // the form's own errors, found before the document was built
	tmpl, lang  string        // the template being edited in the form
	restored    int64         // the version a restore brings back
	form        bool          // from the form: what was typed goes back on it
	carrierRows []int         // the carrier editor's row of each carrier
}

// settingsNow is the real time of a save: the history shows when a
// person saved, which the shop's clock (scaled in the demo) does not.
var settingsNow = time.Now

// settingsStore validates the document and saves it as a new version,
// then reloads the app on it; or shows the form again with every error
// on its field and nothing saved.
func (h *Handler) settingsStore(w http.ResponseWriter, r *http.Request, v *visitor, in settingsSaveInput) {
	s, err := config.Parse(in.doc)
	if err == nil {
		err = validatePlaybook(s)
	}
	if len(in.errs) > 0 {
		// The form's own errors first, then what the settings found in
		// the rest of the form.
		if found := config.Problems(err); err == nil || found != nil {
			err = append(slices.Clone(in.errs), found...)
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
	if in.form {
		for _, g := range p.Groups {
			for _, f := range g.Fields {
				f.take(v.Lang, r.PostForm)
			}
		}
		p.Carriers = takeCarriers(v.Lang, p.Carriers, r.PostForm)
		if in.tmpl != "" {
			if t, ok := r.PostForm["templates.text"]; ok {
				p.Parts = config.Template{Subject: r.PostForm.Get("templates.subject"), Text: t[0], SMS: r.PostForm.Get("templates.sms")}
			}
		}
	}
	placeErrors(p, v.Lang, err, in.carrierRows)
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
	_, _, err = h.versions.Save(r.Context(), config.SaveParams{
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
	h.log.InfoContext(r.Context(), "settings saved", "by", v.User.Email, "restored_from", in.restored)
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

// carrierKey is a carrier's index in a settings key: "carriers[1].code".
var carrierKey = regexp.MustCompile(`^carriers\[(\d+)\]`)

// placeErrors puts each validation message on its field in the owner's
// language, and lists them all above the form with their settings'
// labels; one with no field of the form goes to the YAML editor.
func placeErrors(p *settingsPage, lang i18n.Lang, err error, carrierRows []int) {
	problems := config.Problems(err)
	if problems == nil {
		msg := i18n.Text(lang, "settings.error.document", map[string]any{"Detail": err.Error()})
		p.YAMLErrors = append(p.YAMLErrors, msg)
		p.Errors = append(p.Errors, msg)
		return
	}
	for _, e := range problems {
		text := e.Text(lang)
		label, placed := e.Field, false
		if f := p.fieldOf(e.Field); f != nil {
			f.Error, label, placed = text, f.Label, true
		}
		if m := carrierKey.FindStringSubmatch(e.Field); m != nil {
			i, _ := strconv.Atoi(m[1])
			if i < len(carrierRows) {
				i = carrierRows[i]
			}
			if i < len(p.Carriers) {
				p.Carriers[i].Error, placed = text, true
				label = i18n.Text(lang, "settings.section.carriers", nil) + " " + strconv.Itoa(i+1)
			}
		}
		for i := range p.Rules {
			if strings.HasPrefix(e.Field, "playbook.rules."+p.Rules[i].Name+".") || e.Field == "playbook.rules."+p.Rules[i].Name {
				p.Rules[i].Error, label, placed = text, p.Rules[i].Label, true
			}
		}
		if part, ok := strings.CutPrefix(e.Field, "templates."+p.Template+"."+p.TemplateLang+"."); ok && p.Template != "" {
			p.PartErrors[part], label, placed = text, p.TemplateLabel, true
		}
		line := text // a problem of the document as a whole names its line itself
		if label != "" {
			line = fmt.Sprintf("%s: %s", label, text)
		}
		if !placed {
			p.YAMLErrors = append(p.YAMLErrors, line)
		}
		p.Errors = append(p.Errors, line)
	}
}

// fieldOf finds the form's field a settings key is about:
// "shop.languages[1]" is the languages' field.
func (p *settingsPage) fieldOf(key string) *settingsField {
	if f := p.field(key); f != nil {
		return f
	}
	if base, _, ok := strings.Cut(key, "["); ok {
		return p.field(base)
	}
	return nil
}
