package demo

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
)

// seedVoice gives the demo shop's history the customer's voice (issue
// 24): survey answers, reviews, the negative experiences, the audit's
// checks and the "first to know" club. Each part seeds from its own file.
func seedVoice(ctx context.Context, a *app.App, rnd *rand.Rand, until time.Time) error {
	return errors.Join(
		seedSurveys(ctx, a, rnd, until),
		seedReviews(ctx, a, rnd, until),
		seedExperiences(ctx, a, rnd, until),
		seedAudit(ctx, a, rnd, until),
		seedInsiders(ctx, a, rnd, until),
	)
}

// voice plays the customers' voice up to the shop time now: the
// customers who answer the surveys and write the reviews they were asked
// for. Each part plays from its own file.
func (l *Live) voice(ctx context.Context, now time.Time) error {
	return errors.Join(l.surveysLive(ctx, now), l.reviewsLive(ctx, now), l.insidersLive(ctx, now))
}
