package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
)

// seedReviews seeds the demo history of package review.
func seedReviews(ctx context.Context, a *app.App, rnd *rand.Rand, until time.Time) error { return nil }

// reviewsLive plays the demo's customers' part of package review up to now.
func (l *Live) reviewsLive(ctx context.Context, now time.Time) error { return nil }
