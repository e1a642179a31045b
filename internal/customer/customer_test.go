package customer

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	def := Defaults{Country: "RU", Language: "ru", Timezone: "Europe/Moscow"}
	tests := []struct {
		name    string
		in      Input
		want    Input
		wantErr string
	}{
		{"russian mobile, national form", Input{Phone: "8 (916) 123-45-67"},
			Input{Phone: "+79161234567", Country: "RU", Language: "ru", Timezone: "Europe/Moscow"}, ""},
		{"latvian number: the country wins over the phone's zone", Input{Phone: "+371 2612 3456"},
			Input{Phone: "+37126123456", Country: "LV", Language: "ru", Timezone: "Europe/Riga"}, ""},
		{"given zone kept", Input{Email: "A@Example.COM", Timezone: "Asia/Novosibirsk", Language: "EN-gb"},
			Input{Email: "a@example.com", Language: "en", Timezone: "Asia/Novosibirsk"}, ""},
		{"country decides", Input{ExternalID: "c1", Country: "ee"},
			Input{ExternalID: "c1", Country: "EE", Language: "ru", Timezone: "Europe/Tallinn"}, ""},
		{"no identity", Input{Name: "Anna"}, Input{}, "external_id"},
		{"bad phone", Input{Phone: "12"}, Input{}, "phone"},
		{"bad email", Input{Email: "not-an-address"}, Input{}, "email"},
		{"bad zone", Input{ExternalID: "c", Timezone: "Mars/Olympus"}, Input{}, "timezone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in, def, "")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one about %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Normalize = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
