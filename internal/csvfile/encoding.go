package csvfile

import (
	"errors"
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
)

// The single-byte encodings an orders CSV may come in besides UTF-8: what
// Excel saves as "CSV" on Russian, Latvian and Western European Windows.
const (
	EncodingWindows1257 = "windows-1257"
	EncodingLatin1      = "iso-8859-1"
)

// charmaps are the decoders of the single-byte encodings, by name.
var charmaps = map[string]*charmap.Charmap{
	EncodingWindows1251: charmap.Windows1251,
	EncodingWindows1257: charmap.Windows1257,
	EncodingLatin1:      charmap.ISO8859_1,
}

// encodingNames maps what --encoding accepts to the encoding's name.
var encodingNames = map[string]string{
	"": EncodingAuto, EncodingAuto: EncodingAuto,
	EncodingUTF8: EncodingUTF8, "utf8": EncodingUTF8,
	EncodingWindows1251: EncodingWindows1251, "cp1251": EncodingWindows1251,
	EncodingWindows1257: EncodingWindows1257, "cp1257": EncodingWindows1257,
	EncodingLatin1: EncodingLatin1, "latin-1": EncodingLatin1, "latin1": EncodingLatin1, "iso8859-1": EncodingLatin1,
}

// ErrEncodingUnsure is the error of an import whose file is not UTF-8 and
// whose encoding could not be told with confidence: nothing is imported
// rather than names stored garbled.
var ErrEncodingUnsure = errors.New("cannot tell the file's encoding: it is not UTF-8, and it reads as well in " +
	"Windows-1251 (Russian), Windows-1257 (Baltic) or ISO-8859-1 (Western European); " +
	"import it with --encoding windows-1251, --encoding windows-1257 or --encoding iso-8859-1, or save it as \"CSV UTF-8\"")

// Samples of the text an orders CSV holds — names, cities, streets, words
// — in Latvian and in the Western European languages of ISO-8859-1. Their
// letter pairs are the model the letters of a file are scored against.
const (
	lvSample = "Jānis Bērziņš Līga Ozoliņa Rīga Jūrmala Cēsis Ķekava Liepāja Daugavpils Jēkabpils Valmiera Ventspils " +
		"Ēriks Šņore Ūna Ķēniņa Kārlis Kalniņš Andris Zariņš Ilze Krūmiņa Māris Vītols Agnese Liepiņa Edgars Ābele " +
		"Pēteris Siliņš Inese Lāce Gunārs Bērziņš Dace Kļaviņa Aivars Grīnbergs Zane Šmite Juris Čakste Ieva Strazdiņa " +
		"Brīvības iela Krišjāņa Barona iela Ģertrūdes iela Tērbatas iela Elizabetes iela Dzirnavu iela Čiekurkalns " +
		"pasūtījums piegāde veikals klients paldies sveicināti preces kurjers pakomāts maksājums atgriezts saņemts " +
		"mūsu jūsu ļoti šodien rīt vakar nedēļa mēnesis gads darbdiena svētki Ziemassvētki Jāņi Līgo dāvana krāsa " +
		"ķirsis ēdiens dzērieni sieviešu vīriešu bērnu apģērbs apavi somiņa grāmata rotaļlieta ūdens šķīvis krūze"
	westSample = "Renée Dupont François Lefèvre Besançon Orléans Genève Zürich Zoë Hélène Jérôme Gaëlle Noël Benoît " +
		"Müller Schäfer Jürgen Köln München Düsseldorf Straße Größe Bäckerei Grüße Österreich Çelik Mañana José María " +
		"Peña Muñoz García Martínez Pérez López Gómez Sánchez Núñez Ibáñez Córdoba Málaga Cádiz Logroño Niño Señor " +
		"Niccolò Città Perché Più Lunedì Caffè Forlì Cantù São Paulo João Conceição Gonçalves Açores Assunção " +
		"commandé livré élégant déjà où très être fenêtre château garçon leçon reçu façade crème brûlée pâtisserie " +
		"hôtel côte forêt île naïve maïs Noël aéroport évènement règle père mère frère lumière numéro été téléphone " +
		"bestätigt zurück Lieferung Rücksendung schön für über Tür Brötchen Käse Fußball Ärger Übung Öl Süßigkeiten"
)

