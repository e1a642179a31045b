package stock

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// Where a customer asked to be told (Request.Source).
const (
	SourceMy     = "my"     // their own page
	SourceWidget = "widget" // the product-page widget on the shop's site
	SourceAPI    = "api"    // the shop's own code, through the API
)

// ClaimWindow is how long a customer who was told an item is back holds
// "their" unit against the next requests: stock that comes in while told
// customers may still be on their way to buy is theirs first, so that a
// tellWaiting run twice, or units trickling in, never tell more customers
// than there are units.
const ClaimWindow = 48 * time.Hour

// Request is one customer's ask to be told when a SKU is back.
type Request struct {
	ID         int64  `json:"id"`
	SKU        string `json:"sku"`
	CustomerID int64  `json:"customer_id"`
	// Channel is where to tell them: email, sms or telegram.
	Channel  string `json:"channel"`
	Language string `json:"language,omitempty"`
	// Source is where they asked: my, widget or api.
	Source string `json:"source"`
	// PageURL is the product page they asked on; "" when unknown.
	PageURL     string     `json:"page_url,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	ToldAt      *time.Time `json:"told_at,omitempty"`
	CancelledAt *time.Time `json:"cancelled_at,omitempty"`
}

// Open tells whether the request still waits: neither told nor cancelled.
func (r Request) Open() bool { return r.ToldAt == nil && r.CancelledAt == nil }

// AskParams is a customer's ask to be told when SKU is back: a known
// customer (CustomerID), or a visitor known by Email (or Phone) who is
// found among the customers or becomes one.
type AskParams struct {
	SKU        string
	CustomerID int64
	Email      string
	Phone      string
	Name       string
	// Language of the message; the customer's when empty.
	Language string
	// Channel is email (default when there is an e-mail), sms or
	// telegram.
	Channel string
	// Source is SourceMy, SourceWidget or SourceAPI.
	Source string
	// PageURL is the product page (http or https); optional.
	PageURL string
}

// Asked is what Ask did: the request, and whether it was there already
// (the same customer asking again for the same SKU is one request).
type Asked struct {
	Request Request
	Again   bool
}

const waitlistColumns = `id, sku, customer_id, channel, language, source, page_url, created_at, told_at, cancelled_at`

func scanRequest(r store.Row) (Request, error) {
	var q Request
	err := r.Scan(&q.ID, &q.SKU, &q.CustomerID, &q.Channel, &q.Language, &q.Source, &q.PageURL, &q.CreatedAt, &q.ToldAt, &q.CancelledAt)
	return q, err
}

// Ask records that a customer wants to be told when a SKU is back, after
// validating everything (errors name the field; a 4xx leaves no row):
// the SKU is not in stock now, the channel can reach the customer. A
// visitor known only by an e-mail or phone is found among the customers
// or becomes one, in the same transaction. Asking again while a request
// is open returns it (Again).
func (s *Service) Ask(ctx context.Context, p AskParams) (Asked, error) {
	p, err := s.checkAsk(p)
	if err != nil {
		return Asked{}, err
	}
	if a, tracked := s.Available(p.SKU); tracked && a.Available > 0 {
		return Asked{}, invalid.Field("sku", "in_stock", "%s is in stock now: there is nothing to wait for", p.SKU)
	}
	var out Asked
	now := s.clock.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		id, err := s.askCustomer(ctx, tx, &p, now)
		if err != nil {
			return err
		}
		c, err := customer.Get(ctx, tx, id)
		if err != nil {
			return fmt.Errorf("ask for %s: customer %d: %w", p.SKU, id, err)
		}
		if p.Channel == "" {
			p.Channel = config.ChannelNames[0]
			if c.Email == "" && c.Phone != "" {
				p.Channel = "sms"
			}
		}
		if why := reachable(c, p.Channel); why != "" {
			return invalid.Field("channel", "unreachable", "%s", why)
		}
		out.Request, out.Again, err = insertRequest(ctx, tx, p, id, now)
		return err
	})
	return out, err
}

// checkAsk validates and tidies an ask before anything is written.
func (s *Service) checkAsk(p AskParams) (AskParams, error) {
	var errs invalid.List
	p.SKU = strings.TrimSpace(p.SKU)
	p.Email, p.Phone, p.Name = strings.TrimSpace(p.Email), strings.TrimSpace(p.Phone), strings.TrimSpace(p.Name)
	p.Channel, p.Language = strings.ToLower(strings.TrimSpace(p.Channel)), strings.ToLower(strings.TrimSpace(p.Language))
	p.PageURL = strings.TrimSpace(p.PageURL)
	for field, v := range map[string]string{"sku": p.SKU, "email": p.Email, "phone": p.Phone, "name": p.Name,
		"channel": p.Channel, "language": p.Language} {
		errs.CheckText(field, v)
	}
	if e := invalid.TextMax("page_url", p.PageURL, 2000, false); e != nil {
		errs = append(errs, e)
	}
	if err := errs.Err(); err != nil {
		return p, err
	}
	if p.SKU == "" {
		errs.Add("sku", "required", "which item: the SKU is required")
	}
	if p.CustomerID <= 0 && p.Email == "" && p.Phone == "" {
		errs.Add("email", "required", "an e-mail address (or a customer_id or phone) is required")
	}
	if p.Channel != "" && !config.ValidChannel(p.Channel) {
		errs.Add("channel", "invalid", "%q is not a channel: %s", p.Channel, strings.Join(config.ChannelNames, ", "))
	}
	if p.Language != "" {
		l, ok := i18n.Parse(p.Language)
		if !ok {
			errs.Add("language", "invalid", "%q is not a language shopcare writes: ru, lv or en", p.Language)
		}
		p.Language = string(l)
	}
	if p.PageURL != "" {
		u, err := url.Parse(p.PageURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs.Add("page_url", "invalid", "%q is not an http or https address", p.PageURL)
		}
	}
	switch p.Source {
	case SourceMy, SourceWidget, SourceAPI:
	default:
		errs.Add("source", "invalid", "%q is not where a request comes from", p.Source)
	}
	if p.CustomerID <= 0 {
		in, err := customer.Normalize(customer.Input{Email: p.Email, Phone: p.Phone, Name: p.Name, Language: p.Language},
			customer.Defaults{Country: s.settings.Shop.Country, Language: s.shopLanguage(), Timezone: s.settings.Shop.Timezone}, "")
		if err != nil {
			var list invalid.List
			if errors.As(err, &list) {
				errs = append(errs, list...)
			} else {
				return p, err
			}
		}
		p.Email, p.Phone = in.Email, in.Phone
	}
	return p, errs.Err()
}

// shopLanguage is the shop's first language, the customers' fallback.
func (s *Service) shopLanguage() string {
	if l := s.settings.Shop.Languages; len(l) > 0 {
		return l[0]
	}
	return string(i18n.EN)
}

// askCustomer returns the customer of an ask: the one named, else the
// one with the e-mail (or phone), else a new customer.
func (s *Service) askCustomer(ctx context.Context, tx *store.Tx, p *AskParams, now time.Time) (int64, error) {
	if p.CustomerID > 0 {
		if _, err := customer.Get(ctx, tx, p.CustomerID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return 0, invalid.Field("customer_id", "not_found", "there is no customer %d", p.CustomerID)
			}
			return 0, err
		}
		return p.CustomerID, nil
	}
	kind, addr := customer.AddressEmail, p.Email
	if addr == "" {
		kind, addr = customer.AddressPhone, p.Phone
	}
	c, err := customer.FindByAddress(ctx, tx, kind, addr, s.settings.Shop.Country)
	if err == nil {
		return c.ID, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	lang := p.Language
	if lang == "" {
		lang = s.shopLanguage()
	}
	ids, err := customer.Resolve(ctx, tx, []customer.Input{{Email: p.Email, Phone: p.Phone, Name: p.Name, Language: lang}}, now)
	if err != nil {
		return 0, fmt.Errorf("ask for %s: customer %s: %w", p.SKU, addr, err)
	}
	return ids[0], nil
}

// reachable says why channel cannot reach c, "" when it can.
func reachable(c *customer.Customer, channel string) string {
	switch channel {
	case "email":
		if c.Email == "" {
			return "the customer has no e-mail address"
		}
	case "sms":
		if c.Phone == "" {
			return "the customer has no phone number"
		}
	}
	return "" // telegram: the sender says when no chat is linked
}

// insertRequest writes the request, or returns the open one of the same
// customer and SKU (the unique index stock_waitlist_once).
func insertRequest(ctx context.Context, tx *store.Tx, p AskParams, customerID int64, now time.Time) (Request, bool, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO stock_waitlist (sku, customer_id, channel, language, source, page_url, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
		p.SKU, customerID, p.Channel, p.Language, p.Source, p.PageURL, now).Scan(&id)
	again := errors.Is(err, store.ErrNotFound)
	if err != nil && !again {
		return Request{}, false, fmt.Errorf("ask for %s by customer %d: %w", p.SKU, customerID, err)
	}
	query := `SELECT ` + waitlistColumns + ` FROM stock_waitlist WHERE id = $1`
	args := []any{id}
	if again {
		query = `SELECT ` + waitlistColumns + ` FROM stock_waitlist
			WHERE sku = $1 AND customer_id = $2 AND told_at IS NULL AND cancelled_at IS NULL`
		args = []any{p.SKU, customerID}
	}
	r, err := scanRequest(tx.QueryRow(ctx, query, args...))
	if err != nil {
		return Request{}, false, fmt.Errorf("read request for %s by customer %d: %w", p.SKU, customerID, err)
	}
	return r, again, nil
}

// Cancel stops a request: the customer no longer wants to be told. A
// request told or cancelled already stays as it is. customerID, when not
// zero, must be the request's (a customer's own page); store.ErrNotFound
// otherwise.
func (s *Service) Cancel(ctx context.Context, id, customerID int64) (Request, error) {
	var r Request
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = RequestGet(ctx, tx, id); err != nil {
			return err
		}
		if customerID != 0 && r.CustomerID != customerID {
			return fmt.Errorf("request %d: %w", id, store.ErrNotFound)
		}
		if !r.Open() {
			return nil
		}
		now := s.clock.Now()
		if _, err := tx.Exec(ctx, `UPDATE stock_waitlist SET cancelled_at = $1 WHERE id = $2 AND told_at IS NULL AND cancelled_at IS NULL`,
			now, id); err != nil {
			return fmt.Errorf("cancel request %d: %w", id, err)
		}
		r.CancelledAt = &now
		return nil
	})
	return r, err
}

// RequestGet returns one request; store.ErrNotFound when there is none
// (its customer was erased).
func RequestGet(ctx context.Context, q store.Querier, id int64) (Request, error) {
	r, err := scanRequest(q.QueryRow(ctx, `SELECT `+waitlistColumns+` FROM stock_waitlist WHERE id = $1`, id))
	if err != nil {
		return r, fmt.Errorf("request %d: %w", id, err)
	}
	return r, nil
}

// Request returns one request (RequestGet).
func (s *Service) Request(ctx context.Context, id int64) (Request, error) {
	return RequestGet(ctx, s.db.Read(), id)
}

// Waiting returns the open requests of a SKU, first come first, at most
// limit (1–1000), and how many are open in all.
func (s *Service) Waiting(ctx context.Context, sku string, limit int) ([]Request, int, error) {
	limit = min(max(limit, 1), 1000)
	q := s.db.Read()
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM stock_waitlist WHERE sku = $1 AND told_at IS NULL AND cancelled_at IS NULL`,
		sku).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count waiting for %s: %w", sku, err)
	}
	out, err := s.requests(ctx, `SELECT `+waitlistColumns+` FROM stock_waitlist WHERE sku = $1 AND told_at IS NULL AND cancelled_at IS NULL
		ORDER BY created_at, id LIMIT $2`, sku, limit)
	return out, n, err
}

