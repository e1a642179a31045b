package clv

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

func TestFitBGNBDRecoversParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		pop  Population
		n    int
		rel  float64
		// coverage asks for the true values inside the intervals, which
		// only holds where the model is exactly right.
		coverage bool
	}{
		// Continuous time in weeks, T uniform over 0..39 weeks.
		{"weeks", Population{Params: cdnow, Spend: cdnowSpend, MaxT: 39}, 100_000, 0.10, true},
		// Day-granular, T up to three years: the flooring to days is a
		// slight misspecification (α comes out about 7% high), so the
		// estimates are held to the tolerance but not to the intervals.
		{"days", Population{Params: cdnowDays, Spend: cdnowSpend, MaxT: 3 * 365, Step: 1}, 100_000, 0.10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := tt.pop.Simulate(newRand(1), tt.n)
			fit, err := FitBGNBD(cs)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("fit %+v (iterations %d, distinct %d, repeaters %d, LL %.1f)", fit.Params, fit.Iterations, fit.Distinct, fit.Repeaters, fit.LogLikelihood)
			t.Logf("95%% CI lower %+v upper %+v", fit.Lower, fit.Upper)
			if !fit.Converged || !fit.Reliable {
				t.Errorf("converged %v, reliable %v, warnings %v", fit.Converged, fit.Reliable, fit.Warnings)
			}
			names := []string{"r", "alpha", "a", "b"}
			got, want := paramsSlice(fit.Params), paramsSlice(tt.pop.Params)
			lo, hi, se := paramsSlice(fit.Lower), paramsSlice(fit.Upper), paramsSlice(fit.StdErr)
			covered := 0
			for i := range got {
				within(t, names[i], got[i], want[i], tt.rel)
				if !(lo[i] < got[i] && got[i] < hi[i] && se[i] > 0 && se[i] < 0.2*got[i]) {
					t.Errorf("%s: CI [%g, %g] or standard error %g not sane around %g", names[i], lo[i], hi[i], se[i], got[i])
				}
				if lo[i] <= want[i] && want[i] <= hi[i] {
					covered++
				}
			}
			// Four 95% intervals: all four cover with probability ~0.81,
			// at least three with ~0.99.
			if tt.coverage && covered < 3 {
				t.Errorf("only %d of 4 intervals cover the true value", covered)
			}
		})
	}
}

// paperLogLik is equation (6) of Fader, Hardie and Lee (2005) written out
// directly, with beta functions, for one customer.
func paperLogLik(p Params, c Customer) float64 {
	x := c.Frequency
	lgr, _ := math.Lgamma(p.R + x)
	lg0, _ := math.Lgamma(p.R)
	common := lgr - lg0 + p.R*math.Log(p.Alpha) - mathext.Lbeta(p.A, p.B)
	t1 := common + mathext.Lbeta(p.A, p.B+x) - (p.R+x)*math.Log(p.Alpha+c.T)
	if x == 0 {
		return t1
	}
	t2 := common + mathext.Lbeta(p.A+1, p.B+x-1) - (p.R+x)*math.Log(p.Alpha+c.Recency)
	return math.Log(math.Exp(t1) + math.Exp(t2))
}

func TestBGNBDLogLikelihoodMatchesPaper(t *testing.T) {
	t.Parallel()
	pop := Population{Params: cdnowDays, Spend: cdnowSpend, MaxT: 700, Step: 1}
	cs := pop.Simulate(newRand(2), 20_000)
	for _, p := range []Params{cdnowDays, {R: 1.3, Alpha: 2, A: 0.4, B: 7}} {
		var want float64
		for _, c := range cs {
			want += paperLogLik(p, c)
			if d := math.Abs(p.LogLikelihood(c) - paperLogLik(p, c)); d > 1e-9 {
				t.Fatalf("customer %+v: LogLikelihood differs from equation (6) by %g", c, d)
			}
		}
		got, _, err := p.TotalLogLikelihood(cs)
		if err != nil {
			t.Fatal(err)
		}
		within(t, "total log-likelihood", got, want, 1e-11)
	}
}

