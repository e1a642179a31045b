// Package csvfile reads the CSV files shops hand in — Excel exports in
// UTF-8 or a Windows code page, split by commas, semicolons or tabs — the
// same way for every import (orders, stock levels), and writes back the
// rows an import refused, with their line and reason, in the file's own
// delimiter.
package csvfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// The encodings an import's --encoding names, besides those of
// encoding.go.
const (
	EncodingAuto        = "auto"
	EncodingUTF8        = "utf-8"
	EncodingWindows1251 = "windows-1251"
)

// sniffSize is how much of the file decides the encoding.
const sniffSize = 64 << 10

var (
	utf8BOM = []byte{0xEF, 0xBB, 0xBF}
	utf16LE = []byte{0xFF, 0xFE}
	utf16BE = []byte{0xFE, 0xFF}
)

// Decoded is a CSV file made ready to read as UTF-8.
type Decoded struct {
	// Reader reads the file's text as UTF-8, past any byte order mark.
	Reader io.Reader
	// Encoding is the encoding the file was read in (utf-8,
	// windows-1251, …).
	Encoding string
	// Delimiter is the field delimiter of the header line: ',', ';' or
	// a tab.
	Delimiter rune
	// BOM tells whether the file began with a UTF-8 byte order mark, for
	// a rejected file to begin with one too (Excel reads it as UTF-8).
	BOM bool
}

// Decode detects a CSV file's encoding and delimiter. encoding is "auto"
// (or ""), "utf-8" (or "utf8"), "windows-1251" (or "cp1251"),
// "windows-1257" (or "cp1257") or "iso-8859-1" (or "latin-1"), in any
// case; with auto a file that is not UTF-8 is told apart by its words
// (detectEncoding), or refused with ErrEncodingUnsure when that is not
// clear.
func Decode(r io.Reader, encoding string) (Decoded, error) {
	enc, ok := encodingNames[strings.ToLower(strings.TrimSpace(encoding))]
	if !ok {
		return Decoded{}, fmt.Errorf("encoding %q: use auto, utf-8, windows-1251, windows-1257 or iso-8859-1", encoding)
	}
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return Decoded{}, fmt.Errorf("read the file: %w", err)
	}
	truncated := len(head) == sniffSize
	var d Decoded
	if bytes.HasPrefix(head, utf8BOM) {
		d.BOM = true
		_, _ = br.Discard(len(utf8BOM))
		head = head[len(utf8BOM):]
	}
	if (enc == EncodingAuto || enc == EncodingUTF8) && !d.BOM && (bytes.HasPrefix(head, utf16LE) || bytes.HasPrefix(head, utf16BE)) {
		return Decoded{}, errors.New("the file is in UTF-16 (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" or CSV and import it again")
	}
	if enc == EncodingAuto {
		enc = EncodingUTF8
		if !utf8.Valid(completeRunes(head, truncated)) {
			if enc, err = detectEncoding(head); err != nil {
				return Decoded{}, err
			}
		}
	}
	d.Encoding, d.Delimiter, d.Reader = enc, sniffDelimiter(head), br
	if cm, ok := charmaps[enc]; ok {
		d.Reader = transform.NewReader(br, cm.NewDecoder())
	}
	return d, nil
}

// completeRunes cuts a rune split by the end of a sniffed prefix, so that a
// valid UTF-8 file is not taken for another encoding because 64 KiB ended
// in the middle of a letter.
func completeRunes(b []byte, truncated bool) []byte {
	if !truncated {
		return b
	}
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// sniffDelimiter picks the delimiter from the header line in head.
func sniffDelimiter(head []byte) rune {
	line := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		line = head[:i]
	}
	semicolons, commas, tabs := bytes.Count(line, []byte{';'}), bytes.Count(line, []byte{','}), bytes.Count(line, []byte{'\t'})
	switch {
	case semicolons > commas:
		return ';'
	case tabs > 0 && semicolons == 0 && commas == 0:
		return '\t'
	default:
		return ','
	}
}

// RejectWriter writes an import's refused rows — line, reason, the row
// as it was — to W, starting the file (and its header row) at the first
// one, so that nothing is written when every row is good. A nil W drops
// them.
type RejectWriter struct {
	W     io.Writer
	Delim rune
	// BOM starts the file with a byte order mark, for Excel to see UTF-8.
	BOM bool
	// Header is the imported file's header row, repeated after line and
	// reason.
	Header []string
	csv    *csv.Writer
	rec    []string
}

// Write writes one refused row.
func (rw *RejectWriter) Write(line int, reason string, fields []string) error {
	if rw.W == nil {
		return nil
	}
	if rw.csv == nil {
		if rw.BOM {
			if _, err := rw.W.Write(utf8BOM); err != nil {
				return err
			}
		}
		rw.csv = csv.NewWriter(rw.W)
		rw.csv.Comma = rw.Delim
		if err := rw.csv.Write(append([]string{"line", "reason"}, rw.Header...)); err != nil {
			return err
		}
	}
	rw.rec = append(rw.rec[:0], strconv.Itoa(line), reason)
	rw.rec = append(rw.rec, fields...)
	return rw.csv.Write(rw.rec)
}

// Flush writes out what is buffered.
func (rw *RejectWriter) Flush() error {
	if rw.csv == nil {
		return nil
	}
	rw.csv.Flush()
	return rw.csv.Error()
}

// CountingReader counts the bytes read through it, for progress.
type CountingReader struct {
	R io.Reader
	N int64
}

// Read reads from R and counts what it read.
func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}
