// Package packing is the packing station: the queue of orders waiting to
// be packed, the sheet a packer works from, finishing an order into
// ready_to_ship, and the printable packing slip and thank-you note.
//
// The flow of one parcel, as a thin HTTP handler drives it:
//
//	items, _ := packing.Queue(ctx, db.Read(), 50)               // the queue page
//	sheet, _ := packing.Build(ctx, db.Read(), settings, cal, id, now) // one order
//	slip, _ := packing.SlipPDF(sheet, packerLang, packing.A4)   // print it
//	note, _ := packing.NotePDF(sheet, sheet.Language, packing.A6)
//	res, err := packing.Finish(ctx, db, orders, sheet, ticked, "anna@shop", now)
//
// The sheet is where the shop's rules meet the order: the shop's checklist
// (config.Packing, in the shop's own words or in the packer's language),
// gift wrap when the customer asked, and the inserts — a thank-you note
// always, a holiday card when the parcel ships inside a holiday window, a
// souvenir on a customer's first order or for a loyalty tier. Each insert
// carries the i18n id of why it goes in, so the packer sees "Ships on
// Sunday 20 Dec, 12 days before New Year" rather than a bare instruction.
// Gift wrap and the inserts are ticked off like the shop's own checks, so a
// souvenir is not forgotten.
//
// The tier is the customer's card in the loyalty program (internal/loyalty),
// read with the order. A tier gets a souvenir when packing.souvenir.tiers
// lists it or its perks (loyalty.tiers) include souvenir; a tier whose perks
// include free_gift_wrap has the gift wrap line say it is free for the
// card, as the customer was promised.
//
// Holiday windows are read from the business calendar of the shop's
// country (internal/calendar) by the holidays' names, so a card follows
// the country: Orthodox Christmas on 7 January in Russia, Līgo on 23 June
// in Latvia. The calendar names a holiday on a weekend too; the shop's own
// days off are left out, so a stocktaking week over New Year does not hide
// New Year. A holiday the country's calendar does not have (Easter in
// Russia, where it is no public holiday) gives no card.
//
// Finish is idempotent: it records the packing (orders.packed_at and an
// order_notes row of kind "packed") in one transaction guarded by the
// order's state, then moves the order to ready_to_ship through
// order.Service.ChangeStatus, so the customer's message and the webhooks
// follow as for any status change. A second Finish — a double click, a
// retried request — adds nothing; one interrupted between the two steps
// is completed by the next.
//
// The PDFs embed the Go fonts (golang.org/x/image/font/gofont), which cover
// Cyrillic, Latvian letters, € and №, and are byte-for-byte the same for
// the same sheet: the creation date is the sheet's time, never the wall
// clock.
package packing
