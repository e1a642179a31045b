package trend

import "testing"

// BenchmarkExpect fits three years of daily orders, one day at a time.
func BenchmarkExpect(b *testing.B) {
	h := shop{Base: 40, Growth: 0.001, Sunday: 0.4}.history(newRand(1), 3*365)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Expect(h, Options{Horizon: 7}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck judges the last day of three years of daily orders.
func BenchmarkCheck(b *testing.B) {
	h := shop{Base: 40, Growth: 0.001, Sunday: 0.4}.history(newRand(1), 3*365)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Check(h, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
