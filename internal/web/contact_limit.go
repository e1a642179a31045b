package web

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/inbox"
)

// contactDesk is what the contact form and widget need beyond the App:
// their limits, and the receiver that takes their messages when a test
// gives its own (nil: the App's inbox).
type contactDesk struct {
	limits   *contactLimits
	receiver inbox.Receiver
}

// inbox returns the receiver of the web's messages, nil when the shop
// takes none.
func (h *Handler) inbox() inbox.Receiver {
	if h.contacts.receiver != nil {
		return h.contacts.receiver
	}
	if h.app.Inbox == nil { // a nil *inbox.Service must not become a non-nil Receiver
		return nil
	}
	return h.app.Inbox
}

// contactLimits slow down a flood of contact messages without ever
// refusing a person for long: per client address (a robot trying many
// e-mails) and per contact (one e-mail or phone from many addresses).
// They use the login throttle, keyed by one value each, with its counts
// in the database (every node counts the same), and the real clock:
// people wait real seconds.
type contactLimits struct {
	byAddr, byContact *auth.Throttle
}

// The rules: ten messages from one address and five from one contact go
// without a wait, then waits from 10 and 30 seconds doubling up to 10
// and 30 minutes; an hour of quiet forgets the count.
var (
	contactAddrRule    = auth.ThrottleRule{Free: 10, Base: 10 * time.Second, Max: 10 * time.Minute, Forget: time.Hour}
	contactContactRule = auth.ThrottleRule{Free: 5, Base: 30 * time.Second, Max: 30 * time.Minute, Forget: time.Hour}
)

func newContactLimits(accounts *auth.Service) *contactLimits {
	return &contactLimits{
		byAddr:    accounts.Throttle("contact-addr", contactAddrRule, contactAddrRule),
		byContact: accounts.Throttle("contact", contactContactRule, contactContactRule),
	}
}

// allow asks whether a message from addr by contact may go ahead at now;
// when not, it returns how long to wait. The contact is asked first, so
// that a message held back for its contact does not count against its
// address too (an office's one address serves many people).
func (l *contactLimits) allow(ctx context.Context, addr, contact string, now time.Time) (time.Duration, bool) {
	if wait, ok := l.byContact.Attempt(ctx, contact, "", now); !ok {
		return wait, false
	}
	return l.byAddr.Attempt(ctx, addr, "", now)
}
