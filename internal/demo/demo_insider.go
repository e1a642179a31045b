package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
)

// seedInsiders seeds the demo history of package insider.
func seedInsiders(ctx context.Context, a *app.App, rnd *rand.Rand, until time.Time) error { return nil }

// insidersLive plays the demo's customers' part of package insider up to now.
func (l *Live) insidersLive(ctx context.Context, now time.Time) error { return nil }
