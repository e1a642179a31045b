// Package config reads the shop settings (the YAML of README.md's
// Settings) and the process environment into one typed, validated Settings
// value.
//
// Every key is optional; what is missing takes the defaults of Default.
// Validation names each wrong key by its path ("carriers[1].transit_days").
package config

//go:generate go run ./settingsdoc/gen

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Settings is the whole configuration of one shop.
type Settings struct {
	Shop         Shop         `yaml:"shop"`
	Promise      Promise      `yaml:"promise"`
	Carriers     []Carrier    `yaml:"carriers"`
	Compensation Compensation `yaml:"compensation"`
	Watch        Watch        `yaml:"watch"`
	Analytics    Analytics    `yaml:"analytics"`
	Loyalty      Loyalty      `yaml:"loyalty"`
	Channels     Channels     `yaml:"channels"`
	Playbook     Playbook     `yaml:"playbook"`
	// Packing is the packing station: checklist, holiday cards, souvenirs.
	Packing Packing `yaml:"packing"`
	// Templates re-word the playbook's messages: template name → language
	// (ru, lv, en) → the parts to replace. Checked at start, with the line
	// of a broken one.
	Templates map[string]map[string]Template `yaml:"templates"`
	Webhooks  []Webhook                      `yaml:"webhooks"`
	// Connectors are the shop platforms connected to shopcare
	// (config_connectors.go).
	Connectors []Connector `yaml:"connectors"`
	// Support is the support inbox's response targets (config_support.go).
	Support Support `yaml:"support"`
	Reorder Reorder `yaml:"reorder"` // Reorder is how "order again" on the customer's page works (config_reorder.go).
	// Returns is how customers ask for returns on their page (config_returns.go).
	Returns Returns `yaml:"returns"`
	// Surveys are the NPS survey after a delivery and the CSAT rating
	// after a conversation (config_surveys.go).
	Surveys Surveys `yaml:"surveys"`
	// Reviews is how the shop asks for and takes product reviews (config_reviews.go).
	Reviews Reviews `yaml:"reviews"`
	// Campaigns is how campaigns and marketing flows are sent (config_campaigns.go).
	Campaigns Campaigns `yaml:"campaigns"`
	// Backup is the scheduled backup of the database (config_backup.go).
	Backup Backup `yaml:"backup"`
	// Stock is how the shop's stock is kept and promised (config_stock.go).
	Stock Stock `yaml:"stock"`
	// Traffic is the shop's visitor counter (config_traffic.go).
	Traffic Traffic `yaml:"traffic"`
	// TrustedProxies may tell the client's address in X-Forwarded-For.
	TrustedProxies TrustedProxies `yaml:"trusted_proxies"`
}

// Shop holds who the shop is and when it works.
type Shop struct {
	// Name is the shop's name as customers know it: messages are signed with
	// it.
	Name string `yaml:"name"`
	// Country is the ISO code (RU, LV, …) whose business calendar gives the
	// shop's working days and holidays.
	Country string `yaml:"country"`
	// Timezone is the IANA zone of the shop's hours and dates
	// ("Europe/Riga").
	Timezone string `yaml:"timezone"`
	// Currency is the ISO code of the shop's money (RUB, EUR); taken from
	// the country when empty.
	Currency string `yaml:"currency"`
	// Languages are the languages the shop writes to its customers in (ru,
	// lv, en); the first is for customers whose language is not known.
	Languages []string `yaml:"languages"`
	// WorkingHours are when the shop's people work: call-backs and answers
	// are due within them.
	WorkingHours TimeRange `yaml:"working_hours"`
	// Cutoff is the time of day until which an order counts as received that
	// working day.
	Cutoff ClockTime `yaml:"cutoff"`
	// ContactHours are when a customer may be called or sent a message, in
	// the customer's own time zone; never at night.
	ContactHours TimeRange `yaml:"contact_hours"`
	// CallbackWithin is how soon an operator calls back a customer who asked
	// for it (working hours permitting).
	CallbackWithin Duration `yaml:"callback_within"`
	// CallbackTries is how many times an operator calls an order's
	// customer without an answer before shopcare gives up and e-mails
	// them to call back.
	CallbackTries int `yaml:"callback_tries"`
	// CallbackRetryAfter is how long after an unanswered call the next
	// try is due (then moved into working and contact hours).
	CallbackRetryAfter Duration `yaml:"callback_retry_after"`
	// Phone is the shop's number for customers to call: the call-back
	// e-mails name it.
	Phone string `yaml:"phone"`
	// Contacts are shop.email and shop.messengers (config_contacts.go).
	Contacts `yaml:",inline"`
	// PublicURL is where customers reach this shopcare: the base of the
	// tracking and unsubscribe links in every message.
	PublicURL string `yaml:"public_url"`
	// LogoURL is the shop's logo in the header of the customer's pages:
	// an https address, or a path under public_url (/files/logo.png);
	// empty shows the shop's name in text.
	LogoURL string `yaml:"logo_url"`
	// BrandColor is the shop's colour (#RRGGBB) for the header, links and
	// buttons of the customer's pages, with white text on it: it must be
	// dark enough for a contrast of at least 4.5:1. Empty keeps shopcare's.
	BrandColor string `yaml:"brand_color"`
	// DaysOff are the shop's own days off on top of its country's
	// calendar: stocktaking, a vacation.
	DaysOff []Days `yaml:"days_off"`
	// WorkingDays are days the shop works although its calendar says
	// they are off (a Saturday before a big sale).
	WorkingDays []Days `yaml:"working_days"`

	location *time.Location
}

