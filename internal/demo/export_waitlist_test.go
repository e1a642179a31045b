package demo

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/app"
)

// SeedWaitlist and DeliverDue let the tests play the waitlist's demo on
// their own.
func SeedWaitlist(ctx context.Context, a *app.App) error { return seedWaitlist(ctx, a) }

// DeliverDue brings the deliveries due by now (deliverDue).
func DeliverDue(ctx context.Context, a *app.App, now time.Time) error { return deliverDue(ctx, a, now) }
