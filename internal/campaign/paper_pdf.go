package campaign

import (
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/packing"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"github.com/shopcare/shopcare/internal/i18n"
)

// The PDFs embed the Go fonts, as the packing station's printouts do:
// their glyphs cover Cyrillic, the Latvian and Lithuanian letters, € and
// №. A letter the font lacks (Arabic, Hebrew, CJK, emoji) prints as "?"
// rather than failing the whole run.
const (
	fontRegular = packing.FontRegular
	fontBold    = packing.FontBold
)

// paperFonts are the shop's printouts' fonts, parsed once; each document
// copies what it uses.
var paperFonts = packing.Fonts

// glyphs is the Go font's character map, to tell which runes it can draw.
var glyphs = sync.OnceValues(func() (*sfnt.Font, error) { return sfnt.Parse(goregular.TTF) })

// printable is s with what the font cannot draw replaced: control
// characters and bidirectional marks by nothing (tabs and other spaces by
// a space), letters without a glyph by "?".
func printable(s string) string {
	f, err := glyphs()
	if err != nil {
		return s
	}
	var buf sfnt.Buffer
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		default:
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				b.WriteByte('?')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mm is millimetres in points.
func mm(v float64) float64 { return v * 72 / 25.4 }

// The page sizes, in points.
var (
	pageA4 = gopdf.Rect{W: 595.28, H: 841.89}
	pageA5 = gopdf.Rect{W: 419.53, H: 595.28}
	pageA6 = gopdf.Rect{W: 297.64, H: 419.53}
)

// lineHeight is the distance between lines as a multiple of font size.
const paperLineHeight = 1.3

// sheet is a pdf being drawn: the first drawing error sticks, later calls
// do nothing.
type sheet struct {
	pdf *gopdf.GoPdf
	err error
}

func newSheet(page gopdf.Rect, title string, at time.Time) (*sheet, error) {
	fc, err := paperFonts()
	if err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: page, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: printable(title), Producer: "shopcare", Creator: "shopcare", CreationDate: at})
	for _, f := range []string{fontRegular, fontBold} {
		if err := pdf.AddTTFFontFromFontContainer(f, fc); err != nil {
			return nil, fmt.Errorf("embed font %s: %w", f, err)
		}
	}
	return &sheet{pdf: pdf}, nil
}

func (d *sheet) font(family string, size float64) {
	if d.err == nil {
		d.err = d.pdf.SetFont(family, "", size)
	}
}

func (d *sheet) gray(level uint8) { d.pdf.SetTextColor(level, level, level) }

// wrap splits text into lines of at most width in the current font; a
// word longer than a line is cut anywhere. Blank lines stay.
func (d *sheet) wrap(text string, width float64) []string {
	if d.err != nil {
		return nil
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		para = strings.TrimRight(para, " ")
		if strings.TrimSpace(para) == "" {
			out = append(out, "")
			continue
		}
		ls, err := d.pdf.SplitTextWithWordWrap(para, width)
		if err != nil {
			ls, err = d.pdf.SplitText(para, width)
		}
		if err != nil {
			d.err = fmt.Errorf("wrap %q: %w", para, err)
			return nil
		}
		out = append(out, ls...)
	}
	return out
}

// put draws one line with its top at x, y.
func (d *sheet) put(x, y float64, line string) {
	if d.err != nil || line == "" {
		return
	}
	d.pdf.SetXY(x, y)
	if err := d.pdf.Cell(nil, line); err != nil {
		d.err = fmt.Errorf("draw %q: %w", line, err)
	}
}

// fit cuts lines to n, ending the last kept one with "…" when some were
// cut (shortened until it fits width).
func (d *sheet) fit(lines []string, n int, width float64) []string {
	if len(lines) <= n {
		return lines
	}
	if n <= 0 {
		return nil
	}
	lines = lines[:n]
	last := []rune(strings.TrimSpace(lines[n-1]))
	for d.err == nil {
		s := string(last) + "…"
		w, err := d.pdf.MeasureTextWidth(s)
		if err != nil {
			d.err = err
			break
		}
		if w <= width || len(last) == 0 {
			lines[n-1] = s
			break
		}
		last = last[:len(last)-1]
	}
	return lines
}

func (d *sheet) bytes() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	b, err := d.pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("write pdf: %w", err)
	}
	return b, nil
}

