package web

import "github.com/shopcare/shopcare/internal/inbox"

// WithInboxReceiver hands the contact form's and widget's messages to r
// instead of the App's inbox: a test records what the web passes on.
func WithInboxReceiver(r inbox.Receiver) Option {
	return func(h *Handler) { h.contacts.receiver = r }
}
