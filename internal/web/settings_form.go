package web

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
)

// The kinds of the form's controls.
const (
	kindText     = "text"
	kindURL      = "url"
	kindTel      = "tel"
	kindInt      = "int"
	kindNumber   = "number"
	kindDuration = "duration"
	kindTime     = "time"
	kindWindow   = "window"
	kindLangs    = "langs"
	kindCountry  = "country"
	kindCurrency = "currency"
	kindTimezone = "timezone"
	kindList     = "list" // a list of words, written with commas
)

// settingsSpec is one setting of the form: its YAML key, the control that
// fits it and the unit shown beside it (an i18n id's last part). Its
// label and help are settings.label.<key> and settings.help.<key>.
type settingsSpec struct {
	Key, Kind, Unit string
}

// settingsGroups are the form's sections; the rest (channels, webhooks,
// templates' own rules…) is edited as YAML on the same page.
var settingsGroups = []struct {
	Title string
	Specs []settingsSpec
}{
	{"settings.group.shop", []settingsSpec{
		{"shop.name", kindText, ""}, {"shop.country", kindCountry, ""}, {"shop.timezone", kindTimezone, ""},
		{"shop.currency", kindCurrency, ""}, {"shop.languages", kindLangs, ""},
		{"shop.phone", kindTel, ""}, {"shop.address", kindText, ""}, {"shop.public_url", kindURL, ""},
		{"shop.logo_url", kindText, ""}, {"shop.brand_color", kindText, ""},
	}},
	{"settings.group.hours", []settingsSpec{
		{"shop.working_hours", kindWindow, ""}, {"shop.cutoff", kindTime, ""}, {"shop.contact_hours", kindWindow, ""},
		{"shop.callback_within", kindDuration, ""}, {"shop.callback_tries", kindInt, "times"},
		{"shop.callback_retry_after", kindDuration, ""},
	}},
	{"settings.group.promise", []settingsSpec{
		{"promise.handling_days", kindInt, "working_days"}, {"compensation.late_grace_days", kindInt, "days"},
		{"compensation.bonus_points", kindInt, "points"}, {"watch.stuck_after_days", kindInt, "days"},
	}},
	{"settings.group.loyalty", []settingsSpec{
		{"loyalty.earn_percent", kindNumber, "percent"}, {"loyalty.point_value", kindNumber, "currency"},
		{"loyalty.expire_after", kindDuration, ""}, {"playbook.frequency_cap", kindDuration, ""},
	}},
	{"settings.group.reorder", []settingsSpec{
		{"reorder.platform", kindText, ""}, {"reorder.cart_url", kindText, ""},
		{"reorder.item", kindText, ""}, {"reorder.separator", kindText, ""},
	}},
	{"settings.group.returns", []settingsSpec{{"returns.window_days", kindInt, "days"}}},
	{"settings.group.stock", []settingsSpec{{"stock.restock_days", kindInt, "working_days"}}},
	{"settings.group.campaigns", []settingsSpec{
		{"campaigns.email_rate", kindInt, "per_second"}, {"campaigns.domain_rate", kindInt, "per_second"},
		{"campaigns.sms_rate", kindInt, "per_second"}, {"campaigns.telegram_rate", kindInt, "per_second"},
		{"campaigns.max_errors", kindInt, "times"}, {"campaigns.window", kindDuration, ""},
		{"campaigns.attribution_days", kindInt, "days"},
	}},
	{"settings.group.traffic", []settingsSpec{{"traffic.hosts", kindList, ""}}},
	{"settings.group.backup", []settingsSpec{
		{"backup.hour", kindInt, "hour_of_day"}, {"backup.keep_daily", kindInt, "backups"},
		{"backup.keep_weekly", kindInt, "backups"}, {"backup.restore_test_days", kindInt, "days"},
		{"backup.dir", kindText, ""},
	}},
}

// settingsOption is one choice of a select or a set of checkboxes.
type settingsOption struct {
	Value, Label string
	Selected     bool
}

// settingsField is one setting on the page, named by its YAML key, so a
// validation error (which names the key) lands on its field.
type settingsField struct {
	Key, Kind              string
	Label, Help, Unit      string // in the page's language
	Value                  string // a text, a number, a time, the chosen option, the main language
	From, To               string // a window's times
	Amount, Per            string // a duration's number and unit
	Options, Units, Others []settingsOption
	Error                  string
}

// settingsGroup is one section of the form.
type settingsGroup struct {
	Title  string
	Fields []*settingsField
}

// settingsFields builds the form's sections over the settings s.
func settingsFields(lang i18n.Lang, s config.Settings) ([]settingsGroup, error) {
	exported, err := s.Export()
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(exported, &root); err != nil {
		return nil, err
	}
	var out []settingsGroup
	for _, g := range settingsGroups {
		group := settingsGroup{Title: i18n.Text(lang, g.Title, nil)}
		for _, spec := range g.Specs {
			f := &settingsField{Key: spec.Key, Kind: spec.Kind,
				Label: i18n.Text(lang, "settings.label."+spec.Key, nil), Help: i18n.Text(lang, "settings.help."+spec.Key, nil)}
			if spec.Unit == "currency" {
				f.Unit = s.Shop.Currency
			} else if spec.Unit != "" {
				f.Unit = i18n.Text(lang, "settings.unit."+spec.Unit, nil)
			}
			f.show(lang, nodeValue(&root, strings.Split(spec.Key, ".")))
			group.Fields = append(group.Fields, f)
		}
		out = append(out, group)
	}
	return out, nil
}

