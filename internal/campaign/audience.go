package campaign

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/store"
)

// Part "core": who is in an audience.

// Count is an audience counted before sending.
type Count struct {
	// Customers is everyone the filter matches.
	Customers int64
	// Reachable is those of them the campaign's channel may carry it
	// to: marketing consent on the channel, an address that has not
	// failed, no unsubscribe from marketing.
	Reachable int64
}

// Bounds of an audience.
const (
	maxAudienceText = 200 // a product's SKU, a category's name
	maxAudienceList = 50  // languages, countries
	maxCLV          = 1e12
)

var (
	rfmPattern     = regexp.MustCompile(`^[1-5*]{3}$`)
	languageCode   = regexp.MustCompile(`^[a-z]{2,3}$`)
	countryCode    = regexp.MustCompile(`^[A-Z]{2}$`)
	errEmptyFilter = errors.New("audience matches nobody")
)

// CountAudience counts audience a for a campaign on channel.
func (s *Service) CountAudience(ctx context.Context, a Audience, channel string) (Count, error) {
	var errs invalid.List
	s.checkAudience(&errs, "audience", a)
	if !slices.Contains(Channels, channel) {
		errs.Add("channel", "invalid", "%q is not a campaign channel: %s", channel, strings.Join(Channels, ", "))
	}
	if err := errs.Err(); err != nil {
		return Count{}, err
	}
	q := s.db.Read()
	f, err := s.filter(ctx, q, a)
	if errors.Is(err, errEmptyFilter) {
		return Count{}, nil
	}
	if err != nil {
		return Count{}, err
	}
	// The two counts are independent statements: each on its own
	// connection of the read pool, at the same time.
	var n Count
	reach := make(chan error, 1)
	go func() {
		var err error
		n.Reachable, err = customer.CountReachable(ctx, q, f, channel)
		reach <- err
	}()
	var err1 error
	n.Customers, err1 = customer.CountAudience(ctx, q, f)
	if err := errors.Join(err1, <-reach); err != nil {
		return Count{}, err
	}
	return n, nil
}

// Members calls fn with the id of every customer audience a holds, in id
// order, consent or not (the send part checks consent on channel per
// customer and counts the suppressed with their reason); q is the
// transaction it reads in, and fn may use it too. A saved audience that
// no longer exists is an invalid.Error on audience.saved.
func (s *Service) Members(ctx context.Context, q store.Querier, a Audience, channel string, fn func(id int64) error) error {
	f, err := s.filter(ctx, q, a)
	if errors.Is(err, errEmptyFilter) {
		return nil
	}
	if err != nil {
		return err
	}
	return customer.AudienceMembers(ctx, q, f, fn)
}

// filter is a's criteria, with its saved audience's, as the customer
// package's filter; errEmptyFilter when they cannot both hold (two
// segments).
func (s *Service) filter(ctx context.Context, q store.Querier, a Audience) (customer.AudienceFilter, error) {
	f := customer.AudienceFilter{}
	if err := s.narrow(&f, a); err != nil {
		return f, err
	}
	if a.Saved != 0 {
		saved, err := getAudience(ctx, q, a.Saved)
		if errors.Is(err, store.ErrNotFound) {
			return f, invalid.Field("audience.saved", "not_found", "no saved audience has the id %d", a.Saved)
		}
		if err != nil {
			return f, err
		}
		if err := s.narrow(&f, saved.Audience); err != nil {
			return f, err
		}
	}
	return f, nil
}

// narrow adds a's criteria to f (AND).
func (s *Service) narrow(f *customer.AudienceFilter, a Audience) error {
	one := func(have *string, v string) error {
		switch {
		case v == "":
		case *have == "":
			*have = v
		case *have != v:
			return errEmptyFilter
		}
		return nil
	}
	if err := errors.Join(one(&f.Segment, a.Segment), one(&f.Tier, a.Tier)); err != nil {
		return errEmptyFilter
	}
	if a.RFM != "" {
		if f.RFM == "" {
			f.RFM = a.RFM
		} else {
			r := []byte(f.RFM)
			for i := range 3 {
				switch {
				case a.RFM[i] == '*':
				case r[i] == '*':
					r[i] = a.RFM[i]
				case r[i] != a.RFM[i]:
					return errEmptyFilter
				}
			}
			f.RFM = string(r)
		}
	}
	f.Club = f.Club || a.Club
	if a.ClubProject != 0 && !slices.Contains(f.ClubProjects, a.ClubProject) {
		f.ClubProjects = append(f.ClubProjects, a.ClubProject)
	}
	scale := money.Scale(s.deps.Settings.Shop.Currency)
	if a.MinCLV != nil {
		v := int64(math.Round(*a.MinCLV * math.Pow10(scale)))
		if f.MinCLVMinor == nil || v > *f.MinCLVMinor {
			f.MinCLVMinor = &v
		}
	}
	if a.MaxCLV != nil {
		v := int64(math.Round(*a.MaxCLV * math.Pow10(scale)))
		if f.MaxCLVMinor == nil || v < *f.MaxCLVMinor {
			f.MaxCLVMinor = &v
		}
	}
	if a.Product != "" && !slices.Contains(f.Products, a.Product) {
		f.Products = append(f.Products, a.Product)
	}
	if a.Category != "" && !slices.Contains(f.Categories, a.Category) {
		f.Categories = append(f.Categories, a.Category)
	}
	var err error
	if f.Languages, err = intersect(f.Languages, a.Languages); err != nil {
		return err
	}
	if f.Countries, err = intersect(f.Countries, a.Countries); err != nil {
		return err
	}
	return nil
}

