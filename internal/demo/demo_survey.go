package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
)

// seedSurveys seeds the demo history of package survey.
func seedSurveys(ctx context.Context, a *app.App, rnd *rand.Rand, until time.Time) error { return nil }

// surveysLive plays the demo's customers' part of package survey up to now.
func (l *Live) surveysLive(ctx context.Context, now time.Time) error { return nil }