// show sets the field's controls to a value as the settings write it.
func (f *settingsField) show(lang i18n.Lang, value string) {
	switch f.Kind {
	case kindDuration:
		f.Amount, f.Per = value, unitMinute
		if d, err := config.ParseDuration(value); err == nil {
			f.Amount, f.Per = splitDuration(d)
		}
		f.Units = nil
		for _, u := range []string{unitMinute, unitHour, unitDay} {
			f.Units = append(f.Units, settingsOption{Value: u, Label: unitName(lang, u), Selected: u == f.Per})
		}
	case kindWindow:
		f.From, f.To, _ = strings.Cut(value, "-")
	case kindLangs:
		langs := splitList(value)
		if len(langs) > 0 {
			f.Value = langs[0]
		}
		f.Options, f.Others = languageOptions(lang, langs)
	case kindCountry:
		f.Value = value
		f.Options = choices(value, calendar.Countries(), func(code string) string {
			if r, err := language.ParseRegion(code); err == nil {
				return display.Regions(language.Make(string(lang))).Name(r)
			}
			return code
		})
	case kindCurrency:
		f.Value = value
		f.Options = choices(value, shopCurrencies, func(code string) string { return code })
	case kindTimezone:
		f.Value = value
		f.Options = choices(value, shopZones, func(zone string) string { return zoneName(lang, zone) })
	default:
		f.Value = value
	}
}

// take sets the field's controls to what the form posted, so what was
// typed stays on the page beside its error.
func (f *settingsField) take(lang i18n.Lang, form url.Values) {
	switch f.Kind {
	case kindDuration:
		if _, ok := form[f.Key]; ok {
			f.Amount, f.Per = form.Get(f.Key), form.Get(f.Key+".unit")
			for i := range f.Units {
				f.Units[i].Selected = f.Units[i].Value == f.Per
			}
		}
	case kindWindow:
		if _, ok := form[f.Key+".from"]; ok {
			f.From, f.To = form.Get(f.Key+".from"), form.Get(f.Key+".to")
		}
	case kindLangs:
		if _, ok := form[f.Key+".main"]; ok {
			f.Value = form.Get(f.Key + ".main")
			f.Options, f.Others = languageOptions(lang, append([]string{f.Value}, form[f.Key]...))
		}
	default:
		if v, ok := form[f.Key]; ok {
			f.show(lang, v[0])
		}
	}
}

// read turns the field's part of the form into the value the settings
// document holds and the kind of YAML node it is; ok is false when the
// form has no such field, and err names what cannot be read.
func (f *settingsField) read(form url.Values) (value, node string, ok bool, err *config.FieldError) {
	bad := func(key, v string) *config.FieldError { return fieldError(f.Key, key, v) }
	switch f.Kind {
	case kindDuration:
		amount, posted := form[f.Key]
		if !posted {
			return "", "", false, nil
		}
		d, good := parseSettingsDuration(amount[0], form.Get(f.Key+".unit"))
		if !good {
			return "", "", true, bad("settings.error.duration", amount[0])
		}
		return config.Duration(d).String(), "text", true, nil
	case kindWindow:
		from, posted := form[f.Key+".from"]
		if !posted {
			return "", "", false, nil
		}
		to := form.Get(f.Key + ".to")
		for _, t := range []string{from[0], to} {
			if !clockTime.MatchString(t) {
				return "", "", true, bad("settings.error.time", t)
			}
		}
		return from[0][:5] + "-" + to[:5], "text", true, nil
	case kindLangs:
		main, posted := form[f.Key+".main"]
		if !posted {
			return "", "", false, nil
		}
		langs := []string{strings.TrimSpace(main[0])}
		for _, l := range form[f.Key] {
			if l = strings.TrimSpace(l); l != "" && !slices.Contains(langs, l) {
				langs = append(langs, l)
			}
		}
		return strings.Join(langs, ","), "list", true, nil
	}
	v, posted := form[f.Key]
	if !posted {
		return "", "", false, nil
	}
	val := strings.TrimSpace(v[0])
	switch f.Kind {
	case kindList:
		return strings.Join(splitList(val), ","), "list", true, nil
	case kindInt:
		if _, err := strconv.Atoi(val); err != nil {
			return "", "", true, bad("settings.error.integer", val)
		}
		return val, "number", true, nil
	case kindNumber:
		val = strings.Replace(val, ",", ".", 1)
		if _, err := strconv.ParseFloat(val, 64); err != nil {
			return "", "", true, bad("settings.error.number", val)
		}
		return val, "number", true, nil
	case kindTime:
		if !clockTime.MatchString(val) {
			return "", "", true, bad("settings.error.time", val)
		}
		return val[:5], "text", true, nil
	}
	return val, "text", true, nil
}

