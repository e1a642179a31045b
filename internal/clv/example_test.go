package clv_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/shopcare/shopcare/internal/clv"
)

// Fit both models to purchase summaries in days and value one customer
// over the next twelve months at 1% a month.
func Example() {
	pop := clv.Population{
		Params: clv.Params{R: 0.24, Alpha: 30.9, A: 0.79, B: 2.43},
		Spend:  clv.SpendParams{P: 6.25, Q: 3.74, Gamma: 15.44},
		MaxT:   730,
		Step:   1,
	}
	customers := pop.Simulate(rand.New(rand.NewPCG(1, 2)), 50_000)

	fit, err := clv.FitBGNBD(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	spend, err := clv.FitGammaGamma(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := clv.Customer{ID: 17, Frequency: 5, Recency: 300, T: 365, Monetary: 42}
	value, err := clv.CLV(fit.Params, spend.Params, c, clv.Horizon{Periods: 12, PeriodLength: 30, Discount: 0.01})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("reliable fits: %v %v\n", fit.Reliable, spend.Reliable)
	fmt.Printf("P(alive) %.2f, purchases next year %.1f, spend per purchase %.0f, CLV %.0f\n",
		fit.Params.ProbAlive(c), fit.Params.ExpectedPurchases(c, 360), spend.Params.ExpectedSpend(c), value)
	// Output:
	// reliable fits: true true
	// P(alive) 0.77, purchases next year 3.0, spend per purchase 41, CLV 117
}
