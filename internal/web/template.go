package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"text/template/parse"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/order"

	"github.com/shopcare/shopcare/internal/i18n"
)

//go:embed templates
var templateFS embed.FS

// pages holds one parsed template set per page, each the shared layout plus
// the page's own file. They are parsed once at init and only executed
// afterwards, which html/template allows from many goroutines.
var pages = mustParsePages(templateFS)

// mustParsePages parses the embedded pages and panics on a broken one: the
// files are compiled in, so a bad one is a programming error the tests
// catch, and serving without it would only fail at the first visitor.
func mustParsePages(fsys fs.FS) map[string]*template.Template {
	p, err := parsePages(fsys)
	if err != nil {
		panic(err)
	}
	return p
}

// parsePages parses each page with its layout: templates/*.html with
// templates/layout.html (the customer's pages), templates/admin/*.html with
// templates/admin/layout.html (the shop's workspace), templates/my/*.html
// with templates/my/layout.html (the customer's own page, /my). A page is named after
// its file: templates/admin/order_list.html is the page "order_list". A
// page defines "title" and "content"; the layout wraps them.
//
// templates/parts/*.html define pieces several pages show alike (an
// order's progress, the shop's contacts); a page is parsed with the parts
// it calls (and those they call), not with all of them: each page's set
// holds its own copy of every template in it, which html/template's
// escaping needs, and the parts in every one of the sixty pages were most
// of serve's resident templates (18.4 MiB of heap; 5.6 MiB with only
// the parts each page calls).
func parsePages(fsys fs.FS) (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	parts, err := partsByName(fsys)
	if err != nil {
		return nil, err
	}
	for _, dir := range []string{"templates", "templates/admin", "templates/my"} {
		files, err := fs.Glob(fsys, dir+"/*.html")
		if err != nil {
			return nil, err
		}
		layout := dir + "/layout.html"
		for _, f := range files {
			name := strings.TrimSuffix(path.Base(f), ".html")
			if f == layout {
				continue
			}
			if _, dup := out[name]; dup {
				return nil, fmt.Errorf("parse page %s: a page named %q exists already", f, name)
			}
			t, err := template.New(name).Funcs(templateFuncs).ParseFS(fsys, layout, f)
			if err == nil {
				if needed := parts.called(t); len(needed) > 0 {
					_, err = t.ParseFS(fsys, needed...)
				}
			}
			if err != nil {
				return nil, fmt.Errorf("parse page %s: %w", f, err)
			}
			if t.Lookup("layout") == nil || t.Lookup("content") == nil {
				return nil, fmt.Errorf("parse page %s: it must define \"content\", and %s \"layout\"", f, layout)
			}
			out[name] = t
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("parse pages: no templates/*.html besides the layout")
	}
	return out, nil
}

// partFiles knows the parts: the file that defines each template of
// templates/parts, and the templates each file calls.
type partFiles struct {
	file  map[string]string   // template name → its part's file
	calls map[string][]string // part's file → the templates it calls
}

func partsByName(fsys fs.FS) (partFiles, error) {
	p := partFiles{file: map[string]string{}, calls: map[string][]string{}}
	files, err := fs.Glob(fsys, "templates/parts/*.html")
	if err != nil {
		return p, err
	}
	for _, f := range files {
		t, err := template.New(path.Base(f)).Funcs(templateFuncs).ParseFS(fsys, f)
		if err != nil {
			return p, fmt.Errorf("parse part %s: %w", f, err)
		}
		for _, d := range t.Templates() {
			if d.Tree == nil || d.Name() == path.Base(f) {
				continue
			}
			if other, dup := p.file[d.Name()]; dup {
				return p, fmt.Errorf("parse part %s: %q is defined in %s already", f, d.Name(), other)
			}
			p.file[d.Name()] = f
		}
		p.calls[f] = calledBy(t)
	}
	return p, nil
}

// called returns the part files t needs: those defining a template t calls
// and does not define, and the parts those call in turn.
func (p partFiles) called(t *template.Template) []string {
	var need []string
	seen := map[string]bool{}
	var add func(names []string)
	add = func(names []string) {
		for _, n := range names {
			f, ok := p.file[n]
			if !ok || seen[f] || t.Lookup(n) != nil {
				continue
			}
			seen[f] = true
			need = append(need, f)
			add(p.calls[f])
		}
	}
	add(calledBy(t))
	return need
}

// calledBy lists the templates that the templates of t call.
func calledBy(t *template.Template) []string {
	var names []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.TemplateNode:
			names = append(names, n.Name)
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		}
	}
	for _, d := range t.Templates() {
		if d.Tree != nil {
			walk(d.Tree.Root)
		}
	}
	return names
}

