package mailin

import (
	"path/filepath"
	"testing"
)

// BenchmarkParse parses every fixture once per iteration; msgs/s is the
// issue's figure for the parsing part of "inbound e-mails parsed,
// threaded and stored per second".
func BenchmarkParse(b *testing.B) {
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil || len(files) == 0 {
		b.Fatal("no fixtures", err)
	}
	raws := make([][]byte, len(files))
	size := 0
	for i, f := range files {
		raws[i] = fixture(b, filepath.Base(f))
		size += len(raws[i])
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, raw := range raws {
			if _, err := Parse(raw); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(raws))/b.Elapsed().Seconds(), "msgs/s")
}