// addressLines is a one-line delivery address as the lines of an
// envelope: split at its commas.
func addressLines(address string) []string {
	var out []string
	for _, part := range strings.Split(address, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// block wraps name (bold) and address to width: the lines of an address
// block, each with its font.
type blockLine struct {
	text string
	bold bool
}

func (d *sheet) block(name, address string, size, width float64) []blockLine {
	var out []blockLine
	d.font(fontBold, size)
	for _, l := range d.wrap(printable(name), width) {
		if l != "" {
			out = append(out, blockLine{l, true})
		}
	}
	d.font(fontRegular, size)
	for _, part := range addressLines(printable(address)) {
		for _, l := range d.wrap(part, width) {
			if l != "" {
				out = append(out, blockLine{l, false})
			}
		}
	}
	return out
}

// drawBlock draws at most n lines of an address block from x, y, cutting
// the last with "…" when more do not fit.
func (d *sheet) drawBlock(lines []blockLine, x, y, size, width float64, n int) {
	if len(lines) > n {
		lines = lines[:max(n, 0)]
		if n > 0 {
			last := &lines[n-1]
			d.font(map[bool]string{true: fontBold, false: fontRegular}[last.bold], size)
			last.text = d.fit([]string{last.text, ""}, 1, width)[0]
		}
	}
	for i, l := range lines {
		d.font(map[bool]string{true: fontBold, false: fontRegular}[l.bold], size)
		d.put(x, y+float64(i)*size*paperLineHeight, l.text)
	}
}

// footer draws text in gray at size, wrapped to width, its last line's
// top at bottom: at most two lines, cut with "…" beyond.
func (d *sheet) footer(x, bottom, width, size float64, text string) {
	d.gray(90)
	d.font(fontRegular, size)
	lines := d.fit(d.wrap(printable(text), width), 2, width)
	for i, l := range lines {
		d.put(x, bottom-float64(len(lines)-1-i)*size*paperLineHeight, l)
	}
	d.gray(0)
}

// letter is one customer's letter or postcard.
type letter struct {
	Name, Address string
	Language      i18n.Lang
	Subject, Body string
}

// lettersPDF lays out the letters (size Letter: A5; Postcard: A6), one
// piece per page (a long letter goes on to more pages), in their order.
func lettersPDF(shop, title, size string, letters []letter, at time.Time) ([]byte, error) {
	page := pageA5
	if size == Postcard {
		page = pageA6
	}
	d, err := newSheet(page, title, at)
	if err != nil {
		return nil, err
	}
	if len(letters) == 0 {
		d.pdf.AddPage()
	}
	for _, l := range letters {
		if size == Postcard {
			d.postcard(page, shop, l)
		} else {
			d.letter(page, shop, l)
		}
	}
	return d.bytes()
}

// letter draws an A5 letter: the sender and the address where a window
// envelope (C5, DL with the letter folded) shows them, the subject, the
// text, and at the foot of the first page how to stop such letters.
func (d *sheet) letter(page gopdf.Rect, shop string, l letter) {
	margin := mm(15)
	width := page.W - 2*margin
	bottom := page.H - margin - 24
	d.pdf.AddPage()
	d.gray(90)
	d.font(fontRegular, 7.5)
	for _, line := range d.fit(d.wrap(printable(shop), width), 1, width) {
		d.put(margin, mm(12), line)
	}
	d.gray(0)
	// The window of a C5 envelope: 20 mm from the left, 45 mm from the
	// top, 90 × 45 mm.
	const size = 10
	lines := d.block(l.Name, l.Address, size, mm(85))
	d.drawBlock(lines, mm(20), mm(47), size, mm(85), int(mm(40)/(size*paperLineHeight)))
	y := mm(100)
	if s := strings.TrimSpace(l.Subject); s != "" {
		d.font(fontBold, 13)
		for _, line := range d.fit(d.wrap(printable(s), width), 3, width) {
			d.put(margin, y, line)
			y += 13 * paperLineHeight
		}
		y += 6
	}
	d.font(fontRegular, 10.5)
	d.footer(margin, page.H-margin, width, 7, i18n.Text(l.Language, "campaign_paper.letter.footer", map[string]any{"Shop": shop}))
	d.font(fontRegular, 10.5)
	for _, line := range d.wrap(printable(l.Body), width) {
		if y+10.5*paperLineHeight > bottom {
			d.pdf.AddPage()
			y = margin
			d.font(fontRegular, 10.5)
		}
		d.put(margin, y, line)
		y += 10.5 * paperLineHeight
	}
}

// postcard draws an A6 postcard: the message in the upper half (cut with
// "…" when it is longer than a postcard holds), the sender and the address
// in the lower.
func (d *sheet) postcard(page gopdf.Rect, shop string, l letter) {
	margin := mm(8)
	width := page.W - 2*margin
	half := page.H / 2
	d.pdf.AddPage()
	y := margin
	if s := strings.TrimSpace(l.Subject); s != "" {
		d.font(fontBold, 10)
		for _, line := range d.fit(d.wrap(printable(s), width), 2, width) {
			d.put(margin, y, line)
			y += 10 * paperLineHeight
		}
		y += 3
	}
	const size = 8
	d.font(fontRegular, size)
	room := int((half - mm(4) - y) / (size * paperLineHeight))
	for _, line := range d.fit(d.wrap(printable(l.Body), width), room, width) {
		d.put(margin, y, line)
		y += size * paperLineHeight
	}
	d.pdf.SetLineWidth(0.5)
	d.pdf.SetStrokeColor(160, 160, 160)
	d.pdf.Line(margin, half, page.W-margin, half)
	d.gray(90)
	d.font(fontRegular, 6.5)
	for _, line := range d.fit(d.wrap(printable(shop), width), 1, width) {
		d.put(margin, half+mm(3), line)
	}
	d.gray(0)
	d.footer(margin, page.H-margin, width, 6.5, i18n.Text(l.Language, "campaign_paper.letter.footer", map[string]any{"Shop": shop}))
	const asize = 9
	x := page.W/2 - mm(10)
	lines := d.block(l.Name, l.Address, asize, page.W-margin-x)
	d.drawBlock(lines, x, half+mm(18), asize, page.W-margin-x, int(mm(40)/(asize*paperLineHeight)))
}

// label is one address label.
type label struct{ Name, Address string }

// labelSheet is the geometry of a sheet of labels on A4, in millimetres.
type labelSheet struct {
	cols, rows     int
	w, h           float64 // a label
	left, top      float64 // the first label's corner
	pitchX, pitchY float64 // from one label to the next
}

var labelSheets = map[string]labelSheet{
	// 3 × 8 of 70 × 37 mm, edge to edge (Avery 3474 and its kind).
	Sheet3x8: {cols: 3, rows: 8, w: 70, h: 37, left: 0, top: 0.5, pitchX: 70, pitchY: 37},
	// 2 × 7 of 99.1 × 38.1 mm with a 2.5 mm gutter (Avery L7163).
	Sheet2x7: {cols: 2, rows: 7, w: 99.1, h: 38.1, left: 4.65, top: 15.15, pitchX: 101.6, pitchY: 38.1},
}

// labelsPDF lays the labels out in their order, row by row, on as many
// sheets as they need.
func labelsPDF(title, name string, labels []label, at time.Time) ([]byte, error) {
	ls := labelSheets[name]
	d, err := newSheet(pageA4, title, at)
	if err != nil {
		return nil, err
	}
	per := ls.cols * ls.rows
	if len(labels) == 0 {
		d.pdf.AddPage()
	}
	pad := mm(4)
	width := mm(ls.w) - 2*pad
	for i, l := range labels {
		if i%per == 0 {
			d.pdf.AddPage()
		}
		n := i % per
		x := mm(ls.left+float64(n%ls.cols)*ls.pitchX) + pad
		y := mm(ls.top+float64(n/ls.cols)*ls.pitchY) + mm(3)
		room := mm(ls.h) - mm(6)
		// The largest type the label holds the whole address in, down to
		// 7 points; then it is cut.
		size := 10.0
		var lines []blockLine
		for ; ; size-- {
			lines = d.block(l.Name, l.Address, size, width)
			if float64(len(lines))*size*paperLineHeight <= room || size <= 7 {
				break
			}
		}
		d.drawBlock(lines, x, y, size, width, int(room/(size*paperLineHeight)))
	}
	return d.bytes()
}
