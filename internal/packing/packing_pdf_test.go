package packing_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/packing"
)

var update = flag.Bool("update", false, "rewrite the golden texts in testdata/")

// sampleSheet is the sheet of a Latvian shop's order 1042 for a customer
// of the name and language, shipping on 20 December 2026 with gift wrap:
// a thank-you note, a Christmas card and a first-order souvenir go in.
func sampleSheet(t testing.TB, name string, lang i18n.Lang) *packing.Sheet {
	t.Helper()
	riga, err := time.LoadLocation("Europe/Riga")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New("LV", nil)
	if err != nil {
		t.Fatal(err)
	}
	o := &order.Order{ID: 7, ExternalID: "1042", Carrier: "omniva", GiftWrap: true,
		PlacedAt: time.Date(2026, 12, 18, 9, 30, 0, 0, time.UTC),
		Customer: &customer.Customer{Name: name, Phone: "+37129123456", Email: "client@example.lv", Language: string(lang)},
		Items: []order.Item{
			{SKU: "MUG-1", Name: "Krūze ar vāku, zilā glazūra", Qty: 2},
			{SKU: "POT-24", Name: "Кастрюля эмалированная 24 см с крышкой", Qty: 1},
		}}
	sheet := &packing.Sheet{Shop: "Māla darbnīca", ShopLanguage: i18n.LV, Order: o, Address: "Brīvības iela 12-3, Rīga, LV-1010",
		Language: lang, ShipDay: calendar.MustParseDay("2026-12-20"), FirstOrder: true, GiftWrap: true,
		At: time.Date(2026, 12, 20, 8, 0, 0, 0, time.UTC), Location: riga}
	sheet.ApplyRules(config.Default(), cal)
	return sheet
}

// goldSheet is sampleSheet for a customer of the gold tier, by the default
// settings: not a first order, so the souvenir goes in for the card, and
// the gift wrap the customer asked for is free with it.
func goldSheet(t testing.TB, name string, lang i18n.Lang) *packing.Sheet {
	t.Helper()
	cal, err := calendar.New("LV", nil)
	if err != nil {
		t.Fatal(err)
	}
	sheet := sampleSheet(t, name, lang)
	sheet.FirstOrder, sheet.Tier = false, "gold"
	sheet.ApplyRules(config.Default(), cal)
	return sheet
}

// poppler runs a poppler-utils tool on a PDF and returns what it prints.
// Without the tool the test skips, except under CI=true, where .ci/run
// installs poppler-utils and a missing tool is a failure.
func poppler(t *testing.T, tool string, pdf []byte, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is missing: install poppler-utils (apt-get install -y poppler-utils)", tool)
		}
		t.Skipf("%s not found: install poppler-utils (apt-get install -y poppler-utils) to check the PDFs' text and fonts", tool)
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append(slices.Clone(args), file)
	if tool == "pdftotext" {
		args = append(args, "-") // to standard output
	}
	out, err := exec.Command(path, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

// checkPDF checks what every document must be: a PDF from header to end
// marker, on pages of its size, with both Go fonts embedded.
func checkPDF(t *testing.T, pdf []byte, size packing.Size) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
		t.Fatalf("not a PDF from %%PDF- to %%%%EOF: %q … %q", pdf[:min(8, len(pdf))], pdf[max(0, len(pdf)-8):])
	}
	info := poppler(t, "pdfinfo", pdf)
	want := map[packing.Size]string{packing.A4: "595.28 x 841.89 pts", packing.A6: "297.64 x 419.53 pts"}[size]
	if !strings.Contains(info, want) {
		t.Errorf("pdfinfo does not say %q:\n%s", want, info)
	}
	fonts := poppler(t, "pdffonts", pdf)
	for _, family := range []string{"go ", "go-bold "} {
		embedded := false
		for _, line := range strings.Split(fonts, "\n") {
			f := strings.Fields(line)
			// name type encoding emb sub uni object ID
			if strings.HasPrefix(line, family) && len(f) >= 6 && f[len(f)-5] == "yes" {
				embedded = true
			}
		}
		if !embedded {
			t.Errorf("font %q is not embedded:\n%s", strings.TrimSpace(family), fonts)
		}
	}
}

