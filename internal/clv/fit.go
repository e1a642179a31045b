package clv

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Thresholds of the "small data" indicator. Below them a fit is still
// returned, with Reliable false.
const (
	reliableCustomers = 200
	reliableRepeaters = 30
	// maxRelStdErr is the largest standard error of a log-parameter (about
	// the relative standard error of the parameter) still called reliable.
	maxRelStdErr = 0.5
)

// maxLogParam bounds the log-parameters the optimiser may try: beyond it a
// parameter has run off to 0 or infinity, which means the data do not
// identify it, and the objective answers +Inf.
const maxLogParam = 40

// The edge of a parameter's range: a fitted value below edgeLow or above
// edgeHigh (for the spend model's γ, its ratio to the mean spend, which
// carries the currency's units) has run off towards 0 or infinity. The
// likelihood kept rising along a ridge the data do not close — e.g. a
// and b of the dropout Beta growing together without end when nobody
// seems to leave — and the value is no estimate, however well the
// optimiser stopped.
const (
	edgeLow  = 1e-4
	edgeHigh = 1e4
)

// degenerate says why an optimum is no estimate to report, "" when it is
// one: a parameter at the edge of its range (values are the parameters
// the edge is judged on, named by names), an optimiser that did not
// converge, or a Hessian that is not positive definite.
func degenerate(o optimum, names []string, values []float64) string {
	var why []string
	for i, v := range values {
		switch {
		case !(v >= edgeLow):
			why = append(why, fmt.Sprintf("%s ran to %.3g, towards 0", names[i], v))
		case v > edgeHigh:
			why = append(why, fmt.Sprintf("%s ran to %.3g, towards infinity", names[i], v))
		}
	}
	if !o.converged {
		why = append(why, "the optimiser did not converge ("+o.status+")")
	}
	if o.seLog == nil {
		why = append(why, "the Hessian is not positive definite")
	}
	return strings.Join(why, "; ")
}

// negLogLik is an objective in log-parameter space: it returns the negative
// log-likelihood divided by the total weight at exp(theta) and, when grad
// is not nil, stores its gradient with respect to theta there. It returns
// +Inf where the likelihood is not finite.
type negLogLik func(theta, grad []float64) float64

// optimum is the outcome of maximising a likelihood.
type optimum struct {
	theta      []float64 // log-parameters at the optimum
	meanNLL    float64   // objective at theta
	converged  bool
	iterations int
	status     string
	// seLog are the standard errors of theta from the inverse Hessian of
	// the total negative log-likelihood; nil when the Hessian is not
	// positive definite.
	seLog []float64
}

// gradTolerance is the largest gradient (of the mean negative
// log-likelihood in log-parameter space) accepted as a stationary point.
const gradTolerance = 1e-5

// maximise fits theta from theta0 by BFGS with a backtracking (Armijo)
// line search; weight is the total weight the objective divides by, to
// scale the Hessian back to the total likelihood.
//
// The method is written here rather than taken from gonum's optimize: that
// package pulls in golang.org/x/tools (through stat/distmv), which the
// module does not require. Four parameters and an analytic gradient need
// nothing more than this.
func maximise(f negLogLik, theta0 []float64, weight float64) (optimum, error) {
	const (
		maxIter  = 500
		gradStop = 1e-9 // gradient small enough to stop early
		// stall is how many steps in a row may improve the objective by
		// less than its rounding error before the search stops.
		stall   = 3
		armijo  = 1e-4
		maxStep = 4.0 // largest change of a log-parameter in one step
	)
	n := len(theta0)
	x := slices.Clone(theta0)
	g := make([]float64, n)
	fx := f(x, g)
	if math.IsInf(fx, 0) || math.IsNaN(fx) {
		return optimum{}, fmt.Errorf("start value: log-likelihood is not finite")
	}
	h := identity(n) // inverse Hessian approximation
	d, xn, gn, s, y := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	o := optimum{status: "iteration limit"}
	fresh := true // h is still the initial guess, to be rescaled
	stalled := 0
	for o.iterations = 0; o.iterations < maxIter; o.iterations++ {
		if maxAbs(g) < gradStop {
			o.status = "gradient threshold"
			break
		}
		mulVec(d, h, g, -1)
		slope := dot(g, d)
		if !(slope < 0) {
			h, fresh = identity(n), true
			mulVec(d, h, g, -1)
			slope = dot(g, d)
		}
		t := 1.0
		if m := maxAbs(d); m > maxStep {
			t = maxStep / m
		}
		var fn float64
		for {
			for i := range x {
				xn[i] = x[i] + t*d[i]
			}
			fn = f(xn, gn)
			if fn < fx && fn <= fx+armijo*t*slope {
				break
			}
			t /= 2
			if t < 1e-16 {
				break
			}
		}
		if t < 1e-16 {
			// No decrease is left at the working precision.
			o.status = "line search made no progress"
			break
		}
		if fx-fn <= 8*epsilon*math.Abs(fx) {
			stalled++
		} else {
			stalled = 0
		}
		for i := range x {
			s[i], y[i] = xn[i]-x[i], gn[i]-g[i]
		}
		copy(x, xn)
		copy(g, gn)
		fx = fn
		if stalled >= stall {
			o.status = "no further decrease"
			break
		}
		sy := dot(s, y)
		if sy > 1e-12*math.Sqrt(dot(s, s)*dot(y, y)) {
			if fresh {
				scale(h, sy/dot(y, y))
				fresh = false
			}
			bfgsUpdate(h, s, y, sy)
		}
	}
	o.theta, o.meanNLL = x, fx
	o.converged = maxAbs(g) <= gradTolerance
	for _, v := range x {
		if math.Abs(v) > maxLogParam-1 {
			o.converged = false
			o.status += ", a parameter ran off to 0 or infinity"
		}
	}
	o.seLog = logStdErr(f, o.theta, weight)
	return o, nil
}

