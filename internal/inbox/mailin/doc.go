// Package mailin is the e-mail half of shopcare's channels in: it turns
// the customers' e-mails into inbox.Inbound values and hands them to an
// inbox.Receiver (the conversations' service).
//
// Mail comes in two ways. A Poller reads the shop's existing mailbox over
// IMAP (IDLE where the server offers it, else polling), remembering the
// last UID it handed on per mailbox in the mailboxes table; a Listener is
// an SMTP server for shops that point a domain's MX or a forwarding rule
// at shopcare. Both hand each message to Parse, which reads the MIME
// (any charset, attachments within a size cap), trims the quoted history
// and the signature for display, and recognises auto-replies and bounces.
//
// Neither ever loses a message: the Poller advances its UID only after
// the Receiver took the message, and the Listener answers 451 (try again
// later) when the Receiver fails, so the sending server keeps it. The
// Receiver is idempotent by Message-ID, so a message seen twice is
// stored once.
//
// The settings (config_inbound.go in internal/config), under
// channels.email:
//
//	imap:
//	  addr: imap.example.lv:993
//	  username: hello@shop.lv
//	  password: ...          # or SHOPCARE_IMAP_PASSWORD
//	  mailbox: INBOX
//	  tls: implicit          # implicit | starttls | none
//	  mark_seen: true        # false leaves the mailbox unread
//	inbound_addr: ":2525"    # the SMTP listener
//	inbound_domains: [shop.lv]
//
// app.MailIn builds both from the settings for serve to run.
package mailin
