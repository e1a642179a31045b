package clv

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// benchPopulation is a million shop customers in days: CDNOW-like
// behaviour, first purchases spread over three years.
var benchPopulation = Population{Params: cdnowDays, Spend: cdnowSpend, MaxT: 3 * 365, Step: 1}

var (
	benchOnce      sync.Once
	benchCustomers []Customer
)

func millionCustomers() []Customer {
	benchOnce.Do(func() { benchCustomers = benchPopulation.Simulate(newRand(42), 1_000_000) })
	return benchCustomers
}

// peakHeap samples the live heap while fn runs and returns the largest
// growth over the heap before it, in bytes. Sampling is coarse (every
// millisecond), so a short spike can be missed; the figure is a floor.
func peakHeap(fn func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	base := read()
	peak := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if v := read(); v > peak {
				peak = v
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	if v := read(); v > peak {
		peak = v
	}
	return peak - base
}

func BenchmarkFitBGNBD1M(b *testing.B) {
	cs := millionCustomers()
	b.ReportAllocs()
	var peak uint64
	var fit *Fit
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			var err error
			if fit, err = FitBGNBD(cs); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	b.ReportMetric(float64(fit.Distinct), "distinct")
	b.ReportMetric(float64(fit.Iterations), "iterations")
	if !fit.Converged {
		b.Errorf("not converged: %v", fit.Warnings)
	}
}

func BenchmarkFitGammaGamma1M(b *testing.B) {
	cs := millionCustomers()
	b.ReportAllocs()
	var peak uint64
	var fit *SpendFit
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			var err error
			if fit, err = FitGammaGamma(cs); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	b.ReportMetric(float64(fit.Customers), "repeaters")
	b.ReportMetric(float64(fit.Iterations), "iterations")
	if !fit.Converged {
		b.Errorf("not converged: %v", fit.Warnings)
	}
}
