package inbox

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/service"
)

// testService is a Service with the default settings and a calendar in which
// 1 December 2026 is a day off, for the working-hours arithmetic.
func testService(t *testing.T) *Service {
	t.Helper()
	s, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	off := calendar.Date(2026, time.December, 1)
	return New(service.Deps{Settings: s}, Params{IsWorkday: func(d calendar.Day) bool {
		w := d.Weekday()
		return d != off && w != time.Saturday && w != time.Sunday
	}})
}

func TestDueCountsWorkingHours(t *testing.T) {
	t.Parallel()
	s := testService(t)
	msk, _ := time.LoadLocation("Europe/Moscow")
	at := func(d, h, m int) time.Time { return time.Date(2026, time.November, d, h, m, 0, 0, msk) }
	cases := []struct {
		name   string
		from   time.Time
		d      time.Duration
		want   time.Time
		atWork bool
	}{
		{"inside hours", at(23, 10, 0), 2 * time.Hour, at(23, 12, 0), true},
		{"before opening", at(23, 7, 30), 2 * time.Hour, at(23, 11, 0), false},
		{"crosses closing", at(23, 17, 30), 2 * time.Hour, at(24, 10, 30), true},
		{"after closing", at(23, 20, 0), 2 * time.Hour, at(24, 11, 0), false},
		{"friday evening to monday", at(27, 17, 0), 4 * time.Hour, at(30, 12, 0), true},
		{"saturday", at(28, 12, 0), 2 * time.Hour, at(30, 11, 0), false},
		{"over the day off", at(30, 17, 0), 2 * time.Hour, time.Date(2026, time.December, 2, 10, 0, 0, 0, msk), true},
		{"a whole working day", at(23, 9, 0), 9 * time.Hour, at(23, 18, 0), true},
		{"at closing", at(23, 18, 0), time.Hour, at(24, 10, 0), false},
	}
	for _, tc := range cases {
		if got := s.Due(tc.from, tc.d); !got.Equal(tc.want) {
			t.Errorf("%s: Due(%v, %v) = %v, want %v", tc.name, tc.from, tc.d, got.In(msk), tc.want)
		}
		if got := s.Working(tc.from); got != tc.atWork {
			t.Errorf("%s: Working(%v) = %v", tc.name, tc.from, got)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Здравствуйте, где мой заказ?":                      "ru",
		"Labdien, kur ir mans pasūtījums?":                  "lv",
		"Sveiki! Paldies par pasutijumu, kad bus piegade?":  "lv",
		"Hello, where is my order? It has not arrived yet.": "en",
		"ok":    "",
		"12345": "",
		"":      "",
	}
	for text, want := range cases {
		if got := detectLanguage(text); got != want {
			t.Errorf("detectLanguage(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestOrderNumbersAndOwnIDs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		subject, text string
		want          []string
	}{
		{"Where is order #A-1001?", "", []string{"A-1001"}},
		{"Заказ № 5521", "", []string{"5521"}},
		{"", "Добрый день, по заказу 77123 вопрос", []string{"77123"}},
		{"Pasūtījums Nr. 9981", "", []string{"9981"}},
		{"order status", "no number here", nil},
		{"Re: #12", "", []string{"12"}},
	}
	for _, tc := range cases {
		got := orderNumbers(&Inbound{Subject: tc.subject, Text: tc.text})
		if !slices.Equal(got, tc.want) {
			t.Errorf("orderNumbers(%q, %q) = %q, want %q", tc.subject, tc.text, got, tc.want)
		}
	}
	for id, want := range map[string]int64{"m12@shopcare": 12, "<C34@shopcare>": 34, "m0@shopcare": 0, "x1@shopcare": 0,
		"m12@shopcare.evil": 0, "m@shopcare": 0} {
		_, n, _ := ownID(id)
		if n != want {
			t.Errorf("ownID(%q) = %d, want %d", id, n, want)
		}
	}
	refs := threadRefs(&Inbound{InReplyTo: "<c>", References: []string{"<a>", "b", "c"}})
	if !slices.Equal(refs, []string{"c", "b", "a"}) {
		t.Errorf("threadRefs = %q", refs)
	}
}

// TestPayloadsRoundTrip: every kind the inbox writes decodes into its
// payload type as written.
func TestPayloadsRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	for kind, v := range map[journal.Kind]event.Payload{
		journal.ConversationOpened:  &event.ConversationOpenedPayload{ConversationID: 1, Channel: "email", Subject: "Вопрос", Language: "ru", Known: true, FirstResponseDue: at},
		journal.MessageReceived:     &event.MessageReceivedPayload{ConversationID: 1, MessageID: 2, Channel: "telegram", Language: "lv", Auto: "auto_reply"},
		journal.ConversationOverdue: &event.ConversationOverduePayload{ConversationID: 1, DueAt: at, First: true},
		journal.ExperienceNegative:  &event.ExperienceNegativePayload{Cause: CauseUnanswered, ConversationID: 1},
	} {
		e := journal.Event{Kind: kind, Payload: journal.MustPayload(v)}
		back := reflect.New(reflect.TypeOf(v).Elem()).Interface()
		if err := e.Decode(back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, v) {
			t.Errorf("%s: %+v came back as %+v", kind, v, back)
		}
		var m map[string]any
		_ = json.Unmarshal(e.Payload, &m)
		if m["conversation_id"] != float64(1) {
			t.Errorf("%s: payload %s names no conversation", kind, e.Payload)
		}
	}
}
