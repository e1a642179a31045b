package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// The personal data of the customer the erasure tests erase: none of it
// may be left anywhere in the database after.
var (
	zinaName    = "Зинаида Эрасова"
	zinaEmail   = "zina.erase@example.com"
	zinaPhone   = "79165554433"
	zinaAddress = "ул. Стирания, 7"
	zinaChat    = "555000111"
	zinaExt     = "zina-ext-77"
)

const zinaOrder = `{
  "external_id": "Z-%d",
  "created_at": "2026-11-2%dT10:00:00+03:00",
  "customer": {"external_id": "zina-ext-77", "name": "Зинаида Эрасова", "email": "zina.erase@example.com",
    "phone": "+7 916 555-44-33", "city": "Тверь", "birthday": "1980-03-08", "telegram_chat_id": "555000111"},
  "items": [{"sku": "POT-1", "name": "Кастрюля", "qty": 2, "price": "1500.00"}],
  "carrier": "courier",
  "delivery_address": "Москва, ул. Стирания, 7, кв. 3"
}`

// dump returns every row of every table of the database as text (but the
// API tokens'), for a search of what is left.
func (e *env) dump(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := e.app.DB.Read()
	var tables []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if e.app.DB.Engine() == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	if err := store.Each(ctx, db, q, nil, func(r store.Rows) error {
		var n string
		tables = append(tables, n)
		return r.Scan(&tables[len(tables)-1])
	}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, table := range tables {
		if table == "api_tokens" {
			continue // the tokens' last use is written in the background; no customer's data is there
		}
		var cols []string
		cq := `SELECT name FROM pragma_table_info('` + table + `')`
		if e.app.DB.Engine() == store.Postgres {
			cq = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '` + table + `'`
		}
		if err := store.Each(ctx, db, cq, nil, func(r store.Rows) error {
			var c string
			if err := r.Scan(&c); err != nil {
				return err
			}
			cols = append(cols, `COALESCE(CAST("`+c+`" AS TEXT), '')`)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		err := store.Each(ctx, db, `SELECT `+strings.Join(cols, ` || '|' || `)+` FROM "`+table+`"`, nil, func(r store.Rows) error {
			var row string
			if err := r.Scan(&row); err != nil {
				return err
			}
			fmt.Fprintf(&out, "%s: %s\n", table, row)
			return nil
		})
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
	}
	return out.String()
}

// figures are the anonymous order figures an erasure must keep.
func (e *env) figures(t *testing.T) string {
	t.Helper()
	var s string
	err := e.app.DB.Read().QueryRow(context.Background(), `SELECT CAST(COUNT(*) AS TEXT) || '|' || CAST(SUM(total_minor) AS TEXT) || '|' ||
		CAST(MIN(placed_at) AS TEXT) || '|' || CAST(MAX(status) AS TEXT) || '|' ||
		CAST((SELECT COUNT(*) FROM order_items) AS TEXT) || '|' || CAST((SELECT SUM(spent_minor) FROM customers) AS TEXT) || '|' ||
		CAST((SELECT SUM(orders_count) FROM customers) AS TEXT) || '|' || CAST((SELECT COUNT(*) FROM order_status_history) AS TEXT)
		FROM orders`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCustomerEraseAndExport: the export holds everything about the
// customer; the erasure leaves their personal data nowhere in the
// database while the order figures stay, is journaled, idempotent, and
// refuses while orders are on their way unless forced; a refused or
// unauthorised erasure writes nothing.
func TestCustomerEraseAndExport(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			ctx := context.Background()
			for i := range 2 {
				if status, b, _ := e.call(t, "POST", "/api/v1/orders", fmt.Sprintf(zinaOrder, i, i+1), e.token); status != http.StatusCreated {
					t.Fatalf("create: %d %v", status, b)
				}
			}
			// Someone else, who must keep everything.
			if status, b, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token); status != http.StatusCreated {
				t.Fatalf("create: %d %v", status, b)
			}
			if status, b, _ := e.call(t, "PATCH", "/api/v1/customers/"+zinaExt, `{"consent": {"email": {"marketing": true}},
				"consent_source": "checkout"}`, e.token); status != http.StatusOK {
				t.Fatalf("consent: %d %v", status, b)
			}
			if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			voiced := e.customerVoice(t, "Z-1")
			zina, err := order.GetByExternalID(ctx, e.app.DB.Read(), "Z-0")
			if err != nil {
				t.Fatal(err)
			}
			// A call-back's note and a message that went out, quoting her.
			err = e.app.DB.InTx(ctx, func(tx *store.Tx) error {
				if err := order.NoteAdd(ctx, tx, order.Note{OrderID: zina.ID, Kind: "callback_reached", Body: "Зинаида Эрасова: адрес " + zinaAddress,
					Author: "op", CreatedAt: e.clock.Now()}); err != nil {
					return err
				}
				var mid int64
				err := tx.QueryRow(ctx, `INSERT INTO messages (order_id, customer_id, rule, template, dedupe_key, status, subject, body,
					event_at, scheduled_at, created_at, updated_at) VALUES ($1, $2, 'test', 'test', 'erase-test', 'sent', $3, $4, $5, $5, $5, $5)
					RETURNING id`, zina.ID, zina.CustomerID, "Здравствуйте, "+zinaName, "Ваш заказ едет по адресу "+zinaAddress, e.clock.Now()).Scan(&mid)
				if err != nil {
					return err
				}
				_, err = tx.Exec(ctx, `INSERT INTO message_attempts (message_id, channel, outcome, detail, at) VALUES ($1, 'email', 'sent', $2, $3)`,
					mid, "250 OK <"+zinaEmail+">", e.clock.Now())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			// She wrote to support with a file, and a task's note quotes her.
			if err := e.app.Inbox.Receive(ctx, inbox.Inbound{Channel: inbox.ChannelEmail, From: zinaEmail, FromName: zinaName,
				Subject: "Доставка на " + zinaAddress, Text: "Привезите на " + zinaAddress, MessageID: "zina1@mail.example",
				Raw:         []byte("From: " + zinaName + " <" + zinaEmail + ">\r\n\r\nПривезите на " + zinaAddress),
				Attachments: []inbox.Attachment{{Name: "адрес.txt", ContentType: "text/plain", Data: []byte(zinaAddress)}}}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.app.Tasks.Add(ctx, []task.Task{{Kind: task.Callback, OrderID: zina.ID, CustomerID: zina.CustomerID,
				DedupeKey: "erase-test-task", DueAt: e.clock.Now(), Note: zinaName + " просит звонить после 18"}}, e.clock.Now()); err != nil {
				t.Fatal(err)
			}

			// The export holds everything.
			status, x, h := e.call(t, "GET", "/api/v1/customers/"+zinaExt+"/export", "", e.token)
			if status != http.StatusOK || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
				t.Fatalf("export: %d %v", status, x)
			}
			c := x["customer"].(map[string]any)
			if c["name"] != zinaName || c["email"] != zinaEmail || c["phone"] != "+"+zinaPhone || c["telegram_chat_id"] != zinaChat ||
				c["birthday"] != "03-08" || c["city"] != "Тверь" {
				t.Errorf("export profile: %v", c)
			}
			if m := x["consent"].(map[string]any)["email"].(map[string]any); m["marketing"] != true || !strings.HasPrefix(m["marketing_source"].(string), "checkout") {
				t.Errorf("export consent: %v", x["consent"])
			}
			orders := x["orders"].([]any)
			if len(orders) != 2 || len(orders[0].(map[string]any)["items"].([]any)) != 1 ||
				!strings.Contains(orders[0].(map[string]any)["delivery_address"].(string), zinaAddress) {
				t.Errorf("export orders: %v", orders)
			}
			msgs := x["messages"].([]any)
			found := false
			for _, m := range msgs {
				if strings.Contains(m.(map[string]any)["body"].(string), zinaAddress) {
					found = true
				}
			}
			if !found {
				t.Errorf("export messages hold no body: %v", msgs)
			}
			if _, ok := x["loyalty"].(map[string]any)["ledger"].([]any); !ok {
				t.Errorf("export loyalty: %v", x["loyalty"])
			}
			checkVoice(t, x, voiced)
			if status, _, _ := e.call(t, "GET", "/api/v1/customers/nobody/export", "", e.token); status != http.StatusNotFound {
				t.Errorf("export of nobody: %d", status)
			}

			// Her orders are on their way: refused, nothing written.
			before, figures := e.dump(t), e.figures(t)
			needles := []string{zinaName, "Эрасова", zinaEmail, "zina.erase", zinaPhone, "9165554433", zinaAddress, "Стирания",
				zinaChat, zinaExt, "Тверь", zinaComment, zinaReview, zinaResolution}
			for _, needle := range needles {
				if !strings.Contains(strings.ToLower(before), strings.ToLower(needle)) {
					t.Errorf("the dump does not hold %q before the erasure: it cannot tell it is gone after", needle)
				}
			}
			status, b, _ := e.call(t, "DELETE", "/api/v1/customers/"+zinaExt, "", e.token)
			if er, _ := b["error"].(map[string]any); status != http.StatusConflict || er["code"] != "open_orders" || er["field"] != "force" {
				t.Errorf("erase with open orders: %d %v", status, b)
			}
			if status, b, _ := e.call(t, "DELETE", "/api/v1/customers/"+zinaExt+"?force=maybe", "", e.token); status != http.StatusUnprocessableEntity {
				t.Errorf("force=maybe: %d %v", status, b)
			}
			// A token of another scope may not erase (403), and writes nothing.
			writer, err := auth.TokenAdd(ctx, e.app.DB, "platform", []auth.Scope{auth.ScopeOrdersWrite, auth.ScopeRead}, e.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			before = e.dump(t)
			if status, b, _ := e.call(t, "DELETE", "/api/v1/customers/"+zinaExt+"?force=true", "", writer); status != http.StatusForbidden {
				t.Errorf("erase with an orders:write token: %d %v", status, b)
			}
			if after := e.dump(t); after != before {
				t.Error("a refused erasure wrote")
			}

			status, b, _ = e.call(t, "DELETE", "/api/v1/customers/"+zinaExt+"?force=true", "", e.token)
			if status != http.StatusOK || b["already_erased"] != false || b["rows"].(map[string]any)["orders"] != 2.0 ||
				b["rows"].(map[string]any)["messages"] == 0.0 || len(b["fields"].([]any)) != 7 {
				t.Fatalf("erase: %d %v", status, b)
			}
			if rows := b["rows"].(map[string]any); rows["survey_comments"] != 1.0 || rows["reviews"] != 1.0 ||
				rows["negative_experiences"] != 1.0 || rows["insider_memberships"] != 2.0 ||
				rows["conversations"] != 1.0 || rows["conversation_attachments"] != 1.0 || rows["task_notes"] != 1.0 ||
				rows["event_subjects"] != 1.0 {
				t.Errorf("erase rows: %v", rows)
			}
			id := b["customer_id"].(float64)
			dump := e.dump(t)
			for _, needle := range needles {
				for _, line := range strings.Split(dump, "\n") {
					// The delivered order (customerVoice) counts in the
					// deliveries' roll-up by day, carrier and city: a
					// figure with no customer in it, not her data.
					if needle == "Тверь" && strings.HasPrefix(line, "delivery_days: ") {
						continue
					}
					if strings.Contains(strings.ToLower(line), strings.ToLower(needle)) {
						t.Errorf("%q is still in the database: %.300s", needle, line)
					}
				}
			}
			for _, kept := range []string{"andrei@example.com", "Андрей"} {
				if !strings.Contains(dump, kept) {
					t.Errorf("the erasure took %q, another customer's", kept)
				}
			}
			if after := e.figures(t); after != figures {
				t.Errorf("the order figures changed: %s → %s", figures, after)
			}
			var events int
			_ = e.app.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE kind = 'customer.erased'`).Scan(&events)
			if events != 1 {
				t.Errorf("%d customer.erased events, want 1", events)
			}
			// Again: nothing more, the first time reported.
			status, again, _ := e.call(t, "DELETE", fmt.Sprintf("/api/v1/customers/%d", int64(id)), "", e.token)
			if status != http.StatusOK || again["already_erased"] != true || again["erased_at"] != b["erased_at"] {
				t.Errorf("erase again: %d %v", status, again)
			}
			if e.dump(t) != dump {
				t.Error("a repeated erasure wrote")
			}
			// The erased customer cannot be given data back through the API.
			if status, b, _ := e.call(t, "PATCH", fmt.Sprintf("/api/v1/customers/%d", int64(id)), `{"name": "x"}`, e.token); status != http.StatusNotFound {
				t.Errorf("patch of an erased customer: %d %v", status, b)
			}
			if status, b, _ := e.call(t, "PATCH", "/api/v1/orders/Z-0", `{"delivery_address": "`+zinaAddress+`"}`, e.token); status != http.StatusUnprocessableEntity {
				t.Errorf("a new address for an erased customer's order: %d %v", status, b)
			}
			if status, b, _ := e.call(t, "PATCH", "/api/v1/orders/Z-0", `{"payment": {"paid": true}}`, e.token); status != http.StatusOK {
				t.Errorf("paying an erased customer's order: %d %v", status, b)
			}
			status, g, _ := e.call(t, "GET", fmt.Sprintf("/api/v1/customers/%d", int64(id)), "", e.token)
			if status != http.StatusOK || g["erased_at"] == nil || g["name"] != "" || g["orders_count"] != 2.0 {
				t.Errorf("get the erased customer: %d %v", status, g)
			}
		})
	}
}
