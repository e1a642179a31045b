package customer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// Patch is a change to a customer's profile: each nil field is left as it
// is. A pointer to "" clears the field (an e-mail, a phone, a Telegram
// chat), but a customer keeps at least one of external id, e-mail and
// phone, or orders could no longer find them.
type Patch struct {
	Name           *string
	Email          *string
	Phone          *string
	Language       *string
	Timezone       *string
	TelegramChatID *string
	// Birthday is the day of the customer's birthday, YYYY-MM-DD or
	// MM-DD; only the day and month are kept (a birthday bonus needs no
	// more), "" forgets it.
	Birthday *string
	// Consent changes the customer's consent per channel (email, sms,
	// telegram); see ConsentPatch.
	Consent map[string]ConsentPatch
	// ConsentSource says where the consents came from ("checkout
	// checkbox", "newsletter form", "api:my-token"): the proof kept next
	// to the time. Required when Consent grants marketing.
	ConsentSource string
	// DoubleOptIn keeps a marketing e-mail grant pending until the
	// customer confirms it by the link of the confirmation e-mail
	// (campaigns.double_opt_in); the caller sets it from the settings
	// where the grant did not come from the customer's own page.
	DoubleOptIn bool
}

// ConsentPatch changes a customer's consent on one channel. Transactional
// consent covers order news (true gives it and lifts a "stop all messages"
// opt-out of the channel; false is that opt-out). Marketing consent covers
// campaigns and offers, opt-in only: true records when and where it was
// given and, being the customer's explicit word, lifts their marketing
// unsubscribe; false withdraws it, or records the refusal of a customer
// who never gave it, and no offer goes on the channel since.
type ConsentPatch struct {
	Transactional *bool
	Marketing     *bool
}

// Contact is the part of a Patch an order's change may carry: the
// customer's name and how to reach them.
type Contact struct {
	Name  *string
	Email *string
	Phone *string
}

// Patch returns the contact as a customer Patch.
func (c Contact) Patch() Patch { return Patch{Name: c.Name, Email: c.Email, Phone: c.Phone} }

// Empty tells whether the patch changes nothing.
func (p Patch) Empty() bool {
	return p.Name == nil && p.Email == nil && p.Phone == nil && p.Language == nil && p.Timezone == nil &&
		p.TelegramChatID == nil && p.Birthday == nil && len(p.Consent) == 0
}

// Changed lists, by field name, what an Update changed; empty when the
// patch asked for what the customer already had.
type Changed []string

