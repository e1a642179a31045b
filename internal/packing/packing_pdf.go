package packing

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Size is a paper size of the printed documents.
type Size string

// The paper sizes: A4 for an office printer, A6 (a postcard, a label
// printer's sheet) for the note.
const (
	A4 Size = "a4"
	A6 Size = "a6"
)

// ParseSize reads "a4" or "A6"; "" is A4. Anything else is an
// *invalid.Error naming field "size".
func ParseSize(s string) (Size, error) {
	switch Size(strings.ToLower(strings.TrimSpace(s))) {
	case "", A4:
		return A4, nil
	case A6:
		return A6, nil
	}
	return "", invalid.Field("size", "invalid", "%q is not a paper size: a4 or a6", s)
}

// metrics are the measures of a page size, in points.
type metrics struct {
	page   gopdf.Rect
	margin float64
	body   float64 // font size of running text
	small  float64 // notes, labels
	head   float64 // section headings
	title  float64 // the document's title
	box    float64 // a tick box's side
}

func (s Size) metrics() metrics {
	if s == A6 {
		// 105 × 148 mm.
		return metrics{page: gopdf.Rect{W: 297.64, H: 419.53}, margin: 16, body: 7, small: 5.8, head: 8, title: 11, box: 6.5}
	}
	// 210 × 297 mm.
	return metrics{page: gopdf.Rect{W: 595.28, H: 841.89}, margin: 48, body: 10.5, small: 8.5, head: 12, title: 20, box: 10}
}

// The font families of the documents: the Go fonts, whose glyphs cover
// Cyrillic, the Latvian and Lithuanian letters, € and №. The campaigns'
// letters and labels use them too.
const (
	regular = "go"
	bold    = "go-bold"
	// FontRegular and FontBold are the families Fonts holds.
	FontRegular = regular
	FontBold    = bold
)

// Fonts parses the embedded Go fonts once, for every printout of the shop
// (packing slips, the campaigns' letters and labels). A document copies
// them from the container and embeds the subset of glyphs it uses; the
// parsed font is only read afterwards, so documents are made
// concurrently.
var Fonts = fonts

var fonts = sync.OnceValues(func() (*gopdf.FontContainer, error) {
	fc := &gopdf.FontContainer{}
	if err := fc.AddTTFFontData(regular, goregular.TTF); err != nil {
		return nil, fmt.Errorf("parse font %s: %w", regular, err)
	}
	if err := fc.AddTTFFontData(bold, gobold.TTF); err != nil {
		return nil, fmt.Errorf("parse font %s: %w", bold, err)
	}
	return fc, nil
})

// doc is a document being laid out top to bottom: a cursor y, page breaks
// when the next block does not fit, text wrapped to a width.
type doc struct {
	pdf *gopdf.GoPdf
	m   metrics
	y   float64
	// running is the line at the top of every page after the first, so a
	// loose page still says which order it belongs to.
	running string
	pages   int
	family  string  // the current font
	size    float64 // and its size
	err     error   // the first drawing error; later calls do nothing
}

// lineHeight is the distance between lines as a multiple of font size.
const lineHeight = 1.3

// newDoc starts a document of one page with the fonts loaded. at is its
// creation date: the same document made twice is the same bytes.
func newDoc(size Size, title string, at time.Time) (*doc, error) {
	fc, err := fonts()
	if err != nil {
		return nil, err
	}
	m := size.metrics()
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: m.page, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: title, Producer: "shopcare", Creator: "shopcare", CreationDate: at})
	for _, f := range []string{regular, bold} {
		if err := pdf.AddTTFFontFromFontContainer(f, fc); err != nil {
			return nil, fmt.Errorf("embed font %s: %w", f, err)
		}
	}
	d := &doc{pdf: pdf, m: m}
	d.newPage()
	return d, nil
}

func (d *doc) newPage() {
	d.pdf.AddPage()
	d.pages++
	d.y = d.m.margin
	if d.pages > 1 && d.running != "" {
		family, size := d.family, d.size
		d.font(regular, d.m.small)
		d.gray(90)
		d.put(d.m.margin, d.width(), d.y, d.running+" · "+strconv.Itoa(d.pages), right)
		d.gray(0)
		d.y += d.m.small * lineHeight * 2
		d.font(family, size)
	}
}

// width is the width between the margins.
func (d *doc) width() float64 { return d.m.page.W - 2*d.m.margin }

// need starts a new page unless h more points fit on this one.
func (d *doc) need(h float64) {
	if d.y+h > d.m.page.H-d.m.margin && d.y > d.m.margin {
		d.newPage()
	}
}

// gap moves the cursor down h points.
func (d *doc) gap(h float64) { d.y += h }

func (d *doc) font(family string, size float64) {
	if d.err == nil {
		d.family, d.size = family, size
		d.err = d.pdf.SetFont(family, "", size)
	}
}

func (d *doc) gray(level uint8) {
	d.pdf.SetTextColor(level, level, level)
	d.pdf.SetStrokeColor(level, level, level)
}

// lines wraps text to width in the current font; an empty text is no
// line.
func (d *doc) lines(text string, width float64) []string {
	if d.err != nil || strings.TrimSpace(text) == "" {
		return nil
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		ls, err := d.pdf.SplitTextWithWordWrap(para, width)
		if err != nil {
			// A word longer than the line: cut it anywhere.
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

// align places a line within its box.
type align int

const (
	left align = iota
	center
	right
)

// text writes text wrapped to width at x from the cursor down, in family
// at size, and moves the cursor below it; lines that do not fit go on to
// the next page.
func (d *doc) text(x, width float64, family string, size float64, text string, a align) {
	d.font(family, size)
	for _, l := range d.lines(text, width) {
		d.need(size * lineHeight)
		d.put(x, width, d.y, l, a)
		d.y += size * lineHeight
	}
}

// put draws one line at x, y (its top) within width.
func (d *doc) put(x, width, y float64, line string, a align) {
	if d.err != nil {
		return
	}
	if a != left {
		w, err := d.pdf.MeasureTextWidth(line)
		if err != nil {
			d.err = err
			return
		}
		if a == center {
			x += (width - w) / 2
		} else {
			x += width - w
		}
	}
	d.pdf.SetXY(x, y)
	if err := d.pdf.Cell(nil, line); err != nil {
		d.err = fmt.Errorf("draw %q: %w", line, err)
	}
}

// rule draws a line across the page at the cursor.
func (d *doc) rule(width float64) {
	d.pdf.SetLineWidth(width)
	d.pdf.Line(d.m.margin, d.y, d.m.page.W-d.m.margin, d.y)
}

// tickBox draws an empty square for a pen tick, its top at y.
func (d *doc) tickBox(x, y float64) {
	d.pdf.SetLineWidth(0.8)
	d.pdf.RectFromUpperLeftWithStyle(x, y, d.m.box, d.m.box, "D")
}

// bytes finishes the document.
func (d *doc) bytes() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	b, err := d.pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("write pdf: %w", err)
	}
	return b, nil
}
