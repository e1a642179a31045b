package clv

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Population describes customers to draw from the models' generative
// process, for tests and benchmarks.
type Population struct {
	Params Params      // purchase and dropout process
	Spend  SpendParams // spend per purchase
	MaxT   float64     // each customer's T is uniform on [0, MaxT]
	// Step, when positive, makes times granular like shop data: purchase
	// times and T are floored to whole steps (days), a purchase in the
	// first purchase's step is not a repeat, and purchases in one step
	// count once with their spend summed.
	Step float64
}

// Simulate draws n customers, with IDs 1..n. Each has λ ~ Gamma(r, α) and
// p ~ Beta(a, b); they buy at Poisson rate λ from time 0 (their first
// purchase) and drop out after each repeat purchase with probability p.
// Each purchase is worth Gamma(P, ν) with ν ~ Gamma(Q, γ) per customer,
// and Monetary is the mean over the repeat purchases.
func (pop Population) Simulate(rng *rand.Rand, n int) []Customer {
	lambda := distuv.Gamma{Alpha: pop.Params.R, Beta: pop.Params.Alpha, Src: rng}
	drop := distuv.Beta{Alpha: pop.Params.A, Beta: pop.Params.B, Src: rng}
	nu := distuv.Gamma{Alpha: pop.Spend.Q, Beta: pop.Spend.Gamma, Src: rng}
	value := distuv.Gamma{Alpha: pop.Spend.P, Beta: 1, Src: rng}
	grid := func(t float64) float64 {
		if pop.Step > 0 {
			return math.Floor(t/pop.Step) * pop.Step
		}
		return t
	}
	out := make([]Customer, n)
	for i := range out {
		l, pd, v := lambda.Rand(), drop.Rand(), nu.Rand()
		tEnd := rng.Float64() * pop.MaxT
		c := Customer{ID: int64(i + 1), T: grid(tEnd)}
		var spend, t float64
		last := 0.0 // the step of the last counted purchase
		for {
			t += rng.ExpFloat64() / l
			if t > tEnd {
				break
			}
			z := value.Rand() / v // Gamma(P, rate ν)
			if s := grid(t); s > last {
				c.Frequency++
				last = s
				spend += z
			} else if c.Frequency > 0 {
				spend += z // same step as the last repeat purchase
			}
			if rng.Float64() < pd {
				break
			}
		}
		c.Recency = last
		if c.Frequency > 0 {
			c.Monetary = spend / c.Frequency
		}
		out[i] = c
	}
	return out
}

// Buyer is one customer drawn from the BG/NBD process: the rate at which
// they buy while active and the probability that they drop out after a
// purchase.
type Buyer struct {
	Rate    float64 // λ, purchases per unit of time
	Dropout float64 // p
}

// Draw draws one customer from the BG/NBD process with parameters p:
// λ ~ Gamma(R, Alpha) (Alpha a rate) and p ~ Beta(A, B).
func (p Params) Draw(rng *rand.Rand) Buyer {
	return Buyer{
		Rate:    distuv.Gamma{Alpha: p.R, Beta: p.Alpha, Src: rng}.Rand(),
		Dropout: distuv.Beta{Alpha: p.A, Beta: p.B, Src: rng}.Rand(),
	}
}

// Repeats returns the times of b's repeat purchases in (0, until], the
// first purchase being at time 0: they come at Poisson rate Rate, and
// after each the buyer drops out with probability Dropout — the process
// FitBGNBD assumes, so that a history drawn this way fits back to
// parameters near those it was drawn with.
func (b Buyer) Repeats(rng *rand.Rand, until float64) []float64 {
	var out []float64
	if !(b.Rate > 0) {
		return nil
	}
	for t := 0.0; ; {
		t += rng.ExpFloat64() / b.Rate
		if t > until {
			return out
		}
		out = append(out, t)
		if rng.Float64() < b.Dropout {
			return out
		}
	}
}
