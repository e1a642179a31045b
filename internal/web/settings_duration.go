package web

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
)

// The units a duration is entered in on the settings form.
const (
	unitMinute = "min"
	unitHour   = "h"
	unitDay    = "d"
)

var durationUnits = map[string]time.Duration{unitMinute: time.Minute, unitHour: time.Hour, unitDay: 24 * time.Hour}

// splitDuration gives a duration as a whole number in its largest exact
// unit, for the form's number and unit: 90 min, 1 h, 2 d.
func splitDuration(d time.Duration) (amount, unit string) {
	switch {
	case d > 0 && d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10), unitDay
	case d > 0 && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10), unitHour
	default:
		return strconv.FormatInt(int64(d.Round(time.Minute)/time.Minute), 10), unitMinute
	}
}

// formatSettingsDuration writes a duration for people in lang: "1 ч",
// "1 h 30 min", "2 d." — the settings page's own, as the layout's shared
// formatting has no per-locale duration yet.
func formatSettingsDuration(lang i18n.Lang, d time.Duration) string {
	amount, unit := splitDuration(d)
	if unit == unitMinute && d >= time.Hour {
		m := int64(d.Round(time.Minute) / time.Minute)
		return strconv.FormatInt(m/60, 10) + " " + unitName(lang, unitHour) + " " +
			strconv.FormatInt(m%60, 10) + " " + unitName(lang, unitMinute)
	}
	return amount + " " + unitName(lang, unit)
}

// unitName is a duration unit's short name in lang.
func unitName(lang i18n.Lang, unit string) string {
	switch unit {
	case unitHour:
		return i18n.Text(lang, "settings.unit.h", nil)
	case unitDay:
		return i18n.Text(lang, "settings.unit.d", nil)
	}
	return i18n.Text(lang, "settings.unit.min", nil)
}

// humanDuration reads a number with a unit written out: "1 h", "90 min",
// "2d", "1,5 ч", "3 dienas".
var humanDuration = regexp.MustCompile(`^(\d+(?:[.,]\d+)?)\s*(\p{L}+\.?)$`)

// unitWords are the units people write, in the three languages.
var unitWords = map[string]string{
	"m": unitMinute, "min": unitMinute, "mins": unitMinute, "minute": unitMinute, "minutes": unitMinute,
	"мин": unitMinute, "минута": unitMinute, "минуты": unitMinute, "минут": unitMinute, "minūte": unitMinute, "minūtes": unitMinute,
	"h": unitHour, "hr": unitHour, "hour": unitHour, "hours": unitHour, "ч": unitHour, "час": unitHour, "часа": unitHour,
	"часов": unitHour, "st": unitHour, "stunda": unitHour, "stundas": unitHour, "stundu": unitHour,
	"d": unitDay, "day": unitDay, "days": unitDay, "д": unitDay, "дн": unitDay, "день": unitDay, "дня": unitDay,
	"дней": unitDay, "diena": unitDay, "dienas": unitDay, "dienu": unitDay,
}

// parseSettingsDuration reads the form's duration: a number in the unit
// chosen beside it, or a duration written out in the number field ("1 h",
// "90 min", "2d", "1h30m"). It refuses a negative one and one that is
// not whole minutes.
func parseSettingsDuration(amount, unit string) (time.Duration, bool) {
	amount = strings.TrimSpace(strings.ToLower(amount))
	if amount == "" {
		return 0, false
	}
	if m := humanDuration.FindStringSubmatch(amount); m != nil {
		u, ok := unitWords[strings.TrimSuffix(m[2], ".")]
		if !ok {
			return 0, false
		}
		amount, unit = m[1], u
	} else if d, err := config.ParseDuration(amount); err == nil && strings.IndexFunc(amount, isLetter) >= 0 {
		return d, d >= 0 && d%time.Minute == 0
	}
	per, ok := durationUnits[unit]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseFloat(strings.Replace(amount, ",", ".", 1), 64)
	if err != nil || n < 0 || math.IsInf(n, 0) || n*float64(per) > float64(math.MaxInt64/2) {
		return 0, false
	}
	d := time.Duration(n * float64(per))
	return d, d%time.Minute == 0
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' }
