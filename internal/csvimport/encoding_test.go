package csvimport_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/shopcare/shopcare/internal/csvimport"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestImportEncodingDetected: a CSV saved by Latvian, Western European or
// Russian Excel is read in its own encoding, not as Windows-1251 ("Renée"
// came out as "Renйe"); declared encodings are read as declared.
func TestImportEncodingDetected(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, encoding, declared string
		cm                       *charmap.Charmap
		names, cities            [2]string
	}{
		{"latvian", "windows-1257", "", charmap.Windows1257,
			[2]string{"Jānis Bērziņš", "Līga Ozoliņa"}, [2]string{"Rīga", "Jūrmala"}},
		{"western", "iso-8859-1", "", charmap.ISO8859_1,
			[2]string{"Renée Dupont", "François Lefèvre"}, [2]string{"Besançon", "Orléans"}},
		{"russian", "windows-1251", "", charmap.Windows1251,
			[2]string{"Андрей Петров", "Юлия Ёлкина"}, [2]string{"Москва", "Тверь"}},
		{"latvian declared", "windows-1257", "cp1257", charmap.Windows1257,
			[2]string{"Ēriks Šņore", "Ūna Ķēniņa"}, [2]string{"Cēsis", "Ķekava"}},
		{"western declared", "iso-8859-1", "latin-1", charmap.ISO8859_1,
			[2]string{"Renée", "Zoë"}, [2]string{"Genève", "Zürich"}},
	}
	for _, engine := range storetest.Engines(t) {
		for _, tc := range cases {
			t.Run(string(engine)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				text := "order_id;customer_id;name;city;created_at;total\r\n" +
					"E-1;c-1;" + tc.names[0] + ";" + tc.cities[0] + ";2026-01-10;100\r\n" +
					"E-2;c-2;" + tc.names[1] + ";" + tc.cities[1] + ";2026-01-11;200\r\n"
				data, err := tc.cm.NewEncoder().String(text)
				if err != nil {
					t.Fatal(err)
				}
				a := newApp(t, engine)
				sum, out := importData(t, a, data, csvimport.Options{Encoding: tc.declared})
				if sum.Encoding != tc.encoding || sum.Imported != 2 || out != "" {
					t.Fatalf("summary = %+v, rejected %q; want 2 imported in %s", sum, out, tc.encoding)
				}
				for i, id := range []string{"E-1", "E-2"} {
					c := getOrder(t, a, id).Customer
					if c.Name != tc.names[i] || c.City != tc.cities[i] {
						t.Errorf("%s: customer %q of %q, want %q of %q", id, c.Name, c.City, tc.names[i], tc.cities[i])
					}
				}
			})
		}
	}
}

// TestImportEncodingUnsureRefused: a file that is not UTF-8 and reads as
// well in two encodings is refused whole, naming the --encoding flag,
// rather than stored garbled.
func TestImportEncodingUnsureRefused(t *testing.T) {
	t.Parallel()
	for _, data := range []string{
		"order_id;customer_id;name;created_at;total\nX-1;c-1;Fr\xe8d\xe9ric D\xe2;2026-01-01;1\nX-2;c-2;\xf0a\xfe;2026-01-01;1\n", // è/č, â/ā, ð/š, þ/ž
		"order_id;customer_id;name;created_at;total\nX-1;c-1;\xe9;2026-01-01;1\n",                                                 // one letter, alone
	} {
		a := newApp(t, store.SQLite)
		var out bytes.Buffer
		sum, err := importer(a).Import(context.Background(), strings.NewReader(data), &out, csvimport.Options{})
		if !errors.Is(err, csvimport.ErrEncodingUnsure) || !strings.Contains(err.Error(), "--encoding windows-1257") {
			t.Errorf("err = %v, want ErrEncodingUnsure naming --encoding", err)
		}
		if sum.Rows != 0 || out.Len() != 0 {
			t.Errorf("summary = %+v, rejected %q; want nothing read", sum, out.String())
		}
	}
}

// TestImportRejectsWhatTheAPIRefuses: the rules of the API hold for a
// CSV row too — dates in 2000–2099 and not ahead of the clock, no control
// characters, amounts within the caps — each row going to the rejected
// file with its line and reason while the good rows go in.
func TestImportRejectsWhatTheAPIRefuses(t *testing.T) {
	t.Parallel()
	lines := []string{
		strings.TrimSuffix(header, "\n"),
		"G-1,c-1,,,Anna,,,,2026-01-01,,100,,,,",                          // 2
		"B-1,c-1,,,,,,,2100-01-01,,100,,,,",                              // 3
		"B-2,c-1,,,,,,,2099-01-01,,100,,,,",                              // 4: ahead of the clock
		"B-3,c-1,,,,,,,2026-01-01,,10000000000.01,,,,",                   // 5
		"B-4,c-1,,,An\ana,,,,2026-01-01,,100,,,,",                        // 6
		"B-5,c-1,,,,,,Rīga\x1b,2026-01-01,,100,,,,",                      // 7
		"B-6,c-1,,,,,,,2026-01-01,delivered,100,,,2026-01-01,2100-01-01", // 8
		"G-2,c-2,,,Jānis,,,,2026-01-02,,10000000000.00,,,,",              // 9
	}
	want := [][2]string{
		{"3", `created_at: "2100-01-01" is outside the years 2000–2099`},
		{"4", "created_at: 2099-01-01T00:00:00+03:00 is in the future"},
		{"5", "total: must be at most 10000000000.00"},
		{"6", "name: contains the control character U+0007 (at byte 2)"},
		{"7", "city: contains the control character U+001B (at byte 5)"},
		{"8", `promised_to: "2100-01-01" is outside the years 2000–2099`},
	}
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a := newApp(t, engine)
			sum, out := importData(t, a, strings.Join(lines, "\n")+"\n", csvimport.Options{})
			if sum.Imported != 2 || sum.Rejected != int64(len(want)) {
				t.Errorf("summary = %+v, want 2 imported, %d rejected", sum, len(want))
			}
			recs := readRejected(t, out, ',')
			if len(recs) != len(want)+1 {
				t.Fatalf("rejected:\n%s", out)
			}
			for i, w := range want {
				if got := recs[i+1]; got[0] != w[0] || !strings.HasPrefix(got[1], w[1]) {
					t.Errorf("rejected row %d = line %s: %s; want line %s: %s…", i, got[0], got[1], w[0], w[1])
				}
			}
		})
	}
}
