package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
)

// seedAudits seeds the demo history of package audit.
func seedAudit(ctx context.Context, a *app.App, rnd *rand.Rand, until time.Time) error { return nil }
