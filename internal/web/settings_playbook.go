package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/playbook"
)

// settingsRule is one playbook rule in the form: its name and when it
// fires in words, its switch and its delay.
type settingsRule struct {
	Name        string // the rule's key, the form's field names
	Label, When string
	Enabled     bool
	Amount, Per string
	Units       []settingsOption
	Default     string // the default delay in words, when there is one
	Error       string
}

// settingsRules lists the default rules with the shop's overrides.
func settingsRules(lang i18n.Lang, s config.Settings) []settingsRule {
	var out []settingsRule
	for _, rule := range playbook.Defaults() {
		after := rule.After
		sr := settingsRule{Name: rule.Name, Label: ruleName(lang, rule.Name), When: ruleWhen(lang, rule.Name), Enabled: rule.Enabled}
		if o, ok := s.Playbook.Rules[rule.Name]; ok {
			if o.Enabled != nil {
				sr.Enabled = *o.Enabled
			}
			if o.After != nil {
				after = time.Duration(*o.After)
			}
		}
		if rule.After > 0 {
			sr.Default = i18n.Text(lang, "settings.rule.default", map[string]any{"After": formatSettingsDuration(lang, rule.After)})
		}
		f := settingsField{Kind: kindDuration}
		f.show(lang, config.Duration(after).String())
		sr.Amount, sr.Per, sr.Units = f.Amount, f.Per, f.Units
		out = append(out, sr)
	}
	return out
}

// ruleName is a playbook rule's or template's name in words; a rule or
// template of the shop's own is called by the name the shop gave it.
func ruleName(lang i18n.Lang, name string) string {
	if !isDefaultRule(name) {
		return name
	}
	return i18n.Text(lang, "settings.rule."+name+".name", nil)
}

// ruleWhen says when a rule fires (or its template is sent).
func ruleWhen(lang i18n.Lang, name string) string {
	if !isDefaultRule(name) {
		return i18n.Text(lang, "settings.rule.own", nil)
	}
	return i18n.Text(lang, "settings.rule."+name+".when", nil)
}

func isDefaultRule(name string) bool {
	return slices.ContainsFunc(playbook.Defaults(), func(r playbook.Rule) bool { return r.Name == name })
}

// readRules writes the form's rule switches and delays into the
// document; a delay that cannot be read is an error on its rule.
func readRules(root *yaml.Node, form url.Values, errs *config.Errors) {
	for _, rule := range playbook.Defaults() {
		key := "playbook.rules." + rule.Name
		if enabled, ok := form[key+".enabled"]; ok { // a hidden "false", then the box's "true"
			on := slices.Contains(enabled, "true")
			if cur := nodeValue(root, strings.Split(key+".enabled", ".")); on != rule.Enabled || cur != "" {
				setNode(root, strings.Split(key+".enabled", "."), strconv.FormatBool(on), "bool")
			}
		}
		amount, ok := form[key+".after"]
		if !ok {
			continue
		}
		d, good := parseSettingsDuration(amount[0], form.Get(key+".after.unit"))
		if !good {
			*errs = append(*errs, fieldError(key+".after", "settings.error.duration", amount[0]))
			continue
		}
		if cur := nodeValue(root, strings.Split(key+".after", ".")); d != rule.After || cur != "" {
			setNode(root, strings.Split(key+".after", "."), config.Duration(d).String(), "text")
		}
	}
}

// fieldError is an error of the form's own, before the settings check.
func fieldError(field, key, value string) *config.FieldError {
	args := map[string]any{"Value": value}
	return &config.FieldError{Field: field, Code: "invalid", Key: key, Args: args, Message: i18n.Text(i18n.EN, key, args)}
}

// templateOptions are the templates by their names in words.
func templateOptions(lang i18n.Lang, s config.Settings, current string) []settingsOption {
	var out []settingsOption
	for _, name := range playbook.TemplateNames(s.Templates) {
		out = append(out, settingsOption{Value: name, Label: ruleName(lang, name), Selected: name == current})
	}
	return out
}

// langOptions are the message languages by their names.
func langOptions(lang i18n.Lang, current string) []settingsOption {
	var out []settingsOption
	for _, l := range []i18n.Lang{i18n.RU, i18n.LV, i18n.EN} {
		out = append(out, settingsOption{Value: string(l), Label: i18n.Text(lang, "settings.lang."+string(l), nil),
			Selected: string(l) == current})
	}
	return out
}
