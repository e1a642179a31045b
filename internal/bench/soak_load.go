package bench

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The soak's connector: a WooCommerce shop whose deliveries it signs.
const (
	soakHook       = "wp"
	soakHookSecret = "soak-webhook-secret-0123456789"
	soakCustomers  = 200 // the API orders' customers
)

// soakOrder is an order of the load and what the load was told about it.
type soakOrder struct {
	ext      string
	hook     bool   // came through the connector (its effects are only its existence)
	status   string // the last status acknowledged
	tried    string // a move sent but not acknowledged: it may have happened
	tracking string
	events   []string // the codes of the carrier events acknowledged
	nextEv   int
	busy     bool
}

// soakCustomer is a customer of the API orders.
type soakCustomer struct {
	ext     string
	known   bool   // an order of theirs was acknowledged
	phone   string // the last phone acknowledged ("" none)
	tried   string // a phone sent but not acknowledged
	grants  []string
	version int
	busy    bool
}

// soakModel is what the load has been told: the acknowledged effects, and
// the ones that may or may not have happened.
type soakModel struct {
	mu        sync.Mutex
	orders    []*soakOrder
	customers []*soakCustomer
	nextOrder int
	nextHook  int
	nextGrant int
}

func newSoakModel() *soakModel {
	m := &soakModel{}
	for i := range soakCustomers {
		m.customers = append(m.customers, &soakCustomer{ext: "soak-c-" + strconv.Itoa(i)})
	}
	return m
}

// soakCounts are the load's outcomes per kind of request.
type soakCounts struct {
	sent, acked, refused, failed, unanswered, unknown atomic.Int64
}

// soakLoad sends the mixed load: orders, status moves, carrier events,
// customer changes, loyalty grants and connector deliveries.
type soakLoad struct {
	base, token  string
	client       *http.Client
	model        *soakModel
	ops          map[string]*soakCounts
	firstRefusal atomic.Value // string
	// full, while set, counts what the load got while the disk was full.
	full                  atomic.Bool
	fullAcked, fullFailed atomic.Int64
}

var soakOps = []string{"order", "status", "parcel_event", "customer_patch", "loyalty_grant", "webhook"}

func newSoakLoad(base, token string, model *soakModel) *soakLoad {
	l := &soakLoad{base: base, token: token, model: model, ops: map[string]*soakCounts{},
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 16}}}
	for _, op := range soakOps {
		l.ops[op] = &soakCounts{}
	}
	return l
}

// soakAnswer is what came of one request.
type soakAnswer struct {
	status int    // 0: no answer (the connection failed or timed out)
	body   []byte // up to 64 KiB
	err    string
}

func (a soakAnswer) ok() bool { return a.status/100 == 2 }

func (l *soakLoad) do(ctx context.Context, method, path string, body []byte, header http.Header) soakAnswer {
	req, err := http.NewRequestWithContext(ctx, method, l.base+path, bytes.NewReader(body))
	if err != nil {
		return soakAnswer{err: err.Error()}
	}
	if header != nil {
		req.Header = header
	} else {
		req.Header.Set("Authorization", "Bearer "+l.token)
		req.Header.Set("Content-Type", "application/json")
	}
	if body == nil {
		req.Body = http.NoBody
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return soakAnswer{err: err.Error()}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	_, _ = io.Copy(io.Discard, resp.Body)
	if err != nil {
		return soakAnswer{err: "read the answer: " + err.Error()}
	}
	return soakAnswer{status: resp.StatusCode, body: b}
}

// count files an answer under its operation; it tells whether it was an
// acknowledgement.
func (l *soakLoad) count(op string, a soakAnswer) bool {
	c := l.ops[op]
	c.sent.Add(1)
	switch {
	case a.ok():
		c.acked.Add(1)
		if l.full.Load() {
			l.fullAcked.Add(1)
		}
		return true
	case a.status == 0:
		c.unanswered.Add(1)
	case a.status >= 500:
		c.failed.Add(1)
	default:
		c.refused.Add(1)
		l.firstRefusal.CompareAndSwap(nil, fmt.Sprintf("%s: %d %s", op, a.status, bytes.TrimSpace(a.body)))
	}
	if l.full.Load() && a.status != 0 && !a.ok() {
		l.fullFailed.Add(1)
	}
	return false
}

// run sends requests until ctx ends, each worker on its own random
// sequence drawn from seed.
func (l *soakLoad) run(ctx context.Context, workers int, seed uint64) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(1000+w)))
			for ctx.Err() == nil {
				var a soakAnswer
				switch p := rng.IntN(100); {
				case p < 30:
					a = l.newOrder(ctx)
				case p < 55:
					a = l.move(ctx, rng)
				case p < 65:
					a = l.carrierEvent(ctx, rng)
				case p < 75:
					a = l.patchCustomer(ctx, rng)
				case p < 85:
					a = l.grant(ctx, rng)
				default:
					a = l.webhook(ctx)
				}
				// Pace the load; an error (serve is down) waits a little
				// longer so the clients do not spin.
				pause := 10 * time.Millisecond
				if !a.ok() {
					pause = 50 * time.Millisecond
				}
				select {
				case <-ctx.Done():
				case <-time.After(pause):
				}
			}
		}()
	}
	wg.Wait()
}