// Location returns the shop's time zone; valid after Validate.
func (s Shop) Location() *time.Location {
	if s.location == nil {
		return time.UTC
	}
	return s.location
}

// Promise holds the shop's own lead times.
type Promise struct {
	// HandlingDays is how many working days an order takes to make and pack
	// before it ships.
	HandlingDays int `yaml:"handling_days"`
}

// Days is a span of days in the shop's calendar, written
// {from: 2026-12-28, to: 2026-12-30, reason: stocktaking}; to may be left
// out for a single day.
type Days struct {
	// From is the first day (2026-12-28).
	From string `yaml:"from"`
	// To is the last day; the same as from when left out.
	To string `yaml:"to"`
	// Reason says why, for the shop's people (stocktaking).
	Reason string `yaml:"reason"`
}

// Carrier is a delivery service the shop ships with.
type Carrier struct {
	// Code names the carrier in orders, the API and the connectors' mappings
	// (post, omniva); letters, digits and -.
	Code string `yaml:"code"`
	// Name is what customers read ("Omniva parcel locker"); the code
	// when empty.
	Name string `yaml:"name"`
	// TransitDays is [min, max] days from shipping to delivery.
	TransitDays []int `yaml:"transit_days"`
	// TransitWorkingDays counts TransitDays in working days of the
	// destination country's calendar instead of calendar days.
	TransitWorkingDays bool `yaml:"transit_working_days"`
	// NonDeliveryWeekdays are weekdays the carrier does not deliver on.
	NonDeliveryWeekdays []Weekday `yaml:"non_delivery_weekdays"`
	// Destinations gives other transit days for some destination
	// countries: {LV: [3, 5]}.
	Destinations map[string][]int `yaml:"destinations"`
	// PickupHoldDays is how long a pickup point keeps a parcel before it
	// goes back; PickupReminders are the days after arrival on which the
	// customer is reminded that it waits.
	PickupHoldDays  int   `yaml:"pickup_hold_days"`
	PickupReminders []int `yaml:"pickup_reminders"`
	// Delivery is courier, post or pickup. When empty, a carrier without
	// pickup_hold_days is a courier, one with them the post when its code
	// is post, else a pickup point.
	Delivery Delivery `yaml:"delivery"`
	// Tracking is how shopcare learns what happens to the carrier's
	// parcels; without an API, events come through POST /api/v1/parcels/events.
	Tracking Tracking `yaml:"tracking"`
}

// DisplayName is the carrier's name for customers.
func (c Carrier) DisplayName() string {
	if c.Name != "" {
		return c.Name
	}
	return c.Code
}

// Transit returns the [min, max] transit days to a destination country.
func (c Carrier) Transit(country string) (lo, hi int) {
	if t, ok := c.Destinations[country]; ok && len(t) == 2 {
		return t[0], t[1]
	}
	if len(c.TransitDays) != 2 {
		return 0, 0
	}
	return c.TransitDays[0], c.TransitDays[1]
}

