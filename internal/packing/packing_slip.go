package packing

import (
	"strconv"

	"github.com/shopcare/shopcare/internal/i18n"
)

// SlipPDF returns the packing slip of the sheet in the packer's language
// lang, on paper of the size: the shop and the order, the customer and the
// delivery address (with whether and when the customer confirmed it on the
// call), the items with their quantities, the checklist with boxes to
// tick (gift wrap among them when asked) and the inserts with the reason
// for each.
func SlipPDF(sheet *Sheet, lang i18n.Lang, size Size) ([]byte, error) {
	o := sheet.Order
	title := i18n.Text(lang, "packing.slip.title", nil)
	d, err := newDoc(size, title+" "+o.ExternalID, sheet.At)
	if err != nil {
		return nil, err
	}
	m, x, w := d.m, d.m.margin, d.width()
	number := i18n.Text(lang, "packing.slip.order", map[string]any{"Number": o.ExternalID})
	d.running = sheet.Shop + " · " + number

	// The shop, the document, the order.
	d.gray(0)
	d.text(x, w, bold, m.title, sheet.Shop, left)
	d.gap(m.small * 0.3)
	d.text(x, w, bold, m.head, title+" · "+number, left)
	d.gap(m.small * 0.3)
	facts := i18n.Text(lang, "packing.slip.placed", nil) + ": " + i18n.FormatDayTime(lang, o.PlacedAt.In(sheet.location())) +
		"   " + i18n.Text(lang, "packing.slip.ships", nil) + ": " + i18n.FormatDay(lang, sheet.ShipDay)
	if o.Carrier != "" {
		facts += "   " + i18n.Text(lang, "packing.slip.carrier", nil) + ": " + o.Carrier
	}
	facts += "   " + i18n.Text(lang, "packing.slip.printed", map[string]any{"Time": i18n.FormatDayTime(lang, sheet.At.In(sheet.location()))})
	d.text(x, w, regular, m.small, facts, left)
	d.gap(m.small * 0.6)
	d.rule(0.8)
	d.gap(m.body)

	// Who and where.
	label := func(id string) {
		d.gray(90)
		d.text(x, w, regular, m.small, i18n.Text(lang, id, nil), left)
		d.gray(0)
	}
	label("packing.slip.customer")
	if c := o.Customer; c != nil {
		d.text(x, w, bold, m.body, c.Name, left)
		contact := c.Phone
		if c.Email != "" {
			if contact != "" {
				contact += " · "
			}
			contact += c.Email
		}
		d.text(x, w, regular, m.body, contact, left)
	}
	d.gap(m.small * 0.5)
	label("packing.slip.address")
	if sheet.Address != "" {
		d.text(x, w, regular, m.body, sheet.Address, left)
		// Whether the customer said so on the call: a packer holds a
		// parcel whose address nobody confirmed, or asks.
		confirmed := i18n.Text(lang, "care.packing.address_unconfirmed", nil)
		if at := o.AddressConfirmedAt; at != nil {
			confirmed = i18n.Text(lang, "care.packing.address_confirmed", map[string]any{"When": i18n.FormatDayTime(lang, at.In(sheet.location()))})
		}
		d.gray(90)
		d.text(x, w, regular, m.small, confirmed, left)
		d.gray(0)
	} else {
		d.gray(90)
		d.text(x, w, regular, m.body, "— "+i18n.Text(lang, "packing.slip.no_address", nil), left)
		d.gray(0)
	}
	d.gap(m.body)

	slipItems(d, sheet, lang)
	slipChecklist(d, sheet, lang)

	// Who packed it.
	d.gap(m.body)
	d.text(x, w, regular, m.body, i18n.Text(lang, "packing.slip.packed_by", nil)+": ______________________", left)
	return d.bytes()
}

// slipItems draws the items table: SKU, name, quantity, and the pieces in
// all.
func slipItems(d *doc, sheet *Sheet, lang i18n.Lang) {
	m, x, w := d.m, d.m.margin, d.width()
	skuW, qtyW := w*0.2, w*0.12
	nameX, nameW := x+skuW, w-skuW-qtyW
	row := func(family string, sku, name, qty string) {
		d.font(family, m.body)
		skuLines, nameLines := d.lines(sku, skuW-m.body*0.5), d.lines(name, nameW-m.body*0.5)
		n := max(len(skuLines), len(nameLines), 1)
		h := float64(n) * m.body * lineHeight
		d.need(h + m.body*0.5)
		for i, l := range skuLines {
			d.put(x, skuW, d.y+float64(i)*m.body*lineHeight, l, left)
		}
		for i, l := range nameLines {
			d.put(nameX, nameW, d.y+float64(i)*m.body*lineHeight, l, left)
		}
		d.put(nameX+nameW, qtyW, d.y, qty, right)
		d.y += h + m.body*0.25
		d.pdf.SetLineWidth(0.3)
		d.pdf.Line(x, d.y, x+w, d.y)
		d.y += m.body * 0.35
	}
	d.gray(0)
	row(bold, i18n.Text(lang, "packing.slip.col_sku", nil), i18n.Text(lang, "packing.slip.col_item", nil), i18n.Text(lang, "packing.slip.col_qty", nil))
	for _, it := range sheet.Order.Items {
		row(regular, it.SKU, it.Name, strconv.FormatInt(it.Qty, 10))
	}
	d.text(x, w, bold, m.body, i18n.Text(lang, "packing.slip.items", map[string]any{"Count": sheet.Pieces()}), right)
	d.gap(m.body)
}

// slipChecklist draws the checks and gift wrap under one heading and the
// inserts, with their reasons, under another, each with a box to tick.
func slipChecklist(d *doc, sheet *Sheet, lang i18n.Lang) {
	m, x, w := d.m, d.m.margin, d.width()
	textX := x + m.box + m.body*0.7
	line := func(c CheckItem) {
		family := regular
		if c.Kind != CheckShop {
			family = bold
		}
		d.font(family, m.body)
		label := d.lines(c.Label(lang), w-(textX-x))
		d.font(regular, m.small)
		hint := d.lines(c.Hint(lang), w-(textX-x))
		d.need(float64(len(label))*m.body*lineHeight + float64(len(hint))*m.small*lineHeight)
		d.tickBox(x, d.y+(m.body*lineHeight-m.box)/2-m.body*0.1)
		d.text(textX, w-(textX-x), family, m.body, c.Label(lang), left)
		if len(hint) > 0 {
			d.gray(90)
			d.text(textX, w-(textX-x), regular, m.small, c.Hint(lang), left)
			d.gray(0)
		}
		d.gap(m.body * 0.45)
	}
	heading := func(id string) {
		d.need(m.head*lineHeight + m.body*2)
		d.text(x, w, bold, m.head, i18n.Text(lang, id, nil), left)
		d.gap(m.body * 0.3)
	}
	var checks, inserts []CheckItem
	for _, c := range sheet.Checklist {
		if c.Kind == CheckInsert {
			inserts = append(inserts, c)
		} else {
			checks = append(checks, c)
		}
	}
	if len(checks) > 0 {
		heading("packing.slip.checklist")
		for _, c := range checks {
			line(c)
		}
		d.gap(m.body * 0.6)
	}
	if len(inserts) > 0 {
		heading("packing.slip.inserts")
		for _, c := range inserts {
			line(c)
		}
	}
}