// Update applies p to customer id inside tx. It checks everything first,
// naming fields with prefix ("customer." when the patch came with an
// order), and writes nothing when anything is wrong or when p asks for
// what is stored already. An erased customer cannot be changed (it would
// bring personal data back): store.ErrNotFound. The search index follows
// the name, e-mail and phone.
func Update(ctx context.Context, tx *store.Tx, id int64, p Patch, def Defaults, prefix string, now time.Time) (Changed, error) {
	var errs invalid.List
	for _, f := range []struct {
		name string
		v    *string
	}{{"name", p.Name}, {"email", p.Email}, {"phone", p.Phone}, {"language", p.Language}, {"timezone", p.Timezone},
		{"telegram_chat_id", p.TelegramChatID}} {
		if f.v != nil {
			errs.CheckText(prefix+f.name, *f.v)
		}
	}
	errs.CheckText(prefix+"consent_source", p.ConsentSource)
	day := ""
	if p.Birthday != nil {
		if b := strings.TrimSpace(*p.Birthday); b != "" {
			var ok bool
			if day, ok = birthday(b); !ok {
				errs.Add(prefix+"birthday", "invalid", "%q is not a birthday like 1990-05-17 or 05-17", b)
			}
		}
	}
	channels := make([]string, 0, len(p.Consent))
	for ch := range p.Consent {
		channels = append(channels, ch)
	}
	slices.Sort(channels)
	for _, ch := range channels {
		if !config.ValidChannel(ch) {
			errs.Add(prefix+"consent."+ch, "invalid", "%q is not a channel: email, telegram or sms", ch)
		}
		if m := p.Consent[ch].Marketing; m != nil && *m && strings.TrimSpace(p.ConsentSource) == "" {
			errs.Add(prefix+"consent_source", "required",
				"say where the marketing consent was given (a form, a checkbox): the law asks the shop to prove it")
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}

	cur, erased, err := getForUpdate(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if erased {
		return nil, fmt.Errorf("update customer %d: it was erased: %w", id, store.ErrNotFound)
	}
	in := Input{ExternalID: cur.ExternalID, Name: cur.Name, Email: cur.Email, Phone: cur.Phone, Language: cur.Language,
		Country: cur.Country, City: cur.City, Timezone: cur.Timezone, TelegramChatID: cur.telegram}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&in.Name, p.Name)
	set(&in.Email, p.Email)
	set(&in.Phone, p.Phone)
	set(&in.Language, p.Language)
	set(&in.Timezone, p.Timezone)
	set(&in.TelegramChatID, p.TelegramChatID)
	if p.Timezone != nil && strings.TrimSpace(*p.Timezone) == "" {
		errs.Add(prefix+"timezone", "required", "must not be empty: the customer is messaged in their own hours")
	}
	norm, err := Normalize(in, def, prefix)
	var list invalid.List
	if errors.As(err, &list) {
		errs = append(errs, list...)
	} else if err != nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}

	var changed Changed
	diff := func(field, old, new string) {
		if old != new {
			changed = append(changed, field)
		}
	}
	diff("name", cur.Name, norm.Name)
	diff("email", cur.Email, norm.Email)
	diff("phone", cur.Phone, norm.Phone)
	diff("language", cur.Language, norm.Language)
	diff("timezone", cur.Timezone, norm.Timezone)
	diff("telegram_chat_id", cur.telegram, norm.TelegramChatID)
	if len(changed) > 0 {
		_, err := tx.Exec(ctx, `UPDATE customers SET name = $2, email = $3, phone = $4, language = $5, timezone = $6,
			telegram_chat_id = $7, updated_at = $8 WHERE id = $1`, id, norm.Name, store.NullText(norm.Email),
			store.NullText(norm.Phone), norm.Language, norm.Timezone, store.NullText(norm.TelegramChatID), now)
		if err != nil {
			return nil, fmt.Errorf("update customer %d: %w", id, err)
		}
		if slices.ContainsFunc(changed, func(f string) bool { return f == "name" || f == "email" || f == "phone" }) {
			terms := SearchTerms(norm.Name, norm.Email, norm.Phone)
			if err := indexSearch(ctx, tx, map[int64][]string{id: terms}, true); err != nil {
				return nil, err
			}
		}
	}
	if p.Birthday != nil {
		moved, err := saveBirthday(ctx, tx, id, day, now)
		if err != nil {
			return nil, err
		}
		changed = append(changed, moved...)
	}
	for _, ch := range channels {
		moved, err := saveConsent(ctx, tx, id, ch, p.Consent[ch], strings.TrimSpace(p.ConsentSource), p.DoubleOptIn, now)
		if err != nil {
			return nil, err
		}
		changed = append(changed, moved...)
	}
	return changed, nil
}

