package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// LogLikelihood returns the BG/NBD log-likelihood of one customer, the log
// of equation (6) of Fader, Hardie and Lee (2005):
//
//	L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
//	  + [x > 0] B(a+1, b+x-1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
//
// It does not validate c.
func (p Params) LogLikelihood(c Customer) float64 {
	x := c.Frequency
	a12 := lg(p.R+x) - lg(p.R) + p.R*math.Log(p.Alpha) +
		lg(p.A+p.B) + lg(p.B+x) - lg(p.B) - lg(p.A+p.B+x)
	a3 := -(p.R + x) * math.Log(p.Alpha+c.T)
	if x == 0 {
		return a12 + a3
	}
	a4 := math.Log(p.A) - math.Log(p.B+x-1) - (p.R+x)*math.Log(p.Alpha+c.Recency)
	return a12 + logAddExp(a3, a4)
}

// TotalLogLikelihood returns the BG/NBD log-likelihood of all customers
// and its gradient with respect to (R, Alpha, A, B).
func (p Params) TotalLogLikelihood(customers []Customer) (float64, Params, error) {
	d, err := aggregateBGNBD(customers)
	if err != nil {
		return 0, Params{}, fmt.Errorf("BG/NBD log-likelihood: %w", err)
	}
	var g [4]float64
	ll := d.logLik(p, g[:])
	return ll, Params{g[0], g[1], g[2], g[3]}, nil
}

// FitBGNBD fits the BG/NBD model to customers by maximum likelihood.
//
// It returns ErrNotEnoughData (wrapped) when fewer than two customers made
// a repeat purchase or nobody was observed for any time, and a
// CustomerError for an invalid summary.
func FitBGNBD(customers []Customer) (*Fit, error) {
	d, err := aggregateBGNBD(customers)
	if err != nil {
		return nil, fmt.Errorf("fit BG/NBD: %w", err)
	}
	return fitBGNBD(d)
}

// fitBGNBD fits the model to the aggregated customers.
func fitBGNBD(d *bgData) (*Fit, error) {
	if d.repeaters < 2 || d.maxT == 0 {
		return nil, fmt.Errorf("fit BG/NBD: %w: %d customers, %d repeat buyers, longest observation %v (need 2 repeat buyers and time observed)",
			ErrNotEnoughData, d.customers, d.repeaters, d.maxT)
	}
	// Start: r = 1 and α matching the observed repeat rate, ignoring
	// dropout; a = b = 1, a uniform dropout probability.
	alpha0 := d.sumT / d.sumX
	theta0 := []float64{0, math.Log(alpha0), 0, 0}
	grad := make([]float64, 4)
	f := func(theta, g []float64) float64 {
		for _, t := range theta {
			if math.Abs(t) > maxLogParam {
				return math.Inf(1)
			}
		}
		p := Params{math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2]), math.Exp(theta[3])}
		ll := d.logLik(p, grad)
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return math.Inf(1)
		}
		if g != nil {
			for i, v := range [4]float64{p.R, p.Alpha, p.A, p.B} {
				g[i] = -v * grad[i] / d.weight
			}
		}
		return -ll / d.weight
	}
	o, err := maximise(f, theta0, d.weight)
	if err != nil {
		return nil, fmt.Errorf("fit BG/NBD: %w", err)
	}
	fit := &Fit{
		LogLikelihood: -o.meanNLL * d.weight,
		Customers:     d.customers,
		Repeaters:     d.repeaters,
		Distinct:      d.distinct(),
		Converged:     o.converged,
		Iterations:    o.iterations,
	}
	se := o.seLog
	if se == nil {
		se = []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}
	}
	var v, s, lo, hi [4]float64
	for i := range 4 {
		v[i], s[i], lo[i], hi[i] = interval(o.theta[i], se[i])
	}
	fit.Params = Params{v[0], v[1], v[2], v[3]}
	fit.StdErr = Params{s[0], s[1], s[2], s[3]}
	fit.Lower = Params{lo[0], lo[1], lo[2], lo[3]}
	fit.Upper = Params{hi[0], hi[1], hi[2], hi[3]}
	names := []string{"r", "alpha", "a", "b"}
	fit.Warnings = reliability(o, d.customers, d.repeaters, names)
	fit.Degenerate = degenerate(o, names, v[:])
	if fit.Degenerate != "" {
		fit.Warnings = append(fit.Warnings, "the estimate is degenerate: "+fit.Degenerate)
	}
	fit.Reliable = len(fit.Warnings) == 0
	return fit, nil
}

