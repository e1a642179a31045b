package clock

import (
	"math"
	"time"
)

// Scaled is a clock that runs faster (or slower) than the wall clock: it
// starts at a given shop time and moves speed times as fast as the wall
// clock, so the demo plays a shop day in 24 seconds at speed 3600 (one
// shop hour per real second). It is safe for concurrent use: it holds no
// state but its start and reads the wall clock on every call.
type Scaled struct {
	start     time.Time // shop time at wallStart
	wallStart time.Time // with its monotonic reading, so Now never goes back
	speed     float64
	wall      func() time.Time
}

// NewScaled returns a clock standing at start now and running speed times
// as fast as the wall clock. A speed of zero or less stands still.
func NewScaled(start time.Time, speed float64) *Scaled {
	return NewScaledFrom(start, speed, time.Now)
}

// NewScaledFrom is NewScaled over another wall clock, so a test can move
// the wall by hand instead of waiting for it.
func NewScaledFrom(start time.Time, speed float64, wall func() time.Time) *Scaled {
	if speed < 0 || math.IsNaN(speed) {
		speed = 0
	}
	// Round(0) drops start's monotonic reading: shop times compare by
	// their wall value only.
	return &Scaled{start: start.Round(0), wallStart: wall(), speed: speed, wall: wall}
}

// Now returns the shop time: start plus the wall time elapsed since the
// clock was made, times speed.
func (s *Scaled) Now() time.Time {
	elapsed := float64(s.wall().Sub(s.wallStart)) * s.speed
	// Saturate well inside what a Duration holds (292 years) rather than
	// wrap round after weeks of a fast demo.
	const limit = float64(1 << 62)
	elapsed = min(max(elapsed, -limit), limit)
	return s.start.Add(time.Duration(elapsed))
}

// Speed returns how many shop seconds pass in a wall-clock second.
func (s *Scaled) Speed() float64 { return s.speed }

// Start returns the shop time the clock started at.
func (s *Scaled) Start() time.Time { return s.start }
