package localshop

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is the platform: an http.Handler serving a shop of generated
// orders. Its zero value is not usable; build it with NewServer.
type Server struct {
	opts ServerOptions
	mux  *http.ServeMux

	mu         sync.Mutex
	requests   int
	throttled  int
	registered []string
	promises   map[string]WirePromise
}

// ServerOptions describe the shop a Server serves.
type ServerOptions struct {
	// Name and Currency are the shop's (GET /shop).
	Name, Currency string
	// Token is the bearer token every call needs.
	Token string
	// Orders is how many orders the shop has; order i (from 0) has id
	// i+1 and was placed at Start plus i times Step.
	Orders int
	Start  time.Time
	Step   time.Duration
	// PageSize is how many orders a page has (250 when 0).
	PageSize int
	// ThrottleEvery answers every n-th call 429 with Retry-After:
	// RetryAfter seconds (never when 0), as platforms do when their rate
	// limit is spent.
	ThrottleEvery int
	RetryAfter    int
	// WriteBackStatus, when set, is the answer to every write-back (a
	// platform refusing it: 422, or failing: 503).
	WriteBackStatus int
}

// NewServer returns the platform o describes.
func NewServer(o ServerOptions) *Server {
	if o.PageSize <= 0 {
		o.PageSize = 250
	}
	if o.Step <= 0 {
		o.Step = 5 * time.Minute
	}
	if o.Currency == "" {
		o.Currency = "EUR"
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = 1
	}
	s := &Server{opts: o, mux: http.NewServeMux(), promises: map[string]WirePromise{}}
	s.mux.HandleFunc("GET /shop", s.shop)
	s.mux.HandleFunc("GET /orders", s.orders)
	s.mux.HandleFunc("GET /orders/{id}", s.order)
	s.mux.HandleFunc("POST /webhooks", s.webhook)
	s.mux.HandleFunc("PUT /orders/{id}/promise", s.promise)
	return s
}

// ServeHTTP checks the token and the rate limit, then answers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.Token)) != 1 {
		writeJSON(w, http.StatusUnauthorized, apiError{Error: "invalid access token"})
		return
	}
	s.mu.Lock()
	s.requests++
	throttle := s.opts.ThrottleEvery > 0 && s.requests%s.opts.ThrottleEvery == 0
	if throttle {
		s.throttled++
	}
	s.mu.Unlock()
	if throttle {
		w.Header().Set("Retry-After", strconv.Itoa(s.opts.RetryAfter))
		writeJSON(w, http.StatusTooManyRequests, apiError{Error: "rate limit exceeded"})
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Throttled is how many calls were answered 429.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// Registered lists the webhooks registered, "topic address".
func (s *Server) Registered() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.registered...)
}

// Promise returns what was written back on an order, if anything.
func (s *Server) Promise(id string) (WirePromise, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.promises[id]
	return p, ok
}

func (s *Server) shop(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, wireShop{Name: s.opts.Name, Currency: s.opts.Currency})
}

func (s *Server) orders(w http.ResponseWriter, r *http.Request) {
	first := 0
	if v := r.URL.Query().Get("since"); v != "" {
		since, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, apiError{Error: "since: not an RFC 3339 time"})
			return
		}
		if d := since.Sub(s.opts.Start); d > 0 {
			first = int((d + s.opts.Step - 1) / s.opts.Step)
		}
	}
	total := max(s.opts.Orders-first, 0)
	from := first
	if c := r.URL.Query().Get("cursor"); c != "" {
		n, ok := parseCursor(c)
		if !ok || n < first {
			writeJSON(w, http.StatusBadRequest, apiError{Error: "cursor: not one this shop gave"})
			return
		}
		from = n
	}
	to := min(from+s.opts.PageSize, s.opts.Orders)
	page := wirePage{Orders: make([]wireOrder, 0, max(to-from, 0)), Total: total}
	for i := from; i < to; i++ {
		page.Orders = append(page.Orders, s.gen(i))
	}
	if to < s.opts.Orders {
		page.Next = makeCursor(to)
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) order(w http.ResponseWriter, r *http.Request) {
	i, ok := s.index(r.PathValue("id"))
	if !ok {
		writeJSON(w, http.StatusNotFound, apiError{Error: "order not found"})
		return
	}
	writeJSON(w, http.StatusOK, s.gen(i))
}

func (s *Server) webhook(w http.ResponseWriter, r *http.Request) {
	var in struct{ Address, Topic string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Address == "" || in.Topic == "" {
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "address and topic are required"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	entry := in.Topic + " " + in.Address
	for _, e := range s.registered {
		if e == entry {
			writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "address for this topic has already been taken"})
			return
		}
	}
	s.registered = append(s.registered, entry)
	writeJSON(w, http.StatusCreated, in)
}

func (s *Server) promise(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.index(id); !ok {
		writeJSON(w, http.StatusNotFound, apiError{Error: "order not found"})
		return
	}
	if s.opts.WriteBackStatus != 0 {
		writeJSON(w, s.opts.WriteBackStatus, apiError{Error: "the shop refuses the note"})
		return
	}
	var p WirePromise
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "not JSON"})
		return
	}
	s.mu.Lock()
	s.promises[id] = p
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, p)
}

// index reads an order id of this shop.
func (s *Server) index(id string) (int, bool) {
	n, err := strconv.Atoi(id)
	if err != nil || n < 1 || n > s.opts.Orders {
		return 0, false
	}
	return n - 1, true
}

// gen makes order i from its number alone.
func (s *Server) gen(i int) wireOrder {
	at := s.opts.Start.Add(time.Duration(i) * s.opts.Step).UTC()
	customers := max(s.opts.Orders/3, 1)
	k := i % customers
	o := wireOrder{
		ID: strconv.Itoa(i + 1), Number: "#" + strconv.Itoa(1001+i), CreatedAt: at, UpdatedAt: at.Add(48 * time.Hour),
		Currency: s.opts.Currency, Address: fmt.Sprintf("Brīvības iela %d, Rīga", 1+k%200), Shipping: "Omniva",
		Customer: wireBuyer{
			ID: "c" + strconv.Itoa(k+1), Name: fmt.Sprintf("Buyer %d", k+1), Email: fmt.Sprintf("buyer%d@example.com", k+1),
			Phone: fmt.Sprintf("+3712%07d", k%10_000_000), Country: "LV", Language: []string{"lv", "ru", "en"}[k%3],
		},
	}
	var sum int64
	for j := range 1 + i%3 {
		price := int64(500 + (i*7+j*13)%5000)
		qty := int64(1 + j%2)
		sum += price * qty
		o.Items = append(o.Items, wireItem{SKU: fmt.Sprintf("SKU-%d", (i+j)%500), Name: fmt.Sprintf("Item %d", (i+j)%500),
			Quantity: qty, Price: fmt.Sprintf("%d.%02d", price/100, price%100)})
	}
	o.Total = fmt.Sprintf("%d.%02d", sum/100, sum%100)
	switch i % 10 {
	case 0:
		o.Status = "cancelled"
	case 1:
		o.Status, o.Paid, o.Carrier, o.Tracking = "shipped", true, "Omniva", fmt.Sprintf("CE%09dEE", i)
	case 2:
		o.Status, o.COD = "open", true
	default:
		o.Status, o.Paid, o.Carrier, o.Tracking = "delivered", true, "Omniva", fmt.Sprintf("CE%09dEE", i)
	}
	return o
}

func makeCursor(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("after:" + strconv.Itoa(n)))
}

func parseCursor(c string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	v, ok := strings.CutPrefix(string(b), "after:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
