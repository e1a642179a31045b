package telegram

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/shopcare/shopcare/internal/notify"
)

// TestTelegramSendsLinkButtons: a message's buttons (a survey's scores)
// go as an inline keyboard of URL buttons, row by row.
func TestTelegramSendsLinkButtons(t *testing.T) {
	t.Parallel()
	api := startAPI(t)
	c := newTestClient(t, Config{ServerURL: api.url})
	m := notify.Message{ID: "survey-1", To: "42", Text: "Как вам заказ 1042? Оцените от 0 до 10.",
		Buttons: [][]notify.Button{{{Text: "0", URL: "https://care.example.com/s/T?c=t&score=0"}, {Text: "1", URL: "https://care.example.com/s/T?c=t&score=1"}},
			{{Text: "10", URL: "https://care.example.com/s/T?c=t&score=10"}}}}
	if err := c.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	calls := api.received()
	if len(calls) != 1 {
		t.Fatalf("%d requests", len(calls))
	}
	var markup struct {
		InlineKeyboard [][]struct {
			Text string `json:"text"`
			URL  string `json:"url"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(calls[0].fields["reply_markup"]), &markup); err != nil {
		t.Fatalf("reply_markup %q: %v", calls[0].fields["reply_markup"], err)
	}
	k := markup.InlineKeyboard
	if len(k) != 2 || len(k[0]) != 2 || len(k[1]) != 1 || k[1][0].Text != "10" || k[0][1].URL != m.Buttons[0][1].URL {
		t.Fatalf("keyboard %+v", k)
	}
}