// TestSlipPDF: the slip in each language and size is a PDF with the fonts
// in it, and its text — Cyrillic and Latvian letters, the plural of the
// pieces, the inserts — comes back out.
func TestSlipPDF(t *testing.T) {
	t.Parallel()
	sheet := sampleSheet(t, "Anna Bērziņa", i18n.LV)
	want := map[i18n.Lang][]string{
		i18n.RU: {"Упаковочный лист · Заказ № 1042", "Anna Bērziņa", "Brīvības iela 12-3, Rīga", "Krūze ar vāku, zilā glazūra",
			"Кастрюля эмалированная", "3 товара", "Крафт-бумага в 1–2 слоя", "Подарочная упаковка, как просил покупатель",
			"Праздничная открытка: Рождество", "за 4 дня до праздника «Рождество»", "Первый заказ покупателя."},
		i18n.LV: {"Iepakošanas lapa · Pasūtījums Nr. 1042", "3 preces", "Burbuļplēve ap trauslām lietām", "Līmlente 2–3 apļos",
			"Dāvanu iesaiņojums, kā klients lūdza", "Svētku kartīte: Ziemassvētki", "Ielikt sūtījumā"},
		i18n.EN: {"Packing slip · Order № 1042", "3 items", "Tape, 2–3 turns", "Holiday card: Christmas",
			"Ships on Sunday 20 Dec, 4 days before Christmas.", "Printed Sunday 20 Dec 10:00"},
	}
	for lang, texts := range want {
		for _, size := range []packing.Size{packing.A4, packing.A6} {
			t.Run(string(lang)+"_"+string(size), func(t *testing.T) {
				pdf, err := packing.SlipPDF(sheet, lang, size)
				if err != nil {
					t.Fatal(err)
				}
				checkPDF(t, pdf, size)
				text := poppler(t, "pdftotext", pdf, "-nopgbrk")
				for _, w := range texts {
					if !strings.Contains(text, w) {
						t.Errorf("the slip does not say %q:\n%s", w, text)
					}
				}
			})
		}
	}
}

// TestSlipPDFPages: an order too long for one page goes on, each further
// page headed with the order's number.
func TestSlipPDFPages(t *testing.T) {
	t.Parallel()
	sheet := sampleSheet(t, "Anna Bērziņa", i18n.LV)
	sheet.Location = nil // UTC
	for i := range 60 {
		sheet.Order.Items = append(sheet.Order.Items, order.Item{SKU: fmt.Sprintf("SKU-%02d", i), Name: fmt.Sprintf("Šķīvis Nr. %d", i), Qty: 1})
	}
	pdf, err := packing.SlipPDF(sheet, i18n.LV, packing.A6)
	if err != nil {
		t.Fatal(err)
	}
	info := poppler(t, "pdfinfo", pdf)
	if m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(info); m == nil || m[1] == "1" {
		t.Errorf("not several pages for 62 items:\n%s", info)
	}
	// Every row in the same font size, the first of a page too.
	words := regexp.MustCompile(`yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">SKU-\d+<`).FindAllStringSubmatch(poppler(t, "pdftotext", pdf, "-bbox"), -1)
	heights := map[string]int{}
	for _, w := range words {
		lo, _ := strconv.ParseFloat(w[1], 64)
		hi, _ := strconv.ParseFloat(w[2], 64)
		heights[strconv.FormatFloat(hi-lo, 'f', 1, 64)]++
	}
	if len(words) != 60 || len(heights) != 1 {
		t.Errorf("%d SKU cells in heights %v, want 60 of one height", len(words), heights)
	}
	text := poppler(t, "pdftotext", pdf)
	for _, w := range []string{"Māla darbnīca · Pasūtījums Nr. 1042 · 2", "Šķīvis Nr. 59", "63 preces", "Iepakoja:"} {
		if !strings.Contains(text, w) {
			t.Errorf("the long slip does not say %q:\n%s", w, text)
		}
	}
}