// ProbAlive returns the probability that c is still alive at the end of
// observation (Fader, Hardie and Lee 2005, note on P(alive)):
//
//	P = 1 / (1 + [x > 0] · a/(b+x-1) · ((α+T)/(α+t_x))^(r+x))
//
// A customer without repeat purchases is alive for sure: in the BG/NBD
// dropout only happens right after a repeat purchase.
func (p Params) ProbAlive(c Customer) float64 {
	x := c.Frequency
	if x == 0 {
		return 1
	}
	lr := math.Log(p.A/(p.B+x-1)) + (p.R+x)*math.Log((p.Alpha+c.T)/(p.Alpha+c.Recency))
	return 1 / (1 + math.Exp(lr))
}

// ExpectedPurchases returns the expected number of purchases of c in
// (T, T+t], equation (10) of Fader, Hardie and Lee (2005):
//
//	E = (a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))]
//	    / (1 + [x > 0] · a/(b+x-1) · ((α+T)/(α+t_x))^(r+x))
//
// The removable singularity at a = 1 is bridged by averaging a = 1 ± 1e-4.
// It returns NaN when the hypergeometric function cannot be evaluated.
func (p Params) ExpectedPurchases(c Customer, t float64) float64 {
	if t <= 0 {
		return 0
	}
	const h = 1e-4
	if math.Abs(p.A-1) < h {
		lo, hi := p, p
		lo.A, hi.A = 1-h, 1+h
		return (lo.expected(c, t) + hi.expected(c, t)) / 2
	}
	return p.expected(c, t)
}

// expected is equation (10) for a ≠ 1.
func (p Params) expected(c Customer, t float64) float64 {
	x := c.Frequency
	k := p.R + x
	at := p.Alpha + c.T
	z := t / (at + t)
	hyp := mathext.Hypergeo(k, p.B+x, p.A+p.B+x-1, z)
	term := 1 - math.Exp(k*math.Log(at/(at+t)))*hyp
	e := (p.A + p.B + x - 1) / (p.A - 1) * term * p.ProbAlive(c)
	if math.IsNaN(e) || math.IsInf(e, 0) {
		return math.NaN()
	}
	return math.Max(e, 0)
}

// bgData is customers aggregated by (x, t_x, T): the likelihood only
// depends on those, and day-granular data have far fewer distinct triples
// than customers.
type bgData struct {
	xs     []float64 // distinct frequencies, ascending; xs[0] == 0 when anyone has none
	groups []bgGroup // one per xs entry
	times  []float64 // distinct T and t_x values
	cells  []bgCell  // grouped by x, see bgGroup

	customers, repeaters int
	weight               float64 // number of customers, as the likelihood's divisor
	sumX, sumT, maxT     float64
}

// bgGroup is the cells of one frequency: cells[start:end].
type bgGroup struct {
	start, end int
	weight     float64
}

// bgCell is one distinct (t_x, T) within a frequency, with its count.
type bgCell struct {
	t, tx int32 // indices into bgData.times
	w     float64
}

func (d *bgData) distinct() int { return len(d.cells) }

func aggregateBGNBD(customers []Customer) (*bgData, error) {
	var b bgBuilder
	for _, c := range customers {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		b.add(c)
	}
	return b.data(), nil
}

// bgKey is one distinct (x, T, t_x), as indices into the builder's lists.
type bgKey struct{ x, t, tx int32 }

// bgBuilder aggregates customers into bgData one at a time, in memory
// proportional to the distinct summaries: cells in the order they are
// first seen, so the likelihood sums in the same order however the
// customers arrive (one slice or a stream).
type bgBuilder struct {
	d       bgData
	timeIdx map[float64]int32
	xIdx    map[float64]int32
	cellIdx map[bgKey]int
	xs      []float64
	raw     []bgCell
	rawX    []int32
}

// add counts c, a valid summary, in its cell.
func (b *bgBuilder) add(c Customer) {
	if b.cellIdx == nil {
		b.timeIdx, b.xIdx, b.cellIdx = map[float64]int32{}, map[float64]int32{}, map[bgKey]int{}
	}
	d := &b.d
	d.customers++
	tx := c.Recency
	if c.Frequency == 0 {
		tx = 0
	} else {
		d.repeaters++
	}
	d.sumX += c.Frequency
	d.sumT += c.T
	d.maxT = math.Max(d.maxT, c.T)
	k := bgKey{bgIndex(b.xIdx, &b.xs, c.Frequency), bgIndex(b.timeIdx, &d.times, c.T), bgIndex(b.timeIdx, &d.times, tx)}
	if i, ok := b.cellIdx[k]; ok {
		b.raw[i].w++
		return
	}
	b.cellIdx[k] = len(b.raw)
	b.raw = append(b.raw, bgCell{t: k.t, tx: k.tx, w: 1})
	b.rawX = append(b.rawX, k.x)
}

