package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// LogLikelihood returns the Gamma-Gamma log-likelihood of one repeat
// buyer's mean spend m over x purchases, the density of the mean of x
// Gamma(p, ν) values with ν ~ Gamma(q, γ):
//
//	log Γ(px+q) − log Γ(px) − log Γ(q) + q log γ + (px−1) log m + px log x − (px+q) log(xm+γ)
//
// It is meant for customers with Frequency > 0 and Monetary > 0 and does
// not validate c.
func (s SpendParams) LogLikelihood(c Customer) float64 {
	x, m := c.Frequency, c.Monetary
	px := s.P * x
	return lg(px+s.Q) - lg(px) - lg(s.Q) + s.Q*math.Log(s.Gamma) +
		(px-1)*math.Log(m) + px*math.Log(x) - (px+s.Q)*math.Log(x*m+s.Gamma)
}

// TotalLogLikelihood returns the Gamma-Gamma log-likelihood of the
// customers with Frequency > 0 and Monetary > 0 and its gradient with
// respect to (P, Q, Gamma).
func (s SpendParams) TotalLogLikelihood(customers []Customer) (float64, SpendParams, error) {
	d, err := aggregateSpend(customers)
	if err != nil {
		return 0, SpendParams{}, fmt.Errorf("Gamma-Gamma log-likelihood: %w", err)
	}
	var g [3]float64
	ll := d.logLik(s, g[:])
	return ll, SpendParams{g[0], g[1], g[2]}, nil
}

// FitGammaGamma fits the Gamma-Gamma spend model by maximum likelihood to
// the customers with Frequency > 0 and Monetary > 0; the others are
// counted in SpendFit.Excluded.
//
// It returns ErrNotEnoughData (wrapped) when fewer than two customers
// qualify, and a CustomerError for an invalid summary.
func FitGammaGamma(customers []Customer) (*SpendFit, error) {
	d, err := aggregateSpend(customers)
	if err != nil {
		return nil, fmt.Errorf("fit Gamma-Gamma: %w", err)
	}
	return fitGammaGamma(d)
}

// fitGammaGamma fits the spend model to the aggregated repeat buyers.
func fitGammaGamma(d *spendData) (*SpendFit, error) {
	if d.used < 2 {
		return nil, fmt.Errorf("fit Gamma-Gamma: %w: %d customers, %d repeat buyers with spend (need 2)",
			ErrNotEnoughData, d.customers, d.used)
	}
	// Start: p = 2, q = 3 and γ matching the mean spend, p γ/(q−1).
	theta0 := []float64{math.Log(2), math.Log(3), math.Log(d.sumM / d.weight)}
	grad := make([]float64, 3)
	f := func(theta, g []float64) float64 {
		for _, t := range theta {
			if math.Abs(t) > maxLogParam {
				return math.Inf(1)
			}
		}
		s := SpendParams{math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2])}
		ll := d.logLik(s, grad)
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return math.Inf(1)
		}
		if g != nil {
			for i, v := range [3]float64{s.P, s.Q, s.Gamma} {
				g[i] = -v * grad[i] / d.weight
			}
		}
		return -ll / d.weight
	}
	o, err := maximise(f, theta0, d.weight)
	if err != nil {
		return nil, fmt.Errorf("fit Gamma-Gamma: %w", err)
	}
	fit := &SpendFit{
		LogLikelihood: -o.meanNLL * d.weight,
		Customers:     d.used,
		Excluded:      d.customers - d.used,
		Distinct:      len(d.ms),
		Converged:     o.converged,
		Iterations:    o.iterations,
	}
	se := o.seLog
	if se == nil {
		se = []float64{math.NaN(), math.NaN(), math.NaN()}
	}
	var v, s, lo, hi [3]float64
	for i := range 3 {
		v[i], s[i], lo[i], hi[i] = interval(o.theta[i], se[i])
	}
	fit.Params = SpendParams{v[0], v[1], v[2]}
	fit.StdErr = SpendParams{s[0], s[1], s[2]}
	fit.Lower = SpendParams{lo[0], lo[1], lo[2]}
	fit.Upper = SpendParams{hi[0], hi[1], hi[2]}
	fit.Warnings = reliability(o, d.used, d.used, []string{"p", "q", "gamma"})
	if fit.Params.Q <= 1 {
		fit.Warnings = append(fit.Warnings, fmt.Sprintf("q = %.3g ≤ 1: the population mean spend is infinite", fit.Params.Q))
	}
	// γ carries the money's units: judge it against the mean spend.
	fit.Degenerate = degenerate(o, []string{"p", "q", "gamma relative to the mean spend"}, []float64{v[0], v[1], v[2] / (d.sumM / d.weight)})
	if fit.Degenerate != "" {
		fit.Warnings = append(fit.Warnings, "the estimate is degenerate: "+fit.Degenerate)
	}
	fit.Reliable = len(fit.Warnings) == 0
	return fit, nil
}

