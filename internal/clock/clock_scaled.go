package clock

import (
	"math"
	"sync"
	"time"
)

// Scaled is a clock that runs faster (or slower) than the wall clock: it
// starts at a given shop time and moves speed times as fast as the wall
// clock, so the demo plays a shop day in 24 seconds at speed 3600 (one
// shop hour per real second). Its speed can be changed on the way (0
// stops it), and it never goes back. It is safe for concurrent use.
type Scaled struct {
	wall func() time.Time

	mu        sync.RWMutex
	start     time.Time // shop time at wallStart
	wallStart time.Time // with its monotonic reading, when the wall is time.Now
	speed     float64
}

// NewScaled returns a clock standing at start now and running speed times
// as fast as the wall clock. A speed of zero or less stands still.
func NewScaled(start time.Time, speed float64) *Scaled {
	return NewScaledFrom(start, speed, time.Now)
}

// NewScaledFrom is NewScaled over another wall clock, so a test can move
// the wall by hand instead of waiting for it.
func NewScaledFrom(start time.Time, speed float64, wall func() time.Time) *Scaled {
	// Round(0) drops start's monotonic reading: shop times compare by
	// their wall value only.
	return &Scaled{wall: wall, start: start.Round(0), wallStart: wall(), speed: validSpeed(speed)}
}

func validSpeed(speed float64) float64 {
	if speed < 0 || math.IsNaN(speed) {
		return 0
	}
	return speed
}

// Now returns the shop time: where the clock stood when it was made (or
// last changed speed), plus the wall time elapsed since, times speed.
func (s *Scaled) Now() time.Time {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.at(s.wall())
}

// at is the shop time at the wall time w.
func (s *Scaled) at(w time.Time) time.Time {
	elapsed := float64(w.Sub(s.wallStart)) * s.speed
	// Saturate well inside what a Duration holds (292 years) rather than
	// wrap round after weeks of a fast demo.
	const limit = float64(1 << 62)
	elapsed = min(max(elapsed, -limit), limit)
	return s.start.Add(time.Duration(elapsed))
}

// SetSpeed changes the speed from now on: the shop time goes on from
// where it stands. 0 stops the clock (the demo holds it while it sets
// the shop up), and a later SetSpeed starts it again.
func (s *Scaled) SetSpeed(speed float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.wall()
	s.start, s.wallStart, s.speed = s.at(w), w, validSpeed(speed)
}

// Speed returns how many shop seconds pass in a wall-clock second.
func (s *Scaled) Speed() float64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.speed
}
