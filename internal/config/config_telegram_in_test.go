package config

import (
	"slices"
	"strings"
	"testing"
)

// TestTelegramInSettings: receiving is off by default, on with receive or
// a webhook secret; a webhook needs a token, a strong secret of Telegram's
// alphabet and an https public address; widget origins are normalised
// and refused when they are not origins.
func TestTelegramInSettings(t *testing.T) {
	t.Parallel()
	const token = "    bot_token: 123:abc\n"
	tests := []struct {
		name, yaml string
		receiving  bool
		webhook    bool
		wantErr    string
	}{
		{"off by default", "channels:\n  telegram:\n" + token, false, false, ""},
		{"polling", "channels:\n  telegram:\n" + token + "    receive: true\n", true, false, ""},
		{"webhook", "shop:\n  public_url: https://care.example\nchannels:\n  telegram:\n" + token +
			"    webhook_secret: Abc_def-0123456789\n", true, true, ""},
		{"receive without a token", "channels:\n  telegram:\n    receive: true\n", false, false, "channels.telegram.bot_token"},
		{"short secret", "shop:\n  public_url: https://care.example\nchannels:\n  telegram:\n" + token +
			"    webhook_secret: short\n", false, false, "channels.telegram.webhook_secret: must be at least 16"},
		{"secret outside the alphabet", "shop:\n  public_url: https://care.example\nchannels:\n  telegram:\n" + token +
			"    webhook_secret: \"0123456789abcdef!\"\n", false, false, "channels.telegram.webhook_secret: must be letters"},
		{"webhook on http", "shop:\n  public_url: http://care.example\nchannels:\n  telegram:\n" + token +
			"    webhook_secret: Abc_def-0123456789\n", false, false, "needs shop.public_url on https"},
		{"origin with a path", "channels:\n  web:\n    widget_origins: [\"https://shop.example/contact\"]\n", false, false,
			"channels.web.widget_origins[0]"},
	}
	for _, tt := range tests {
		s, err := Parse([]byte(tt.yaml))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := s.Channels.Telegram.Receiving(); got != tt.receiving {
			t.Errorf("%s: Receiving() = %v", tt.name, got)
		}
		if got := s.Channels.Telegram.WebhookSecret != ""; got != tt.webhook {
			t.Errorf("%s: webhook %v", tt.name, got)
		}
	}
}

func TestWidgetOrigins(t *testing.T) {
	t.Parallel()
	s, err := Parse([]byte("shop:\n  public_url: https://Care.Example:443/base\nchannels:\n  web:\n    widget_origins: [\"HTTPS://Shop.Example/\", \"http://localhost:8080\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://care.example", "https://shop.example", "http://localhost:8080"}
	if got := s.WidgetOrigins(); !slices.Equal(got, want) {
		t.Errorf("WidgetOrigins() = %q, want %q", got, want)
	}
}

func TestTelegramWebhookSecretFromTheEnvironment(t *testing.T) {
	t.Setenv("SHOPCARE_TELEGRAM_WEBHOOK_SECRET", "from-env-0123456789")
	s, err := Parse([]byte("shop:\n  public_url: https://care.example\nchannels:\n  telegram:\n    bot_token: 123:abc\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Channels.Telegram.WebhookSecret != "from-env-0123456789" || !s.Channels.Telegram.Receiving() {
		t.Fatalf("telegram = %+v", s.Channels.Telegram)
	}
	out, err := s.Export()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "from-env") {
		t.Fatalf("the export holds the webhook secret from the environment:\n%s", out)
	}
}
