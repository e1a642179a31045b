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
// exactly as they would in production.
//
// Demo customers are invented: their e-mail addresses are under the
// reserved .example domain (RFC 2606), so even a real SMTP server delivers
// nothing to anyone.
package demo
