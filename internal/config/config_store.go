package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/store"
)

// Saved returns the settings document the owner saved in the admin, if
// any. It replaces the settings file: the file seeds a new shop, the
// admin edits it from then on, and Export gives it back as YAML.
func Saved(ctx context.Context, q store.Querier) ([]byte, bool, error) {
	var doc string
	err := q.QueryRow(ctx, `SELECT yaml FROM shop_settings WHERE id = 1`).Scan(&doc)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load saved settings: %w", err)
	}
	return []byte(doc), true, nil
}

// Save validates the document and stores it as the shop's settings,
// keeping it as a new version (SaveVersion without a base).
func Save(ctx context.Context, db *store.DB, doc []byte, by string, now time.Time) (Settings, error) {
	s, _, err := SaveVersion(ctx, db, SaveParams{Doc: doc, By: by, At: now})
	return s, err
}

// Export returns the settings as a YAML document that Parse reads back to
// the same settings. Secrets that came from the environment are left out:
// they stay in the environment, and neither the database nor a download
// gets a copy.
func (s Settings) Export() ([]byte, error) {
	s.Carriers = slices.Clone(s.Carriers) // the carriers' secrets are cleared in a copy
	s.Connectors = slices.Clone(s.Connectors)
	for env, dst := range s.secrets() {
		if v := os.Getenv(env); v != "" && *dst == v {
			*dst = ""
		}
	}
	return yaml.Marshal(s)
}

// secrets maps each environment variable of applyEnv to its field.
func (s *Settings) secrets() map[string]*string {
	m := map[string]*string{
		"SHOPCARE_SMTP_URL":           &s.Channels.Email.SMTPURL,
		"SHOPCARE_SMTP_FROM":          &s.Channels.Email.From,
		"SHOPCARE_TELEGRAM_BOT_TOKEN": &s.Channels.Telegram.BotToken,
		"SHOPCARE_SMS_LOGIN":          &s.Channels.SMS.Login,
		"SHOPCARE_SMS_PASSWORD":       &s.Channels.SMS.Password,
		"SHOPCARE_TWILIO_ACCOUNT_SID": &s.Channels.SMS.AccountSID,
		"SHOPCARE_TWILIO_AUTH_TOKEN":  &s.Channels.SMS.AuthToken,
		"SHOPCARE_PUBLIC_URL":         &s.Shop.PublicURL,
	}
	s.trackingSecrets(m)
	s.telegramInSecrets(m)
	s.connectorSecrets(m)
	s.inboundSecrets(m)
	return m
}

// SecretEnv returns the environment variables that fill secrets of s, each
// with the field it fills (the settings reference lists them).
func (s *Settings) SecretEnv() map[string]*string { return s.secrets() }
