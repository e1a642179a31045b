package playbook

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"path"
	"regexp"
	"sort"
	"strings"
	texttemplate "text/template"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

//go:embed templates/*.yaml templates/layout.html
var templateFS embed.FS

// Parts of a template.
const (
	PartSubject = "subject" // the e-mail subject
	PartText    = "text"    // the message (e-mail text, Telegram)
	PartSMS     = "sms"     // the short form for SMS
)

var parts = []string{PartSubject, PartText, PartSMS}

// Templates are the message templates in every language: the defaults
// compiled in, with the shop's re-wordings over them.
type Templates struct {
	sets   map[i18n.Lang]*texttemplate.Template
	names  map[string]bool
	layout *template.Template
	// loyal are the templates whose text reads .Loyalty: only their
	// messages pay for the loyalty look-ups.
	loyal map[string]bool
}

// Rendered is a message written out.
type Rendered struct {
	Subject, Text, HTML, SMS string
}

// LoadTemplates parses the default templates and the shop's overrides
// (template → language → parts). A broken override is an error naming its
// key and line; every override is also tried on sample data, so one that
// names a field the data does not have fails here, not when sent.
func LoadTemplates(overrides map[string]map[string]config.Template) (*Templates, error) {
	t := &Templates{sets: map[i18n.Lang]*texttemplate.Template{}, names: map[string]bool{}, loyal: map[string]bool{}}
	layout, err := template.ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("message layout: %w", err)
	}
	t.layout = layout
	for _, lang := range i18n.Langs() {
		set := texttemplate.New(string(lang)).Funcs(funcs(lang)).Option("missingkey=error")
		defaults, err := readDefaults(lang)
		if err != nil {
			return nil, err
		}
		for name, ps := range defaults {
			t.names[name] = true
			for part, text := range ps {
				t.loyal[name] = t.loyal[name] || strings.Contains(text, ".Loyalty")
				if _, err := set.New(name + "." + part).Parse(text); err != nil {
					return nil, fmt.Errorf("default template %s.%s.%s: %w", name, lang, part, err)
				}
			}
		}
		t.sets[lang] = set
	}
	var errs invalid.List
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	sort.Strings(names)
	sample := SampleData()
	for _, name := range names {
		for langName, o := range overrides[name] {
			lang, ok := i18n.Parse(langName)
			if !ok {
				continue // config validation names it
			}
			for part, text := range map[string]string{PartSubject: o.Subject, PartText: o.Text, PartSMS: o.SMS} {
				if text == "" {
					continue
				}
				key := fmt.Sprintf("templates.%s.%s.%s", name, langName, part)
				t.loyal[name] = t.loyal[name] || strings.Contains(text, ".Loyalty")
				tmpl, err := t.sets[lang].New(name + "." + part).Parse(text)
				if err == nil {
					err = tmpl.Execute(&bytes.Buffer{}, sample)
				}
				if err != nil {
					errs.Add(key, "invalid", "%s", templateError(err))
					continue
				}
				t.names[name] = true
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// UsesLoyalty reports whether the template reads .Loyalty in some
// language or part.
func (t *Templates) UsesLoyalty(name string) bool { return t.loyal[name] }

// Has reports whether a template of that name exists in some language.
func (t *Templates) Has(name string) bool { return t.names[name] }

// readDefaults reads templates/<lang>.yaml: template → part → text.
func readDefaults(lang i18n.Lang) (map[string]map[string]string, error) {
	name := path.Join("templates", string(lang)+".yaml")
	buf, err := templateFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	var out map[string]map[string]string
	if err := yaml.Unmarshal(buf, &out); err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	return out, nil
}

var templateLine = regexp.MustCompile(`^template: [^:]+:(\d+)(?::\d+)?: (?:executing "[^"]*" at <([^>]*)>: )?(.*)$`)

// templateError rewrites text/template's message as "line 3: …".
func templateError(err error) string {
	m := templateLine.FindStringSubmatch(err.Error())
	if m == nil {
		return err.Error()
	}
	if m[2] != "" {
		return fmt.Sprintf("line %s: %s: %s", m[1], m[2], m[3])
	}
	return fmt.Sprintf("line %s: %s", m[1], m[3])
}

// Render writes template name in lang for d: the subject, the text, its
// HTML form and the SMS form. A template missing in lang falls back to
// English, then to any language that has it.
func (t *Templates) Render(lang i18n.Lang, name string, d Data) (Rendered, error) {
	var r Rendered
	set := t.lookup(lang, name)
	if set == nil {
		return r, fmt.Errorf("no template %q", name)
	}
	out := map[string]string{}
	for _, part := range parts {
		tmpl := set.Lookup(name + "." + part)
		if tmpl == nil {
			continue
		}
		var b strings.Builder
		if err := tmpl.Execute(&b, d); err != nil {
			return r, fmt.Errorf("render %s.%s: %w", name, part, err)
		}
		out[part] = tidy(b.String())
	}
	r.Subject = strings.Join(strings.Fields(out[PartSubject]), " ")
	r.Text = out[PartText]
	r.SMS = out[PartSMS]
	if r.SMS == "" {
		r.SMS = r.Text
	}
	if d.UnsubscribeURL != "" {
		// The plain link, for every reader and every channel: the
		// List-Unsubscribe header is one-click only over https, and
		// Telegram and text-only mail have no header to click.
		r.Text += "\n\n" + i18n.Text(lang, "message.unsubscribe", nil) + ": " + d.UnsubscribeURL
	}
	var h bytes.Buffer
	paras := paragraphs(r.Text)
	err := t.layout.Execute(&h, map[string]any{"Lang": string(lang), "Subject": r.Subject, "Shop": d.Shop.Name,
		"Paragraphs": paras, "Unsubscribe": d.UnsubscribeURL, "UnsubscribeText": i18n.Text(lang, "message.unsubscribe", nil),
		"ScoresAt": scoresAt(paras, d.Survey), "Scores": d.Survey.Links,
		"ScoresLow": i18n.Text(lang, "survey.page.low.nps", nil), "ScoresHigh": i18n.Text(lang, "survey.page.high.nps", nil)})
	if err != nil {
		return r, fmt.Errorf("render %s as HTML: %w", name, err)
	}
	r.HTML = h.String()
	return r, nil
}

func (t *Templates) lookup(lang i18n.Lang, name string) *texttemplate.Template {
	for _, l := range append([]i18n.Lang{lang, i18n.EN}, i18n.Langs()...) {
		if set := t.sets[l]; set != nil && set.Lookup(name+"."+PartText) != nil {
			return set
		}
	}
	return nil
}

// tidy trims each line and the whole text, and keeps at most one blank
// line in a row, so templates can use {{if}} blocks freely.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	blank := false
	for _, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// paragraph is one paragraph of a message's HTML: lines, each a run of
// text and links.
type paragraph [][]segment

type segment struct {
	Text string
	Link bool
}

var link = regexp.MustCompile(`https?://[^\s<>"]+`)

// paragraphs splits text at blank lines and finds its links, for the HTML
// layout to escape and mark up.
func paragraphs(text string) []paragraph {
	var out []paragraph
	for _, block := range strings.Split(text, "\n\n") {
		var p paragraph
		for _, line := range strings.Split(block, "\n") {
			var segs []segment
			rest := line
			for _, loc := range link.FindAllStringIndex(line, -1) {
				off := len(line) - len(rest)
				segs = append(segs, segment{Text: rest[:loc[0]-off]}, segment{Text: line[loc[0]:loc[1]], Link: true})
				rest = line[loc[1]:]
			}
			p = append(p, append(segs, segment{Text: rest}))
		}
		out = append(out, p)
	}
	return out
}

// funcs are the template functions, bound to a language: i18n's, shared
// with the campaigns' content.
func funcs(lang i18n.Lang) texttemplate.FuncMap { return i18n.TemplateFuncs(lang) }
