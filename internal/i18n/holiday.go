package i18n

import "strings"

// holidayNames are the Russian and Latvian names of the holidays and
// day-off reasons the calendar package names in English, for the
// countries whose languages shopcare writes (Russia and Latvia); a name
// not here stays in English.
var holidayNames = map[string][2]string{
	// Russia
	"New Year holidays":              {"Новогодние каникулы", "Jaungada brīvdienas"},
	"Orthodox Christmas":             {"Рождество Христово", "Pareizticīgo Ziemassvētki"},
	"Defender of the Fatherland Day": {"День защитника Отечества", "Tēvzemes aizstāvja diena"},
	"International Women's Day":      {"Международный женский день", "Starptautiskā sieviešu diena"},
	"Spring and Labour Day":          {"Праздник Весны и Труда", "Pavasara un Darba svētki"},
	"Victory Day":                    {"День Победы", "Uzvaras diena"},
	"Russia Day":                     {"День России", "Krievijas diena"},
	"Unity Day":                      {"День народного единства", "Tautas vienotības diena"},
	// Latvia
	"New Year's Day": {"Новый год", "Jaungada diena"},
	"Good Friday":    {"Страстная пятница", "Lielā Piektdiena"},
	"Easter Sunday":  {"Пасха", "Pirmās Lieldienas"},
	"Easter Monday":  {"Пасхальный понедельник", "Otrās Lieldienas"},
	"Labour Day":     {"День труда", "Darba svētki"},
	"Convocation of the Constituent Assembly": {"День созыва Учредительного собрания", "Satversmes sapulces sasaukšanas diena"},
	"Restoration of Independence Day":         {"День восстановления независимости", "Neatkarības atjaunošanas diena"},
	"Mother's Day":                            {"День матери", "Mātes diena"},
	"Midsummer Eve (Līgo)":                    {"Лиго", "Līgo diena"},
	"Midsummer Day (Jāņi)":                    {"Янов день", "Jāņu diena"},
	"Proclamation Day of the Republic of Latvia": {"День провозглашения Латвийской Республики",
		"Latvijas Republikas proklamēšanas diena"},
	"Christmas Eve":                       {"Сочельник", "Ziemassvētku vakars"},
	"Christmas Day":                       {"Рождество", "Pirmie Ziemassvētki"},
	"Second Day of Christmas":             {"Второй день Рождества", "Otrie Ziemassvētki"},
	"New Year's Eve":                      {"Канун Нового года", "Vecgada vakars"},
	"Song and Dance Festival closing day": {"Заключительный день Праздника песни и танца", "Dziesmu un deju svētku noslēguma diena"},
	"Ice hockey World Championship bronze medal day": {"День бронзовой медали чемпионата мира по хоккею",
		"Pasaules hokeja čempionāta bronzas medaļas diena"},
	"Pastoral visit of Pope Francis":     {"Пастырский визит Папы Франциска", "Pāvesta Franciska pastorālā vizīte"},
	"Day off moved by Cabinet order":     {"Выходной перенесён распоряжением Кабинета министров", "Brīvdiena pārcelta ar MK rīkojumu"},
	"Working day by Cabinet order":       {"Рабочий день по распоряжению Кабинета министров", "Darba diena ar MK rīkojumu"},
	"Day off moved by government decree": {"Выходной перенесён постановлением правительства", "Brīvdiena pārcelta ar valdības lēmumu"},
	"Working day by government decree":   {"Рабочий день по постановлению правительства", "Darba diena ar valdības lēmumu"},
	// Notes in parentheses after a name.
	"observed":                              {"перенесённый", "pārceltā"},
	"day off moved by government decree":    {"выходной перенесён постановлением правительства", "brīvdiena pārcelta ar valdības lēmumu"},
	"day off moved by Labour Code art. 112": {"выходной перенесён по ст. 112 Трудового кодекса", "brīvdiena pārcelta saskaņā ar Krievijas Darba kodeksa 112. pantu"},
	"day off moved by Cabinet order":        {"выходной перенесён распоряжением Кабинета министров", "brīvdiena pārcelta ar MK rīkojumu"},
}

// HolidayName returns a holiday's English name, as the calendar package
// gives it, in lang: "New Year holidays" is "Новогодние каникулы". A name
// of several holidays ("Labour Day; Convocation of the Constituent
// Assembly") and a note in parentheses ("Victory Day (day off moved by
// Labour Code art. 112)") are translated part by part; a part no table
// has, such as a shop's own reason for a day off, stays as it is.
func HolidayName(lang Lang, name string) string {
	lang = known(lang)
	if lang == EN || name == "" {
		return name
	}
	i := 0
	if lang == LV {
		i = 1
	}
	one := func(s string) string {
		if t, ok := holidayNames[s]; ok {
			return t[i]
		}
		return s
	}
	parts := strings.Split(name, "; ")
	for k, p := range parts {
		if t, ok := holidayNames[p]; ok {
			parts[k] = t[i]
			continue
		}
		if base, note, ok := strings.Cut(p, " ("); ok && strings.HasSuffix(note, ")") {
			parts[k] = one(base) + " (" + one(strings.TrimSuffix(note, ")")) + ")"
		}
	}
	return strings.Join(parts, "; ")
}

// DayKind names a kind of calendar day ("holiday", "moved_day_off", as
// calendar.Kind's String gives it) in lang: "праздник", "pārcelta
// brīvdiena". A kind it does not know is returned as it is.
func DayKind(lang Lang, kind string) string {
	id := "format.day_kind." + kind
	if s := Text(lang, id, nil); s != "["+id+"]" {
		return s
	}
	return kind
}
