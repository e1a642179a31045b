package calendar

import (
	"math/rand/v2"
	"testing"
)

var (
	sinkDay  Day
	sinkBool bool
	sinkInt  int
)

// benchDays returns 1024 days spread over 2025–2030 and working-day counts
// up to a month, so that the benchmarks do not hit one cache line only.
func benchDays() ([]Day, []int) {
	rng := rand.New(rand.NewPCG(1, 2))
	days, ns := make([]Day, 1024), make([]int, 1024)
	for i := range days {
		days[i] = Date(2025, 1, 1) + Day(rng.IntN(6*365))
		ns[i] = 1 + rng.IntN(30)
	}
	return days, ns
}

func BenchmarkIsWorkday(b *testing.B) {
	c := mustNew(b, "RU")
	days, _ := benchDays()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkBool = c.IsWorkday(days[i&1023])
		i++
	}
}

func BenchmarkAddWorkdays(b *testing.B) {
	c := mustNew(b, "RU")
	days, ns := benchDays()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkDay = c.AddWorkdays(days[i&1023], ns[i&1023])
		i++
	}
}

func BenchmarkNextWorkday(b *testing.B) {
	c := mustNew(b, "RU")
	days, _ := benchDays()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkDay = c.NextWorkday(days[i&1023])
		i++
	}
}

func BenchmarkWorkdaysBetween(b *testing.B) {
	c := mustNew(b, "RU")
	days, ns := benchDays()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkInt = c.WorkdaysBetween(days[i&1023], days[i&1023]+Day(ns[i&1023]))
		i++
	}
}

func BenchmarkNew(b *testing.B) {
	b.Run("cached", func(b *testing.B) {
		mustNew(b, "RU")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := New("RU", nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("overrides", func(b *testing.B) {
		overrides := []Override{
			{From: Date(2026, 7, 1), To: Date(2026, 7, 14), Reason: "Vacation"},
			{From: Date(2026, 12, 30), To: Date(2026, 12, 30), Reason: "Stocktaking"},
			{From: Date(2026, 12, 26), To: Date(2026, 12, 26), Working: true, Reason: "Pre-holiday rush"},
		}
		mustNew(b, "RU")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := New("RU", overrides); err != nil {
				b.Fatal(err)
			}
		}
	})
	// compile is what the first New for a country costs.
	for _, co := range countries {
		b.Run("compile/"+co.code, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bl := newBuilder()
				co.build(bl)
				_ = bl.compile()
			}
		})
	}
}

// TestHotPathDoesNotAllocate pins the promise engine's requirement.
func TestHotPathDoesNotAllocate(t *testing.T) {
	c := mustNew(t, "RU", Override{From: Date(2026, 7, 1), To: Date(2026, 7, 14), Reason: "Vacation"})
	days, ns := benchDays()
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		day, n := days[i&1023], ns[i&1023]
		sinkBool = c.IsWorkday(day)
		sinkDay = c.NextWorkday(day)
		sinkDay = c.AddWorkdays(day, n)
		sinkInt = c.WorkdaysBetween(day, day+Day(n))
		sinkBool = c.Provisional(day)
		i++
	})
	if allocs != 0 {
		t.Errorf("hot path allocates %v times per call", allocs)
	}
}
