package web

import (
	"context"
	"net/http"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/playbook"
)

// settingsPage is the settings editor: the form (settings with labels,
// help and fitting controls; the carrier editor; the playbook's rules;
// one template), the YAML editor for the rest, and the history.
type settingsPage struct {
	adminPage
	Groups    []settingsGroup
	Carriers  []settingsCarrier
	Rules     []settingsRule
	Templates []settingsOption
	// The template being edited, its name and language in words, and
	// its parts.
	Template, TemplateLabel, TemplateWhen string
	TemplateLang                          string
	TemplateLangs                         []settingsOption
	Parts                                 config.Template
	PartErrors                            map[string]string
	YAML                                  string
	YAMLErrors                            []string
	Errors                                []string // every validation message, with its setting's label
	Restart                               bool     // saved, applies at the next start
	History                               []settingsVersion
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
	doc, ok, err := h.versions.Saved(ctx)
	if err != nil || ok {
		return doc, err
	}
	return h.app.Settings.Export()
}

// settingsPage builds the page over doc: the form's fields, carriers and
// rules read from it, the template being edited, and the history.
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
	p := &settingsPage{adminPage: h.adminPage(v, auth.AreaSettings), YAML: string(doc), PartErrors: map[string]string{},
		Rules: settingsRules(v.Lang, s), Carriers: settingsCarriers(v.Lang, s), Templates: templateOptions(v.Lang, s, tmpl)}
	if p.Groups, err = settingsFields(v.Lang, s); err != nil {
		return nil, err
	}
	names := playbook.TemplateNames(s.Templates)
	if tmpl != "" && slices.Contains(names, tmpl) {
		l, ok := i18n.Parse(lang)
		if !ok {
			l = v.Lang
		}
		p.Template, p.TemplateLang = tmpl, string(l)
		p.TemplateLabel, p.TemplateWhen = ruleName(v.Lang, tmpl), ruleWhen(v.Lang, tmpl)
		p.TemplateLangs = langOptions(v.Lang, string(l))
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

// field finds the form's field of a settings key.
func (p *settingsPage) field(key string) *settingsField {
	for _, g := range p.Groups {
		for _, f := range g.Fields {
			if f.Key == key {
				return f
			}
		}
	}
	return nil
}

// CarrierCount is how many carriers the editor shows, its empty row for
// a new one left out.
func (p *settingsPage) CarrierCount() int { return len(p.Carriers) - 1 }
