package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

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
	var errs problems
	sh := &s.Shop
	if strings.TrimSpace(sh.Name) == "" {
		errs.add("shop.name", "required", "settings.error.required", nil)
	}
	sh.Country = strings.ToUpper(strings.TrimSpace(sh.Country))
	if _, err := language.ParseRegion(sh.Country); err != nil || len(sh.Country) != 2 {
		errs.add("shop.country", "invalid", "settings.error.country", arg(sh.Country))
	}
	if loc, err := time.LoadLocation(sh.Timezone); err != nil || sh.Timezone == "" {
		errs.add("shop.timezone", "invalid", "settings.error.timezone", arg(sh.Timezone))
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
		errs.add("shop.currency", "invalid", "settings.error.currency", arg(sh.Currency))
	}
	if len(sh.Languages) == 0 {
		errs.add("shop.languages", "required", "settings.error.languages_none", nil)
	}
	for i, l := range sh.Languages {
		if _, err := language.Parse(l); err != nil || l == "" {
			errs.add(fmt.Sprintf("shop.languages[%d]", i), "invalid", "settings.error.language", arg(l))
		}
	}
	if sh.WorkingHours.From >= sh.WorkingHours.To {
		errs.add("shop.working_hours", "invalid", "settings.error.window_order", arg(sh.WorkingHours.String()))
	}
	if sh.ContactHours.From >= sh.ContactHours.To {
		errs.add("shop.contact_hours", "invalid", "settings.error.window_order", arg(sh.ContactHours.String()))
	}
	if sh.Cutoff <= 0 || sh.Cutoff >= 24*60 {
		errs.add("shop.cutoff", "invalid", "settings.error.cutoff", nil)
	}
	if sh.CallbackWithin <= 0 {
		errs.add("shop.callback_within", "invalid", "settings.error.positive_duration", nil)
	}
	if sh.CallbackTries < 1 || sh.CallbackTries > 20 {
		errs.add("shop.callback_tries", "invalid", "settings.error.between", between(1, 20, sh.CallbackTries))
	}
	if sh.CallbackRetryAfter < Duration(time.Minute) {
		errs.add("shop.callback_retry_after", "invalid", "settings.error.retry_after", nil)
	}
	sh.Phone = strings.TrimSpace(sh.Phone)
	if strings.ContainsAny(sh.Phone, "\x00\n\r") {
		errs.add("shop.phone", "invalid", "settings.error.one_line", nil)
	}
	sh.Address = strings.TrimSpace(sh.Address)
	if strings.ContainsAny(sh.Address, "\x00\n\r") || utf8.RuneCountInString(sh.Address) > 200 {
		errs.add("shop.address", "invalid", "settings.error.one_line", nil)
	}
	validateDays(&errs, "shop.days_off", sh.DaysOff)
	validateDays(&errs, "shop.working_days", sh.WorkingDays)
	if s.Promise.HandlingDays < 0 || s.Promise.HandlingDays > 365 {
		errs.add("promise.handling_days", "invalid", "settings.error.between", between(0, 365, s.Promise.HandlingDays))
	}
	seen := map[string]bool{}
	for i, c := range s.Carriers {
		key := fmt.Sprintf("carriers[%d]", i)
		switch {
		case c.Code == "":
			errs.add(key+".code", "required", "settings.error.required", nil)
		case seen[c.Code]:
			errs.add(key+".code", "duplicate", "settings.error.carrier_duplicate", arg(c.Code))
		}
		seen[c.Code] = true
		switch {
		case len(c.TransitDays) != 2:
			errs.add(key+".transit_days", "invalid", "settings.error.transit_pair", nil)
		case c.TransitDays[0] < 0 || c.TransitDays[0] > c.TransitDays[1]:
			errs.add(key+".transit_days", "invalid", "settings.error.transit_order", map[string]any{"Min": c.TransitDays[0], "Max": c.TransitDays[1]})
		}
		for country, t := range c.Destinations {
			k := fmt.Sprintf("%s.destinations.%s", key, country)
			if _, err := language.ParseRegion(country); err != nil || len(country) != 2 || strings.ToUpper(country) != country {
				errs.add(k, "invalid", "settings.error.country_caps", arg(country))
			}
			if len(t) != 2 || t[0] < 0 || t[0] > t[1] {
				errs.add(k, "invalid", "settings.error.destination_pair", nil)
			}
		}
		if len(c.NonDeliveryWeekdays) >= 7 {
			errs.add(key+".non_delivery_weekdays", "invalid", "settings.error.weekdays_all", nil)
		}
		if c.PickupHoldDays < 0 {
			errs.add(key+".pickup_hold_days", "invalid", "settings.error.negative", nil)
		}
		for j, d := range c.PickupReminders {
			if d <= 0 || c.PickupHoldDays > 0 && d >= c.PickupHoldDays {
				errs.add(fmt.Sprintf("%s.pickup_reminders[%d]", key, j), "invalid", "settings.error.reminder_day", map[string]any{"Day": d, "Hold": c.PickupHoldDays})
			}
		}
	}
	if s.Compensation.LateGraceDays < 0 {
		errs.add("compensation.late_grace_days", "invalid", "settings.error.negative", nil)
	}
	if s.Compensation.BonusPoints < 0 {
		errs.add("compensation.bonus_points", "invalid", "settings.error.negative", nil)
	}
	var sub invalid.List // the checks of the other files, without translations yet
	s.validateLoyalty(&sub)
	s.validateTracking(&sub)
	s.validateAnalytics(&sub)
	s.validateHTTP(&sub)
	s.validateChannelsIn(&sub)
	s.validateInbound(&sub)
	if u := s.Channels.Email.SMTPURL; u != "" {
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "smtp" && parsed.Scheme != "smtps") || parsed.Host == "" {
			errs.add("channels.email.smtp_url", "invalid", "settings.error.smtp_url", nil)
		}
	}
	s.validateMessaging(&errs)
	s.validateBrand(&errs)
	s.validateConnectors(&errs)
	s.validatePacking(&sub)
	s.validateSupport(&sub)
	s.validateReorder(&sub)
	s.validateReturns(&sub)
	s.validateSurveys(&sub)
	s.validateReviews(&sub)
	s.validateCampaigns(&sub)
	s.validateBackup(&sub)
	s.validateStock(&sub)
	s.validateTraffic(&sub)
	errs.merge(sub)
	return errs.err()
}

