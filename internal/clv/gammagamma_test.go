package clv

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestFitGammaGammaRecoversParams(t *testing.T) {
	t.Parallel()
	pop := Population{Params: cdnow, Spend: cdnowSpend, MaxT: 39}
	cs := pop.Simulate(newRand(5), 200_000)
	fit, err := FitGammaGamma(cs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fit %+v (iterations %d, customers %d, excluded %d)", fit.Params, fit.Iterations, fit.Customers, fit.Excluded)
	t.Logf("95%% CI lower %+v upper %+v", fit.Lower, fit.Upper)
	if !fit.Converged || !fit.Reliable {
		t.Errorf("converged %v, reliable %v, warnings %v", fit.Converged, fit.Reliable, fit.Warnings)
	}
	names := []string{"p", "q", "gamma"}
	got, want := spendSlice(fit.Params), spendSlice(cdnowSpend)
	lo, hi := spendSlice(fit.Lower), spendSlice(fit.Upper)
	covered := 0
	for i := range got {
		within(t, names[i], got[i], want[i], 0.10)
		if !(lo[i] < got[i] && got[i] < hi[i]) {
			t.Errorf("%s: CI [%g, %g] does not contain the estimate %g", names[i], lo[i], hi[i], got[i])
		}
		if lo[i] <= want[i] && want[i] <= hi[i] {
			covered++
		}
	}
	if covered < 2 {
		t.Errorf("only %d of 3 intervals cover the true value", covered)
	}
}

// integratedSpendLogLik is the Gamma-Gamma likelihood of one customer by
// numerical integration of the Gamma(px, xν) density of the mean spend
// over ν ~ Gamma(q, γ).
func integratedSpendLogLik(s SpendParams, c Customer) float64 {
	x, m := c.Frequency, c.Monetary
	nu := distuv.Gamma{Alpha: s.Q, Beta: s.Gamma}
	f := func(u float64) float64 {
		// ν = u/(1−u) maps (0, 1) onto (0, ∞).
		v := u / (1 - u)
		mean := distuv.Gamma{Alpha: s.P * x, Beta: x * v}
		return mean.Prob(m) * nu.Prob(v) / ((1 - u) * (1 - u))
	}
	return math.Log(quad.Fixed(f, 0, 1, 3000, nil, 0))
}

func TestGammaGammaLogLikelihood(t *testing.T) {
	t.Parallel()
	pop := Population{Params: cdnow, Spend: cdnowSpend, MaxT: 39}
	cs := pop.Simulate(newRand(6), 3_000)
	s := cdnowSpend
	checked := 0
	for _, c := range cs {
		if c.Frequency == 0 || checked >= 20 {
			continue
		}
		checked++
		got, want := s.LogLikelihood(c), integratedSpendLogLik(s, c)
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("%+v: log-likelihood %.9g, by integration %.9g", c, got, want)
		}
	}
	var want float64
	for _, c := range cs {
		if c.Frequency > 0 && c.Monetary > 0 {
			want += s.LogLikelihood(c)
		}
	}
	got, grad, err := s.TotalLogLikelihood(cs)
	if err != nil {
		t.Fatal(err)
	}
	within(t, "total log-likelihood", got, want, 1e-11)

	base := spendSlice(s)
	g := spendSlice(grad)
	for i := range base {
		h := 1e-6 * base[i]
		up, down := append([]float64(nil), base...), append([]float64(nil), base...)
		up[i] += h
		down[i] -= h
		lu, _, _ := SpendParams{up[0], up[1], up[2]}.TotalLogLikelihood(cs)
		ld, _, _ := SpendParams{down[0], down[1], down[2]}.TotalLogLikelihood(cs)
		fd := (lu - ld) / (2 * h)
		if math.Abs(fd-g[i]) > 1e-5*math.Max(1, math.Abs(fd)) {
			t.Errorf("d/d%s analytic %.10g, finite differences %.10g", []string{"p", "q", "gamma"}[i], g[i], fd)
		}
	}
}

func TestExpectedSpend(t *testing.T) {
	t.Parallel()
	s := cdnowSpend
	population := s.P * s.Gamma / (s.Q - 1)
	within(t, "spend without repeat purchases", s.ExpectedSpend(Customer{T: 10}), population, 1e-12)
	for _, m := range []float64{5, 20, 200} {
		c := Customer{Frequency: 3, Recency: 5, T: 10, Monetary: m}
		e := s.ExpectedSpend(c)
		if lo, hi := math.Min(m, population), math.Max(m, population); e < lo || e > hi {
			t.Errorf("m %v: expected spend %v not between the population mean %v and m", m, e, population)
		}
		// More purchases, more weight on the customer's own mean.
		c.Frequency = 30
		if math.Abs(s.ExpectedSpend(c)-m) >= math.Abs(e-m) {
			t.Errorf("m %v: expected spend does not move towards m with frequency", m)
		}
	}
	if e := s.ExpectedSpend(Customer{Frequency: 2, Recency: 3, T: 5}); e != 0 {
		t.Errorf("zero-spend repeat buyer: expected spend %v, want 0", e)
	}
}

func TestFitGammaGammaRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		customers []Customer
		want      error
	}{
		{"nobody", nil, ErrNotEnoughData},
		{"one-time buyers only", []Customer{{T: 3}, {T: 5}}, ErrNotEnoughData},
		{"zero spend only", []Customer{{Frequency: 2, Recency: 3, T: 5}, {Frequency: 1, Recency: 1, T: 5}}, ErrNotEnoughData},
		{"one buyer with spend", []Customer{{Frequency: 2, Recency: 3, T: 5, Monetary: 10}, {Frequency: 1, Recency: 1, T: 5}}, ErrNotEnoughData},
		{"negative spend", []Customer{{ID: 3, Frequency: 2, Recency: 3, T: 5, Monetary: -1}}, ErrInvalidCustomer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FitGammaGamma(tt.customers)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			t.Log(err)
		})
	}
}

func TestFitGammaGammaExcludesZeroSpend(t *testing.T) {
	t.Parallel()
	pop := Population{Params: cdnow, Spend: cdnowSpend, MaxT: 39}
	cs := pop.Simulate(newRand(7), 20_000)
	base, err := FitGammaGamma(cs)
	if err != nil {
		t.Fatal(err)
	}
	withZero := append(cs, Customer{ID: -1, Frequency: 4, Recency: 20, T: 30}, Customer{ID: -2, Frequency: 1, Recency: 2, T: 30})
	fit, err := FitGammaGamma(withZero)
	if err != nil {
		t.Fatal(err)
	}
	if fit.Params != base.Params || fit.Excluded != base.Excluded+2 {
		t.Errorf("zero-spend customers changed the fit: %+v vs %+v, excluded %d vs %d", fit.Params, base.Params, fit.Excluded, base.Excluded)
	}
}
