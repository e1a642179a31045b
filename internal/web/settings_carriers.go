package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
)

// settingsCarrier is one row of the carrier editor; the last row is
// empty, for a new carrier. What the editor does not show (destinations,
// tracking) stays as the YAML has it.
type settingsCarrier struct {
	Index           int
	Code, Name      string
	Min, Max        string // transit days
	Working         bool   // counted in working days
	Hold, Reminders string // pickup hold days; reminder days, comma-separated
	Days            []settingsOption
	New             bool
	Error           string
}

// weekdayCodes are the weekdays as the settings write them, Monday first.
var weekdayCodes = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// settingsCarriers builds the editor's rows over the settings' carriers.
func settingsCarriers(lang i18n.Lang, s config.Settings) []settingsCarrier {
	out := make([]settingsCarrier, 0, len(s.Carriers)+1)
	for i, c := range s.Carriers {
		row := settingsCarrier{Index: i, Code: c.Code, Name: c.Name, Working: c.TransitWorkingDays,
			Hold: strconv.Itoa(c.PickupHoldDays), Reminders: joinInts(c.PickupReminders)}
		if len(c.TransitDays) == 2 {
			row.Min, row.Max = strconv.Itoa(c.TransitDays[0]), strconv.Itoa(c.TransitDays[1])
		}
		var off []string
		for _, d := range c.NonDeliveryWeekdays {
			off = append(off, weekdayCodes[(int(d)+6)%7])
		}
		row.Days = weekdayOptions(lang, off)
		out = append(out, row)
	}
	return append(out, settingsCarrier{Index: len(s.Carriers), New: true, Days: weekdayOptions(lang, nil)})
}

func weekdayOptions(lang i18n.Lang, off []string) []settingsOption {
	out := make([]settingsOption, len(weekdayCodes))
	for i, code := range weekdayCodes {
		out[i] = settingsOption{Value: code, Label: i18n.Weekday(lang, time.Weekday((i+1)%7)), Selected: slices.Contains(off, code)}
	}
	return out
}

func joinInts(list []int) string {
	parts := make([]string, len(list))
	for i, n := range list {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// takeCarriers puts what the form posted back into the editor's rows.
func takeCarriers(lang i18n.Lang, rows []settingsCarrier, form url.Values) []settingsCarrier {
	n, err := strconv.Atoi(form.Get("carriers.count"))
	if err != nil || n < 0 || n > 100 {
		return rows
	}
	out := make([]settingsCarrier, 0, n+1)
	for i := 0; i <= n; i++ {
		k := fmt.Sprintf("carriers.%d.", i)
		out = append(out, settingsCarrier{Index: i, New: i == n, Code: form.Get(k + "code"), Name: form.Get(k + "name"),
			Min: form.Get(k + "min"), Max: form.Get(k + "max"), Working: form.Get(k+"working") == "true",
			Hold: form.Get(k + "hold"), Reminders: form.Get(k + "reminders"), Days: weekdayOptions(lang, form[k+"off"])})
	}
	return out
}

// readCarriers applies the carrier editor to the document's carriers,
// which it copies from the settings in force when the document has none
// of its own. It returns, for each carrier of the new list, the editor's
// row it came from, so the settings' errors ("carriers[1]…") land on
// their row.
func readCarriers(root, exported *yaml.Node, form url.Values, errs *config.Errors) []int {
	n, err := strconv.Atoi(form.Get("carriers.count"))
	if err != nil || n < 0 || n > 100 {
		return nil
	}
	seq := carrierSeq(root, exported)
	var kept []*yaml.Node
	var rows []int
	for i := 0; i <= n; i++ {
		k := fmt.Sprintf("carriers.%d.", i)
		code := strings.TrimSpace(form.Get(k + "code"))
		if form.Get(k+"delete") == "true" || i == n && code == "" {
			continue
		}
		var item *yaml.Node
		if i < n && i < len(seq.Content) {
			item = seq.Content[i]
		} else {
			item = &yaml.Node{Kind: yaml.MappingNode}
		}
		ints := func(field, v string) []string {
			var out []string
			for _, s := range splitList(v) {
				if _, err := strconv.Atoi(s); err != nil {
					*errs = append(*errs, fieldError(fmt.Sprintf("carriers[%d].%s", len(kept), field), "settings.error.integer", s))
					continue
				}
				out = append(out, s)
			}
			return out
		}
		setNode(item, []string{"code"}, code, "text")
		if name := strings.TrimSpace(form.Get(k + "name")); name != "" || nodeValue(item, []string{"name"}) != "" {
			setNode(item, []string{"name"}, name, "text")
		}
		transit := ints("transit_days", form.Get(k+"min")+","+form.Get(k+"max"))
		setNumbers(item, "transit_days", transit)
		if working := form.Get(k+"working") == "true"; working || nodeValue(item, []string{"transit_working_days"}) != "" {
			setNode(item, []string{"transit_working_days"}, strconv.FormatBool(working), "bool")
		}
		if hold := ints("pickup_hold_days", form.Get(k+"hold")); len(hold) == 1 {
			setNode(item, []string{"pickup_hold_days"}, hold[0], "number")
		}
		setNumbers(item, "pickup_reminders", ints("pickup_reminders", form.Get(k+"reminders")))
		if off := form[k+"off"]; len(off) > 0 || nodeValue(item, []string{"non_delivery_weekdays"}) != "" {
			setNode(item, []string{"non_delivery_weekdays"}, strings.Join(off, ","), "list")
		}
		kept = append(kept, item)
		rows = append(rows, i)
	}
	seq.Content = kept
	return rows
}

// carrierSeq finds the document's carriers list, or puts the carriers
// in force (as exported, without the environment's secrets) into it.
func carrierSeq(root, exported *yaml.Node) *yaml.Node {
	if root.Kind == 0 {
		*root = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	m := root
	if m.Kind == yaml.DocumentNode {
		m = m.Content[0]
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "carriers" && m.Content[i+1].Kind == yaml.SequenceNode {
			return m.Content[i+1]
		}
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	if e := exported; e.Kind == yaml.DocumentNode && len(e.Content) > 0 {
		for i := 0; i+1 < len(e.Content[0].Content); i += 2 {
			if e.Content[0].Content[i].Value == "carriers" && e.Content[0].Content[i+1].Kind == yaml.SequenceNode {
				seq = e.Content[0].Content[i+1]
			}
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "carriers" {
			m.Content[i+1] = seq
			return seq
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "carriers"}, seq)
	return seq
}

// setNumbers writes a flow list of numbers: [5, 7].
func setNumbers(item *yaml.Node, key string, nums []string) {
	list := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, n := range nums {
		list.Content = append(list.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: n})
	}
	for i := 0; i+1 < len(item.Content); i += 2 {
		if item.Content[i].Value == key {
			item.Content[i+1] = list
			return
		}
	}
	if len(nums) > 0 {
		item.Content = append(item.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, list)
	}
}