// validateMessaging checks the channels, the playbook's keys and the
// webhooks; the templates themselves are checked by the playbook, which
// knows their data.
func (s *Settings) validateMessaging(errs *problems) {
	if u, err := url.Parse(s.Shop.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs.add("shop.public_url", "invalid", "settings.error.public_url", nil)
	} else {
		s.Shop.PublicURL = strings.TrimSuffix(s.Shop.PublicURL, "/")
	}
	validateChannelList(errs, "channels.order", s.Channels.Order)
	s.Channels.QuietHours.validate(errs)
	if len(s.Channels.Order) == 0 {
		s.Channels.Order = ChannelNames
	}
	switch s.Channels.SMS.Provider {
	case "", "smsc", "twilio":
	default:
		errs.add("channels.sms.provider", "invalid", "settings.error.sms_provider", arg(s.Channels.SMS.Provider))
	}
	if s.Playbook.FrequencyCap < 0 {
		errs.add("playbook.frequency_cap", "invalid", "settings.error.negative", nil)
	}
	for name, r := range s.Playbook.Rules {
		key := "playbook.rules." + name
		if r.After != nil && *r.After < 0 {
			errs.add(key+".after", "invalid", "settings.error.negative", nil)
		}
		validateChannelList(errs, key+".channels", r.Channels)
		if p := r.If.Payment; p != "" && p != "cod" && p != "prepaid" {
			errs.add(key+".if.payment", "invalid", "settings.error.payment", arg(p))
		}
		if r.OnCap != "" && r.OnCap != "postpone" && r.OnCap != "drop" {
			errs.add(key+".on_cap", "invalid", "settings.error.on_cap", arg(r.OnCap))
		}
	}
	for name, langs := range s.Templates {
		for lang := range langs {
			if lang != "ru" && lang != "lv" && lang != "en" {
				errs.add("templates."+name+"."+lang, "invalid", "settings.error.template_lang", arg(lang))
			}
		}
	}
	for i, w := range s.Webhooks {
		key := fmt.Sprintf("webhooks[%d]", i)
		if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs.add(key+".url", "invalid", "settings.error.webhook_url", nil)
		}
		if len(w.Secret) < 16 {
			errs.add(key+".secret", "invalid", "settings.error.webhook_secret", nil)
		}
	}
}

func validateChannelList(errs *problems, key string, list []string) {
	for i, c := range list {
		if !ValidChannel(c) {
			errs.add(fmt.Sprintf("%s[%d]", key, i), "invalid", "settings.error.channel", arg(c))
		}
	}
}

// validateDays checks a list of day spans and fills To when left out.
func validateDays(errs *problems, key string, list []Days) {
	for i := range list {
		d := &list[i]
		k := fmt.Sprintf("%s[%d]", key, i)
		from, err := time.Parse(time.DateOnly, d.From)
		if err != nil {
			errs.add(k+".from", "invalid", "settings.error.date", arg(d.From))
			continue
		}
		if d.To == "" {
			d.To = d.From
		}
		to, err := time.Parse(time.DateOnly, d.To)
		switch {
		case err != nil:
			errs.add(k+".to", "invalid", "settings.error.date", arg(d.To))
		case to.Before(from):
			errs.add(k+".to", "invalid", "settings.error.date_order", map[string]any{"From": d.From, "To": d.To})
		case to.Sub(from) > 366*24*time.Hour:
			errs.add(k+".to", "invalid", "settings.error.span_year", nil)
		}
	}
}

// arg is the one placeholder of most messages: the value that is wrong.
func arg(v string) map[string]any { return map[string]any{"Value": v} }

// between is the placeholders of a number out of its range.
func between(lo, hi, got int) map[string]any {
	return map[string]any{"Min": lo, "Max": hi, "Value": got}
}