// soakOrderBody is an API order of customer c.
func soakOrderBody(ext string, c int) []byte {
	price := 10 + c%40
	return fmt.Appendf(nil, `{"external_id":%q,"customer":{"external_id":"soak-c-%d","email":"soak-c-%d@example.com","name":"Soak Customer %d"},`+
		`"items":[{"sku":"SOAK-%d","name":"Soak item %d","qty":1,"price":"%d.00"}],"total":"%d.00","currency":"EUR","carrier":"courier","channel":"web"}`,
		ext, c, c, c, c%7, c%7, price, price)
}

func (l *soakLoad) newOrder(ctx context.Context) soakAnswer {
	m := l.model
	m.mu.Lock()
	n := m.nextOrder
	m.nextOrder++
	m.mu.Unlock()
	c := n % soakCustomers
	ext := "soak-o-" + strconv.Itoa(n)
	return l.postOrder(ctx, "order", ext, c)
}

// postOrder hands in an order and, when acknowledged, keeps it.
func (l *soakLoad) postOrder(ctx context.Context, op, ext string, c int) soakAnswer {
	a := l.do(ctx, http.MethodPost, "/api/v1/orders", soakOrderBody(ext, c), nil)
	if l.count(op, a) {
		m := l.model
		m.mu.Lock()
		m.orders = append(m.orders, &soakOrder{ext: ext, status: "new"})
		m.customers[c].known = true
		m.mu.Unlock()
	}
	return a
}

// takeOrder finds an order of the API no other worker has, for which ok
// holds, and marks it busy; nil when none turned up.
func (m *soakModel) takeOrder(rng *rand.Rand, ok func(*soakOrder) bool) *soakOrder {
	m.mu.Lock()
	defer m.mu.Unlock()
	for range 8 {
		if len(m.orders) == 0 {
			return nil
		}
		o := m.orders[rng.IntN(len(m.orders))]
		if !o.busy && !o.hook && ok(o) {
			o.busy = true
			return o
		}
	}
	return nil
}

func (m *soakModel) release(o *soakOrder) {
	m.mu.Lock()
	o.busy = false
	m.mu.Unlock()
}

// next is the status an order goes to next ("" at the end of its way).
func (o *soakOrder) next(rng *rand.Rand) string {
	if o.tried != "" {
		return o.tried // may have happened: the same move again is harmless
	}
	switch o.status {
	case "new":
		if rng.IntN(10) == 0 {
			return "cancelled"
		}
		return "processing"
	case "processing":
		return "shipped"
	case "shipped":
		if len(o.events) == 0 && rng.IntN(2) == 0 {
			return "" // leave it for carrier events for now
		}
		return "delivered"
	}
	return ""
}

func (l *soakLoad) move(ctx context.Context, rng *rand.Rand) soakAnswer {
	m := l.model
	o := m.takeOrder(rng, func(o *soakOrder) bool { return o.tried != "" || (o.status != "delivered" && o.status != "cancelled") })
	if o == nil {
		return l.newOrder(ctx)
	}
	defer m.release(o)
	to := o.next(rng)
	if to == "" {
		return soakAnswer{status: http.StatusNoContent}
	}
	body := map[string]string{"status": to}
	if to == "shipped" {
		if o.tracking == "" {
			o.tracking = "SOAK" + strings.TrimPrefix(o.ext, "soak-o-")
		}
		body["carrier"], body["tracking_number"] = "courier", o.tracking
	}
	b, _ := json.Marshal(body)
	a := l.do(ctx, http.MethodPost, "/api/v1/orders/"+url.PathEscape(o.ext)+"/status", b, nil)
	acked := l.count("status", a)
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case acked:
		o.status, o.tried = to, ""
	case a.status == 0 || a.status >= 500:
		o.tried = to
	}
	return a
}

func (l *soakLoad) carrierEvent(ctx context.Context, rng *rand.Rand) soakAnswer {
	m := l.model
	o := m.takeOrder(rng, func(o *soakOrder) bool { return o.status == "shipped" && o.tried == "" })
	if o == nil {
		return l.move(ctx, rng)
	}
	defer m.release(o)
	o.nextEv++
	code := fmt.Sprintf("SOAK-%s-%d", o.tracking, o.nextEv)
	b, _ := json.Marshal(map[string]string{"tracking_number": o.tracking, "status": "in_transit", "code": code,
		"description": "soak", "at": time.Now().Add(-time.Second).UTC().Format(time.RFC3339)})
	a := l.do(ctx, http.MethodPost, "/api/v1/parcels/events", b, nil)
	if !a.ok() {
		l.count("parcel_event", a)
		return a
	}
	var ans struct{ Stored, Duplicates, Unknown int }
	if err := json.Unmarshal(a.body, &ans); err != nil || ans.Stored+ans.Duplicates+ans.Unknown != 1 {
		l.count("parcel_event", soakAnswer{status: 422, body: a.body})
		return a
	}
	if ans.Unknown == 1 {
		// The parcel is made from the order's shipping a moment later
		// (the journal): not taken, and said so; not an acknowledgement.
		l.ops["parcel_event"].sent.Add(1)
		l.ops["parcel_event"].unknown.Add(1)
		return a
	}
	l.count("parcel_event", a)
	m.mu.Lock()
	o.events = append(o.events, code)
	m.mu.Unlock()
	return a
}

