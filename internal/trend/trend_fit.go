package trend

import (
	"math"
	"slices"
)

// madToSigma turns a median absolute deviation into a normal standard
// deviation.
const madToSigma = 1.4826

// model is the fit to the whole weeks before a day: the Theil–Sen line
// through the weekly levels, the factor of each position in the week, and
// the predictive scale on the square-root scale.
type model struct {
	intercept, slope float64    // level at week position 0 and per week
	factor           [7]float64 // by day offset from the window's start, mod 7
	tau              float64    // predictive standard deviation of u(value)
	weeks            int
}

// fitter holds the scratch space of the fits, reused day after day.
type fitter struct {
	window int
	ref    []float64 // m_w
	level  []float64 // deseasonalised weekly level, NaN when none
	buf    []float64
	ratios [7][]float64
	pos    []float64
	lv     []float64
}

func newFitter(window int) *fitter {
	w := window / 7
	f := &fitter{
		window: w * 7,
		ref:    make([]float64, w),
		level:  make([]float64, w),
		buf:    make([]float64, 0, max(w*w, 7*w, 7)),
		pos:    make([]float64, 0, w),
		lv:     make([]float64, 0, w),
	}
	for k := range f.ratios {
		f.ratios[k] = make([]float64, 0, w)
	}
	return f
}

// fit models the whole weeks of v that end just before index end.
func (f *fitter) fit(v []float64, end int) model {
	n := min(f.window, end) / 7 * 7
	start := end - n
	nw := n / 7
	m := model{weeks: nw}
	for w := range nw {
		f.ref[w] = trimmedMean(f.buf[:0], v[start+7*w:start+7*w+7])
	}
	for k := range 7 {
		r := f.ratios[k][:0]
		for w := range nw {
			if f.ref[w] > 0 {
				r = append(r, v[start+7*w+k]/f.ref[w])
			}
		}
		if len(r) == 0 {
			m.factor[k] = 1
		} else {
			m.factor[k] = trimmedMean(r, r)
		}
		f.ratios[k] = r
	}
	f.pos, f.lv = f.pos[:0], f.lv[:0]
	for w := range nw {
		b := f.buf[:0]
		for k := range 7 {
			if s := m.factor[k]; s > 0 {
				b = append(b, v[start+7*w+k]/s)
			}
		}
		if len(b) > 0 {
			f.pos = append(f.pos, float64(w))
			f.lv = append(f.lv, trimmedMean(b, b))
		}
	}
	m.intercept, m.slope = f.theilSen()

	b := f.buf[:0]
	for i := start; i < end; i++ {
		k := (i - start) % 7
		fitted := m.level(float64((i-start)/7)+float64(k-3)/7) * m.factor[k]
		b = append(b, root(v[i])-root(fitted))
	}
	tau := madToSigma * mad(b)
	m.tau = math.Max(1, tau) * math.Sqrt(1+2/float64(max(nw, 1)))
	return m
}

// theilSen is the median of the pairwise slopes through (pos, lv) and the
// median intercept under that slope.
func (f *fitter) theilSen() (intercept, slope float64) {
	switch len(f.lv) {
	case 0:
		return 0, 0
	case 1:
		return f.lv[0], 0
	}
	s := f.buf[:0]
	for i := range f.lv {
		for j := i + 1; j < len(f.lv); j++ {
			s = append(s, (f.lv[j]-f.lv[i])/(f.pos[j]-f.pos[i]))
		}
	}
	slope = median(s)
	c := s[:0]
	for i := range f.lv {
		c = append(c, f.lv[i]-slope*f.pos[i])
	}
	return median(c), slope
}

// level is the line at week position p (0 is the centre of the first
// week), never below 0.
func (m model) level(p float64) float64 {
	return math.Max(0, m.intercept+m.slope*p)
}

// expect is the expectation h days after the window (h = 0 is the day
// right after it).
func (m model) expect(h int) float64 {
	p := float64(m.weeks-1) + float64(4+h)/7
	return m.level(p) * m.factor[h%7]
}

// root is the Anscombe transform: Poisson counts have unit variance on it.
func root(x float64) float64 { return 2 * math.Sqrt(x+3.0/8) }

// unroot inverts root, clamped at 0.
func unroot(u float64) float64 {
	if u <= root(0) {
		return 0
	}
	return u*u/4 - 3.0/8
}

// band is the lower and upper edge around expected at k standard
// deviations tau on the root scale.
func band(expected, tau, k float64) (lower, upper float64) {
	u := root(expected)
	return min(expected, unroot(u-k*tau)), max(expected, unroot(u+k*tau))
}

// zscore is how many standard deviations tau actual lies from expected on
// the root scale.
func zscore(actual, expected, tau float64) float64 {
	return (root(actual) - root(expected)) / tau
}

// median sorts x in place and returns its median; x must not be empty.
func median(x []float64) float64 {
	slices.Sort(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}

// mad is the median absolute deviation from the median; it reorders x.
func mad(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	c := median(x)
	for i := range x {
		x[i] = math.Abs(x[i] - c)
	}
	return median(x)
}

// trimmedMean copies x into buf and returns the mean without the lowest and
// the highest value (from three values up). buf may be x itself.
func trimmedMean(buf, x []float64) float64 {
	b := append(buf[:0], x...)
	slices.Sort(b)
	if len(b) >= 3 {
		b = b[1 : len(b)-1]
	}
	var sum float64
	for _, y := range b {
		sum += y
	}
	return sum / float64(len(b))
}