// bgIndex is v's index in list, appending it when it is new.
func bgIndex(m map[float64]int32, list *[]float64, v float64) int32 {
	i, ok := m[v]
	if !ok {
		i = int32(len(*list))
		m[v] = i
		*list = append(*list, v)
	}
	return i
}

// data groups the cells by frequency, so per-frequency terms (gamma and
// digamma functions) are computed once per frequency.
func (b *bgBuilder) data() *bgData {
	d := &bgData{times: b.d.times, customers: b.d.customers, repeaters: b.d.repeaters, weight: float64(b.d.customers),
		sumX: b.d.sumX, sumT: b.d.sumT, maxT: b.d.maxT}
	xs, raw, rawX := b.xs, b.raw, b.rawX
	order := make([]int32, len(xs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int { return cmp.Compare(xs[i], xs[j]) })
	rank := make([]int32, len(xs))
	for r, i := range order {
		rank[i] = int32(r)
		d.xs = append(d.xs, xs[i])
	}
	perm := make([]int, len(raw))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(i, j int) int { return cmp.Compare(rank[rawX[i]], rank[rawX[j]]) })
	d.cells = make([]bgCell, len(raw))
	d.groups = make([]bgGroup, len(xs))
	for n, i := range perm {
		d.cells[n] = raw[i]
		g := &d.groups[rank[rawX[i]]]
		if g.end == 0 {
			g.start = n
		}
		g.end = n + 1
		g.weight += raw[i].w
	}
	return d
}

// logLik returns the total log-likelihood at p and stores its gradient
// with respect to (r, α, a, b) in grad.
func (d *bgData) logLik(p Params, grad []float64) float64 {
	r, alpha, a, b := p.R, p.Alpha, p.A, p.B
	logT := make([]float64, len(d.times))
	invT := make([]float64, len(d.times))
	for i, t := range d.times {
		logT[i] = math.Log(alpha + t)
		invT[i] = 1 / (alpha + t)
	}
	logAlpha := math.Log(alpha)
	lgR, lgB, lgAB := lg(r), lg(b), lg(a+b)
	psiR, psiB, psiAB := mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
	logA := math.Log(a)
	var ll, gr, gAlpha, ga, gb float64
	for gi, x := range d.xs {
		grp := d.groups[gi]
		cells := d.cells[grp.start:grp.end]
		k := r + x
		a12 := lg(k) - lgR + r*logAlpha + lgAB + lg(b+x) - lgB - lg(a+b+x)
		dA1r := mathext.Digamma(k) - psiR + logAlpha
		dA2a := psiAB - mathext.Digamma(a+b+x)
		dA2b := psiAB + mathext.Digamma(b+x) - psiB - mathext.Digamma(a+b+x)
		// Sums over the cells of weight × (share of each term) × its
		// derivative's cell-dependent factor.
		var sLL, sLog, sInv, s4 float64
		if x == 0 {
			for _, c := range cells {
				sLog += c.w * logT[c.t]
				sInv += c.w * invT[c.t]
			}
			sLL = -k * sLog
		} else {
			logRatio := logA - math.Log(b+x-1)
			for _, c := range cells {
				a3 := -k * logT[c.t]
				a4 := logRatio - k*logT[c.tx]
				var m, w3, w4, l1p float64
				if a4 > a3 {
					e := math.Exp(a3 - a4)
					m, w4, l1p = a4, 1/(1+e), math.Log1p(e)
					w3 = e * w4
				} else {
					e := math.Exp(a4 - a3)
					m, w3, l1p = a3, 1/(1+e), math.Log1p(e)
					w4 = e * w3
				}
				sLL += c.w * (m + l1p)
				sLog += c.w * (w3*logT[c.t] + w4*logT[c.tx])
				sInv += c.w * (w3*invT[c.t] + w4*invT[c.tx])
				s4 += c.w * w4
			}
			ga += s4 / a
			gb -= s4 / (b + x - 1)
		}
		ll += grp.weight*a12 + sLL
		gr += grp.weight*dA1r - sLog
		gAlpha += grp.weight*r/alpha - k*sInv
		ga += grp.weight * dA2a
		gb += grp.weight * dA2b
	}
	if grad != nil {
		grad[0], grad[1], grad[2], grad[3] = gr, gAlpha, ga, gb
	}
	return ll
}

// lg is the log of the absolute value of the gamma function.
func lg(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// logAddExp returns log(exp(u) + exp(v)) without overflow.
func logAddExp(u, v float64) float64 {
	if u < v {
		u, v = v, u
	}
	return u + math.Log1p(math.Exp(v-u))
}
