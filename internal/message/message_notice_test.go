package message_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notice"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/notify/email"
)

// TestRaiseNotices (issues 17.10, 18): a setting that makes a class of
// messages fail or lose a part is told to the owner, in every language.
func TestRaiseNotices(t *testing.T) {
	t.Parallel()
	mail, err := email.New(email.Config{URL: "smtp://127.0.0.1:2525", From: "shop@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		publicURL string
		channels  []notify.Sender
		demo      bool
		want      []string
	}{
		{"https and e-mail", "https://care.example.com", []notify.Sender{mail}, false, nil},
		{"http", "http://care.example.com", []notify.Sender{mail}, false, []string{message.NoticePublicURLHTTP}},
		{"this computer", "http://127.0.0.1:8080", []notify.Sender{mail}, false, []string{message.NoticePublicURLHost}},
		{"localhost over https", "https://localhost", []notify.Sender{mail}, false, []string{message.NoticePublicURLHost}},
		{"none", "", []notify.Sender{mail}, false, []string{message.NoticePublicURLHost}},
		{"no channel", "https://care.example.com", nil, false, []string{message.NoticeNoChannel}},
		{"the demo on this computer", "http://127.0.0.1:8080", []notify.Sender{mail}, true, nil},
		{"the demo without a channel", "http://127.0.0.1:8080", nil, true, []string{message.NoticeNoChannel}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s config.Settings
			s.Shop.PublicURL = tt.publicURL
			b := notice.NewBoard(nil)
			message.RaiseNotices(b, s, tt.channels, tt.demo)
			var got []string
			for _, n := range b.List() {
				got = append(got, n.Key)
				for _, lang := range i18n.Langs() {
					text := i18n.Text(lang, n.Message, n.Args)
					if text == "" || strings.HasPrefix(text, "[") {
						t.Errorf("%s: notice %s has no %s text", tt.name, n.Key, lang)
					}
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("notices = %v, want %v", got, tt.want)
			}
		})
	}
}