// saveBirthday sets customer id's birthday (MM-DD, "" for none) and
// lists "birthday" when it changed.
func saveBirthday(ctx context.Context, tx *store.Tx, id int64, day string, now time.Time) ([]string, error) {
	var cur *string
	if err := tx.QueryRow(ctx, `SELECT birthday FROM customers WHERE id = $1`, id).Scan(&cur); err != nil {
		return nil, fmt.Errorf("load birthday of customer %d: %w", id, err)
	}
	if store.Text(cur) == day {
		return nil, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE customers SET birthday = $2, updated_at = $3 WHERE id = $1`, id, store.NullText(day), now); err != nil {
		return nil, fmt.Errorf("save birthday of customer %d: %w", id, err)
	}
	return []string{"birthday"}, nil
}

// stored is a customer as Update reads it, with the fields Customer leaves
// out.
type stored struct {
	Customer
	telegram string
}

// getForUpdate reads the customer, locking the row on PostgreSQL so two
// patches apply one after the other.
func getForUpdate(ctx context.Context, tx *store.Tx, id int64) (*stored, bool, error) {
	lock := " FOR UPDATE"
	if _, sqlite := tx.Raw().(*sql.Tx); sqlite {
		lock = "" // one writer at a time: the transaction holds the lock
	}
	var s stored
	var ext, email, phone, telegram *string
	var erasedAt *time.Time
	err := tx.QueryRow(ctx, `SELECT id, external_id, email, phone, name, language, country, city, timezone,
		telegram_chat_id, erased_at FROM customers WHERE id = $1`+lock, id).Scan(&s.ID, &ext, &email, &phone, &s.Name,
		&s.Language, &s.Country, &s.City, &s.Timezone, &telegram, &erasedAt)
	if err != nil {
		return nil, false, fmt.Errorf("load customer %d: %w", id, err)
	}
	s.ExternalID, s.Email, s.Phone, s.telegram = store.Text(ext), store.Text(email), store.Text(phone), store.Text(telegram)
	return &s, erasedAt != nil, nil
}

// saveConsent applies one channel's consent change and lists what moved
// ("consent.sms.marketing"). With doubleOptIn a marketing e-mail grant of
// a customer without the consent is kept pending instead
// ("consent.email.marketing_pending"): the playbook sends the
// confirmation.
func saveConsent(ctx context.Context, tx *store.Tx, id int64, ch string, c ConsentPatch, source string, doubleOptIn bool, now time.Time) ([]string, error) {
	var consentAt, optedOut, mConsentAt, mRevoked *time.Time
	var mSource string
	err := tx.QueryRow(ctx, `SELECT consent_at, opted_out_at, marketing_consent_at, marketing_revoked_at, marketing_consent_source
		FROM customer_channels WHERE customer_id = $1 AND channel = $2`, id, ch).
		Scan(&consentAt, &optedOut, &mConsentAt, &mRevoked, &mSource)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("load %s consent of customer %d: %w", ch, id, err)
	}
	var moved []string // what changed, for the journal
	row := false       // whether the channel's row changes
	if t := c.Transactional; t != nil {
		switch {
		case *t && (consentAt == nil || optedOut != nil):
			consentAt, optedOut, row = &now, nil, true
			moved = append(moved, "consent."+ch+".transactional")
		case !*t && (optedOut == nil || consentAt != nil):
			consentAt, optedOut, row = nil, &now, true
			moved = append(moved, "consent."+ch+".transactional")
		}
	}
	if m := c.Marketing; m != nil && *m && doubleOptIn && ch == "email" && mConsentAt == nil {
		asked, err := markPending(ctx, tx, id, ch, source, now)
		if err != nil {
			return nil, err
		}
		if asked {
			moved = append(moved, PendingField)
		}
		c.Marketing = nil // the rest of the patch applies; the grant waits
	}
	if m := c.Marketing; m != nil {
		if err := clearPending(ctx, tx, id, ch, now); err != nil {
			return nil, err
		}
		switch {
		case *m:
			lifted, err := liftMarketingOptOut(ctx, tx, id, ch, now)
			if err != nil {
				return nil, err
			}
			if lifted {
				moved = append(moved, "marketing_opted_out")
			}
			// A grant with a new source, or after an unsubscribe, is
			// news: the newer proof is what the shop must show.
			if mConsentAt == nil || mSource != source || lifted {
				mConsentAt, mRevoked, mSource, row = &now, nil, source, true
				moved = append(moved, "consent."+ch+".marketing")
			}
		case !*m && (mConsentAt != nil || mRevoked == nil):
			// A refusal before any consent is recorded too: the sender
			// skips the channel for offers (message.Contact.MarketingOn).
			mConsentAt, mRevoked, row = nil, &now, true
			moved = append(moved, "consent."+ch+".marketing")
		}
	}
	if !row {
		return moved, nil
	}
	transSource := ""
	if c.Transactional != nil && *c.Transactional {
		transSource = source
	}
	_, err = tx.Exec(ctx, `INSERT INTO customer_channels (customer_id, channel, consent_at, opted_out_at, consent_source,
			marketing_consent_at, marketing_consent_source, marketing_revoked_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (customer_id, channel) DO UPDATE SET consent_at = $3, opted_out_at = $4,
			consent_source = CASE WHEN $5 = '' THEN customer_channels.consent_source ELSE $5 END,
			marketing_consent_at = $6, marketing_consent_source = $7, marketing_revoked_at = $8, updated_at = $9`,
		id, ch, consentAt, optedOut, transSource, mConsentAt, mSource, mRevoked, now)
	if err != nil {
		return nil, fmt.Errorf("save %s consent of customer %d: %w", ch, id, err)
	}
	return moved, nil
}

// liftMarketingOptOut clears the customer's marketing unsubscribe after an
// explicit marketing consent on channel ch. The unsubscribe had covered
// every channel: the marketing consents of the other channels given
// before it stay void (withdrawn at the unsubscribe's time), so the new
// word reopens only the channel it was given for.
func liftMarketingOptOut(ctx context.Context, tx *store.Tx, id int64, ch string, now time.Time) (bool, error) {
	var at *time.Time
	if err := tx.QueryRow(ctx, `SELECT marketing_opted_out_at FROM customers WHERE id = $1`, id).Scan(&at); err != nil {
		return false, fmt.Errorf("load marketing opt-out of customer %d: %w", id, err)
	}
	if at == nil {
		return false, nil
	}
	_, err := tx.Exec(ctx, `UPDATE customer_channels SET marketing_consent_at = NULL, marketing_revoked_at = $3, updated_at = $4
		WHERE customer_id = $1 AND channel <> $2 AND marketing_consent_at IS NOT NULL AND marketing_consent_at <= $3`,
		id, ch, *at, now)
	if err != nil {
		return false, fmt.Errorf("void old marketing consents of customer %d: %w", id, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE customers SET marketing_opted_out_at = NULL, updated_at = $2 WHERE id = $1`, id, now); err != nil {
		return false, fmt.Errorf("lift marketing opt-out of customer %d: %w", id, err)
	}
	return true, nil
}
