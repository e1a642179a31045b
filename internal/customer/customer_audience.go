package customer

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/store"
)

// AudienceFilter picks customers for a campaign: every criterion given
// narrows the set (they combine with AND); the zero filter is every
// customer. Erased customers are never in an audience. The caller
// (package campaign) validates the values; the filter only builds SQL
// with them as parameters.
type AudienceFilter struct {
	// Segment is a CLV segment (customer_scores.segment).
	Segment string
	// Tier is a loyalty tier's name (loyalty_accounts.tier).
	Tier string
	// Club is the members of any club project they have not left;
	// ClubProjects the members of each of these projects.
	Club         bool
	ClubProjects []int64
	// RFM is a pattern of three characters, each a digit or '*'
	// (customer_scores.rfm, "543").
	RFM string
	// MinCLVMinor and MaxCLVMinor bound customer_scores.clv_minor.
	MinCLVMinor, MaxCLVMinor *int64
	// Products are SKUs the customers ordered, each of them (orders not
	// cancelled); Categories product categories they ordered in, each.
	Products, Categories []string
	// Languages and Countries narrow to these (any of them).
	Languages, Countries []string
}

// addressColumn is where a customer's address on a channel is kept.
var addressColumn = map[string]string{
	"email":    "c.email",
	"sms":      "c.phone",
	"telegram": "c.telegram_chat_id",
}

// audienceSQL builds the FROM and WHERE of a filter: the joins it needs,
// the conditions, and their arguments from $first on.
type audienceSQL struct {
	joins []string
	where []string
	args  []any
}

func (b *audienceSQL) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

func (b *audienceSQL) in(col string, vals []string) {
	ps := make([]string, len(vals))
	for i, v := range vals {
		ps[i] = b.arg(v)
	}
	b.where = append(b.where, col+" IN ("+strings.Join(ps, ", ")+")")
}

// build fills b from f. Each criterion on another table is an IN of
// customer ids, which both engines answer from that table's index (a
// segment, a tier, a SKU) and lookups of the customers by id; each
// subquery names the customers it reads them for (the table owners'
// rule, internal/archtest, checks one literal at a time).
func (b *audienceSQL) build(f AudienceFilter) {
	b.where = append(b.where, "c.erased_at IS NULL")
	var score []string
	if f.Segment != "" {
		score = append(score, "s.segment = "+b.arg(f.Segment))
	}
	if f.MinCLVMinor != nil {
		score = append(score, "s.clv_minor >= "+b.arg(*f.MinCLVMinor))
	}
	if f.MaxCLVMinor != nil {
		score = append(score, "s.clv_minor <= "+b.arg(*f.MaxCLVMinor))
	}
	if f.RFM != "" {
		// '*' is any digit: a LIKE pattern of '_'s, after the caller's
		// check that only digits and '*' are in it.
		score = append(score, "s.rfm LIKE "+b.arg(strings.ReplaceAll(f.RFM, "*", "_")))
	}
	if len(score) > 0 {
		b.where = append(b.where, "c.id IN (SELECT m.id FROM customers m JOIN customer_scores s ON s.customer_id = m.id WHERE "+strings.Join(score, " AND ")+")")
	}
	if f.Tier != "" {
		b.where = append(b.where, "c.id IN (SELECT m.id FROM customers m JOIN loyalty_accounts la ON la.customer_id = m.id WHERE la.tier = "+b.arg(f.Tier)+")")
	}
	for _, p := range f.ClubProjects {
		b.where = append(b.where, "c.id IN (SELECT m.id FROM customers m JOIN insider_members im ON im.customer_id = m.id WHERE im.project_id = "+
			b.arg(p)+" AND im.left_at IS NULL)")
	}
	if f.Club && len(f.ClubProjects) == 0 {
		b.where = append(b.where, "c.id IN (SELECT m.id FROM customers m JOIN insider_members im ON im.customer_id = m.id WHERE im.left_at IS NULL)")
	}
	for _, sku := range f.Products {
		b.where = append(b.where, "c.id IN (SELECT m.id FROM customers m JOIN orders o ON o.customer_id = m.id JOIN order_items oi ON oi.order_id = o.id"+
			" WHERE oi.sku = "+b.arg(sku)+" AND o.status <> 'cancelled')")
	}
	for _, cat := range f.Categories {
		b.where = append(b.where, "c.id IN (SELECT m.id FROM customers m JOIN orders o ON o.customer_id = m.id JOIN order_items oi ON oi.order_id = o.id"+
			" WHERE oi.category = "+b.arg(cat)+" AND o.status <> 'cancelled')")
	}
	if len(f.Languages) > 0 {
		b.in("c.language", f.Languages)
	}
	if len(f.Countries) > 0 {
		b.in("c.country", f.Countries)
	}
}

