package playbook_test

import (
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/playbook"
)

// TestReadyToShipByDelivery: "packed and waiting for the courier" is said
// only of courier orders; post and pickup orders are told where the parcel
// goes, and an order of an unknown carrier gets neutral words.
func TestReadyToShipByDelivery(t *testing.T) {
	t.Parallel()
	tm, err := playbook.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	courier := map[i18n.Lang]string{i18n.EN: "waiting for the courier", i18n.RU: "ждёт курьера", i18n.LV: "gaida kurjeru"}
	tests := []struct {
		delivery string
		want     map[i18n.Lang]string
	}{
		{"courier", courier},
		{"post", map[i18n.Lang]string{i18n.EN: "goes to the post office (Почта России)", i18n.RU: "отправится на почту (Почта России)",
			i18n.LV: "tiks nodots pastā (Почта России)"}},
		{"pickup", map[i18n.Lang]string{i18n.EN: "goes to the pickup point (Почта России)", i18n.RU: "отправится в пункт выдачи (Почта России)",
			i18n.LV: "dosies uz izsniegšanas punktu (Почта России)"}},
		{"", map[i18n.Lang]string{i18n.EN: "will be handed to the carrier shortly", i18n.RU: "скоро будет передан в службу доставки",
			i18n.LV: "drīz tiks nodots piegādes dienestam"}},
	}
	for _, tt := range tests {
		for _, lang := range i18n.Langs() {
			d := playbook.SampleData()
			d.Order.Delivery = tt.delivery
			out, err := tm.Render(lang, "status_ready_to_ship", d)
			if err != nil {
				t.Fatalf("%s %q: %v", lang, tt.delivery, err)
			}
			if !strings.Contains(out.Text, tt.want[lang]) {
				t.Errorf("%s, delivery %q: the message lacks %q:\n%s", lang, tt.delivery, tt.want[lang], out.Text)
			}
			if tt.delivery != "courier" && strings.Contains(out.Text, courier[lang]) {
				t.Errorf("%s, delivery %q: the message speaks of a courier:\n%s", lang, tt.delivery, out.Text)
			}
		}
	}
}