// Weekday is a day of the week, written mon, tue, … or in full.
type Weekday time.Weekday

// UnmarshalYAML reads "sat" or "saturday", in any case.
func (w *Weekday) UnmarshalYAML(n *yaml.Node) error {
	v := strings.ToLower(strings.TrimSpace(n.Value))
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if v == name || v == name[:3] {
			*w = Weekday(d)
			return nil
		}
	}
	return fmt.Errorf("line %d: %q is not a weekday like sat or sunday", n.Line, n.Value)
}

// MarshalYAML writes "sat".
func (w Weekday) MarshalYAML() (any, error) {
	return strings.ToLower(time.Weekday(w).String()[:3]), nil
}

// Compensation says how a broken promise is made good.
type Compensation struct {
	// LateGraceDays is how many days past its promised day an order may
	// arrive before it counts as late and is apologised for.
	LateGraceDays int `yaml:"late_grace_days"`
	// BonusPoints are granted, through the loyalty ledger, once per late
	// order.
	BonusPoints int64 `yaml:"bonus_points"`
	// Coupon, when set, is generated for the customer of a late order as
	// well as (or, with bonus_points 0, instead of) the points.
	Coupon *CouponSpec `yaml:"coupon"`
}

// Channels holds the message channels' settings.
type Channels struct {
	Email    Email    `yaml:"email"`
	SMS      SMS      `yaml:"sms"`
	Telegram Telegram `yaml:"telegram"`
	Web      Web      `yaml:"web"` // the contact form and widget: config_telegram_in.go
	// Order is the order in which channels are tried for a customer who
	// has not chosen their own: the next one when one fails for good.
	Order      []string   `yaml:"order"`
	QuietHours QuietHours `yaml:"quiet_hours"` // per channel: waits for the contact hours (config_quiet.go)
}

// ChannelNames are the customer channels, in the default order.
var ChannelNames = []string{"email", "telegram", "sms"}

// ValidChannel reports whether name is one of ChannelNames.
func ValidChannel(name string) bool { return slices.Contains(ChannelNames, name) }

// Email is the SMTP channel.
type Email struct {
	// SMTPURL is the mail server messages are sent through:
	// smtp://user:password@host:587 (STARTTLS) or smtps://…:465; env
	// SHOPCARE_SMTP_URL.
	SMTPURL string `yaml:"smtp_url"`
	// From is the sender of the shop's mail ("Kastryulya
	// <hello@kastryulya.ru>"); env SHOPCARE_SMTP_FROM.
	From string `yaml:"from"`
	// UnsubscribeMailto, when set, is named in marketing mail's
	// List-Unsubscribe beside the link, for mail programs that unsubscribe
	// by mail.
	UnsubscribeMailto string `yaml:"unsubscribe_mailto"`

	EmailInbound `yaml:",inline"` // reading customers' mail: imap, inbound_addr (config_inbound.go)
}

// SMS is the SMS channel: one provider and its credentials.
type SMS struct {
	// Provider is smsc or twilio; empty switches SMS off.
	Provider string `yaml:"provider"`
	// APIURL replaces the provider's address (a test server, smsc.kz).
	APIURL string `yaml:"api_url"`
	// Login and Password are SMSC's (env SHOPCARE_SMS_LOGIN,
	// SHOPCARE_SMS_PASSWORD); Sender its approved sender name.
	Login    string `yaml:"login"`
	Password string `yaml:"password"`
	Sender   string `yaml:"sender"`
	// AccountSID and AuthToken are Twilio's (env SHOPCARE_TWILIO_ACCOUNT_SID,
	// SHOPCARE_TWILIO_AUTH_TOKEN); From its number, or
	// MessagingServiceSID instead.
	AccountSID          string `yaml:"account_sid"`
	AuthToken           string `yaml:"auth_token"`
	From                string `yaml:"from"`
	MessagingServiceSID string `yaml:"messaging_service_sid"`
}

// Playbook tunes the journey's rules (docs/journey.md).
type Playbook struct {
	// FrequencyCap is the least time between two non-transactional
	// messages to one customer.
	FrequencyCap Duration `yaml:"frequency_cap"`
	// Rules switch off, re-time or re-route a rule, by its name.
	Rules map[string]Rule `yaml:"rules"`
}

