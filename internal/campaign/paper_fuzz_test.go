package campaign

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/i18n"
)

// paperSeeds are odd names and addresses: long, empty, right-to-left,
// emoji, control characters, a word longer than any line.
var paperSeeds = []struct{ name, address string }{
	{"Jānis Bērziņš", "Brīvības iela 12-3, Rīga, LV-1010"},
	{"", ""},
	{"Анна Орлова", "ул. Тверская 1, кв. 5, Москва, 125009"},
	{"محمد عبد الله", "شارع الملك فهد، الرياض 12345"},
	{"דוד כהן", "רחוב הרצל 1, תל אביב"},
	{"\u202eevil\u202c name\x00\x07", "line\nbreak\tand tab,,,, , ,"},
	{strings.Repeat("Ļoti-garš-vārds-bez-atstarpēm", 20), strings.Repeat("Garā iela 1, ", 60)},
	{"👩‍👩‍👧 Émoji 中文", "東京都千代田区1-1, 100-0001"},
	{"\xff\xfe invalid utf-8", "\xc3\x28, LV-"},
	{" ", ","},
}

// FuzzPaperLayout lays out a letter, a postcard and both label sheets for
// one odd addressee: none may fail, and each is a PDF.
func FuzzPaperLayout(f *testing.F) {
	for _, s := range paperSeeds {
		f.Add(s.name, s.address, "Sveiki!", "Teksts "+s.name)
	}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, name, address, subject, body string) {
		if len(name)+len(address)+len(subject)+len(body) > 4000 {
			t.Skip("longer than any addressee")
		}
		for _, size := range []string{Letter, Postcard} {
			pdf, err := lettersPDF("Māla darbnīca", name, size, []letter{{Name: name, Address: address, Language: i18n.LV,
				Subject: subject, Body: body}}, at)
			if err != nil {
				t.Fatalf("letter %s of %q at %q: %v", size, name, address, err)
			}
			if !strings.HasPrefix(string(pdf), "%PDF-") {
				t.Fatalf("letter %s is no PDF", size)
			}
		}
		for sheet := range labelSheets {
			pdf, err := labelsPDF(name, sheet, []label{{Name: name, Address: address}, {Name: address, Address: name}}, at)
			if err != nil {
				t.Fatalf("labels %s of %q at %q: %v", sheet, name, address, err)
			}
			if !strings.HasPrefix(string(pdf), "%PDF-") {
				t.Fatalf("labels %s is no PDF", sheet)
			}
		}
	})
}

// FuzzPostalCode reads postal codes out of any address: never a panic,
// and what it finds is digits after an optional country prefix.
func FuzzPostalCode(f *testing.F) {
	for _, s := range paperSeeds {
		f.Add(s.address)
	}
	f.Add("LT-01103 Vilnius")
	f.Add("Narva mnt 5, 10117 Tallinn")
	f.Fuzz(func(t *testing.T, address string) {
		code := postalCode(address)
		if code == "" {
			return
		}
		digits := code
		if len(code) > 3 && code[2] == '-' {
			digits = code[3:]
		}
		if !utf8.ValidString(code) || len(digits) < 4 || len(digits) > 6 || strings.Trim(digits, "0123456789") != "" {
			t.Fatalf("postalCode(%q) = %q", address, code)
		}
	})
}

// TestPrintable: what the font cannot draw does not reach the PDF.
func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"Jānis Ķēniņš":     "Jānis Ķēniņš",
		"Пётр №5 €":        "Пётр №5 €",
		"a\tb\x00c\u202ed": "a bcd",
		"דוד":              "???",
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}
