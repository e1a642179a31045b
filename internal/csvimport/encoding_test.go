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
