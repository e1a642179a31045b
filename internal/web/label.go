package web

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shopcare/shopcare/internal/i18n"
)

// label names a code of a kind in the page's language: {{label .Lang
// "template" .Template}} reads label.template.<code> of the adminlang
// locale files ("Win-back offer", "Предложение вернуться"). A code no
// file names is shown as it is, which the page walker of the tests
// catches.
func label(lang i18n.Lang, kind string, code any) string {
	c := fmt.Sprint(code)
	if c == "" {
		return ""
	}
	id := "label." + kind + "." + c
	if s := i18n.Text(lang, id, nil); s != "["+id+"]" {
		return s
	}
	return c
}

// actor names who made a loyalty transaction: a playbook rule
// ("playbook:late_apology") by the rule's label, a person by their e-mail.
func actor(lang i18n.Lang, who string) string {
	if rule, ok := strings.CutPrefix(who, "playbook:"); ok {
		return i18n.Text(lang, "label.actor.playbook", map[string]any{"Rule": label(lang, "rule", rule)})
	}
	return who
}

// carrierName names a carrier: the name the settings give it, else its
// label ("Latvijas Pasts" for pasts, "Курьер" for courier), else its code.
func carrierName(lang i18n.Lang, names map[string]string, code string) string {
	if n := names[code]; n != "" {
		return n
	}
	if code == "(none)" { // the delivery record's line of orders without one
		code = "none"
	}
	return i18n.CarrierName(lang, code, "")
}

// reasonPatterns read the reasons the sender and the playbook record on a
// message (in English, for the log) back into a label and its values.
var reasonPatterns = []struct {
	re *regexp.Regexp
	id string
}{
	{regexp.MustCompile(`^outside the customer's contact hours$`), "reason.contact_hours"},
	{regexp.MustCompile(`^(\w+) provider asked to slow down$`), "reason.throttled"},
	{regexp.MustCompile(`^no (\w+) address$`), "reason.no_address"},
	{regexp.MustCompile(`^opted out of (\w+)$`), "reason.opted_out"},
	{regexp.MustCompile(`^(\w+) failed for good: (.*)$`), "reason.failed_for_good"},
	{regexp.MustCompile(`^no consent to SMS$`), "reason.no_sms_consent"},
	{regexp.MustCompile(`^(\w+) is not set up$`), "reason.not_set_up"},
	{regexp.MustCompile(`^rule (\w+) is switched off$`), "reason.rule_off"},
	{regexp.MustCompile(`^the order is (\w+) now$`), "reason.order_now"},
	{regexp.MustCompile(`^the order moved on to (\w+) before this could be sent$`), "reason.order_moved"},
	{regexp.MustCompile(`^(?:postponed by the )?frequency cap: another message at ([0-9-]+ [0-9:]+) UTC, at most one in (\S+)$`), "reason.frequency_cap"},
	{regexp.MustCompile(`^gave up after (\d+) attempts: (.*)$`), "reason.gave_up"},
}

// reason says a message's recorded reason in the page's language: the
// reasons the sender composes ("no channel can reach the customer: no
// telegram address; opted out of sms") part by part, with channels,
// rules and statuses by their labels. A reason it does not know, or the
// error text of a provider, is shown as recorded.
func reason(lang i18n.Lang, r string) string {
	if rest, ok := strings.CutPrefix(r, "no channel can reach the customer: "); ok {
		parts := strings.Split(rest, "; ")
		for i, p := range parts {
			parts[i] = reason(lang, p)
		}
		return i18n.Text(lang, "label.reason.unreachable", map[string]any{"Why": strings.Join(parts, "; ")})
	}
	postponed := strings.HasPrefix(r, "postponed by the ")
	for _, p := range reasonPatterns {
		m := p.re.FindStringSubmatch(r)
		if m == nil {
			continue
		}
		data := map[string]any{}
		for i, v := range m[1:] {
			data[fmt.Sprintf("V%d", i+1)] = v
		}
		switch p.id {
		case "reason.throttled", "reason.no_address", "reason.opted_out", "reason.failed_for_good", "reason.not_set_up":
			data["V1"] = label(lang, "channel", m[1])
		case "reason.rule_off":
			data["V1"] = label(lang, "rule", m[1])
		case "reason.order_now", "reason.order_moved":
			data["V1"] = statusName(lang, m[1])
		case "reason.frequency_cap":
			if postponed {
				return i18n.Text(lang, "label.reason.frequency_cap_postponed", nil)
			}
		}
		return i18n.Text(lang, "label."+p.id, data)
	}
	return r
}