// takeCustomer finds a known customer no other worker has.
func (m *soakModel) takeCustomer(rng *rand.Rand) *soakCustomer {
	m.mu.Lock()
	defer m.mu.Unlock()
	for range 8 {
		c := m.customers[rng.IntN(len(m.customers))]
		if c.known && !c.busy {
			c.busy = true
			return c
		}
	}
	return nil
}

func (m *soakModel) releaseCustomer(c *soakCustomer) {
	m.mu.Lock()
	c.busy = false
	m.mu.Unlock()
}

func (l *soakLoad) patchCustomer(ctx context.Context, rng *rand.Rand) soakAnswer {
	m := l.model
	c := m.takeCustomer(rng)
	if c == nil {
		return l.newOrder(ctx)
	}
	defer m.releaseCustomer(c)
	phone := c.tried
	if phone == "" {
		c.version++
		n, _ := strconv.Atoi(strings.TrimPrefix(c.ext, "soak-c-"))
		phone = fmt.Sprintf("+3712%03d%04d", n%1000, c.version%10000)
	}
	b, _ := json.Marshal(map[string]string{"phone": phone})
	a := l.do(ctx, http.MethodPatch, "/api/v1/customers/"+url.PathEscape(c.ext), b, nil)
	acked := l.count("customer_patch", a)
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case acked:
		c.phone, c.tried = phone, ""
	case a.status == 0 || a.status >= 500:
		c.tried = phone
	}
	return a
}

func (l *soakLoad) grant(ctx context.Context, rng *rand.Rand) soakAnswer {
	m := l.model
	c := m.takeCustomer(rng)
	if c == nil {
		return l.newOrder(ctx)
	}
	defer m.releaseCustomer(c)
	m.mu.Lock()
	n := m.nextGrant
	m.nextGrant++
	m.mu.Unlock()
	reason := "soak grant " + strconv.Itoa(n)
	b, _ := json.Marshal(map[string]any{"customer_id": c.ext, "points": 5 + n%10, "reason": reason, "key": "soak-grant-" + strconv.Itoa(n)})
	a := l.do(ctx, http.MethodPost, "/api/v1/loyalty/grants", b, nil)
	if l.count("loyalty_grant", a) {
		m.mu.Lock()
		c.grants = append(c.grants, reason)
		m.mu.Unlock()
	}
	return a
}

// soakWooOrder is a WooCommerce order.created delivery's body.
func soakWooOrder(id int, now time.Time) []byte {
	at := now.UTC().Format("2006-01-02T15:04:05")
	addr := map[string]string{"first_name": "Hook", "last_name": "Buyer " + strconv.Itoa(id), "company": "",
		"address_1": "Brīvības iela " + strconv.Itoa(1+id%200), "address_2": "", "city": "Rīga", "state": "",
		"postcode": "LV-1010", "country": "LV"}
	billing := map[string]string{"email": fmt.Sprintf("hook-%d@example.com", id), "phone": ""}
	for k, v := range addr {
		billing[k] = v
	}
	b, _ := json.Marshal(map[string]any{
		"id": id, "number": strconv.Itoa(id), "status": "processing", "currency": "EUR",
		"date_created_gmt": at, "date_modified_gmt": at, "date_paid_gmt": at, "total": "24.00",
		"customer_id": 0, "customer_note": "", "payment_method": "bacs", "billing": billing, "shipping": addr,
		"line_items": []map[string]any{{"name": "Soak mug", "sku": "SOAK-MUG", "quantity": 2, "product_id": 93,
			"variation_id": 0, "subtotal": "24.00", "price": 12}},
		"meta_data": []any{},
	})
	return b
}

// webhook delivers a new order through the connector, signed as
// WooCommerce signs it.
func (l *soakLoad) webhook(ctx context.Context) soakAnswer {
	m := l.model
	m.mu.Lock()
	id := 500000 + m.nextHook
	m.nextHook++
	m.mu.Unlock()
	body := soakWooOrder(id, time.Now())
	mac := hmac.New(sha256.New, []byte(soakHookSecret))
	mac.Write(body)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-WC-Webhook-Topic", "order.created")
	h.Set("X-WC-Webhook-Source", "https://shop.example.lv/")
	h.Set("X-WC-Webhook-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	a := l.do(ctx, http.MethodPost, "/hooks/"+soakHook, body, h)
	if l.count("webhook", a) {
		m.mu.Lock()
		m.orders = append(m.orders, &soakOrder{ext: soakHook + ":" + strconv.Itoa(id), hook: true})
		m.mu.Unlock()
	}
	return a
}
