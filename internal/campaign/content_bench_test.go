//go:build unix

package campaign

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's CPU time so far (user and system, every
// thread): on a machine shared with other work, a benchmark's wall time
// per operation overstates its cost; cpu-ns/op does not.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRender is one recipient's e-mail of a compiled campaign (a
// Markdown body with a list, two tracked links and an image, in the
// layout): the send part's per-message cost, ≲ 50 µs wanted. Run on all
// cores, as the send part's workers do.
func BenchmarkRender(b *testing.B) {
	s := contentService(b)
	tracked(s)
	k, err := s.compile(emailCampaign())
	if err != nil {
		b.Fatal(err)
	}
	r := Recipient{CustomerID: 42, Name: "Анна Орлова", Language: "ru"}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := k.Render(VariantA, r); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkRenderOne is BenchmarkRender on one goroutine.
func BenchmarkRenderOne(b *testing.B) {
	s := contentService(b)
	tracked(s)
	k, err := s.compile(emailCampaign())
	if err != nil {
		b.Fatal(err)
	}
	r := Recipient{CustomerID: 42, Name: "Анна Орлова", Language: "ru"}
	b.ReportAllocs()
	cpu := cpuTime(b)
	for b.Loop() {
		if _, err := k.Render(VariantA, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkRenderSMS is one recipient's SMS.
func BenchmarkRenderSMS(b *testing.B) {
	s := contentService(b)
	tracked(s)
	k, err := s.compile(&Campaign{ID: 3, Channel: SMS, TrackClicks: true,
		Content: Contents{"ru": {Text: "{{.Customer.FirstName}}, скидки до 30 % до пятницы: https://shop.example.com/sale"}}})
	if err != nil {
		b.Fatal(err)
	}
	r := Recipient{CustomerID: 42, Name: "Анна Орлова", Language: "ru"}
	b.ReportAllocs()
	cpu := cpuTime(b)
	for b.Loop() {
		if _, err := k.Render(VariantA, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkCompile is a campaign's content parsed once, before its
// first message.
func BenchmarkCompile(b *testing.B) {
	s := contentService(b)
	c := emailCampaign()
	cpu := cpuTime(b)
	for b.Loop() {
		if _, err := s.compile(c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N), "cpu-ns/op")
}
