package mailin

import (
	"encoding/base64"
	"mime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestParseCharsets: bodies (8bit, quoted-printable, base64) and RFC 2047
// subjects and names in the charsets Russian and Latvian mail comes in
// read back as the words written, short texts and long ones.
func TestParseCharsets(t *testing.T) {
	t.Parallel()
	russian := []string{
		"Привет, где мой заказ?",
		"Уважаемый магазин! Я заказал у вас чайник и две кружки, но в посылке оказался только чайник, а кружек не было. " +
			"Прошу разобраться и отправить недостающие товары как можно скорее. С уважением, Николай Петрович Сидоров, Москва.",
	}
	latvian := []string{
		"Sveiki! Kad būs piegāde? Paldies, Jānis",
		"Labdien! Pasūtījums atnāca bojāts, kaste bija saplīsusi un krūze arī. Lūdzu, atsūtiet jaunu vai atmaksājiet naudu. " +
			"Ar cieņu, Jānis Bērziņš, Rīga. Ļoti gaidu atbildi, jo dāvana bija paredzēta Ziemassvētkiem.",
	}
	for _, cs := range []struct {
		name  string
		enc   *charmap.Charmap
		texts []string
	}{
		{"windows-1251", charmap.Windows1251, russian},
		{"koi8-r", charmap.KOI8R, russian},
		{"iso-8859-5", charmap.ISO8859_5, russian},
		{"ibm866", charmap.CodePage866, russian},
		{"windows-1257", charmap.Windows1257, latvian},
		{"iso-8859-13", charmap.ISO8859_13, latvian},
		{"iso-8859-4", charmap.ISO8859_4, latvian[:1]},
	} {
		for _, text := range cs.texts {
			b, err := cs.enc.NewEncoder().String(text)
			if err != nil {
				t.Fatalf("%s: %v", cs.name, err)
			}
			subject := strings.TrimSpace(string([]rune(text)[:12]))
			encSubject, err := cs.enc.NewEncoder().String(subject)
			if err != nil {
				t.Fatal(err)
			}
			for _, body := range []struct{ cte, data string }{
				{"8bit", b},
				{"base64", base64.StdEncoding.EncodeToString([]byte(b))},
				{"quoted-printable", qpEncode(b)},
			} {
				raw := "From: " + mime.BEncoding.Encode(cs.name, encSubject) + " <a@b.lv>\r\n" +
					"Subject: " + mime.QEncoding.Encode(cs.name, encSubject) + "\r\n" +
					"Content-Type: text/plain; charset=" + cs.name + "\r\nContent-Transfer-Encoding: " + body.cte + "\r\n\r\n" + body.data + "\r\n"
				in, err := Parse([]byte(raw))
				if err != nil {
					t.Fatalf("%s %s: %v", cs.name, body.cte, err)
				}
				if in.Text != text || in.Subject != subject || in.FromName != subject {
					t.Errorf("%s %s:\ntext    %q\nsubject %q\nname    %q\nwant    %q / %q", cs.name, body.cte, in.Text, in.Subject, in.FromName, text, subject)
				}
			}
		}
	}
}

// qpEncode writes bytes as quoted-printable, every byte past ASCII as =XX.
func qpEncode(s string) string {
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, 3*len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == '=' {
			out = append(out, '=', hex[c>>4], hex[c&15])
			continue
		}
		out = append(out, c)
	}
	return string(out)
}
