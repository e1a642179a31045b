package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
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
	History      []settingsVersion
}

// settingsShow shows the form over the settings in force (the saved ones
// when the owner saved any, else the file's).
func (h *Handler) settingsShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	doc, err := h.settingsDoc(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.settingsPage(r.Context(), v, doc, r.URL.Query().Get("template"), r.URL.Query().Get("lang"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch r.URL.Query().Get("saved") {
	case "restart":
		p.Flash, p.Restart = "admin.saved_restart", true
	case "1":
		p.Flash = "admin.saved"
	}
	if r.URL.Query().Get("restored") != "" {
		p.Flash = "settings.restored"
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

// settingsPage builds the page over doc: the form's fields and rules
// read from it, the template being edited, and the history of versions.
func (h *Handler) settingsPage(ctx context.Context, v *visitor, doc []byte, tmpl, lang string) (*settingsPage, error) {
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
	if p.History, err = h.settingsHistory(ctx, v.Lang); err != nil {
		return nil, err
	}
	return p, nil
}
