package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestCustomerExperiences walks the register on the customer's page as
// the operator, in Russian: the rows with their kind and detail in words
// and their order, the resolve form's bad input (each error on its field,
// nothing written) and a good one; and the owner's analytics block.
func TestCustomerExperiences(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			placeOrders(t, e)
			addPeople(t, e)
			ctx := context.Background()
			o, err := order.GetByExternalID(ctx, e.app.DB.Read(), "R-1")
			if err != nil {
				t.Fatal(err)
			}
			now := e.clock.Now()
			ids, err := e.app.Experiences.Record(ctx,
				experience.Entry{CustomerID: o.CustomerID, OrderID: o.ID, Kind: experience.LateDelivery, Ref: "order:1", At: now,
					Detail: "days_late=2;promised_to=2026-11-20"},
				experience.Entry{CustomerID: o.CustomerID, Kind: experience.UnansweredMessage, Ref: "conversation:4", At: now})
			if err != nil || len(ids) != 2 {
				t.Fatalf("record: %v %v", ids, err)
			}
			b := newBrowser(t, e)
			b.login(people[auth.Operator])
			page := "/customers/" + strconv.FormatInt(o.CustomerID, 10)
			status, _, body := b.do("GET", page, nil)
			if status != http.StatusOK {
				t.Fatalf("%s: %d", page, status)
			}
			for _, want := range []string{"Негативный опыт", "2 не решены", "Доставка с опозданием", "на 2 дня позже обещанного",
				"Письмо без ответа", `<a href="/orders/` + strconv.FormatInt(o.ID, 10) + `">R-1</a>`, "Отметить решённым"} {
				if !strings.Contains(body, want) {
					t.Errorf("the customer page lacks %q", want)
				}
			}
			if strings.Contains(body, "[experience.") || strings.Contains(body, "late_delivery") {
				t.Errorf("the customer page shows a raw code")
			}
			resolve := page + "/experiences/" + strconv.FormatInt(ids[0], 10) + "/resolve"
			for _, bad := range []struct{ note, amount, want string }{
				{"  ", "", "Напишите, что сделано"},
				{"Извинились", "много", "Введите сумму"},
				{"Извинились", "-5", "Введите сумму"},
			} {
				st, _, body := b.do("POST", resolve, url.Values{"csrf": {b.csrf}, "note": {bad.note}, "compensation": {bad.amount}})
				if st != http.StatusUnprocessableEntity || !strings.Contains(body, bad.want) || !strings.Contains(body, `aria-invalid="true"`) {
					t.Errorf("%q %q: %d, want 422 with %q", bad.note, bad.amount, st, bad.want)
				}
			}
			if x, err := e.app.Experiences.Get(ctx, ids[0]); err != nil || !x.Open() {
				t.Fatalf("after bad input: %+v %v", x, err)
			}
			st, h, _ := b.do("POST", resolve, url.Values{"csrf": {b.csrf}, "note": {"Позвонили, извинились"}, "compensation": {"150,50"}})
			if st != http.StatusSeeOther || h.Get("Location") != page+"?saved=1#experiences" {
				t.Fatalf("a good resolve: %d to %q", st, h.Get("Location"))
			}
			x, err := e.app.Experiences.Get(ctx, ids[0])
			if err != nil || x.Open() || x.CompensationMinor != 15050 || x.ResolvedBy != people[auth.Operator] {
				t.Fatalf("resolved: %+v %v", x, err)
			}
			_, _, body = b.do("GET", page, nil)
			for _, want := range []string{"Решено", "Позвонили, извинились", "1 не решён", "Компенсация: 150,50"} {
				if !strings.Contains(body, want) {
					t.Errorf("the resolved page lacks %q", want)
				}
			}
			if st, _, _ := b.do("POST", page+"/experiences/999999/resolve", url.Values{"csrf": {b.csrf}, "note": {"x"}}); st != http.StatusNotFound {
				t.Errorf("an unknown row: %d", st)
			}

			owner := newBrowser(t, e)
			owner.login(people[auth.Owner])
			status, _, body = owner.do("GET", "/analytics", nil)
			if status != http.StatusOK {
				t.Fatalf("/analytics: %d", status)
			}
			for _, want := range []string{"Сколько стоит забота", `id="experience-group-several"`, "Купили снова после первого плохого момента",
				"Несостоявшийся обратный звонок"} {
				if !strings.Contains(body, want) {
					t.Errorf("the analytics page lacks %q", want)
				}
			}
		})
	}
}
