package i18n_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
)

func TestMoney(t *testing.T) {
	t.Parallel()
	nb := func(s string) string { return strings.ReplaceAll(s, "_", "\u00a0") }
	for _, c := range []struct {
		lang  i18n.Lang
		minor int64
		cur   string
		want  string
	}{
		{i18n.RU, 48900, "RUB", "489,00_₽"},
		{i18n.RU, 3450, "EUR", "34,50_€"},
		{i18n.LV, 3450, "EUR", "34,50_€"},
		{i18n.EN, 3450, "EUR", "€34.50"},
		{i18n.EN, 48900, "RUB", "RUB_489.00"},
		{i18n.LV, 48900, "RUB", "489,00_RUB"},
		{i18n.RU, 123456789, "RUB", "1_234_567,89_₽"},
		{i18n.EN, 123456789, "USD", "$1,234,567.89"},
		{i18n.EN, -3450, "EUR", "-€34.50"},
		{i18n.RU, -5, "EUR", "-0,05_€"},
		{i18n.EN, 1500, "JPY", "¥1,500"},
		{i18n.EN, 1500, "XYZ", "XYZ_15.00"},
		{i18n.RU, math.MinInt64, "EUR", "-92_233_720_368_547_758,08_€"},
		{i18n.EN, math.MaxInt64, "EUR", "€92,233,720,368,547,758.07"},
		{"de", 3450, "EUR", "€34.50"},
	} {
		if got := i18n.Money(c.lang, c.minor, c.cur); got != nb(c.want) {
			t.Errorf("Money(%s, %d, %s) = %q, want %q", c.lang, c.minor, c.cur, got, nb(c.want))
		}
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	d := func(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }
	for _, c := range []struct {
		lang i18n.Lang
		d    time.Duration
		want string
	}{
		{i18n.RU, d(26, 55), "26 ч 55 мин"},
		{i18n.LV, d(26, 55), "26 st. 55 min."},
		{i18n.EN, d(26, 55), "26 h 55 min"},
		{i18n.EN, d(0, 25), "25 min"},
		{i18n.EN, d(3, 0), "3 h"},
		{i18n.RU, -d(270, 52), "11 дн. 6 ч"},
		{i18n.LV, d(48, 0), "2 d."},
		{i18n.EN, 29 * time.Second, "0 min"},
		{i18n.EN, math.MinInt64, "106,751 d 23 h"},
		{i18n.EN, math.MaxInt64, "106,751 d 23 h"},
	} {
		if got := i18n.Duration(c.lang, c.d); got != c.want {
			t.Errorf("Duration(%s, %v) = %q, want %q", c.lang, c.d, got, c.want)
		}
	}
}

func TestDueIn(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang i18n.Lang
		d    time.Duration
		want string
	}{
		{i18n.RU, -270*time.Hour - 52*time.Minute, "просрочено на 11 дн. 6 ч"},
		{i18n.LV, -90 * time.Minute, "nokavēts par 1 st. 30 min."},
		{i18n.EN, 25 * time.Minute, "in 25 min"},
		{i18n.RU, 25 * time.Minute, "через 25 мин"},
	} {
		if got := i18n.DueIn(c.lang, c.d); got != c.want {
			t.Errorf("DueIn(%s, %v) = %q, want %q", c.lang, c.d, got, c.want)
		}
	}
}

func TestPercent(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang  i18n.Lang
		share float64
		want  string
	}{
		{i18n.EN, 0.873, "87%"},
		{i18n.RU, 0.873, "87\u00a0%"},
		{i18n.LV, 1, "100%"},
		{i18n.EN, math.NaN(), "–"},
		{i18n.EN, math.Inf(1), "–"},
	} {
		if got := i18n.Percent(c.lang, c.share); got != c.want {
			t.Errorf("Percent(%s, %v) = %q, want %q", c.lang, c.share, got, c.want)
		}
	}
}

func TestHolidayName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang       i18n.Lang
		name, want string
	}{
		{i18n.RU, "New Year holidays", "Новогодние каникулы"},
		{i18n.RU, "Victory Day (day off moved by Labour Code art. 112)", "День Победы (выходной перенесён по ст. 112 Трудового кодекса)"},
		{i18n.LV, "Labour Day; Convocation of the Constituent Assembly", "Darba svētki; Satversmes sapulces sasaukšanas diena"},
		{i18n.EN, "New Year holidays", "New Year holidays"},
		{i18n.RU, "stocktaking", "stocktaking"},
		{i18n.RU, "", ""},
	} {
		if got := i18n.HolidayName(c.lang, c.name); got != c.want {
			t.Errorf("HolidayName(%s, %q) = %q, want %q", c.lang, c.name, got, c.want)
		}
	}
	if got := i18n.DayKind(i18n.RU, "holiday"); got != "праздник" {
		t.Errorf("DayKind(ru, holiday) = %q", got)
	}
}

func TestCarrierName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang             i18n.Lang
		code, name, want string
	}{
		{i18n.RU, "courier", "courier", "Курьер"},
		{i18n.LV, "pasts", "", "Latvijas Pasts"},
		{i18n.RU, "courier", "Быстрый курьер", "Быстрый курьер"},
		{i18n.EN, "dpd", "", "dpd"},
	} {
		if got := i18n.CarrierName(c.lang, c.code, c.name); got != c.want {
			t.Errorf("CarrierName(%s, %q, %q) = %q, want %q", c.lang, c.code, c.name, got, c.want)
		}
	}
}
