package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/playbook"
)

// settingsField is one field of the settings form, named by its YAML key,
// so a validation error (which names the key) lands on its field.
type settingsField struct {
	Key   string
	Kind  string // text, number, list (comma-separated), bool
	Value string
	Error string
}

// settingsForm lists the settings a shop owner edits in the form; the
// rest (carriers, channels, webhooks) is edited as YAML on the same page.
var settingsForm = []settingsField{
	{Key: "shop.name", Kind: "text"}, {Key: "shop.country", Kind: "text"}, {Key: "shop.timezone", Kind: "text"},
	{Key: "shop.languages", Kind: "list"}, {Key: "shop.currency", Kind: "text"},
	{Key: "shop.working_hours", Kind: "text"}, {Key: "shop.cutoff", Kind: "text"}, {Key: "shop.contact_hours", Kind: "text"},
	{Key: "shop.callback_within", Kind: "text"}, {Key: "shop.callback_tries", Kind: "number"},
	{Key: "promise.handling_days", Kind: "number"},
	{Key: "compensation.late_grace_days", Kind: "number"}, {Key: "compensation.bonus_points", Kind: "number"},
	{Key: "loyalty.earn_percent", Kind: "number"}, {Key: "loyalty.point_value", Kind: "number"},
	{Key: "loyalty.expire_after", Kind: "text"}, {Key: "playbook.frequency_cap", Kind: "text"},
}

// settingsRule is one playbook rule's switch and delay in the form.
type settingsRule struct {
	Name    string
	Enabled bool
	After   string
	Error   string
}

// settingsPage is the settings editor.
type settingsPage struct {
	adminPage
	Fields    []settingsField
	Rules     []settingsRule
	Templates []string
	Langs     []i18n.Lang
	// The template being edited, and its parts.
	Template     string
	TemplateLang string
	Parts        config.Template
	PartErrors   map[string]string
	YAML         string
	YAMLError    string
	Errors       []string // every validation message, named by key
	Restart      bool     // saved, applies at the next start
}

