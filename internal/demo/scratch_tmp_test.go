package demo

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestScratchShare(t *testing.T) {
	for seed := range uint64(5) {
		rnd := rand.New(rand.NewPCG(seed, 1))
		until := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		from := until.AddDate(0, 0, -365)
		rep, orders := 0, 0
		for range 1500 {
			ts := purchases(rnd, from, until.Add(-36*time.Hour), time.UTC)
			orders += len(ts)
			if len(ts) > 1 {
				rep++
			}
		}
		t.Logf("share %.3f orders %d", float64(rep)/1500, orders)
	}
}
