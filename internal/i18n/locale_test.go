package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/i18n"
)

// cldrForms are the plural forms CLDR gives each language; every message
// with a Count must have exactly these. TestCLDRForms checks the table
// against go-i18n's own rules, so it cannot drift from what Text uses.
var cldrForms = map[i18n.Lang][]string{
	i18n.EN: {"one", "other"},
	i18n.RU: {"one", "few", "many", "other"},
	i18n.LV: {"zero", "one", "other"},
}

// TestCLDRForms asks go-i18n which forms it picks for integers and decimals
// in each language, through a probe message that has every form.
func TestCLDRForms(t *testing.T) {
	t.Parallel()
	var counts []any
	for n := range 1200 {
		counts = append(counts, n)
	}
	for n := range 1000 {
		counts = append(counts, strconv.Itoa(n/10)+"."+strconv.Itoa(n%10))
		counts = append(counts, strconv.Itoa(n/100)+"."+strconv.Itoa(n%100/10)+strconv.Itoa(n%10))
	}
	for _, lang := range i18n.Langs() {
		b := goi18n.NewBundle(language.English)
		b.MustAddMessages(language.MustParse(string(lang)), &goi18n.Message{ID: "probe",
			Zero: "zero", One: "one", Two: "two", Few: "few", Many: "many", Other: "other"})
		loc := goi18n.NewLocalizer(b, string(lang))
		seen := map[string]bool{}
		for _, n := range counts {
			form, err := loc.Localize(&goi18n.LocalizeConfig{MessageID: "probe", PluralCount: n})
			if err != nil {
				t.Fatalf("%s: probe %v: %v", lang, n, err)
			}
			seen[form] = true
		}
		got := slices.Sorted(maps.Keys(seen))
		if want := slices.Sorted(slices.Values(cldrForms[lang])); !slices.Equal(got, want) {
			t.Errorf("%s: go-i18n uses plural forms %v, the table says %v", lang, got, want)
		}
	}
}

// localeMessage is one message of one locale file, as go-i18n reads it.
type localeMessage struct {
	forms  map[string]string // plural form → text; a plain text is "other"
	fields []string          // placeholders used in any form, sorted
}

// loadLocales reads locales/<lang>.yaml with go-i18n's parser, the way the
// package does, keyed by language and id.
func loadLocales(t *testing.T) map[i18n.Lang]map[string]localeMessage {
	t.Helper()
	out := map[i18n.Lang]map[string]localeMessage{}
	for _, lang := range i18n.Langs() {
		names, err := i18n.LocaleFiles(os.DirFS("."), lang)
		if err != nil {
			t.Fatal(err)
		}
		msgs := map[string]localeMessage{}
		for _, name := range names {
			buf, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			mf, err := goi18n.ParseMessageFileBytes(buf, name, map[string]goi18n.UnmarshalFunc{"yaml": yaml.Unmarshal})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if mf.Tag != language.MustParse(string(lang)) {
				t.Fatalf("%s: go-i18n reads it as language %s", name, mf.Tag)
			}
			for _, m := range mf.Messages {
				if _, dup := msgs[m.ID]; dup {
					t.Errorf("%s: message %q is in another %s file too", name, m.ID, lang)
				}
				all := map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other}
				lm := localeMessage{forms: map[string]string{}}
				fields := map[string]bool{}
				for form, text := range all {
					if text == "" {
						continue
					}
					lm.forms[form] = text
					if _, err := template.New(m.ID).Parse(text); err != nil {
						t.Errorf("%s: %s.%s: %v", name, m.ID, form, err)
					}
					for _, f := range placeholders(text) {
						fields[f] = true
					}
				}
				lm.fields = slices.Sorted(maps.Keys(fields))
				msgs[m.ID] = lm
			}
		}
		out[lang] = msgs
	}
	return out
}

var (
	actionRE = regexp.MustCompile(`\{\{(.*?)\}\}`)
	fieldRE  = regexp.MustCompile(`(?:^|[^\w.])\.(\w+)`)
)

// placeholders returns the data fields a template text uses: {{.Count}}.
func placeholders(text string) []string {
	var out []string
	for _, a := range actionRE.FindAllStringSubmatch(text, -1) {
		for _, f := range fieldRE.FindAllStringSubmatch(a[1], -1) {
			out = append(out, f[1])
		}
	}
	return out
}