// reachable adds the conditions of a marketing message on channel: the
// customer's marketing consent on it stands, they have not opted out of
// the channel or of all marketing, the address has not failed, and there
// is an address.
func (b *audienceSQL) reachable(channel string) {
	b.joins = append(b.joins, "JOIN customer_channels cc ON cc.customer_id = c.id AND cc.channel = "+b.arg(channel))
	b.where = append(b.where, "cc.marketing_consent_at IS NOT NULL", "cc.opted_out_at IS NULL", "cc.failed_at IS NULL",
		"c.marketing_opted_out_at IS NULL")
	if col, ok := addressColumn[channel]; ok {
		b.where = append(b.where, col+" IS NOT NULL", col+" <> ''")
	}
}

func (b *audienceSQL) from() string {
	return "customers c " + strings.Join(b.joins, " ")
}

func (b *audienceSQL) cond() string {
	return strings.Join(b.where, " AND ")
}

// AudienceHasAddress tells whether channel is one whose reach the
// audience counts (email, sms, telegram); others (paper) reach everyone.
func AudienceHasAddress(channel string) bool {
	_, ok := addressColumn[channel]
	return ok
}

// CountAudience counts the customers f matches.
func CountAudience(ctx context.Context, q store.Querier, f AudienceFilter) (int64, error) {
	var b audienceSQL
	b.build(f)
	var n int64
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM `+b.from()+` WHERE `+b.cond(), b.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count audience: %w", err)
	}
	return n, nil
}

// CountReachable counts the customers f matches whom a marketing message
// on channel may reach: their marketing consent on it stands, they have
// not opted out of it or of all marketing, and their address on it is
// there and has not failed. A channel without addresses (paper) reaches
// everyone f matches.
func CountReachable(ctx context.Context, q store.Querier, f AudienceFilter, channel string) (int64, error) {
	if !AudienceHasAddress(channel) {
		return CountAudience(ctx, q, f)
	}
	var b audienceSQL
	b.reachable(channel)
	b.build(f)
	var n int64
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM `+b.from()+` WHERE `+b.cond(), b.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count audience's reach on %s: %w", channel, err)
	}
	return n, nil
}

// audiencePage is how many ids AudienceMembers reads a statement.
const audiencePage = 5000

// AudienceMembers calls fn with the id of every customer f matches, in id
// order, consent or not (whoever sends checks it per customer, so that
// the suppressed are counted with their reason). It reads a page of ids
// at a time and calls fn between statements, so fn may use q (the same
// transaction) itself.
func AudienceMembers(ctx context.Context, q store.Querier, f AudienceFilter, fn func(id int64) error) error {
	var b audienceSQL
	b.build(f)
	after := b.arg(int64(0))
	query := `SELECT c.id FROM ` + b.from() + ` WHERE ` + b.cond() + ` AND c.id > ` + after +
		` ORDER BY c.id LIMIT ` + strconv.Itoa(audiencePage)
	last := len(b.args) - 1
	ids := make([]int64, 0, audiencePage)
	for {
		ids = ids[:0]
		err := store.Each(ctx, q, query, b.args, func(r store.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		})
		if err != nil {
			return fmt.Errorf("list audience: %w", err)
		}
		for _, id := range ids {
			if err := fn(id); err != nil {
				return err
			}
		}
		if len(ids) < audiencePage {
			return nil
		}
		b.args[last] = ids[len(ids)-1]
	}
}