// Rule changes one playbook rule; what is left out keeps the default.
type Rule struct {
	// Enabled false switches the rule off.
	Enabled *bool `yaml:"enabled"`
	// After is the delay from the event to the message.
	After *Duration `yaml:"after"`
	// Channels replace the customer's channel order for this rule.
	Channels []string `yaml:"channels"`
	// Template sends another template (one of the templates' names).
	Template string `yaml:"template"`
	// Urgent sends e-mail at once even outside contact hours (never SMS).
	Urgent *bool `yaml:"urgent"`
	// OnCap is what a capped message does: postpone or drop.
	OnCap string `yaml:"on_cap"`
	// Event (and Status for order.status_changed) make a rule of the
	// shop's own under a name that is not a default one; it sends
	// Template, which the shop writes under templates.
	Event  string `yaml:"event"`
	Status string `yaml:"status"`
	// Reasons narrow a rule of the shop's own on experience.recorded to
	// negative experiences of these kinds (late_delivery, broken_promise,
	// unanswered_message, missed_callback, low_score, cancelled_by_shop,
	// unreachable).
	Reasons []string `yaml:"reasons"`
	// If narrows the rule to some orders.
	If Condition `yaml:"if"`
	// Transactional marks a rule of the shop's own as order news (no
	// frequency cap, no unsubscribe link); it is marketing-type otherwise.
	Transactional *bool `yaml:"transactional"`
	// Grant gives the customer points and/or a coupon, with a reason,
	// once per order and reason, through the loyalty ledger.
	Grant *Grant `yaml:"grant"`
}

// Condition narrows a rule; what is left out does not narrow.
type Condition struct {
	// Payment is cod or prepaid.
	Payment string `yaml:"payment"`
	// FirstOrder true: only a customer's first order; false: only repeat
	// orders.
	FirstOrder *bool `yaml:"first_order"`
	// Countries are the customer's countries (ISO codes).
	Countries []string `yaml:"countries"`
}

// Template is one template in one language; an empty part keeps the
// default. Subject is the e-mail subject, Text the message, SMS a short
// form for SMS (the Text when empty).
type Template struct {
	Subject string `yaml:"subject"`
	Text    string `yaml:"text"`
	SMS     string `yaml:"sms"`
}

// Webhook is one of the shop's endpoints that receives events.
type Webhook struct {
	// URL is the shop's endpoint that receives the events (https).
	URL string `yaml:"url"`
	// Secret signs every delivery (HMAC-SHA256).
	Secret string `yaml:"secret"`
	// Events are the kinds sent ("order.created", "order.*"); all when
	// empty.
	Events []string `yaml:"events"`
}

// Telegram is the Telegram bot channel.
type Telegram struct {
	// BotToken is the token BotFather gave the shop's bot; env
	// SHOPCARE_TELEGRAM_BOT_TOKEN.
	BotToken string `yaml:"bot_token"`
	// APIURL replaces https://api.telegram.org (a local Bot API server).
	APIURL string `yaml:"api_url"`
	// TelegramIn is the receiving half: config_telegram_in.go.
	TelegramIn `yaml:",inline"`
}

// Default returns the settings every key falls back to.
func Default() Settings {
	return Settings{
		Shop: Shop{
			Name:               "shopcare",
			Country:            "RU",
			Timezone:           "Europe/Moscow",
			Languages:          []string{"ru", "en"},
			WorkingHours:       TimeRange{From: 9 * 60, To: 18 * 60},
			Cutoff:             ClockTime(14 * 60),
			ContactHours:       TimeRange{From: 9 * 60, To: 21 * 60},
			CallbackWithin:     Duration(60 * time.Minute),
			CallbackTries:      3,
			CallbackRetryAfter: Duration(2 * time.Hour),
			PublicURL:          "http://127.0.0.1:8080",
		},
		Promise: Promise{HandlingDays: 1},
		Carriers: []Carrier{
			{Code: "courier", TransitDays: []int{2, 2}},
			{Code: "post", TransitDays: []int{5, 7}, PickupHoldDays: 30, PickupReminders: []int{3, 7, 25}},
		},
		Compensation: Compensation{LateGraceDays: 1, BonusPoints: 300},
		Watch:        Watch{StuckAfterDays: 5},
		Analytics:    defaultAnalytics(),
		Loyalty:      defaultLoyalty(),
		Channels:     Channels{Order: ChannelNames},
		Playbook:     Playbook{FrequencyCap: Duration(16 * time.Hour)},
		Packing:      defaultPacking(),
		Support:      defaultSupport(),
		Returns:      defaultReturns(),
		Surveys:      defaultSurveys(),
		Reviews:      defaultReviews(),
		Campaigns:    defaultCampaigns(),
		Backup:       defaultBackup(),
		Stock:        defaultStock(),
		Traffic:      defaultTraffic(),
	}
}

