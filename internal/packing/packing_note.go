package packing

import (
	"github.com/shopcare/shopcare/internal/i18n"
)

// NotePDF returns the thank-you note of the sheet in lang (the customer's:
// sheet.Language), on paper of the size: a greeting by first name, thanks
// for the order, a word about the souvenir or the holiday when the parcel
// carries one, and the shop's name. A6 is a postcard; on A4 the note takes
// the top of the page.
func NotePDF(sheet *Sheet, lang i18n.Lang, size Size) ([]byte, error) {
	d, err := newDoc(size, i18n.Text(lang, "packing.insert.thank_you", nil)+" "+sheet.Order.ExternalID, sheet.At)
	if err != nil {
		return nil, err
	}
	m := d.m
	// The note is set larger than the slip: it is read, not worked from.
	body := m.body * 1.25
	pad := m.margin * 0.75
	x, w := m.margin+pad, d.width()-2*pad

	greeting := i18n.Text(lang, "packing.note.greeting_anonymous", nil)
	if name := sheet.FirstName(); name != "" {
		greeting = i18n.Text(lang, "packing.note.greeting", map[string]any{"Name": name})
	}
	blocks := []block{
		{family: bold, size: m.head, text: sheet.Shop, align: center},
		{family: bold, size: body * 1.15, text: greeting, before: body * 1.2},
		{family: regular, size: body, text: i18n.Text(lang, "packing.note.thanks", map[string]any{"Number": sheet.Order.ExternalID}), before: body * 0.5},
	}
	var holiday *Insert
	for i, in := range sheet.Inserts {
		switch in.Kind {
		case Souvenir:
			blocks = append(blocks, block{family: regular, size: body, text: i18n.Text(lang, "packing.note.souvenir", nil), before: body * 0.5})
		case HolidayCard:
			holiday = &sheet.Inserts[i]
		}
	}
	if holiday != nil {
		blocks = append(blocks, block{family: bold, size: body, text: wish(lang, holiday.Holiday), before: body * 0.5})
	}
	blocks = append(blocks,
		block{family: regular, size: body, text: i18n.Text(lang, "packing.note.closing", nil), before: body * 1.2},
		block{family: bold, size: body, text: sheet.Shop})

	// A postcard (A6) is framed whole with the note in its middle; on A4
	// the framed note takes the top of the page, to be cut or folded.
	height := pad * 2
	for _, b := range blocks {
		height += b.height(d, w)
	}
	top, frame := d.y, height
	if size == A6 && height < d.m.page.H-2*m.margin {
		frame = d.m.page.H - 2*m.margin
		d.gap((frame - height) / 2)
	}
	d.gap(pad)
	for _, b := range blocks {
		d.gap(b.before)
		d.text(x, w, b.family, b.size, b.text, b.align)
	}
	if d.pages == 1 {
		d.pdf.SetLineWidth(0.6)
		d.gray(150)
		d.pdf.RectFromUpperLeftWithStyle(m.margin, top, d.width(), frame, "D")
	}
	return d.bytes()
}

// block is a paragraph of the note.
type block struct {
	family string
	size   float64
	text   string
	align  align
	before float64 // space above it
}

// height is the block's height at width w, space above included.
func (b block) height(d *doc, w float64) float64 {
	d.font(b.family, b.size)
	return b.before + float64(len(d.lines(b.text, w)))*b.size*lineHeight
}

// wish returns the holiday wish of a holiday card in lang: "С Новым
// годом!"; a holiday of the shop's own words gets a general one.
func wish(lang i18n.Lang, holiday string) string {
	switch holiday {
	case "new_year":
		return i18n.Text(lang, "packing.note.wish.new_year", nil)
	case "christmas":
		return i18n.Text(lang, "packing.note.wish.christmas", nil)
	case "easter":
		return i18n.Text(lang, "packing.note.wish.easter", nil)
	case "midsummer":
		return i18n.Text(lang, "packing.note.wish.midsummer", nil)
	}
	return i18n.Text(lang, "packing.note.wish.other", nil)
}
