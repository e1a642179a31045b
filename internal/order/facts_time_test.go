package order

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestParseStoredTime: the digit-by-digit reading gives the instant
// time.Parse gives for every stored shape, and refuses what time.Parse
// refuses.
func TestParseStoredTime(t *testing.T) {
	t.Parallel()
	cases := []string{
		"2023-11-23 14:11:59+00:00", "2023-11-23 14:11:59.5+03:00", "2023-11-23 14:11:59.123456789-07:30",
		"2024-02-29 23:59:59Z", "2023-11-23T14:11:59+00:00", "2023-11-23 14:11:59", "2023-11-23",
		"2023-11-23 14:11:59.1234567891+00:00", "2023-02-29 10:00:00+00:00", "2023-11-23 24:00:00+00:00",
		"2023-13-01 10:00:00+00:00", "2023-11-23 14:11:60+00:00", "2023-11-23 14:11:59+0000", "2023-11-23 14:11:59 +00:00",
		"2023-11-2a 14:11:59+00:00", "2023-11-23 14:11:59.+00:00", "", "yesterday",
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		at := time.Unix(rng.Int64N(4e9), rng.Int64N(1e9)).In(time.FixedZone("", (rng.IntN(29)-14)*1800))
		cases = append(cases, at.Format("2006-01-02 15:04:05.999999999-07:00"), at.Format("2006-01-02 15:04:05Z07:00"))
	}
	for _, s := range cases {
		var want time.Time
		wantErr := true
		for _, layout := range storedTimeLayouts {
			if v, err := time.Parse(layout, s); err == nil {
				want, wantErr = v, false
				break
			}
		}
		var got time.Time
		err := parseStoredTime(s, &got)
		if (err != nil) != wantErr || !got.Equal(want) {
			t.Errorf("%q: got %v (%v), time.Parse %v (error %v)", s, got, err, want, wantErr)
		}
	}
	if _, ok := parseStoredTimeFast("2023-11-23 14:11:59+00:00"); !ok {
		t.Error("the common shape is not read by the fast path")
	}
}
