package packing_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/packing"
)

// TestSlipAddressConfirmed: the slip prints the delivery address and
// whether the customer confirmed it on the call, and when, in the
// packer's language; an address nobody confirmed says to check it.
func TestSlipAddressConfirmed(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 18, 10, 15, 0, 0, time.UTC) // 12:15 in Riga
	tests := []struct {
		lang      i18n.Lang
		confirmed *time.Time
		want      string
	}{
		{i18n.RU, &at, "Клиент подтвердил по телефону: пятница, 18 декабря, 12:15"},
		{i18n.LV, &at, "Klients apstiprināja pa tālruni: piektdiena, 18. decembris, 12:15"},
		{i18n.EN, &at, "Confirmed by the customer on the call, Friday 18 Dec 12:15"},
		{i18n.RU, nil, "Клиент не подтвердил: проверьте перед отправкой"},
		{i18n.LV, nil, "Klients nav apstiprinājis: pārbaudiet pirms nosūtīšanas"},
		{i18n.EN, nil, "Not confirmed by the customer: check before shipping"},
	}
	for _, tt := range tests {
		sheet := sampleSheet(t, "Anna Bērziņa", i18n.LV)
		sheet.Order.AddressConfirmedAt = tt.confirmed
		pdf, err := packing.SlipPDF(sheet, tt.lang, packing.A6)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(poppler(t, "pdftotext", pdf, "-nopgbrk")), " ")
		if !strings.Contains(text, "Brīvības iela 12-3, Rīga, LV-1010") || !strings.Contains(text, tt.want) {
			t.Errorf("%s slip, confirmed %v: lacks the address or %q:\n%s", tt.lang, tt.confirmed, tt.want, text)
		}
	}
}
