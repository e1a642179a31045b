package web

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shopcare/shopcare/internal/i18n"
)

func TestParsePagesRefusesBrokenTemplates(t *testing.T) {
	t.Parallel()
	layout := &fstest.MapFile{Data: []byte(`{{define "layout"}}<html>{{template "content" .}}</html>{{end}}`)}
	tests := []struct {
		name string
		page string
		want string
	}{
		{"syntax error", `{{define "content"}}{{.Order}{{end}}`, "templates/broken.html"},
		{"unknown function", `{{define "content"}}{{frobnicate .}}{{end}}`, `function "frobnicate" not defined`},
		{"no content", `{{define "title"}}x{{end}}`, `must define "content"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"templates/layout.html": layout, "templates/broken.html": {Data: []byte(tc.page)}}
			_, err := parsePages(fsys)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("parsePages: %v; want an error with %q", err, tc.want)
			}
		})
	}
	if _, err := parsePages(fstest.MapFS{"templates/layout.html": layout}); err == nil {
		t.Error("parsePages without pages: no error")
	}
}

// TestPagesHoldThePartsTheyCall: a page is parsed with only the parts it
// calls; every template a page's set calls, its own or a part's, and the
// parts those parts call, is in the set, and a part it does not call is
// not.
func TestPagesHoldThePartsTheyCall(t *testing.T) {
	t.Parallel()
	fresh, err := parsePages(templateFS) // not yet escaped: no derived templates
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range fresh {
		for _, called := range calledBy(p) {
			if p.Lookup(called) == nil {
				t.Errorf("page %s calls %q, which its set lacks", name, called)
			}
		}
	}
	part := func(name string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`{{define "` + name + `"}}` + name + `{{end}}`)}
	}
	fsys := fstest.MapFS{
		"templates/layout.html":       {Data: []byte(`{{define "layout"}}<html>{{template "content" .}}</html>{{end}}`)},
		"templates/page.html":         {Data: []byte(`{{define "content"}}{{if .}}{{template "outer" .}}{{end}}{{end}}`)},
		"templates/parts/outer.html":  {Data: []byte(`{{define "outer"}}{{range .}}{{template "inner" .}}{{end}}{{end}}`)},
		"templates/parts/inner.html":  part("inner"),
		"templates/parts/unused.html": part("unused"),
	}
	got, err := parsePages(fsys)
	if err != nil {
		t.Fatal(err)
	}
	p := got["page"]
	if p.Lookup("outer") == nil || p.Lookup("inner") == nil || p.Lookup("unused") != nil {
		t.Errorf("page's set: %s; want outer and inner, not unused", p.DefinedTemplates())
	}
	var b strings.Builder
	if err := p.ExecuteTemplate(&b, "layout", []int{1}); err != nil || b.String() != "<html>inner</html>" {
		t.Errorf("page = %q, %v; want <html>inner</html>", b.String(), err)
	}
}

// TestTemplateTextIDsExist checks that every text id a template asks for
// exists in every language: package i18n checks the ids of Go code only,
// and a missing one would show a customer "[id]".
func TestTemplateTextIDsExist(t *testing.T) {
	t.Parallel()
	call := regexp.MustCompile(`\{\{-?\s*(?:if\s+)?t\s+\S+\s+"([^"]+)"`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	admin, err := fs.Glob(templateFS, "templates/admin/*.html")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, admin...)
	seen := 0
	for _, f := range files {
		src, err := fs.ReadFile(templateFS, f)
		if err != nil {
			t.Fatal(err)
		}
		if n, m := strings.Count(string(src), "{{t "), len(call.FindAllString(string(src), -1)); n != m {
			t.Errorf("%s: %d calls of t, %d with a literal id: give every id literally", f, n, m)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			id := m[1]
			seen++
			if page := strings.TrimSuffix(path.Base(f), ".html"); !strings.HasPrefix(id, "tracking.") && !strings.HasPrefix(id, page+".") &&
				(!strings.Contains(f, "/admin/") || !strings.HasPrefix(id, "admin.")) {
				t.Errorf("%s: id %q: a page's ids start with its name (or tracking., or admin. in the admin)", f, id)
			}
			for _, lang := range i18n.Langs() {
				if got := i18n.Text(lang, id, map[string]any{"Count": 2}); got == "["+id+"]" {
					t.Errorf("%s: id %q is in no locale file", f, id)
				}
			}
		}
	}
	if seen < 10 {
		t.Errorf("found only %d ids in the templates: the scan is broken", seen)
	}
}

func TestTextPairs(t *testing.T) {
	t.Parallel()
	if got, err := text(i18n.EN, "tracking.heading", "Order", "A-1"); err != nil || got != "Order A-1" {
		t.Errorf("text = %q, %v", got, err)
	}
	if _, err := text(i18n.EN, "tracking.heading", "Order"); err == nil {
		t.Error("odd pairs: no error")
	}
	if _, err := text(i18n.EN, "tracking.heading", 1, "A-1"); err == nil {
		t.Error("a name that is no string: no error")
	}
}
