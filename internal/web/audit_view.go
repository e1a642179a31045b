package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/audit"
	"github.com/shopcare/shopcare/internal/i18n"
)

// auditPointView is one touch point as the audit pages show it: the
// overview with every figure already in the viewer's language.
type auditPointView struct {
	audit.Overview
	Name     string // the point's name
	LastKind string
	LastDay  string
	Score    string // the last check's score, "4 of 5", or ""
	Passed   string // the last check's items passed, "3 of 4", or ""
	Chart    auditChart
	Months   []auditMonthView
	Measured []auditMeasureView
}

// auditMonthView is a month of the trend table.
type auditMonthView struct {
	audit.Month
	Name   string // "Dec 2026"
	Score  string // mean score, "4,5", or ""
	Passed string // share passed, "75 %", or ""
}

// auditMeasureView is a figure shopcare measures, with its two months.
type auditMeasureView struct {
	Key    string
	Name   string
	Months []auditMeasureMonth
	// Current is this month's value so far.
	Current auditMeasureMonth
}

// auditMeasureMonth is a measured figure's value in a month, in words.
type auditMeasureMonth struct {
	Label string // "Last month", "This month so far"
	Value string // "", when nothing was measured
	Base  string // "out of 12"
}

// auditChart is a bar chart of the share of items passed by month,
// drawn as SVG by the template: no script.
type auditChart struct {
	W, H  int
	Bars  []auditBar
	Label string // the chart's accessible name
	Empty bool
}

// auditBar is one month's bar (a month without checks has none, only its
// label).
type auditBar struct {
	X, Y, W, H int
	LabelX     int
	Label      string // the month, short
	Title      string // the month and its value, for a tooltip and screen readers
	Has        bool
}

func auditView(lang i18n.Lang, o audit.Overview) auditPointView {
	v := auditPointView{Overview: o, Name: auditPointName(lang, o.Point)}
	if c := o.Last; c != nil {
		v.LastKind, v.LastDay = auditKindName(lang, c.Kind), formatStoredDay(lang, c.Day)
		v.Score, v.Passed = auditCheckScore(lang, *c), auditCheckPassed(lang, *c)
	}
	for _, m := range o.Trend {
		mv := auditMonthView{Month: m, Name: auditMonthName(lang, m.Month)}
		if m.Scored > 0 {
			mv.Score = decimal1(lang, m.Score)
		}
		if sh, ok := m.PassedShare(); ok {
			mv.Passed = i18n.Percent(lang, sh)
		}
		v.Months = append(v.Months, mv)
	}
	v.Chart = auditChartOf(lang, v.Months)
	for _, m := range o.Measures {
		v.Measured = append(v.Measured, auditMeasureOf(lang, m))
	}
	return v
}

// auditChartOf draws the months' share of items passed: 24 px a bar.
func auditChartOf(lang i18n.Lang, months []auditMonthView) auditChart {
	const barW, gap, top, plot, foot = 24, 8, 4, 80, 18
	c := auditChart{W: len(months) * (barW + gap), H: top + plot + foot, Empty: true,
		Label: i18n.Text(lang, "admin.audit.trend.chart", nil)}
	for i, m := range months {
		x := i * (barW + gap)
		b := auditBar{X: x + gap/2, W: barW, LabelX: x + (barW+gap)/2, Label: auditMonthShort(lang, m.Month.Month)}
		b.Title = m.Name + ": " + i18n.Text(lang, "admin.audit.none", nil)
		if sh, ok := m.PassedShare(); ok {
			hgt := max(2, int(math.Round(sh*plot)))
			b.Y, b.H, b.Has, c.Empty = top+plot-hgt, hgt, true, false
			b.Title = m.Name + ": " + m.Passed
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

func auditMeasureOf(lang i18n.Lang, m audit.Measure) auditMeasureView {
	v := auditMeasureView{Key: m.Key, Name: i18n.Text(lang, "admin.audit.measure."+m.Key, nil)}
	for i, mm := range m.Months {
		label := "admin.audit.measure.this_month"
		if i == 0 && len(m.Months) > 1 {
			label = "admin.audit.measure.last_month"
		}
		x := auditMeasureMonth{Label: i18n.Text(lang, label, nil)}
		if mm.Value == nil {
			x.Value = i18n.Text(lang, "admin.audit.measure.nothing", nil)
		} else {
			x.Value = auditValue(lang, m.Unit, *mm.Value)
			if m.Unit != audit.UnitCount {
				x.Base = i18n.Text(lang, "admin.audit.measure.base", map[string]any{"N": i18n.Number(lang, mm.Base)})
			}
		}
		v.Months = append(v.Months, x)
		v.Current = x
	}
	return v
}

// auditValue writes a measured value in its unit.
func auditValue(lang i18n.Lang, unit string, v float64) string {
	switch unit {
	case audit.UnitShare:
		return i18n.Percent(lang, v)
	case audit.UnitSeconds:
		return i18n.Duration(lang, time.Duration(v)*time.Second)
	case audit.UnitNPS:
		n := int64(math.Round(v))
		if n > 0 {
			return "+" + i18n.Number(lang, n)
		}
		return i18n.Number(lang, n)
	}
	return i18n.Number(lang, int64(math.Round(v)))
}

func auditPointName(lang i18n.Lang, p audit.Point) string {
	return i18n.Text(lang, "admin.audit.point."+string(p), nil)
}

func auditKindName(lang i18n.Lang, k audit.Kind) string {
	return i18n.Text(lang, "admin.audit.kind."+string(k), nil)
}

func auditCheckScore(lang i18n.Lang, c audit.Check) string {
	if c.Score == 0 {
		return ""
	}
	return i18n.Text(lang, "admin.audit.score_of", map[string]any{"Score": c.Score})
}

func auditCheckPassed(lang i18n.Lang, c audit.Check) string {
	if c.Total == 0 {
		return ""
	}
	return i18n.Text(lang, "admin.audit.passed_of", map[string]any{"Passed": c.Passed, "Total": c.Total})
}

// auditMonthName writes "2026-12" as "Dec 2026" in lang.
func auditMonthName(lang i18n.Lang, month string) string {
	if len(month) != 7 {
		return month
	}
	return auditMonthShort(lang, month) + " " + month[:4]
}

// auditMonthShort writes "2026-12" as "Dec".
func auditMonthShort(lang i18n.Lang, month string) string {
	n, err := strconv.Atoi(strings.TrimPrefix(month[min(5, len(month)):], "0"))
	if err != nil || n < 1 || n > 12 {
		return month
	}
	return i18n.Text(lang, fmt.Sprintf("admin.audit.month.%d", n), nil)
}

// decimal1 writes v with one decimal, with the language's separator.
func decimal1(lang i18n.Lang, v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	if lang != i18n.EN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