// readFields writes the form's settings into the document root, those
// whose value differs from the settings in force (exported) only, and
// returns the values it cannot read.
func readFields(root, exported *yaml.Node, current config.Settings, lang i18n.Lang, form url.Values) (config.Errors, error) {
	groups, err := settingsFields(lang, current)
	if err != nil {
		return nil, err
	}
	_, countryPosted := form["shop.country"]
	var errs config.Errors
	for _, g := range groups {
		for _, f := range g.Fields {
			value, node, ok, ferr := f.read(form)
			switch {
			case ferr != nil:
				errs = append(errs, ferr)
			case ok && (!sameSetting(f.Kind, value, nodeValue(exported, strings.Split(f.Key, "."))) ||
				f.Key == "shop.currency" && countryPosted && form.Get("shop.country") != current.Shop.Country):
				// A currency left as it was is kept when the country
				// changes: unwritten, it would follow the new country.
				setNode(root, strings.Split(f.Key, "."), value, node)
			}
		}
	}
	return errs, nil
}

// sameSetting tells whether the form's value is the one in force, so an
// untouched field is not written into the document.
func sameSetting(kind, posted, current string) bool {
	switch kind {
	case kindDuration:
		a, err1 := config.ParseDuration(posted)
		b, err2 := config.ParseDuration(current)
		return err1 == nil && err2 == nil && a == b
	case kindLangs, kindList:
		return strings.Join(splitList(posted), ",") == strings.Join(splitList(current), ",")
	case kindNumber:
		a, err1 := strconv.ParseFloat(posted, 64)
		b, err2 := strconv.ParseFloat(current, 64)
		return err1 == nil && err2 == nil && a == b
	}
	return posted == current
}

// clockTime is what a time input sends: "14:00", with seconds when a
// browser adds them.
var clockTime = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$`)

func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// languageOptions are the main language's choices and the other
// languages' checkboxes: ru, lv, en and any other the settings name.
func languageOptions(lang i18n.Lang, chosen []string) (main, others []settingsOption) {
	all := []string{"ru", "lv", "en"}
	for _, l := range chosen {
		if !slices.Contains(all, l) {
			all = append(all, l)
		}
	}
	names := display.Languages(language.Make(string(lang)))
	for _, code := range all {
		label := code
		if tag, err := language.Parse(code); err == nil {
			if n := names.Name(tag); n != "" {
				label = n
			}
		}
		main = append(main, settingsOption{Value: code, Label: label, Selected: len(chosen) > 0 && chosen[0] == code})
		others = append(others, settingsOption{Value: code, Label: label, Selected: slices.Contains(chosen, code)})
	}
	return main, others
}

// choices are a select's options, with the current value kept even when
// the list does not have it.
func choices(current string, list []string, label func(string) string) []settingsOption {
	if current != "" && !slices.Contains(list, current) {
		list = append([]string{current}, list...)
	}
	out := make([]settingsOption, len(list))
	for i, v := range list {
		out[i] = settingsOption{Value: v, Label: label(v), Selected: v == current}
	}
	return out
}

// shopCurrencies are the currencies offered; the settings accept any ISO
// 4217 code, which the YAML editor takes.
var shopCurrencies = []string{"EUR", "RUB", "USD", "GBP", "PLN", "SEK", "NOK", "DKK", "CHF", "CZK", "BYN", "KZT", "UAH"}

// shopZones are the time zones offered, west to east; any other IANA
// zone is kept when the settings name it.
var shopZones = []string{
	"Europe/London", "Europe/Berlin", "Europe/Warsaw", "Europe/Riga", "Europe/Vilnius", "Europe/Tallinn",
	"Europe/Helsinki", "Europe/Kyiv", "Europe/Kaliningrad", "Europe/Minsk", "Europe/Moscow", "Europe/Samara",
	"Asia/Yekaterinburg", "Asia/Almaty", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk",
	"Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka", "America/New_York",
}

// zoneName names a time zone by its city in lang, with its offset now:
// "Рига (UTC+2)".
func zoneName(lang i18n.Lang, zone string) string {
	name := zone
	if slices.Contains(shopZones, zone) {
		name = i18n.Text(lang, "settings.zone."+strings.ToLower(strings.ReplaceAll(zone, "/", "_")), nil)
	}
	loc, err := loadZone(zone)
	if err != nil {
		return name
	}
	_, off := time.Now().In(loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "−", -off
	}
	offset := fmt.Sprintf("UTC%s%d", sign, off/3600)
	if m := off % 3600 / 60; m != 0 {
		offset += fmt.Sprintf(":%02d", m)
	}
	return name + " (" + offset + ")"
}

// zones caches the time zones the form lists: LoadLocation reads the
// zone database at every call, and every page lists two dozen zones.
var zones sync.Map

func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}
