package customer

import _ "time/tzdata" // customers' zones must resolve on machines without zoneinfo

// countryZones lists the IANA zones of the countries shopcare's shops sell
// to; the first is the most populous one. A country with one zone settles a
// customer's zone by itself.
var countryZones = map[string][]string{
	"RU": {"Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk",
		"Asia/Vladivostok", "Europe/Samara", "Asia/Omsk", "Europe/Kaliningrad", "Asia/Yakutsk",
		"Asia/Magadan", "Asia/Kamchatka", "Asia/Sakhalin", "Europe/Volgograd"},
	"US": {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
		"America/Phoenix", "America/Anchorage", "Pacific/Honolulu"},
	"KZ": {"Asia/Almaty", "Asia/Aqtobe"},
	"UA": {"Europe/Kyiv"},
	"LV": {"Europe/Riga"}, "LT": {"Europe/Vilnius"}, "EE": {"Europe/Tallinn"},
	"BY": {"Europe/Minsk"}, "FI": {"Europe/Helsinki"}, "SE": {"Europe/Stockholm"},
	"NO": {"Europe/Oslo"}, "DK": {"Europe/Copenhagen"}, "PL": {"Europe/Warsaw"},
	"DE": {"Europe/Berlin"}, "AT": {"Europe/Vienna"}, "CH": {"Europe/Zurich"},
	"FR": {"Europe/Paris"}, "NL": {"Europe/Amsterdam"}, "BE": {"Europe/Brussels"},
	"IT": {"Europe/Rome"}, "CZ": {"Europe/Prague"}, "GB": {"Europe/London"},
	"IE": {"Europe/Dublin"}, "GE": {"Asia/Tbilisi"}, "AM": {"Asia/Yerevan"},
	"IL": {"Asia/Jerusalem"}, "TR": {"Europe/Istanbul"}, "RS": {"Europe/Belgrade"},
}
