// Package demo plays a shop for `shopcare demo`: a year of generated
// history (Seed), new orders and the carrier's part on a simulated clock
// (Live), the shop's people (Users) and a mail server that takes every
// message (MailSink), so one command shows a shop owner the whole journey.
//
// Everything a demo customer does goes in through the same doors a real
// shop uses: history the way the CSV import stores it (history orders,
// which never message anyone or make a task), new orders through the
// intake the API uses, and status changes through the order service, so
// the playbook, the call-backs, the packing station and the messages react
// exactly as they would in production. The shop's own people work too,
// through the same services a person uses in the admin: the operator
// calls customers back (reached, no answer and tried again, a wrong
// number now and then), the packer packs, so the queues look like a
// working shop's however long the demo runs.
//
// The history's purchases follow the BG/NBD process (see buying), so the
// CLV models fitted on it come out near the parameters it was drawn with
// rather than at the edge of their range.
//
// The loyalty program opens on the history, which earns nothing by itself:
// each seeded customer gets an opening balance of what their delivered
// orders of the past year would have earned, posted through the ledger,
// and the repeat buyers their tier cards (RetierAll). From then on points
// are earned on delivery through the normal path, and the live customers
// use the program as a shop's do: a friend's referral code, the welcome
// coupon, points paying part of an order, a birthday told; a parcel that
// comes late gets the operator's compensation.
//
// Demo customers are invented: their e-mail addresses are under the
// reserved .example domain (RFC 2606), so even a real SMTP server delivers
// nothing to anyone.
package demo