// Load reads settings from the YAML file at path (none when path is empty),
// applies the environment's secrets and validates the result.
func Load(path string) (Settings, error) {
	var data []byte
	if path != "" {
		var err error
		data, err = os.ReadFile(path)
		if err != nil {
			return Settings{}, fmt.Errorf("read settings: %w", err)
		}
	}
	s, err := Parse(data)
	if err != nil {
		if path != "" {
			return Settings{}, fmt.Errorf("settings %s: %w", path, err)
		}
		return Settings{}, err
	}
	return s, nil
}

// Parse decodes YAML settings over the defaults, applies the environment's
// secrets and validates the result.
func Parse(data []byte) (Settings, error) {
	s := Default()
	if len(bytes.TrimSpace(data)) > 0 {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&s); err != nil {
			return Settings{}, yamlError(err)
		}
	}
	s.applyEnv(os.Getenv)
	if err := s.Validate(); err != nil {
		return Settings{}, err
	}
	return s, nil
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)

// yamlError rewrites the decoder's wording into the words of a settings
// file, each problem with its line and a translation (documentProblems).
func yamlError(err error) error { return documentProblems(err) }

func (s *Settings) applyEnv(getenv func(string) string) {
	for env, dst := range s.secrets() {
		if v := getenv(env); v != "" {
			*dst = v
		}
	}
}

// Carrier returns the carrier with the given code.
func (s Settings) Carrier(code string) (Carrier, bool) {
	for _, c := range s.Carriers {
		if c.Code == code {
			return c, true
		}
	}
	return Carrier{}, false
}

// ClockTime is a time of day in minutes after midnight, written "14:00".
type ClockTime int

// UnmarshalYAML reads "HH:MM".
func (c *ClockTime) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseClock(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*c = v
	return nil
}

// MarshalYAML writes "HH:MM".
func (c ClockTime) MarshalYAML() (any, error) { return c.String(), nil }

// String returns "HH:MM".
func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

func parseClock(s string) (ClockTime, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh == 24 && mm != 0 {
		return 0, fmt.Errorf("%q is not a time of day like 14:00", s)
	}
	return ClockTime(hh*60 + mm), nil
}

// TimeRange is a daily window such as "09:00-21:00".
type TimeRange struct {
	From, To ClockTime
}

// UnmarshalYAML reads "HH:MM-HH:MM".
func (r *TimeRange) UnmarshalYAML(n *yaml.Node) error {
	from, to, ok := strings.Cut(n.Value, "-")
	if !ok {
		return fmt.Errorf("line %d: %q is not a window like 09:00-21:00", n.Line, n.Value)
	}
	f, err := parseClock(from)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	t, err := parseClock(to)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*r = TimeRange{From: f, To: t}
	return nil
}

// MarshalYAML writes "HH:MM-HH:MM".
func (r TimeRange) MarshalYAML() (any, error) { return r.String(), nil }

// String returns "HH:MM-HH:MM".
func (r TimeRange) String() string { return r.From.String() + "-" + r.To.String() }

// Duration is a time.Duration that also reads days: "60m", "36h", "365d".
type Duration time.Duration

// UnmarshalYAML reads a Go duration or a whole number of days ("365d").
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration in days when whole, else as Go writes it.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// String writes "365d" for whole days, else Go's form.
func (d Duration) String() string {
	td := time.Duration(d)
	if td > 0 && td%(24*time.Hour) == 0 {
		return strconv.Itoa(int(td/(24*time.Hour))) + "d"
	}
	return td.String()
}

// ParseDuration reads "60m", "1h30m" or "365d".
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a duration like 60m, 36h or 365d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like 60m, 36h or 365d", s)
	}
	return v, nil
}
