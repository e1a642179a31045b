package clv

import (
	"math"
	"math/rand/v2"
	"testing"
)

// cdnow are the BG/NBD estimates for the CDNOW data in weeks (Fader,
// Hardie and Lee 2005, table 1).
var cdnow = Params{R: 0.2426, Alpha: 4.4136, A: 0.7929, B: 2.4259}

// cdnowSpend are the Gamma-Gamma estimates for CDNOW in the lifetimes
// documentation.
var cdnowSpend = SpendParams{P: 6.25, Q: 3.74, Gamma: 15.44}

// cdnowDays is cdnow with α in days.
var cdnowDays = Params{R: cdnow.R, Alpha: cdnow.Alpha * 7, A: cdnow.A, B: cdnow.B}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// within fails unless got is within rel (relative) of want.
func within(t *testing.T, name string, got, want, rel float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > rel*math.Abs(want) {
		t.Errorf("%s = %.6g, want %.6g within %.3g%%", name, got, want, rel*100)
	}
}

func paramsSlice(p Params) []float64     { return []float64{p.R, p.Alpha, p.A, p.B} }
func spendSlice(s SpendParams) []float64 { return []float64{s.P, s.Q, s.Gamma} }