// epsilon is the float64 machine epsilon.
const epsilon = 0x1p-52

func identity(n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		m[i][i] = 1
	}
	return m
}

func scale(m [][]float64, c float64) {
	for _, row := range m {
		for j := range row {
			row[j] *= c
		}
	}
}

// mulVec sets dst = c·m·v.
func mulVec(dst []float64, m [][]float64, v []float64, c float64) {
	for i, row := range m {
		dst[i] = c * dot(row, v)
	}
}

// bfgsUpdate applies the BFGS update of the inverse Hessian h for the step
// s and gradient change y with sy = s·y:
// h ← (I − ρ s yᵀ) h (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/sy.
func bfgsUpdate(h [][]float64, s, y []float64, sy float64) {
	n := len(s)
	rho := 1 / sy
	hy := make([]float64, n)
	mulVec(hy, h, y, 1)
	yhy := dot(y, hy)
	for i := range n {
		for j := range n {
			h[i][j] += -rho*(hy[i]*s[j]+s[i]*hy[j]) + (rho*rho*yhy+rho)*s[i]*s[j]
		}
	}
}

func dot(u, v []float64) float64 {
	var s float64
	for i := range u {
		s += u[i] * v[i]
	}
	return s
}

func maxAbs(v []float64) float64 {
	var m float64
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// logStdErr returns the standard errors of theta: the square roots of the
// diagonal of the inverse Hessian of the total negative log-likelihood,
// computed by central differences of the analytic gradient. It returns nil
// when the Hessian is not positive definite.
func logStdErr(f negLogLik, theta []float64, weight float64) []float64 {
	const h = 1e-4
	n := len(theta)
	hess := mat.NewSymDense(n, nil)
	rows := make([][]float64, n)
	x := slices.Clone(theta)
	gp, gm := make([]float64, n), make([]float64, n)
	for i := range n {
		x[i] = theta[i] + h
		f(x, gp)
		x[i] = theta[i] - h
		f(x, gm)
		x[i] = theta[i]
		rows[i] = make([]float64, n)
		for j := range n {
			rows[i][j] = (gp[j] - gm[j]) / (2 * h) * weight
		}
	}
	for i := range n {
		for j := i; j < n; j++ {
			hess.SetSym(i, j, (rows[i][j]+rows[j][i])/2)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(hess) {
		return nil
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return nil
	}
	se := make([]float64, n)
	for i := range n {
		v := cov.At(i, i)
		if !(v > 0) || math.IsInf(v, 0) {
			return nil
		}
		se[i] = math.Sqrt(v)
	}
	return se
}

// z95 is the standard normal quantile of 0.975.
const z95 = 1.959963984540054

// interval turns a log-parameter and its standard error into the
// parameter, its delta-method standard error and its 95% interval.
func interval(theta, seLog float64) (v, se, lo, hi float64) {
	v = math.Exp(theta)
	return v, v * seLog, math.Exp(theta - z95*seLog), math.Exp(theta + z95*seLog)
}

// reliability lists why a fit should not be trusted.
func reliability(o optimum, customers, repeaters int, names []string) []string {
	var w []string
	if customers < reliableCustomers {
		w = append(w, fmt.Sprintf("only %d customers (fewer than %d)", customers, reliableCustomers))
	}
	if repeaters < reliableRepeaters {
		w = append(w, fmt.Sprintf("only %d repeat buyers (fewer than %d)", repeaters, reliableRepeaters))
	}
	if !o.converged {
		w = append(w, "optimiser did not converge: "+o.status)
	}
	if o.seLog == nil {
		w = append(w, "Hessian not positive definite: standard errors unavailable")
	} else {
		for i, s := range o.seLog {
			if s > maxRelStdErr {
				w = append(w, fmt.Sprintf("%s poorly determined (relative standard error %.2f)", names[i], s))
			}
		}
	}
	return w
}