// TestLocales checks that ru and lv hold exactly the ids of en, that each
// message with a number has every CLDR plural form of its language and no
// other, and that translations use the placeholders of the English text.
func TestLocales(t *testing.T) {
	t.Parallel()
	locales := loadLocales(t)
	en := locales[i18n.EN]
	if len(en) == 0 {
		t.Fatal("en.yaml has no messages")
	}
	for _, lang := range i18n.Langs() {
		for id := range en {
			if _, ok := locales[lang][id]; !ok {
				t.Errorf("%s.yaml: message %q is missing (en.yaml has it)", lang, id)
			}
		}
		for _, id := range slices.Sorted(maps.Keys(locales[lang])) {
			m := locales[lang][id]
			if _, ok := en[id]; !ok {
				t.Errorf("%s.yaml: message %q is not in en.yaml", lang, id)
				continue
			}
			if !slices.Equal(m.fields, en[id].fields) {
				t.Errorf("%s.yaml: %q uses placeholders %v, en.yaml %v", lang, id, m.fields, en[id].fields)
			}
			forms := slices.Sorted(maps.Keys(m.forms))
			plural := slices.Contains(en[id].fields, "Count") || len(forms) > 1 || !slices.Contains(forms, "other")
			want := []string{"other"}
			if plural {
				want = slices.Sorted(slices.Values(cldrForms[lang]))
			}
			if !slices.Equal(forms, want) {
				t.Errorf("%s.yaml: %q has plural forms %v, want %v", lang, id, forms, want)
			}
		}
	}
}

// TestTextEveryMessage renders every message in every language through
// Text, so a template that parses but fails to run is caught here.
func TestTextEveryMessage(t *testing.T) {
	t.Parallel()
	for id, m := range loadLocales(t)[i18n.EN] {
		data := map[string]any{}
		for _, f := range m.fields {
			data[f] = "x"
		}
		for _, lang := range i18n.Langs() {
			for _, n := range pluralCounts {
				if slices.Contains(m.fields, "Count") {
					data["Count"] = n
				}
				got := i18n.Text(lang, id, data)
				if got == "" || got == "["+id+"]" || strings.Contains(got, "<no value>") {
					t.Errorf("Text(%s, %q, %v) = %q", lang, id, data, got)
				}
			}
		}
	}
}

const i18nImport = "github.com/shopcare/shopcare/internal/i18n"

// TestUsedIDsExist finds every call of i18n.Text with a literal id in the
// module's Go code (tests excluded: they may ask for a missing id on
// purpose) and checks en.yaml has it. Text shows a missing id as "[id]"
// to a customer, so this is where a typo has to be caught.
func TestUsedIDsExist(t *testing.T) {
	t.Parallel()
	en := loadLocales(t)[i18n.EN]
	root := moduleRoot(t)
	used := map[string][]string{} // id → call sites
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") ||
				d.Name() == "testdata" || d.Name() == "vendor" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		inPackage := filepath.Dir(path) == filepath.Join(root, "internal", "i18n")
		name := ""
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == i18nImport {
				name = "i18n"
				if imp.Name != nil {
					name = imp.Name.Name
				}
			}
		}
		if !inPackage && name == "" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 3 {
				return true
			}
			switch fun := call.Fun.(type) {
			case *ast.Ident:
				if !inPackage || fun.Name != "Text" {
					return true
				}
			case *ast.SelectorExpr:
				if x, ok := fun.X.(*ast.Ident); !ok || x.Name != name || fun.Sel.Name != "Text" {
					return true
				}
			default:
				return true
			}
			where := fset.Position(call.Pos()).String()
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Logf("%s: id is not a literal; not checked", where)
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			used[id] = append(used[id], where)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"days", "working_days"} {
		if used[id] == nil {
			t.Errorf("the scan did not find Text(_, %q, _) in this package: it is broken", id)
		}
	}
	for id, sites := range used {
		if _, ok := en[id]; !ok {
			t.Errorf("message %q is used at %s but not in locales/en.yaml", id, strings.Join(sites, ", "))
		}
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package")
		}
		dir = parent
	}
}
