package config

import (
	"slices"
	"sort"
)

// QuietHours says, per channel, whether a message on it waits for the
// customer's contact hours (shop.contact_hours in the customer's zone):
// channels.quiet_hours: {email: false, sms: true, telegram: true}. A
// channel left out keeps its default: e-mail is silent, so order news
// goes by e-mail at once, day or night; SMS and Telegram ring the
// customer's phone and wait for the morning. Marketing waits on every
// channel whatever this says, and calls always keep the contact hours.
type QuietHours map[string]bool

// Holds reports whether messages on channel wait for the customer's
// contact hours.
func (q QuietHours) Holds(channel string) bool {
	if v, ok := q[channel]; ok {
		return v
	}
	return channel != "email"
}

// AllHold reports whether every channel waits for the contact hours, so
// that a message may be planned for the customer's morning at once.
func (q QuietHours) AllHold() bool {
	return !slices.ContainsFunc(ChannelNames, func(ch string) bool { return !q.Holds(ch) })
}

func (q QuietHours) validate(errs *problems) {
	keys := make([]string, 0, len(q))
	for ch := range q {
		keys = append(keys, ch)
	}
	sort.Strings(keys)
	for _, ch := range keys {
		if !ValidChannel(ch) {
			errs.add("channels.quiet_hours."+ch, "invalid", "settings.error.quiet_hours_channel", arg(ch))
		}
	}
}
