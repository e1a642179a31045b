package web

import (
	"fmt"
	"html/template"
	"strings"
)

// insightChart is a small chart drawn on the server as SVG: one line over
// periods, a gap where a period has no value, a dot per value with its
// label as a tooltip, and the axis' bounds. It needs no script, prints,
// and a screen reader reads its summary (Title) and the table beside it.
type insightChart struct {
	Title    string   // what it shows, for aria-label
	Labels   []string // the periods, in words
	Values   []*float64
	Shown    []string // each value as the page writes it
	Min, Max float64  // the axis' bounds
	Zero     bool     // draw the line at 0
}

// Chart geometry, in SVG units.
const (
	chartW, chartH   = 640.0, 200.0
	chartL, chartR   = 44.0, 8.0
	chartT, chartB   = 10.0, 28.0
	chartLabelEveryN = 6
)

// SVG renders the chart. Every text in it is escaped.
func (c insightChart) SVG() template.HTML {
	n := len(c.Values)
	if n == 0 || c.Max <= c.Min {
		return ""
	}
	esc := template.HTMLEscapeString
	x := func(i int) float64 {
		if n == 1 {
			return chartL + (chartW-chartL-chartR)/2
		}
		return chartL + float64(i)*(chartW-chartL-chartR)/float64(n-1)
	}
	y := func(v float64) float64 {
		v = min(max(v, c.Min), c.Max)
		return chartT + (c.Max-v)*(chartH-chartT-chartB)/(c.Max-c.Min)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="line-chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" preserveAspectRatio="xMidYMid meet">`,
		chartW, chartH, esc(c.Title))
	grid := []float64{c.Min, c.Max}
	if c.Zero && c.Min < 0 && c.Max > 0 {
		grid = append(grid, 0)
	} else {
		grid = append(grid, (c.Min+c.Max)/2)
	}
	for _, g := range grid {
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/><text class="axis" x="%.1f" y="%.1f" text-anchor="end">%s</text>`,
			chartL, chartW-chartR, y(g), y(g), chartL-6, y(g)+4, esc(insightAxisValue(g)))
	}
	var path []string
	for i, v := range c.Values {
		if v == nil {
			if len(path) > 0 {
				fmt.Fprintf(&b, `<polyline class="line" points="%s"/>`, strings.Join(path, " "))
			}
			path = nil
			continue
		}
		path = append(path, fmt.Sprintf("%.1f,%.1f", x(i), y(*v)))
	}
	if len(path) > 0 {
		fmt.Fprintf(&b, `<polyline class="line" points="%s"/>`, strings.Join(path, " "))
	}
	for i, v := range c.Values {
		if v == nil {
			continue
		}
		label, shown := "", ""
		if i < len(c.Labels) {
			label = c.Labels[i]
		}
		if i < len(c.Shown) {
			shown = c.Shown[i]
		}
		fmt.Fprintf(&b, `<circle class="dot" cx="%.1f" cy="%.1f" r="3"><title>%s: %s</title></circle>`, x(i), y(*v), esc(label), esc(shown))
	}
	every := max(1, (n+chartLabelEveryN-1)/chartLabelEveryN)
	for i, l := range c.Labels {
		if i%every != 0 && i != n-1 {
			continue
		}
		anchor := "middle"
		switch {
		case i == 0 && n > 1:
			anchor = "start"
		case i == n-1 && n > 1:
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.1f" text-anchor="%s">%s</text>`, x(i), chartH-8, anchor, esc(l))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // built above from numbers and escaped text only
}

// insightAxisValue writes an axis bound: a whole number without decimals.
func insightAxisValue(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.1f", v)
}
