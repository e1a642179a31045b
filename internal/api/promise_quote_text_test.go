package api_test

import (
	"fmt"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// TestPromiseQuoteOrderBy checks what the delivery widget shows: until
// when the quoted promise holds (the cut-off of the received day) and the
// promise in the asked language, before and after the cut-off, over a
// weekend and over the New Year holidays.
func TestPromiseQuoteOrderBy(t *testing.T) {
	t.Parallel()
	e := newEnv(t, string(storetest.Engines(t)[0]))
	tests := []struct {
		name, query             string
		orderBy, within, format string
		arrives, ships, units   string
	}{
		{name: "Tuesday morning, in English", query: "at=2026-11-24T11:50:00%2B03:00&lang=en",
			orderBy: "2026-11-24T14:00:00+03:00", within: "Order within 2 h 10 min", format: "Order within {left}",
			arrives: "arrives on Friday 27 Nov", ships: "ships on Wednesday 25 Nov", units: "[d h min]"},
		{name: "a second after the cut-off, in Russian", query: "at=2026-11-24T14:00:01%2B03:00&lang=ru",
			orderBy: "2026-11-25T14:00:00+03:00", within: "Закажите в течение 24 ч", format: "Закажите в течение {left}",
			arrives: "доставим в субботу, 28 ноября", ships: "отправим в четверг, 26 ноября", units: "[дн. ч мин]"},
		{name: "Friday afternoon, in Latvian: Monday's cut-off", query: "at=2026-11-27T15:20:00%2B03:00&lang=lv",
			orderBy: "2026-11-30T14:00:00+03:00", within: "Pasūtiet 2 d. 22 st. laikā", format: "Pasūtiet {left} laikā",
			arrives: "piegādāsim ceturtdien, 3. decembrī", ships: "nosūtīsim otrdien, 1. decembrī", units: "[d. st. min.]"},
		{name: "Sunday", query: "at=2026-11-29T13:30:00%2B03:00&lang=en",
			orderBy: "2026-11-30T14:00:00+03:00", within: "Order within 24 h 30 min",
			arrives: "arrives on Thursday 3 Dec", ships: "ships on Tuesday 1 Dec", units: "[d h min]"},
		{name: "half a minute before: rounded up, not to nothing", query: "at=2026-11-24T13:59:30%2B03:00&lang=en",
			orderBy: "2026-11-24T14:00:00+03:00", within: "Order within 1 min",
			arrives: "arrives on Friday 27 Nov", ships: "ships on Wednesday 25 Nov", units: "[d h min]"},
		{name: "at the cut-off itself: nothing left, the same day", query: "at=2026-11-24T14:00:00%2B03:00&lang=en",
			orderBy: "2026-11-24T14:00:00+03:00", within: "Order within 0 min",
			arrives: "arrives on Friday 27 Nov", ships: "ships on Wednesday 25 Nov", units: "[d h min]"},
		{name: "New Year's Eve: after the holidays", query: "at=2025-12-31T19:40:00%2B03:00&lang=en",
			orderBy: "2026-01-12T14:00:00+03:00", within: "Order within 11 d 18 h",
			arrives: "arrives on Thursday 15 Jan", ships: "ships on Tuesday 13 Jan", units: "[d h min]"},
		{name: "a range of days by post", query: "at=2026-11-24T10:00:00%2B03:00&carrier=post&lang=ru",
			orderBy: "2026-11-24T14:00:00+03:00", within: "Закажите в течение 4 ч",
			arrives: "доставим с 30 ноября по 2 декабря", ships: "отправим в среду, 25 ноября", units: "[дн. ч мин]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, b, _ := e.call(t, "GET", "/api/v1/promise/quote?"+tt.query, "", "")
			if status != 200 {
				t.Fatalf("status %d: %v", status, b)
			}
			text := b["text"].(map[string]any)
			if b["order_by"] != tt.orderBy {
				t.Errorf("order_by = %v, want %s", b["order_by"], tt.orderBy)
			}
			if text["order_within"] != tt.within || text["arrives"] != tt.arrives || text["ships"] != tt.ships ||
				fmt.Sprint(text["units"]) != tt.units {
				t.Errorf("text = %v,\nwant order_within %q, arrives %q, ships %q, units %s", text, tt.within, tt.arrives, tt.ships, tt.units)
			}
			if tt.format != "" && text["order_within_format"] != tt.format {
				t.Errorf("order_within_format = %v, want %q", text["order_within_format"], tt.format)
			}
		})
	}
}