// intersect is the values in both lists, an empty list being any value;
// errEmptyFilter when two lists have none in common.
func intersect(have, more []string) ([]string, error) {
	switch {
	case len(more) == 0:
		return have, nil
	case len(have) == 0:
		return slices.Clone(more), nil
	}
	var out []string
	for _, v := range have {
		if slices.Contains(more, v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil, errEmptyFilter
	}
	return out, nil
}

// empty tells whether a names nobody in particular: no criterion, not
// All.
func (a Audience) empty() bool {
	return !a.All && a.Segment == "" && a.Tier == "" && !a.Club && a.ClubProject == 0 && a.RFM == "" &&
		a.MinCLV == nil && a.MaxCLV == nil && a.Product == "" && a.Category == "" && len(a.Languages) == 0 &&
		len(a.Countries) == 0 && a.Saved == 0
}

// checkAudience validates audience a, naming fields under prefix.
func (s *Service) checkAudience(errs *invalid.List, prefix string, a Audience) {
	field := func(name string) string { return prefix + "." + name }
	if a.empty() {
		errs.Add(prefix, "required", "say who the campaign is for: all, a segment, a tier, the club, an RFM or CLV "+
			"filter, a product, a category, languages, countries or a saved audience")
		return
	}
	if a.Segment != "" && !slices.Contains(analytics.Segments, a.Segment) {
		errs.Add(field("segment"), "invalid", "%q is not a segment: %s", a.Segment, strings.Join(analytics.Segments, ", "))
	}
	if a.Tier != "" {
		var tiers []string
		for _, t := range s.deps.Settings.Loyalty.Tiers {
			tiers = append(tiers, t.Code)
		}
		if !slices.Contains(tiers, a.Tier) {
			errs.Add(field("tier"), "invalid", "%q is not one of the loyalty tiers: %s", a.Tier, strings.Join(tiers, ", "))
		}
	}
	if a.ClubProject < 0 {
		errs.Add(field("club_project"), "invalid", "must be a club project's id")
	}
	if a.RFM != "" && !rfmPattern.MatchString(a.RFM) {
		errs.Add(field("rfm"), "invalid", "must be three characters, each 1 to 5 or * for any (5** is the most recent buyers)")
	}
	for _, b := range []struct {
		name string
		v    *float64
	}{{"min_clv", a.MinCLV}, {"max_clv", a.MaxCLV}} {
		if b.v != nil && (math.IsNaN(*b.v) || *b.v < 0 || *b.v > maxCLV) {
			errs.Add(field(b.name), "invalid", "must be an amount between 0 and %.0f", float64(maxCLV))
		}
	}
	if a.MinCLV != nil && a.MaxCLV != nil && *a.MinCLV > *a.MaxCLV {
		errs.Add(field("max_clv"), "invalid", "must not be below min_clv")
	}
	for _, t := range []struct{ name, v string }{{"product", a.Product}, {"category", a.Category}} {
		if e := invalid.TextMax(field(t.name), t.v, maxAudienceText, false); e != nil {
			*errs = append(*errs, e)
		}
	}
	for _, l := range []struct {
		name string
		vals []string
		re   *regexp.Regexp
		what string
	}{{"languages", a.Languages, languageCode, "a language code in lower case (ru, lv, en)"},
		{"countries", a.Countries, countryCode, "a country code of two capital letters (RU, LV)"}} {
		if len(l.vals) > maxAudienceList {
			errs.Add(field(l.name), "too_long", "at most %d", maxAudienceList)
			continue
		}
		for i, v := range l.vals {
			if !l.re.MatchString(v) {
				errs.Add(fmt.Sprintf("%s[%d]", field(l.name), i), "invalid", "%q is not %s", v, l.what)
			}
		}
	}
	if a.Saved < 0 {
		errs.Add(field("saved"), "invalid", "must be a saved audience's id")
	}
}
