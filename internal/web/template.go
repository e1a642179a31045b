package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

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

// parsePages parses templates/layout.html with each other file of
// templates/ into a page named after the file: templates/tracking_show.html
// is the page "tracking_show". A page defines "title" and "content"; the
// layout wraps them.
func parsePages(fsys fs.FS) (map[string]*template.Template, error) {
	files, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(fsys, "templates/layout.html", f)
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", f, err)
		}
		if t.Lookup("layout") == nil || t.Lookup("content") == nil {
			return nil, fmt.Errorf("parse page %s: it must define \"content\", and templates/layout.html \"layout\"", f)
		}
		out[name] = t
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("parse pages: no templates/*.html besides the layout")
	}
	return out, nil
}

// templateFuncs are the functions every page may call:
//
//	{{t .Lang "tracking.heading" "Order" .Order}} – a text in the page's language,
//	with its placeholders given as name, value pairs;
//	{{asset "app.css"}} – the content-hashed URL of a static file.
var templateFuncs = template.FuncMap{
	"t":     text,
	"asset": assetURL,
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