// TestNotePDF: the thank-you note greets the customer by first name in
// their language, thanks them, mentions the gift and wishes a merry
// Christmas.
func TestNotePDF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		lang i18n.Lang
		want []string
	}{
		{"Андрей Петров", i18n.RU, []string{"Здравствуйте, Андрей!", "Спасибо за ваш заказ № 1042!", "В посылке — небольшой подарок от нас.", "С Рождеством!", "С теплом,", "Māla darbnīca"}},
		{"Anna Bērziņa", i18n.LV, []string{"Labdien, Anna!", "Paldies par Jūsu pasūtījumu Nr. 1042!", "iesaiņojām", "Priecīgus Ziemassvētkus!", "Ar siltiem sveicieniem,"}},
		{"Anna", i18n.EN, []string{"Dear Anna,", "Thank you for your order № 1042!", "There is a small gift from us in the parcel.", "Merry Christmas!"}},
		{"", i18n.EN, []string{"Hello,", "Thank you for your order"}},
	}
	for _, tt := range tests {
		sheet := sampleSheet(t, tt.name, tt.lang)
		for _, size := range []packing.Size{packing.A4, packing.A6} {
			t.Run(string(tt.lang)+"_"+string(size), func(t *testing.T) {
				pdf, err := packing.NotePDF(sheet, sheet.Language, size)
				if err != nil {
					t.Fatal(err)
				}
				checkPDF(t, pdf, size)
				text := poppler(t, "pdftotext", pdf, "-nopgbrk")
				for _, w := range tt.want {
					if !strings.Contains(strings.Join(strings.Fields(text), " "), w) {
						t.Errorf("the note does not say %q:\n%s", w, text)
					}
				}
			})
		}
	}
}

// TestPDFGolden compares the text of a slip and a note with the files in
// testdata (go test -run TestPDFGolden -update rewrites them).
func TestPDFGolden(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		file string
		make func() ([]byte, error)
	}{
		{"slip_ru_a4.txt", func() ([]byte, error) {
			return packing.SlipPDF(sampleSheet(t, "Anna Bērziņa", i18n.LV), i18n.RU, packing.A4)
		}},
		{"note_lv_a6.txt", func() ([]byte, error) {
			return packing.NotePDF(sampleSheet(t, "Anna Bērziņa", i18n.LV), i18n.LV, packing.A6)
		}},
		{"slip_en_a4_gold.txt", func() ([]byte, error) {
			return packing.SlipPDF(goldSheet(t, "Anna Bērziņa", i18n.LV), i18n.EN, packing.A4)
		}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			pdf, err := tt.make()
			if err != nil {
				t.Fatal(err)
			}
			got := poppler(t, "pdftotext", pdf, "-layout", "-nopgbrk")
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("%s changed (run with -update if that is intended):\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}

// TestPDFDeterministic: the same sheet gives the same bytes, however many
// documents are made at once — the creation date is the sheet's.
func TestPDFDeterministic(t *testing.T) {
	t.Parallel()
	sheet := sampleSheet(t, "Андрей Петров", i18n.RU)
	first, err := packing.SlipPDF(sheet, i18n.RU, packing.A4)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(first, []byte("/CreationDate(D:20261220080000+00'00')")) {
		t.Error("the creation date is not the sheet's time")
	}
	var wg sync.WaitGroup
	outs := make([][]byte, 8)
	for i := range outs {
		wg.Go(func() {
			if i%2 == 0 {
				outs[i], _ = packing.SlipPDF(sheet, i18n.RU, packing.A4)
			} else {
				outs[i], _ = packing.NotePDF(sheet, i18n.LV, packing.A6)
			}
		})
	}
	wg.Wait()
	note, err := packing.NotePDF(sheet, i18n.LV, packing.A6)
	if err != nil {
		t.Fatal(err)
	}
	for i, out := range outs {
		if want := map[bool][]byte{true: first, false: note}[i%2 == 0]; !bytes.Equal(out, want) {
			t.Errorf("document %d differs from the first one made", i)
		}
	}
}

// TestPieces: the number of pieces in each language's plural forms.
func TestPieces(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang i18n.Lang
		n    int
		want string
	}{
		{i18n.EN, 1, "1 item"}, {i18n.EN, 3, "3 items"},
		{i18n.RU, 1, "1 товар"}, {i18n.RU, 3, "3 товара"}, {i18n.RU, 5, "5 товаров"}, {i18n.RU, 21, "21 товар"},
		{i18n.LV, 1, "1 prece"}, {i18n.LV, 3, "3 preces"}, {i18n.LV, 10, "10 preču"}, {i18n.LV, 21, "21 prece"},
	} {
		if got := i18n.Text(tt.lang, "packing.slip.items", map[string]any{"Count": tt.n}); got != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

// TestParseSize reads the paper sizes and names the field of a wrong one.
func TestParseSize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]packing.Size{"": packing.A4, "A4": packing.A4, " a6 ": packing.A6} {
		if got, err := packing.ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := packing.ParseSize("letter"); err == nil || !strings.HasPrefix(err.Error(), "size: ") {
		t.Errorf("ParseSize(letter) = %v, want an error about size", err)
	}
}