// ExpectedSpend returns the conditional expected mean spend per purchase
// of c (Fader, Hardie and Lee 2005, "RFM and CLV", equation 5):
//
//	E[Z | x, m] = p (γ + x m) / (p x + q − 1)
//
// a weighted mean of the population mean p γ/(q−1) and c's own mean m. A
// customer without repeat purchases gets the population mean (NaN when
// q ≤ 1, where it is infinite). A repeat buyer whose recorded spend is 0
// is outside the model (it has no zero-spend purchases) and gets 0, so
// their predicted value is 0 too.
func (s SpendParams) ExpectedSpend(c Customer) float64 {
	x := c.Frequency
	if x > 0 && c.Monetary == 0 {
		return 0
	}
	den := s.P*x + s.Q - 1
	if den <= 0 {
		return math.NaN()
	}
	return s.P * (s.Gamma + x*c.Monetary) / den
}

// spendData is the repeat buyers with spend aggregated by (x, m), grouped
// by x.
type spendData struct {
	xs     []float64
	groups []spendGroup
	ms     []spendCell
	// customers counts all the customers, used or not.
	customers int
	used      int
	weight    float64
	sumM      float64
}

// spendGroup is the cells ms[start:end] of one frequency, with the sums
// that do not depend on the parameters.
type spendGroup struct {
	start, end int
	weight     float64 // customers
	sumLogM    float64 // Σ w log m
}

type spendCell struct{ m, w float64 }

func aggregateSpend(customers []Customer) (*spendData, error) {
	var b spendBuilder
	for _, c := range customers {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		b.add(c)
	}
	return b.data(), nil
}

// spendBuilder collects the repeat buyers with spend one at a time: 16
// bytes a buyer, sorted and counted by (x, m) at the end.
type spendBuilder struct {
	customers int // all customers added, used or not
	used      int
	sumM      float64
	pairs     []spendPair
}

type spendPair struct{ x, m float64 }

// add keeps the (x, m) of c, a valid summary, when it is a repeat buyer
// with spend.
func (b *spendBuilder) add(c Customer) {
	b.customers++
	if c.Frequency == 0 || c.Monetary == 0 {
		return
	}
	b.used++
	b.sumM += c.Monetary
	b.pairs = append(b.pairs, spendPair{c.Frequency, c.Monetary})
}

// data sorts the pairs by (x, m), counts the equal ones and groups them
// by x. It sorts the builder's pairs in place.
func (b *spendBuilder) data() *spendData {
	d := &spendData{customers: b.customers, used: b.used, sumM: b.sumM, weight: float64(b.used)}
	pairs := b.pairs
	slices.SortFunc(pairs, func(u, v spendPair) int { return cmp.Or(cmp.Compare(u.x, v.x), cmp.Compare(u.m, v.m)) })
	for i := 0; i < len(pairs); {
		k := pairs[i]
		j := i + 1
		for j < len(pairs) && pairs[j] == k {
			j++
		}
		w := float64(j - i)
		i = j
		if len(d.xs) == 0 || d.xs[len(d.xs)-1] != k.x {
			d.xs = append(d.xs, k.x)
			d.groups = append(d.groups, spendGroup{start: len(d.ms)})
		}
		g := &d.groups[len(d.groups)-1]
		g.end = len(d.ms) + 1
		g.weight += w
		g.sumLogM += w * math.Log(k.m)
		d.ms = append(d.ms, spendCell{m: k.m, w: w})
	}
	return d
}

// logLik returns the total log-likelihood at s and stores its gradient
// with respect to (p, q, γ) in grad.
func (d *spendData) logLik(s SpendParams, grad []float64) float64 {
	p, q, v := s.P, s.Q, s.Gamma
	lgQ, psiQ, logV := lg(q), mathext.Digamma(q), math.Log(v)
	var ll, gp, gq, gv float64
	for gi, x := range d.xs {
		grp := d.groups[gi]
		var sLog, sInv float64
		for _, c := range d.ms[grp.start:grp.end] {
			u := x*c.m + v
			sLog += c.w * math.Log(u)
			sInv += c.w / u
		}
		px := p * x
		n := grp.weight
		logX := math.Log(x)
		psiPXQ := mathext.Digamma(px + q)
		ll += n*(lg(px+q)-lg(px)-lgQ+q*logV+px*logX) + (px-1)*grp.sumLogM - (px+q)*sLog
		gp += x * (n*(psiPXQ-mathext.Digamma(px)+logX) + grp.sumLogM - sLog)
		gq += n*(psiPXQ-psiQ+logV) - sLog
		gv += n*q/v - (px+q)*sInv
	}
	if grad != nil {
		grad[0], grad[1], grad[2] = gp, gq, gv
	}
	return ll
}