// templateFuncs are the functions every page may call:
//
//	{{t .Lang "tracking.heading" "Order" .Order}} – a text in the page's language,
//	with its placeholders given as name, value pairs;
//	{{tm .Lang .Message .Args}} – the same with the placeholders in a map;
//	{{asset "app.css"}} – the content-hashed URL of a static file.
//	{{money .Lang .TotalMinor .Currency}} – an amount in its currency as the
//	language writes it: "1 234,50 €", "€1,234.50";
//	{{minutes .Lang .Left}} – a duration: "26 ч 55 мин"; {{duein .Lang .Left}}
//	– a deadline in words: "overdue by 11 d 6 h", "in 25 min";
//	{{percent .Lang .Share}} – a share as a percentage: "87 %";
//	{{when .Lang .Loc .PlacedAt}} – a moment as day and time in a zone;
//	{{day .Lang "2026-12-04"}} – a stored day, short: "Fri 4 Dec";
//	{{status .Lang .Status}} – an order status's name;
//	{{pstatus .Lang .Status}} – a parcel's carrier status in words;
//	{{psource .Lang .Source}}, {{reminder .Lang .State}} – where a parcel
//	event came from, where a pickup reminder is;
//	{{arg .Lang .X}} – a value with the language, for a shared template.
var templateFuncs = template.FuncMap{
	"orderNo":    orderNumber,
	"t":          text,
	"tm":         i18n.Text,
	"asset":      assetURL,
	"money":      i18n.Money,
	"when":       formatWhen,
	"day":        formatStoredDay,
	"status":     statusName,
	"pstatus":    parcelStatusName,
	"psource":    parcelSourceName,
	"reminder":   reminderStateName,
	"arg":        langArg,
	"percent":    i18n.Percent,
	"minutes":    i18n.Duration,
	"duein":      i18n.DueIn,
	"tel":        telURL,
	"pager":      pagerHTML,
	"label":      label,
	"carrier":    carrierName,
	"actor":      actor,
	"reason":     reason,
	"unreadable": func(lang i18n.Lang) string { return i18n.Text(lang, "format.unreadable", nil) },
}

// telURL is a phone link: html/template allows only http, https and
// mailto in a URL, and a stored E.164 number is safe to dial.
func telURL(phone string) template.URL {
	for _, r := range phone {
		if (r < '0' || r > '9') && r != '+' {
			return ""
		}
	}
	return template.URL("tel:" + phone) //nolint:gosec // digits and a plus only, checked above
}

// langArg passes a value and the page's language to a shared template:
// {{template "state" (arg $.Lang .State)}}.
func langArg(lang i18n.Lang, v any) struct {
	Lang i18n.Lang
	V    any
} {
	return struct {
		Lang i18n.Lang
		V    any
	}{lang, v}
}

// formatWhen writes a moment as day and time in loc; a zero or nil time
// is "", and one whose year has not four digits (a bad stored row) is
// flagged as unreadable rather than shown as a wrong date.
func formatWhen(lang i18n.Lang, loc *time.Location, t any) string {
	var v time.Time
	switch tv := t.(type) {
	case time.Time:
		v = tv
	case *time.Time:
		if tv == nil {
			return ""
		}
		v = *tv
	default:
		return fmt.Sprint(t)
	}
	if v.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	v = v.In(loc)
	if y := v.Year(); y < 1000 || y > 9999 {
		return i18n.Text(lang, "format.unreadable", nil)
	}
	return i18n.FormatDayTime(lang, v)
}

func formatStoredDay(lang i18n.Lang, day string) string {
	d, err := calendar.ParseDay(day)
	if err != nil {
		return day
	}
	return i18n.FormatDayShort(lang, d)
}

// statusName names an order status; the names are the tracking page's.
func statusName(lang i18n.Lang, s any) string {
	return i18n.Text(lang, "tracking.status."+fmt.Sprint(s), nil)
}

// text is i18n.Text with the data as name, value pairs.
func text(lang i18n.Lang, id string, pairs ...any) (string, error) {
	if len(pairs)%2 != 0 {
		return "", fmt.Errorf("t %q: placeholders come in name, value pairs", id)
	}
	var data map[string]any
	if len(pairs) > 0 {
		data = make(map[string]any, len(pairs)/2)
		for i := 0; i < len(pairs); i += 2 {
			name, ok := pairs[i].(string)
			if !ok {
				return "", fmt.Errorf("t %q: placeholder name %v is not a string", id, pairs[i])
			}
			data[name] = pairs[i+1]
		}
	}
	return i18n.Text(lang, id, data), nil
}

// orderNumber is an order's number as people know it (order.Number).
func orderNumber(externalID string) string { return order.Number(externalID) }
