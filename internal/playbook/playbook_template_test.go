package playbook_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/playbook"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestTemplatesGolden renders every default template in every language on
// the sample data and compares it with testdata/<lang>/<template>.txt.
func TestTemplatesGolden(t *testing.T) {
	t.Parallel()
	tm, err := playbook.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range playbook.Defaults() {
		if r.Template == "" {
			continue
		}
		for _, lang := range i18n.Langs() {
			d := playbook.SampleData()
			if r.Transactional {
				d.UnsubscribeURL = "" // order news carries no unsubscribe link
			}
			out, err := tm.Render(lang, r.Template, d)
			if err != nil {
				t.Fatalf("%s/%s: %v", lang, r.Template, err)
			}
			got := "Subject: " + out.Subject + "\n\n" + out.Text + "\n\n-- SMS --\n" + out.SMS + "\n"
			if strings.Contains(got, "[") || strings.Contains(got, "<no value>") {
				t.Errorf("%s/%s renders a missing value:\n%s", lang, r.Template, got)
			}
			golden := filepath.Join("testdata", string(lang), r.Template+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s/%s differs from %s:\n%s", lang, r.Template, golden, got)
			}
		}
	}
}

func TestTemplateHTMLEscapesAndLinks(t *testing.T) {
	t.Parallel()
	tm, err := playbook.LoadTemplates(map[string]map[string]config.Template{
		"order_ack": {"en": {Text: "Hi <b>{{.Customer.Name}}</b> & co: {{.TrackingURL}}"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := playbook.SampleData()
	d.Customer.Name = `<script>alert(1)</script>`
	out, err := tm.Render(i18n.EN, "order_ack", d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"&lt;b&gt;&lt;script&gt;", "&amp; co", `<a href="` + d.TrackingURL + `"`, d.UnsubscribeURL} {
		if !strings.Contains(out.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, out.HTML)
		}
	}
	if strings.Contains(out.HTML, "<script>") {
		t.Errorf("HTML lets a script through:\n%s", out.HTML)
	}
}

// TestBrokenTemplateRejectedWithLine: a template that does not parse, or
// names a field the data lacks, is refused when loaded, with its key and
// line, never at send time.
func TestBrokenTemplateRejectedWithLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want string
	}{
		{"unclosed action", "Hello\n{{if .Order.Paid}}paid", "templates.status_shipped.ru.text: line 2:"},
		{"unknown field", "Hello\n\n{{.Order.Nmber}}", "templates.status_shipped.ru.text: line 3: .Order.Nmber: can't evaluate field Nmber"},
		{"unknown function", "{{weekday .Promise.Ship}}", `templates.status_shipped.ru.text: line 1: function "weekday" not defined`},
		{"bad plural", `{{plural 5 "one"}}`, "templates.status_shipped.ru.text: line 1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := playbook.LoadTemplates(map[string]map[string]config.Template{
				"status_shipped": {"ru": {Text: tt.text}},
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
