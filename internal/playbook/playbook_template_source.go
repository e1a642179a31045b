package playbook

import (
	"slices"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
)

// DefaultTemplate returns the source of a built-in template in lang, for
// the owner to start an override from.
func DefaultTemplate(lang i18n.Lang, name string) (config.Template, bool) {
	d, err := readDefaults(lang)
	if err != nil {
		return config.Template{}, false
	}
	parts, ok := d[name]
	if !ok {
		return config.Template{}, false
	}
	return config.Template{Subject: parts["subject"], Text: parts["text"], SMS: parts["sms"]}, true
}

// TemplateNames lists the built-in templates and the shop's own, sorted.
func TemplateNames(overrides map[string]map[string]config.Template) []string {
	var names []string
	if d, err := readDefaults(i18n.EN); err == nil {
		for name := range d {
			names = append(names, name)
		}
	}
	for name := range overrides {
		names = append(names, name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}
