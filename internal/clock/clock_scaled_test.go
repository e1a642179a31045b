package clock_test

import (
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
)

// wall is a wall clock a test moves by hand.
type wall struct {
	mu  sync.Mutex
	now time.Time
}

func (w *wall) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *wall) advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

func TestScaledRunsSpeedTimesTheWall(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		speed float64
		wall  time.Duration
		want  time.Time
	}{
		{"standing at start", 3600, 0, start},
		{"one shop hour per second", 3600, time.Second, start.Add(time.Hour)},
		{"a shop day in 24 seconds", 3600, 24 * time.Second, start.Add(24 * time.Hour)},
		{"a fifth of a second is twelve shop minutes", 3600, 200 * time.Millisecond, start.Add(12 * time.Minute)},
		{"real time", 1, 90 * time.Second, start.Add(90 * time.Second)},
		{"slower than real", 0.5, time.Minute, start.Add(30 * time.Second)},
		{"zero stands still", 0, time.Hour, start},
		{"negative stands still", -5, time.Hour, start},
		{"saturates instead of wrapping", 1e9, 1000 * time.Hour, start.Add(time.Duration(1 << 62))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &wall{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
			c := clock.NewScaledFrom(start, tt.speed, w.Now)
			w.advance(tt.wall)
			if got := c.Now(); !got.Equal(tt.want) {
				t.Errorf("after %v of wall time at speed %v: Now() = %v, want %v", tt.wall, tt.speed, got, tt.want)
			}
		})
	}
}

func TestScaledIsAClockAndSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	w := &wall{now: start}
	scaled := clock.NewScaledFrom(start, 60, w.Now)
	var c clock.Clock = scaled
	var wg sync.WaitGroup
	wg.Go(func() { // speed changes meanwhile never move the clock back
		for range 100 {
			scaled.SetSpeed(60)
		}
	})
	for range 8 {
		wg.Go(func() {
			prev := c.Now()
			for range 1000 {
				w.advance(time.Millisecond)
				now := c.Now()
				if now.Before(prev) {
					t.Errorf("time went back: %v after %v", now, prev)
					return
				}
				prev = now
			}
		})
	}
	wg.Wait()
	if got, want := c.Now(), start.Add(8*1000*time.Millisecond*60); !got.Equal(want) {
		t.Errorf("after 8 s of wall time at speed 60: %v, want %v", got, want)
	}
}

func TestScaledChangesSpeedWithoutAJump(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	w := &wall{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := clock.NewScaledFrom(start, 0, w.Now) // held while the demo sets up
	w.advance(10 * time.Second)
	if got := c.Now(); !got.Equal(start) || c.Speed() != 0 {
		t.Fatalf("a held clock moved to %v (speed %v)", got, c.Speed())
	}
	c.SetSpeed(3600)
	w.advance(2 * time.Second)
	if got, want := c.Now(), start.Add(2*time.Hour); !got.Equal(want) {
		t.Errorf("two seconds after starting at 3600: %v, want %v", got, want)
	}
	c.SetSpeed(60)
	if got, want := c.Now(), start.Add(2*time.Hour); !got.Equal(want) {
		t.Errorf("changing speed moved the clock to %v, want %v", got, want)
	}
	w.advance(time.Minute)
	if got, want := c.Now(), start.Add(3*time.Hour); !got.Equal(want) {
		t.Errorf("a minute at 60: %v, want %v", got, want)
	}
	c.SetSpeed(0)
	w.advance(time.Hour)
	if got, want := c.Now(), start.Add(3*time.Hour); !got.Equal(want) {
		t.Errorf("a stopped clock moved to %v, want %v", got, want)
	}
}

func TestScaledOnTheWallClock(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.FixedZone("MSK", 3*3600))
	c := clock.NewScaled(start, 3600)
	if c.Speed() != 3600 {
		t.Errorf("Speed() = %v", c.Speed())
	}
	if now := c.Now(); now.Before(start) {
		t.Errorf("Now() = %v is before the start %v", now, start)
	}
}
