package csvimport

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// Decoded is a CSV file made ready to read as UTF-8, for the other
// imports (stock levels) that share the orders import's conventions.
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

// Decode detects a CSV file's encoding and delimiter as Import does.
// encoding is as Options.Encoding; with auto a file that is not UTF-8 is
// told apart by its words, or refused with ErrEncodingUnsure.
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