// bigrams are letter-pair and letter counts of a sample, with the number
// of pairs (and of letters: one per pair).
type bigrams struct {
	pairs   map[[2]rune]int
	letters map[rune]int
	total   int
}

var (
	lvModel   = newBigrams(lvSample)
	westModel = newBigrams(westSample)
)

func newBigrams(sample string) bigrams {
	m := bigrams{pairs: map[[2]rune]int{}, letters: map[rune]int{}}
	for _, w := range strings.Fields(strings.ToLower(sample)) {
		prev := '_'
		for _, r := range w + "_" {
			m.pairs[[2]rune{prev, r}]++
			m.letters[r]++
			m.total++
			prev = r
		}
	}
	return m
}

// logP is the log-likelihood of word's letters at or above U+0080 (the
// letters the encodings disagree on): of each letter (a letter the
// language does not use weighs heavily against it) and of the pairs
// around it, add-one smoothed over pairs of the Latin letters.
func (m bigrams) logP(word []rune) float64 {
	const vocabulary = 80 * 80
	lp := 0.0
	for i, r := range word {
		if r < 0x80 {
			continue
		}
		lp += math.Log((float64(m.letters[r]) + 0.05) / float64(m.total))
		prev, next := '_', '_'
		if i > 0 {
			prev = word[i-1]
		}
		if i+1 < len(word) {
			next = word[i+1]
		}
		for _, p := range [][2]rune{{prev, r}, {r, next}} {
			lp += math.Log(float64(m.pairs[p]+1) / float64(m.total+vocabulary))
		}
	}
	return lp
}

// decideMargin is how much likelier (in nats, over the whole sample) one
// reading must be than the other to be taken without asking.
const decideMargin = 3.0

// detectEncoding tells which single-byte encoding head (not UTF-8) is
// in, or returns ErrEncodingUnsure. Russian words are runs of bytes at or
// above 0x80 with no ASCII letter in them; Latvian and Western words are
// ASCII letters with a few such bytes among them. Between Windows-1257
// and ISO-8859-1 the letter pairs decide: each word with a byte the two
// read differently is scored as Latvian in Windows-1257 and as a Western
// language in ISO-8859-1 ("Bērziņš" against "Bçrziòð"). A byte both read
// alike (é, ü, ö, ä) decides nothing, and needs not to.
func detectEncoding(head []byte) (string, error) {
	var cyrillic, latin int
	var lv, west float64
	differ := false
	for _, word := range words(head) {
		high, ascii := 0, 0
		for _, b := range word {
			if b >= 0x80 {
				high++
			} else {
				ascii++
			}
		}
		switch {
		case high == 0:
			continue
		case ascii == 0 && high >= 2:
			cyrillic++
		case ascii > 0:
			latin++
		}
		w57, w1 := make([]rune, len(word)), make([]rune, len(word))
		same := true
		for i, b := range word {
			w57[i] = unicode.ToLower(charmap.Windows1257.DecodeByte(b))
			w1[i] = unicode.ToLower(charmap.ISO8859_1.DecodeByte(b))
			same = same && w57[i] == w1[i]
		}
		if !same {
			differ = true
			lv += lvModel.logP(w57)
			west += westModel.logP(w1)
		}
	}
	switch {
	case cyrillic > 0 && cyrillic >= 3*latin:
		return EncodingWindows1251, nil
	case latin == 0 || latin < 3*cyrillic:
		return "", ErrEncodingUnsure
	case !differ:
		return EncodingLatin1, nil // every letter reads the same in both
	case lv-west >= decideMargin:
		return EncodingWindows1257, nil
	case west-lv >= decideMargin:
		return EncodingLatin1, nil
	}
	return "", ErrEncodingUnsure
}

// words splits b into runs of letters: ASCII letters and bytes at or
// above 0x80 (a letter in each single-byte encoding considered, or near
// enough).
func words(b []byte) [][]byte {
	var out [][]byte
	start := -1
	for i, c := range b {
		letter := c >= 0x80 || c < 0x80 && unicode.IsLetter(rune(c))
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			out = append(out, b[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, b[start:])
	}
	return out
}
