package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
)

// countryCurrency is the currency a shop of a country sells in unless told.
var countryCurrency = map[string]string{
	"RU": "RUB", "BY": "BYN", "KZ": "KZT", "UA": "UAH", "US": "USD", "GB": "GBP",
	"PL": "PLN", "SE": "SEK", "NO": "NOK", "DK": "DKK", "CH": "CHF", "CZ": "CZK",
}

// Validate checks every key, fills derived values (time zone, currency) and
// returns all problems at once, each naming its key.
func (s *Settings) Validate() error {
	var errs invalid.List
	sh := &s.Shop
	if strings.TrimSpace(sh.Name) == "" {
		errs.Add("shop.name", "required", "must not be empty")
	}
	sh.Country = strings.ToUpper(strings.TrimSpace(sh.Country))
	if _, err := language.ParseRegion(sh.Country); err != nil || len(sh.Country) != 2 {
		errs.Add("shop.country", "invalid", "%q is not a two-letter ISO country code", sh.Country)
	}
	if loc, err := time.LoadLocation(sh.Timezone); err != nil || sh.Timezone == "" {
		errs.Add("shop.timezone", "invalid", "%q is not an IANA time zone such as Europe/Riga", sh.Timezone)
	} else {
		sh.location = loc
	}
	if sh.Currency == "" {
		sh.Currency = countryCurrency[sh.Country]
		if sh.Currency == "" {
			sh.Currency = "EUR"
		}
	}
	sh.Currency = strings.ToUpper(sh.Currency)
	if !money.ValidCurrency(sh.Currency) {
		errs.Add("shop.currency", "invalid", "%q is not an ISO 4217 currency code", sh.Currency)
	}
	if len(sh.Languages) == 0 {
		errs.Add("shop.languages", "required", "list at least one language, such as [ru, en]")
	}
	for i, l := range sh.Languages {
		if _, err := language.Parse(l); err != nil || l == "" {
			errs.Add(fmt.Sprintf("shop.languages[%d]", i), "invalid", "%q is not a language code", l)
		}
	}
	if sh.WorkingHours.From >= sh.WorkingHours.To {
		errs.Add("shop.working_hours", "invalid", "%s ends before it starts", sh.WorkingHours)
	}
	if sh.ContactHours.From >= sh.ContactHours.To {
		errs.Add("shop.contact_hours", "invalid", "%s ends before it starts", sh.ContactHours)
	}
	if sh.Cutoff <= 0 || sh.Cutoff >= 24*60 {
		errs.Add("shop.cutoff", "invalid", "must be a time of day between 00:01 and 23:59")
	}
	if sh.CallbackWithin <= 0 {
		errs.Add("shop.callback_within", "invalid", "must be positive, such as 60m")
	}
	if sh.CallbackTries < 1 || sh.CallbackTries > 20 {
		errs.Add("shop.callback_tries", "invalid", "must be between 1 and 20, got %d", sh.CallbackTries)
	}
	if sh.CallbackRetryAfter < Duration(time.Minute) {
		errs.Add("shop.callback_retry_after", "invalid", "must be at least 1m, such as 2h")
	}
	sh.Phone = strings.TrimSpace(sh.Phone)
	if strings.ContainsAny(sh.Phone, "\x00\n\r") {
		errs.Add("shop.phone", "invalid", "must be one line")
	}
	validateDays(&errs, "shop.days_off", sh.DaysOff)
	validateDays(&errs, "shop.working_days", sh.WorkingDays)
	if s.Promise.HandlingDays < 0 || s.Promise.HandlingDays > 365 {
		errs.Add("promise.handling_days", "invalid", "must be between 0 and 365, got %d", s.Promise.HandlingDays)
	}
	seen := map[string]bool{}
	for i, c := range s.Carriers {
		key := fmt.Sprintf("carriers[%d]", i)
		switch {
		case c.Code == "":
			errs.Add(key+".code", "required", "must not be empty")
		case seen[c.Code]:
			errs.Add(key+".code", "duplicate", "carrier %q is listed twice", c.Code)
		}
		seen[c.Code] = true
		switch {
		case len(c.TransitDays) != 2:
			errs.Add(key+".transit_days", "invalid", "must be [min, max] calendar days, such as [5, 7]")
		case c.TransitDays[0] < 0 || c.TransitDays[0] > c.TransitDays[1]:
			errs.Add(key+".transit_days", "invalid", "min %d must be between 0 and max %d", c.TransitDays[0], c.TransitDays[1])
		}
		for country, t := range c.Destinations {
			k := fmt.Sprintf("%s.destinations.%s", key, country)
			if _, err := language.ParseRegion(country); err != nil || len(country) != 2 || strings.ToUpper(country) != country {
				errs.Add(k, "invalid", "%q is not a two-letter ISO country code in capitals", country)
			}
			if len(t) != 2 || t[0] < 0 || t[0] > t[1] {
				errs.Add(k, "invalid", "must be [min, max] days, such as [3, 5]")
			}
		}
		if len(c.NonDeliveryWeekdays) >= 7 {
			errs.Add(key+".non_delivery_weekdays", "invalid", "the carrier must deliver on at least one weekday")
		}
		if c.PickupHoldDays < 0 {
			errs.Add(key+".pickup_hold_days", "invalid", "must not be negative")
		}
		for j, d := range c.PickupReminders {
			if d <= 0 || c.PickupHoldDays > 0 && d >= c.PickupHoldDays {
				errs.Add(fmt.Sprintf("%s.pickup_reminders[%d]", key, j), "invalid", "day %d must be after arrival and before the hold of %d days ends", d, c.PickupHoldDays)
			}
		}
	}
	if s.Compensation.LateGraceDays < 0 {
		errs.Add("compensation.late_grace_days", "invalid", "must not be negative")
	}
	if s.Compensation.BonusPoints < 0 {
		errs.Add("compensation.bonus_points", "invalid", "must not be negative")
	}
	s.validateLoyalty(&errs)
	s.validateTracking(&errs)
	s.validateHTTP(&errs)
	s.validateAnalytics(&errs)
	if u := s.Channels.Email.SMTPURL; u != "" {
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "smtp" && parsed.Scheme != "smtps") || parsed.Host == "" {
			errs.Add("channels.email.smtp_url", "invalid", "must look like smtp://user:pass@host:587 or smtps://host:465")
		}
	}
	s.validateMessaging(&errs)
	s.validatePacking(&errs)
	return errs.Err()
}

