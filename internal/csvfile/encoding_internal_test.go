package csvfile

import (
	"errors"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestDetectEncodingUnseenWords: the detection holds for names and words
// that are not in its samples.
func TestDetectEncodingUnseenWords(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text string
		cm   *charmap.Charmap
		want string
	}{
		{"Kristaps Pūce;Ogre;Ādaži;Mārupe\nSanta Dūmiņa;Ķegums;Sigulda\nOskars Vēveris;Saulkrasti\n", charmap.Windows1257, EncodingWindows1257},
		{"Toms Krūze;Tukums\nLaura Mežale;Alūksne\n", charmap.Windows1257, EncodingWindows1257},
		{"Ģirts Cīrulis;Ērgļi\nMarta Bīriņa;Smiltene\n", charmap.Windows1257, EncodingWindows1257},
		{"Anaïs Mercier;Besançon\nLoïc Garçon;Nîmes\n", charmap.ISO8859_1, EncodingLatin1},
		{"Zoë Müller;Köln\n", charmap.ISO8859_1, EncodingLatin1},
		{"Agnès Bérénice;Besançon\nCédric Mégane;Besançon\nAndré Fàbregas;Lleida\n", charmap.ISO8859_1, EncodingLatin1},
		{"Björn Ñúñez;Logroño\nInés Peñalver;Alcañiz\n", charmap.ISO8859_1, EncodingLatin1},
		{"Сергей Смирнов;Новосибирск\nОльга Иванова;Казань\n", charmap.Windows1251, EncodingWindows1251},
	}
	for _, tc := range cases {
		b, err := tc.cm.NewEncoder().String(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		got, err := detectEncoding([]byte(b))
		if got != tc.want {
			t.Errorf("%q: %q, %v; want %s", tc.text, got, err, tc.want)
		}
	}
}

// FuzzDetectEncoding: any bytes give an encoding the import reads, or
// ErrEncodingUnsure; nothing panics.
func FuzzDetectEncoding(f *testing.F) {
	f.Add([]byte("Jānis;R\xeeg\xe2"))
	f.Add([]byte("Ren\xe9e;Besan\xe7on"))
	f.Add([]byte("\xc0\xed\xed\xe0;\xcc\xee\xf1\xea\xe2\xe0"))
	f.Fuzz(func(t *testing.T, b []byte) {
		enc, err := detectEncoding(b)
		if err != nil {
			if !errors.Is(err, ErrEncodingUnsure) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if _, ok := charmaps[enc]; !ok {
			t.Fatalf("encoding %q has no decoder", enc)
		}
	})
}
