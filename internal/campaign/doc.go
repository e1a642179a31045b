// Package campaign sends the shop's campaigns: one mailing to an audience
// of customers on one channel (e-mail, SMS, Telegram) or on paper, with
// its content per language, at each customer's own hour — and reports
// what came of it.
//
// A campaign is a row of campaigns while it is a draft. Starting it
// evaluates its audience once, at that moment, into campaign_recipients:
// one row per customer with when their message is due and, later, what
// came of it. Sending takes the due rows in batches under a lease inside
// River jobs, checks consent, the frequency cap and the customer's hours
// at send time, hands each message to its channel at the providers' pace
// and records the outcomes batch by batch; a batch whose process died is
// taken again when its lease runs out, and the messages it may have handed
// over go again with the same Message-ID, so a restart never sends a
// customer a second, different copy.
//
// Only customers with marketing consent on the campaign's channel get it
// (customer_channels.marketing_consent_at; the law asks for prior,
// provable consent to advertising), never one who unsubscribed from
// marketing or whose address bounced or complained. Transactional news is
// another path altogether (package message) and is never silenced by an
// unsubscribe from campaigns.
//
// The parts, one file group each:
//   - campaign.go, campaign_store.go: the campaign, its validation and its
//     rows;
//   - audience*.go: who is in an audience, counted before sending;
//   - content*.go: Markdown or HTML per language into the message each
//     customer gets (the same template data and functions as the journey),
//     the plain-text part, tracked links, images, previews and test sends;
//   - send*.go: the sending machinery, its rates, pausing and resuming;
//   - results*.go: clicks, bounces, complaints, unsubscribes, orders and
//     revenue attributed, the A/B test's winner; the marketing flows'
//     figures;
//   - paper*.go: letters, postcards and address labels as print-ready PDF.
package campaign