func TestBGNBDGradientMatchesFiniteDifferences(t *testing.T) {
	t.Parallel()
	pop := Population{Params: cdnow, Spend: cdnowSpend, MaxT: 39}
	cs := pop.Simulate(newRand(3), 5_000)
	d, err := aggregateBGNBD(cs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Params{cdnow, {R: 2, Alpha: 10, A: 3, B: 0.5}} {
		g := make([]float64, 4)
		d.logLik(p, g)
		base := paramsSlice(p)
		for i := range base {
			h := 1e-6 * base[i]
			up, down := append([]float64(nil), base...), append([]float64(nil), base...)
			up[i] += h
			down[i] -= h
			fd := (d.logLik(Params{up[0], up[1], up[2], up[3]}, nil) - d.logLik(Params{down[0], down[1], down[2], down[3]}, nil)) / (2 * h)
			if math.Abs(fd-g[i]) > 1e-5*math.Max(1, math.Abs(fd)) {
				t.Errorf("params %+v: d/d%d analytic %.10g, finite differences %.10g", p, i, g[i], fd)
			}
		}
	}
}

// quadratureExpected computes E[Y(t) | x, t_x, T] without the
// hypergeometric function: the purchase rate is integrated out in closed
// form and the dropout probability numerically, after the substitution
// u = p^a that removes the Beta density's singularity at 0.
func quadratureExpected(p Params, c Customer, t float64) float64 {
	x, k := c.Frequency, p.R+c.Frequency
	at := p.Alpha + c.T
	lgk, _ := math.Lgamma(k)
	lgr, _ := math.Lgamma(p.R)
	logConst := lgk - lgr + p.R*math.Log(p.Alpha) - k*math.Log(at) - mathext.Lbeta(p.A, p.B) - math.Log(p.A)
	f := func(u float64) float64 {
		q := math.Pow(u, 1/p.A)
		if q == 0 {
			return math.Pow(1, x+p.B-1) * k * t / at // the limit p → 0
		}
		// (1−p)^(x+b−1) · (1 − ((α+T)/(α+T+pt))^k) / p
		return math.Pow(1-q, x+p.B-1) * -math.Expm1(-k*math.Log1p(q*t/at)) / q
	}
	num := quad.Fixed(f, 0, 1, 4000, nil, 0)
	return num * math.Exp(logConst-p.LogLikelihood(c))
}

func TestExpectedPurchasesMatchesQuadrature(t *testing.T) {
	t.Parallel()
	customers := []Customer{
		{Frequency: 0, T: 20},
		{Frequency: 2, Recency: 30.43, T: 38.86},
		{Frequency: 1, Recency: 2, T: 38},
		{Frequency: 10, Recency: 35, T: 38},
		{Frequency: 10, Recency: 5, T: 38},
	}
	for _, p := range []Params{cdnow, {R: 1.5, Alpha: 3, A: 2.5, B: 4}} {
		for _, c := range customers {
			for _, h := range []float64{1, 10, 39, 150} {
				got := p.ExpectedPurchases(c, h)
				want := quadratureExpected(p, c, h)
				if math.Abs(got-want) > 1e-6*math.Max(want, 1e-3) {
					t.Errorf("params %+v, customer %+v, t %v: expected purchases %.9g, quadrature %.9g", p, c, h, got, want)
				}
			}
		}
	}
}

func TestPublishedCDNOW(t *testing.T) {
	t.Parallel()
	// Fader, Hardie and Lee (2005), section 5: a customer with two repeat
	// purchases, the last at 30.43 weeks, observed for 38.86 weeks, is
	// expected to make 1.226 purchases in the next 39 weeks.
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	if got := cdnow.ExpectedPurchases(c, 39); math.Abs(got-1.226) > 0.0005 {
		t.Errorf("expected purchases %.4f, want 1.226", got)
	}
}

func TestPredictionConsistency(t *testing.T) {
	t.Parallel()
	customers := []Customer{
		{Frequency: 0, T: 30},
		{Frequency: 1, Recency: 1, T: 38},
		{Frequency: 3, Recency: 36, T: 38},
		{Frequency: 20, Recency: 37, T: 38},
		{Frequency: 20, Recency: 10, T: 38},
	}
	for _, c := range customers {
		alive := cdnow.ProbAlive(c)
		if c.Frequency == 0 && alive != 1 {
			t.Errorf("%+v: P(alive) %v, want 1 without repeat purchases", c, alive)
		}
		if !(alive > 0 && alive <= 1) {
			t.Errorf("%+v: P(alive) %v out of (0, 1]", c, alive)
		}
		// At small t the expectation is P(alive) · E[λ | data] · t, with
		// E[λ | alive, data] = (r+x)/(α+T).
		const small = 1e-4
		slope := cdnow.ExpectedPurchases(c, small) / small
		within(t, "initial slope", slope, alive*(cdnow.R+c.Frequency)/(cdnow.Alpha+c.T), 1e-3)
		prev := 0.0
		for _, h := range []float64{1, 5, 20, 52, 104, 520} {
			e := cdnow.ExpectedPurchases(c, h)
			if !(e > prev) {
				t.Errorf("%+v: expected purchases %v at t=%v not above %v", c, e, h, prev)
			}
			prev = e
		}
	}
	// A recent frequent buyer is more likely alive than one who went quiet.
	if cdnow.ProbAlive(customers[3]) <= cdnow.ProbAlive(customers[4]) {
		t.Error("P(alive) does not fall with time since the last purchase")
	}
	// a = 1 is a removable singularity of the expectation.
	c := customers[2]
	near := Params{R: 0.5, Alpha: 4, A: 1.001, B: 2}
	one := near
	one.A = 1
	within(t, "expectation at a = 1", one.ExpectedPurchases(c, 20), near.ExpectedPurchases(c, 20), 2e-3)
}

func TestFitBGNBDRejects(t *testing.T) {
	t.Parallel()
	oneTime := make([]Customer, 500)
	sameDay := make([]Customer, 500)
	for i := range oneTime {
		oneTime[i] = Customer{ID: int64(i), T: float64(i % 40)}
		sameDay[i] = Customer{ID: int64(i)}
	}
	tests := []struct {
		name      string
		customers []Customer
		want      error
		field     string
	}{
		{"no customers", nil, ErrNotEnoughData, ""},
		{"only one-time buyers", oneTime, ErrNotEnoughData, ""},
		{"everyone on one day", sameDay, ErrNotEnoughData, ""},
		{"one repeat buyer", append([]Customer{{Frequency: 1, Recency: 3, T: 10}}, oneTime...), ErrNotEnoughData, ""},
		{"recency beyond T", []Customer{{ID: 7, Frequency: 1, Recency: 11, T: 10}}, ErrInvalidCustomer, "recency"},
		{"negative frequency", []Customer{{ID: 7, Frequency: -1, T: 10}}, ErrInvalidCustomer, "frequency"},
		{"NaN T", []Customer{{ID: 7, T: math.NaN()}}, ErrInvalidCustomer, "T"},
		{"infinite monetary", []Customer{{ID: 7, Frequency: 1, Recency: 1, T: 2, Monetary: math.Inf(1)}}, ErrInvalidCustomer, "monetary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fit, err := FitBGNBD(tt.customers)
			if !errors.Is(err, tt.want) {
				t.Fatalf("fit %+v, error %v, want %v", fit, err, tt.want)
			}
			t.Log(err)
			if tt.field != "" {
				var ce *CustomerError
				if !errors.As(err, &ce) || ce.ID != 7 || ce.Field != tt.field {
					t.Errorf("error %v, want a CustomerError for customer 7, field %s", err, tt.field)
				}
			}
		})
	}
}

