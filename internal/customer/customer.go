// Package customer keeps the people who buy: who they are, how to reach them,
// their language and time zone, and what they have bought so far.
//
// A customer is matched by the shop's external id, else by e-mail, else by
// phone number (normalised to E.164), so orders from the API, imports and
// several shop platforms meet on one person.
package customer

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Input is a customer as a shop describes one with an order.
type Input struct {
	ExternalID string `json:"external_id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	Phone      string `json:"phone"`
	Language   string `json:"language"`
	Country    string `json:"country"`
	City       string `json:"city"`
	Timezone   string `json:"timezone"`
	// Consent lists the channels the customer agreed to be reached on
	// (sms needs it; e-mail order news does not), and the marketing
	// consents they gave with the order: marketing_email, marketing_sms,
	// marketing_telegram (campaigns and offers, opt-in only).
	Consent []string `json:"consent,omitempty"`
	// ConsentSource is where the marketing consents were given
	// ("checkout checkbox"): the proof kept with their time; the order
	// is named when it is empty.
	ConsentSource string `json:"consent_source,omitempty"`
	// DoubleOptIn keeps a marketing e-mail consent pending until the
	// customer confirms it (campaigns.double_opt_in); set by the caller
	// from the settings, never by the shop's JSON.
	DoubleOptIn bool `json:"-"`
	// Channels is the order in which the customer likes to be reached.
	Channels []string `json:"channels,omitempty"`
	// TelegramChatID is the customer's chat with the shop's bot, once
	// linked.
	TelegramChatID string `json:"telegram_chat_id,omitempty"`
	// Birthday is YYYY-MM-DD or MM-DD; only the month and day are kept,
	// for the loyalty program's birthday bonus.
	Birthday string `json:"birthday,omitempty"`
}

// Customer is a stored customer.
type Customer struct {
	ID           int64
	ExternalID   string
	Name         string
	Email        string
	Phone        string
	Language     string
	Country      string
	City         string
	Timezone     string
	OrdersCount  int64
	SpentMinor   int64
	FirstOrderAt *time.Time
	LastOrderAt  *time.Time
	CreatedAt    time.Time
}

// Defaults are what a customer gets when the shop does not say.
type Defaults struct {
	Country  string // shop's country: the region for phone numbers
	Language string // shop's first language
	Timezone string // shop's time zone, the last resort
}

// Normalize validates in and fills what can be derived: e-mail lower-cased,
// phone in E.164, language and time zone. Field names in errors are prefixed
// with prefix ("customer." in the API).
func Normalize(in Input, def Defaults, prefix string) (Input, error) {
	var errs invalid.List
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	in.Name = strings.TrimSpace(in.Name)
	in.City = strings.TrimSpace(in.City)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	if in.Email != "" {
		addr, err := mail.ParseAddress(in.Email)
		if err != nil || addr.Address != in.Email || !strings.Contains(in.Email, "@") {
			errs.Add(prefix+"email", "invalid", "%q is not an e-mail address", in.Email)
		}
	}
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if in.Country != "" {
		if _, err := language.ParseRegion(in.Country); err != nil || len(in.Country) != 2 {
			errs.Add(prefix+"country", "invalid", "%q is not a two-letter ISO country code", in.Country)
			in.Country = ""
		}
	}
	if raw := strings.TrimSpace(in.Phone); raw != "" {
		p := phones.normalize(raw, firstNonEmpty(in.Country, def.Country))
		if p.err != nil {
			errs.Add(prefix+"phone", "invalid", "%q is not a valid phone number", raw)
		}
		in.Phone = p.e164
		if in.Country == "" {
			in.Country = p.country
		}
	}
	for field, v := range map[string]string{"external_id": in.ExternalID, "name": in.Name, "city": in.City, "email": in.Email} {
		if strings.ContainsRune(v, 0) {
			errs.Add(prefix+field, "invalid", "must not contain a NUL character")
		}
	}
	if utf8.RuneCountInString(in.ExternalID) > 200 {
		errs.Add(prefix+"external_id", "too_long", "must be at most 200 characters")
	}
	if len(in.Email) > 254 {
		errs.Add(prefix+"email", "too_long", "must be at most 254 characters")
	}
	if in.ExternalID == "" && in.Email == "" && in.Phone == "" && len(errs) == 0 {
		errs.Add(prefix+"external_id", "required", "a customer needs an external_id, an email or a phone")
	}
	in.Language = strings.ToLower(strings.TrimSpace(in.Language))
	if in.Language != "" {
		tag, err := language.Parse(in.Language)
		if err != nil {
			errs.Add(prefix+"language", "invalid", "%q is not a language code such as ru, lv or en", in.Language)
		} else {
			base, _ := tag.Base()
			in.Language = base.String()
		}
	} else {
		in.Language = def.Language
	}
	normalizeChannels(&in, &errs, prefix)
	in.Timezone = strings.TrimSpace(in.Timezone)
	if in.Timezone != "" {
		if !knownZone(in.Timezone) {
			errs.Add(prefix+"timezone", "invalid", "%q is not an IANA time zone such as Europe/Riga", in.Timezone)
		}
	} else {
		in.Timezone = deriveTimezone(in, def)
	}
	return in, errs.Err()
}

// deriveTimezone picks the customer's zone: the one zone of their country,
// else the zone their phone number belongs to, else the main zone of their
// country, else the shop's. The phone's data is coarse (every Russian mobile
// is Moscow, the Baltics come out as Bucharest), so the country goes first.
func deriveTimezone(in Input, def Defaults) string {
	if zones := countryZones[in.Country]; len(zones) == 1 {
		return zones[0]
	}
	if in.Phone != "" {
		if zone := phones.normalize(in.Phone, "").zone; zone != "" {
			return zone
		}
	}
	if zones := countryZones[in.Country]; len(zones) > 0 {
		return zones[0]
	}
	return def.Timezone
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
