package mailin

import (
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds Parse the fixtures and what the fuzzer makes of them:
// it must never panic, and what it returns must be valid UTF-8.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		f.Add(fixture(f, filepath.Base(name)))
	}
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822;\r\nStatus: 5\r\n--x--"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := Parse(raw)
		if err != nil {
			return
		}
		for field, s := range map[string]string{"From": in.From, "FromName": in.FromName, "Subject": in.Subject, "Visible": in.Visible} {
			if !utf8.ValidString(s) {
				t.Errorf("%s is not UTF-8: %q", field, s)
			}
		}
		_ = Visible(in.Text)
	})
}

// FuzzVisible: trimming any text never panics, never grows the text and
// keeps it UTF-8.
func FuzzVisible(f *testing.F) {
	for _, s := range []string{"Thanks!\n\nOn Mon wrote:\n> x", "a\n-- \nb", "От: a\nОтправлено: b", ">\n>\n", "________________\nNo: x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		v := Visible(text)
		if len(v) > len(text) || !utf8.ValidString(v) {
			t.Errorf("Visible(%q) = %q", text, v)
		}
	})
}
