package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// stockFixture gives the shop of placeOrders its stock, written by test
// SQL as the stock package would have it: the pot of R-1 held, the pan of
// L-7 short (none on hand, 2 coming on 4 December), a lid customers
// asked to be told about, and a kettle L-7 also waits for with no day
// known. It returns the orders by number.
func stockFixture(t *testing.T, e *env) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	for _, n := range []string{"R-1", "L-7", "E-3"} {
		o, err := order.GetByExternalID(ctx, e.app.DB.Read(), n)
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = o.ID
		ids["customer "+n] = o.CustomerID
	}
	now := e.clock.Now()
	err := e.app.DB.InTx(ctx, func(tx *store.Tx) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO stock_items (sku, name, on_hand, reserved, source, updated_at) VALUES
				('POT-1', 'Кастрюля', 3, 1, 'api', $1), ('PAN', 'Сковородка', 0, 0, 'csv', $1), ('LID', 'Крышка', 0, 0, 'admin', $1)`,
				[]any{now}},
			{`INSERT INTO stock_incoming (sku, qty, expected_on, created_at) VALUES ('PAN', 2, '2026-12-04', $1)`, []any{now}},
			{`INSERT INTO stock_reservations (order_id, sku, name, qty, held, status, expected_on, created_at, updated_at)
				VALUES ($1, 'POT-1', 'Кастрюля', 1, 1, 'open', NULL, $3, $3),
				($2, 'PAN', 'Сковородка', 1, 0, 'open', '2026-12-04', $4, $4),
				($2, 'KETTLE', 'Чайник', 1, 0, 'open', NULL, $4, $4)`,
				[]any{ids["R-1"], ids["L-7"], now.Add(-8 * 24 * time.Hour), now.Add(-3 * 24 * time.Hour)}},
			{`INSERT INTO stock_waitlist (sku, customer_id, channel, language, source, created_at) VALUES ('LID', $1, 'email', 'en', 'my', $2)`,
				[]any{ids["customer E-3"], now}},
		} {
			if _, err := tx.Exec(ctx, q.sql, q.args...); err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// stockBuilt skips a test that needs the stock core's writes (Put,
// ImportCSV) while they are still the frame's stubs.
func stockBuilt(t *testing.T, e *env) {
	t.Helper()
	if _, err := e.app.Stock.Put(context.Background(), "api", nil); err != nil && strings.Contains(err.Error(), "not built yet") {
		t.Skip("the stock core's Put is not built on this branch yet")
	}
}

func TestStockPages(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			placeOrders(t, e)
			addPeople(t, e)
			ids := stockFixture(t, e)
			for _, role := range []auth.Role{auth.Owner, auth.Operator} {
				b := newBrowser(t, e)
				b.login(people[role])
				status, _, body := b.do("GET", "/stock", nil)
				if status != http.StatusOK {
					t.Fatalf("%s /stock: %d", role, status)
				}
				l7 := `href="/orders/` + strconv.FormatInt(ids["L-7"], 10) + `"`
				for _, want := range []string{`id="stock-short"`, "Сковородка", "Чайник", l7, "ждёт 3 дня", `id="stock-longest"`,
					`href="/stock/POT-1"`, `data-sku="LID"`, `action="/stock/import"`, `enctype="multipart/form-data"`} {
					if !strings.Contains(body, want) {
						t.Errorf("%s /stock lacks %q", role, want)
					}
				}
			}
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			if _, _, body := b.do("GET", "/stock?q="+url.QueryEscape("кастр"), nil); !strings.Contains(body, `data-sku="POT-1"`) ||
				strings.Contains(body, `data-sku="PAN"`) {
				t.Errorf("the search for кастр does not find the pot alone")
			}
			if status, h, _ := b.do("GET", "/stock?open=NEW+9", nil); status != http.StatusSeeOther || h.Get("Location") != "/stock/NEW%209" {
				t.Errorf("open NEW 9: %d to %q", status, h.Get("Location"))
			}
			status, _, body := b.do("GET", "/stock/POT-1", nil)
			r1 := `href="/orders/` + strconv.FormatInt(ids["R-1"], 10) + `"`
			if status != http.StatusOK || !strings.Contains(body, r1) || !strings.Contains(body, `id="level-on-hand">3<`) ||
				!strings.Contains(body, "всё в резерве") {
				t.Errorf("/stock/POT-1: %d\n%s", status, body)
			}
			if status, _, body := b.do("GET", "/stock/LID", nil); status != http.StatusOK || !strings.Contains(body, `id="level-waitlist">1<`) {
				t.Errorf("/stock/LID: %d, waitlist not shown", status)
			}
			if status, _, body := b.do("GET", "/stock/NEW%209", nil); status != http.StatusOK || !strings.Contains(body, `id="stock-untracked"`) {
				t.Errorf("/stock/NEW 9: %d, want the untracked notice", status)
			}
		})
	}
}

func TestStockItemSaveRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Engines(t)[0])
	placeOrders(t, e)
	addPeople(t, e)
	stockFixture(t, e)
	b := newBrowser(t, e)
	b.login(people[auth.Owner])
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"negative on hand", url.Values{"on_hand": {"-1"}}, []string{"Целое число, 0 или больше."}},
		{"no on hand", url.Values{"on_hand": {""}}, []string{"Целое число, 0 или больше."}},
		{"bad delivery", url.Values{"on_hand": {"4"}, "incoming_qty": {"0", "x", "3"}, "incoming_date": {"2026-12-20", "", "2026-13-01"}},
			[]string{"Целое число, 1 или больше.", "Выберите день, когда ждать поставку."}},
		{"a name of two lines", url.Values{"on_hand": {"1"}, "name": {"a\nb"}}, []string{"Одна строка, не больше 200 знаков."}},
	} {
		tc.form.Set("csrf", b.csrf)
		status, _, body := b.do("POST", "/stock/POT-1", tc.form)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.name, status)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, `<small class="field-error">`+w+`</small>`) {
				t.Errorf("%s: the page lacks the field error %q", tc.name, w)
			}
		}
	}
	it, err := e.app.Stock.Item(context.Background(), "POT-1")
	if err != nil || it.OnHand != 3 || len(it.Incoming) != 0 {
		t.Errorf("after refused forms POT-1 is %+v, %v; want it untouched", it, err)
	}
}

func TestStockItemSave(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			stockBuilt(t, e)
			placeOrders(t, e)
			addPeople(t, e)
			stockFixture(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Operator])
			status, h, body := b.do("POST", "/stock/POT-1", url.Values{"csrf": {b.csrf}, "name": {"Кастрюля"}, "on_hand": {"1 200"},
				"incoming_qty": {"5", ""}, "incoming_date": {"2026-12-20", ""}})
			if status != http.StatusSeeOther || h.Get("Location") != "/stock/POT-1?saved=1" {
				t.Fatalf("save: %d to %q\n%.600s", status, h.Get("Location"), body)
			}
			it, err := e.app.Stock.Item(context.Background(), "POT-1")
			if err != nil || it.OnHand != 1200 || len(it.Incoming) != 1 || it.Incoming[0].Qty != 5 || it.Source != "admin" {
				t.Errorf("POT-1 after the save: %+v, %v", it, err)
			}
			lines, _, err := e.app.Actions.List(context.Background(), actionlog.Filter{Action: actionlog.StockSet})
			if err != nil || len(lines) != 1 || lines[0].TargetID != "POT-1" || lines[0].ActorName != people[auth.Operator] {
				t.Errorf("the action log: %+v, %v", lines, err)
			}
		})
	}
}

// uploadStock posts a stock file to /stock/import as the browser's form.
func uploadStock(t *testing.T, b *browser, name string, content []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", b.csrf)
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req, err := http.NewRequest("POST", b.base+"/stock/import", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestStockImportWithoutAFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Engines(t)[0])
	addPeople(t, e)
	b := newBrowser(t, e)
	b.login(people[auth.Owner])
	status, body := uploadStock(t, b, "", nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Выберите файл остатков.") {
		t.Errorf("no file: %d\n%.400s", status, body)
	}
}

func TestStockImport(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			stockBuilt(t, e)
			addPeople(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			file := "sku,name,on_hand,incoming_qty,incoming_date\nCUP-1,Чашка,4,,\nCUP-2,Блюдце,-3,,\nCUP-3,Ложка,2,5,2026-12-24\n"
			status, body := uploadStock(t, b, "stock.csv", []byte(file))
			if status != http.StatusOK {
				t.Fatalf("upload: %d\n%.600s", status, body)
			}
			for _, want := range []string{`id="import-created">2<`, `id="import-rejected">1<`, `id="import-rejected-file"`,
				`data:text/csv;charset=utf-8;base64,`, `data-sku="CUP-3"`} {
				if !strings.Contains(body, want) {
					t.Errorf("the outcome lacks %q", want)
				}
			}
			if !strings.Contains(body, "CUP-2") {
				t.Errorf("the rejected line of CUP-2 is not shown")
			}
			lines, _, err := e.app.Actions.List(context.Background(), actionlog.Filter{Action: actionlog.StockImported})
			if err != nil || len(lines) != 1 {
				t.Errorf("the action log: %+v, %v", lines, err)
			}
		})
	}
}