func TestFitBGNBDSmallDataIsFlagged(t *testing.T) {
	t.Parallel()
	pop := Population{Params: cdnow, Spend: cdnowSpend, MaxT: 39}
	cs := pop.Simulate(newRand(4), 80)
	fit, err := FitBGNBD(cs)
	if err != nil {
		t.Fatal(err)
	}
	if fit.Reliable || len(fit.Warnings) == 0 {
		t.Errorf("fit on %d customers (%d repeat buyers) reliable %v, warnings %v", fit.Customers, fit.Repeaters, fit.Reliable, fit.Warnings)
	}
	t.Log(fit.Warnings)
}

// TestFitAtTheEdgeIsDegenerate: data the models cannot close — nobody
// ever seems to leave, or every customer spends alike — drive a
// parameter towards infinity; the fit says so in Degenerate and is not
// reliable, while a fit of data drawn from the model is no such thing.
func TestFitAtTheEdgeIsDegenerate(t *testing.T) {
	t.Parallel()
	// Everyone buys every ten days, the last time today: no dropout at
	// all, and no spread in how often they buy.
	var steady []Customer
	for i := range 400 {
		T := float64(30 + i%300)
		x := math.Floor(T / 10)
		steady = append(steady, Customer{ID: int64(i + 1), Frequency: x, Recency: x * 10, T: T, Monetary: 25})
	}
	fit, err := FitBGNBD(steady)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("steady buyers: %+v, degenerate %q", fit.Params, fit.Degenerate)
	if fit.Degenerate == "" || fit.Reliable {
		t.Errorf("fit %+v of customers who never leave: degenerate %q, reliable %v; want it flagged", fit.Params, fit.Degenerate, fit.Reliable)
	}
	spend, err := FitGammaGamma(steady)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("same spend: %+v, degenerate %q", spend.Params, spend.Degenerate)
	if spend.Degenerate == "" || spend.Reliable {
		t.Errorf("spend fit %+v of customers who all spend 25: degenerate %q, reliable %v; want it flagged", spend.Params, spend.Degenerate, spend.Reliable)
	}

	drawn := Population{Params: cdnow, Spend: cdnowSpend, MaxT: 39}.Simulate(newRand(7), 5000)
	if fit, err := FitBGNBD(drawn); err != nil || fit.Degenerate != "" {
		t.Errorf("fit of data drawn from the model: degenerate %q, %v", fit.Degenerate, err)
	}
	if fit, err := FitGammaGamma(drawn); err != nil || fit.Degenerate != "" {
		t.Errorf("spend fit of data drawn from the model: degenerate %q, %v", fit.Degenerate, err)
	}
}