// ByCustomer returns a customer's requests, newest first, at most 100:
// the open ones and those told or cancelled.
func (s *Service) ByCustomer(ctx context.Context, customerID int64) ([]Request, error) {
	return s.requests(ctx, `SELECT `+waitlistColumns+` FROM stock_waitlist WHERE customer_id = $1
		ORDER BY created_at DESC, id DESC LIMIT 100`, customerID)
}

func (s *Service) requests(ctx context.Context, query string, args ...any) ([]Request, error) {
	rows, err := s.db.Read().Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list stock requests: %w", err)
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("list stock requests: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// tellWaiting is called inside the transaction that made units of sku
// available (after the orders waiting for it were served), with how
// many are available now: it marks at most that many of the oldest
// requests to be told, and journals stock.back_in_stock for each.
//
// Customers told within ClaimWindow count against the units: they may
// still come to buy, so a second call (a retry, more units trickling in)
// tells only as many more as there are units beyond theirs. The caller's
// transaction has written the SKU's stock_items row, which holds every
// other writer of the SKU until it commits: two calls never count at
// once.
func (s *Service) tellWaiting(ctx context.Context, tx *store.Tx, sku string, available int) error {
	if available <= 0 {
		return nil
	}
	now := s.clock.Now()
	var claimed int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM stock_waitlist WHERE sku = $1 AND told_at > $2 AND cancelled_at IS NULL`,
		sku, now.Add(-ClaimWindow)).Scan(&claimed); err != nil {
		return fmt.Errorf("count told for %s: %w", sku, err)
	}
	room := available - claimed
	if room <= 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT `+waitlistColumns+` FROM stock_waitlist
		WHERE sku = $1 AND told_at IS NULL AND cancelled_at IS NULL ORDER BY created_at, id LIMIT $2`, sku, room)
	if err != nil {
		return fmt.Errorf("read waiting for %s: %w", sku, err)
	}
	var told []Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("read waiting for %s: %w", sku, err)
		}
		told = append(told, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read waiting for %s: %w", sku, err)
	}
	if len(told) == 0 {
		return nil
	}
	var name string
	err = tx.QueryRow(ctx, `SELECT name FROM stock_items WHERE sku = $1`, sku).Scan(&name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("read name of %s: %w", sku, err)
	}
	events := make([]journal.Event, 0, len(told))
	for _, r := range told {
		n, err := tx.Exec(ctx, `UPDATE stock_waitlist SET told_at = $1 WHERE id = $2 AND told_at IS NULL AND cancelled_at IS NULL`, now, r.ID)
		if err != nil {
			return fmt.Errorf("mark request %d told: %w", r.ID, err)
		}
		if n == 0 {
			continue // told or cancelled meanwhile
		}
		events = append(events, journal.Event{Kind: journal.StockBack, CustomerID: r.CustomerID, OccurredAt: now,
			Payload: journal.MustPayload(event.StockBackPayload{SKU: sku, Name: name, RequestID: r.ID, Channel: r.Channel, Language: r.Language})})
	}
	if s.journal == nil {
		return errors.New("stock: no journal to record stock.back_in_stock")
	}
	return s.journal.Append(ctx, tx, events...)
}

// Channels is the order in which a request's message tries channels: the
// one the customer asked on, which may name several (email,telegram).
func (r Request) Channels() []string {
	var out []string
	for _, c := range strings.Split(r.Channel, ",") {
		if c = strings.TrimSpace(c); config.ValidChannel(c) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