// settingsShow shows the form over the settings in force (the saved ones
// when the owner saved any, else the file's).
func (h *Handler) settingsShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	doc, err := h.settingsDoc(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.settingsPage(v, doc, r.URL.Query().Get("template"), r.URL.Query().Get("lang"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch r.URL.Query().Get("saved") {
	case "restart":
		p.Flash, p.Restart = "settings.saved_restart", true
	case "1":
		p.Flash = "admin.saved"
	}
	h.render(w, r, http.StatusOK, "settings", p)
}

// settingsDoc is the YAML document the form edits.
func (h *Handler) settingsDoc(ctx context.Context) ([]byte, error) {
	doc, ok, err := config.Saved(ctx, h.app.DB.Read())
	if err != nil || ok {
		return doc, err
	}
	return h.app.Settings.Export()
}

func (h *Handler) settingsPage(v *visitor, doc []byte, tmpl, lang string) (*settingsPage, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	s, err := config.Parse(doc)
	if err != nil {
		// A document that no longer validates is shown as it is.
		s = h.app.Settings
	}
	p := &settingsPage{adminPage: h.adminPage(v, auth.AreaSettings), YAML: string(doc), Langs: i18n.Langs(),
		Templates: playbook.TemplateNames(s.Templates), PartErrors: map[string]string{}}
	for _, f := range settingsForm {
		f.Value = nodeValue(&root, strings.Split(f.Key, "."))
		p.Fields = append(p.Fields, f)
	}
	for _, rule := range playbook.Defaults() {
		sr := settingsRule{Name: rule.Name, Enabled: rule.Enabled}
		if rule.After > 0 {
			sr.After = config.Duration(rule.After).String()
		}
		if o, ok := s.Playbook.Rules[rule.Name]; ok {
			if o.Enabled != nil {
				sr.Enabled = *o.Enabled
			}
			if o.After != nil {
				sr.After = o.After.String()
			}
		}
		p.Rules = append(p.Rules, sr)
	}
	if tmpl != "" && slices.Contains(p.Templates, tmpl) {
		l, ok := i18n.Parse(lang)
		if !ok {
			l = v.Lang
		}
		p.Template, p.TemplateLang = tmpl, string(l)
		if o, ok := s.Templates[tmpl][string(l)]; ok {
			p.Parts = o
		} else {
			p.Parts, _ = playbook.DefaultTemplate(l, tmpl)
		}
	}
	return p, nil
}

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
	h.settingsStore(w, r, v, buf.Bytes(), errs, tmpl, lang)
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

// settingsYAMLSave saves the whole settings document as the owner wrote
// it in the YAML editor.
func (h *Handler) settingsYAMLSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	doc := strings.ReplaceAll(r.PostFormValue("yaml"), "\r\n", "\n")
	h.settingsStore(w, r, v, []byte(doc), nil, "", "")
}

// settingsStore validates and saves doc, or shows the form again with
// every error on its field.
func (h *Handler) settingsStore(w http.ResponseWriter, r *http.Request, v *visitor, doc []byte, errs invalid.List, tmpl, lang string) {
	var s config.Settings
	err := errs.Err()
	if err == nil {
		s, err = config.Parse(doc)
	}
	if err == nil {
		err = validatePlaybook(s)
	}
	if err == nil {
		_, err = config.Save(r.Context(), h.app.DB, doc, v.User.Email, h.app.Clock.Now())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.log.Info("settings saved", "by", v.User.Email)
		saved := "restart"
		if h.app.Reload != nil {
			h.app.Reload()
			saved = "1"
		}
		dest := "/settings?saved=" + saved
		if tmpl != "" {
			dest += "&template=" + tmpl + "&lang=" + lang
		}
		http.Redirect(w, r, dest, http.StatusSeeOther)
		return
	}
	p, perr := h.settingsPage(v, doc, tmpl, lang)
	if perr != nil {
		// The document is not even YAML: show the saved one with the error.
		saved, derr := h.settingsDoc(r.Context())
		if derr != nil {
			h.fail(w, r, derr)
			return
		}
		if p, perr = h.settingsPage(v, saved, tmpl, lang); perr != nil {
			h.fail(w, r, perr)
			return
		}
		p.YAML = string(doc)
	}
	if tmpl != "" {
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

// settingsExport downloads the settings in force as a YAML file, the
// shape `--config` reads.
func (h *Handler) settingsExport(w http.ResponseWriter, r *http.Request, _ *visitor) {
	doc, err := h.settingsDoc(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="shopcare-settings-`+
		h.app.Clock.Now().Format(time.DateOnly)+`.yaml"`)
	_, _ = w.Write(doc)
}

// nodeValue reads the scalar (or the list, comma-joined) at path.
func nodeValue(root *yaml.Node, path []string) string {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			return ""
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return ""
		}
		n = next
	}
	if n.Kind == yaml.SequenceNode {
		vals := make([]string, len(n.Content))
		for i, c := range n.Content {
			vals[i] = c.Value
		}
		return strings.Join(vals, ", ")
	}
	return n.Value
}

// setNode writes value at path, creating the mappings on the way. A
// number or a switch goes untagged, so YAML reads "3" as a number; text
// is tagged as text, so a name "2026" or a template "{{.Order}}" stays
// text; a list becomes a sequence of texts.
func setNode(root *yaml.Node, path []string, value, kind string) {
	if root.Kind == 0 {
		*root = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	n := root
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	for _, key := range path {
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, next)
		}
		n = next
	}
	switch kind {
	case "list":
		*n = yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, item := range strings.Split(value, ",") {
			if item = strings.TrimSpace(item); item != "" {
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: item})
			}
		}
	case "number", "bool":
		*n = yaml.Node{Kind: yaml.ScalarNode, Value: value}
	default:
		style := yaml.Style(0)
		if strings.Contains(value, "\n") {
			style = yaml.LiteralStyle
		}
		*n = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value, Style: style}
	}
}