// validateMessaging checks the channels, the playbook's keys and the
// webhooks; the templates themselves are checked by the playbook, which
// knows their data.
func (s *Settings) validateMessaging(errs *invalid.List) {
	if u, err := url.Parse(s.Shop.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs.Add("shop.public_url", "invalid", "must be the address customers open, such as https://care.example.com")
	} else {
		s.Shop.PublicURL = strings.TrimSuffix(s.Shop.PublicURL, "/")
	}
	validateChannelList(errs, "channels.order", s.Channels.Order)
	if len(s.Channels.Order) == 0 {
		s.Channels.Order = ChannelNames
	}
	switch s.Channels.SMS.Provider {
	case "", "smsc", "twilio":
	default:
		errs.Add("channels.sms.provider", "invalid", "%q is not a provider shopcare knows: smsc or twilio", s.Channels.SMS.Provider)
	}
	if s.Playbook.FrequencyCap < 0 {
		errs.Add("playbook.frequency_cap", "invalid", "must not be negative")
	}
	for name, r := range s.Playbook.Rules {
		key := "playbook.rules." + name
		if r.After != nil && *r.After < 0 {
			errs.Add(key+".after", "invalid", "must not be negative")
		}
		validateChannelList(errs, key+".channels", r.Channels)
		if p := r.If.Payment; p != "" && p != "cod" && p != "prepaid" {
			errs.Add(key+".if.payment", "invalid", "must be cod or prepaid, got %q", p)
		}
		if r.OnCap != "" && r.OnCap != "postpone" && r.OnCap != "drop" {
			errs.Add(key+".on_cap", "invalid", "must be postpone or drop, got %q", r.OnCap)
		}
	}
	for name, langs := range s.Templates {
		for lang := range langs {
			if lang != "ru" && lang != "lv" && lang != "en" {
				errs.Add("templates."+name+"."+lang, "invalid", "%q is not a message language: ru, lv or en", lang)
			}
		}
	}
	for i, w := range s.Webhooks {
		key := fmt.Sprintf("webhooks[%d]", i)
		if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs.Add(key+".url", "invalid", "must be an http(s) address, such as https://shop.example.com/hooks/shopcare")
		}
		if len(w.Secret) < 16 {
			errs.Add(key+".secret", "invalid", "must be at least 16 characters, so the signature cannot be guessed")
		}
	}
}

func validateChannelList(errs *invalid.List, key string, list []string) {
	for i, c := range list {
		if !ValidChannel(c) {
			errs.Add(fmt.Sprintf("%s[%d]", key, i), "invalid", "%q is not a channel: email, telegram or sms", c)
		}
	}
}

// validateDays checks a list of day spans and fills To when left out.
func validateDays(errs *invalid.List, key string, list []Days) {
	for i := range list {
		d := &list[i]
		k := fmt.Sprintf("%s[%d]", key, i)
		from, err := time.Parse(time.DateOnly, d.From)
		if err != nil {
			errs.Add(k+".from", "invalid", "%q is not a date like 2026-12-28", d.From)
			continue
		}
		if d.To == "" {
			d.To = d.From
		}
		to, err := time.Parse(time.DateOnly, d.To)
		switch {
		case err != nil:
			errs.Add(k+".to", "invalid", "%q is not a date like 2026-12-30", d.To)
		case to.Before(from):
			errs.Add(k+".to", "invalid", "%s is before from %s", d.To, d.From)
		case to.Sub(from) > 366*24*time.Hour:
			errs.Add(k+".to", "invalid", "a span may be at most a year long")
		}
	}
}
