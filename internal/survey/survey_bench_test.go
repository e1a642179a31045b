package survey_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/survey"
)

// BenchmarkAnswer measures survey answers recorded per second: each
// operation is a customer's click (the intent row) and their Send (the
// confirmation with a comment and its journal event), for a new survey
// each time. The target is at least 1,000 answers a second.
//
//	go test ./internal/survey -run '^$' -bench Answer -benchtime 3000x
func BenchmarkAnswer(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			s := newShop(b, engine)
			s.clock.Advance(time.Hour)
			ctx := context.Background()
			asked := s.clock.Now().Add(-time.Hour).Truncate(time.Second)
			tokens := make([]string, b.N)
			for i := range tokens {
				tokens[i] = s.app.Surveys.Token(survey.Ask{Kind: survey.CSAT, Trigger: survey.Conversation,
					SubjectID: int64(i + 1), CustomerID: s.customer, AskedAt: asked})
			}
			var next atomic.Int64
			b.SetParallelism(16) // a server answers many customers at once
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					tk := tokens[next.Add(1)-1]
					if _, err := s.app.Surveys.Record(ctx, tk, 4, survey.Click{Channel: survey.ChannelEmail}); err != nil {
						b.Error(err)
						return
					}
					if _, err := s.app.Surveys.Confirm(ctx, tk, survey.Answer{Score: 4, Comment: "быстро ответили"}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
		})
	}
}

// BenchmarkClick measures one-click score links recorded per second: a
// click on a new survey's link makes its row (the intent).
//
//	go test ./internal/survey -run '^$' -bench Click -benchtime 3000x
func BenchmarkClick(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			s := newShop(b, engine)
			s.clock.Advance(time.Hour)
			ctx := context.Background()
			asked := s.clock.Now().Add(-time.Hour).Truncate(time.Second)
			tokens := make([]string, b.N)
			for i := range tokens {
				tokens[i] = s.app.Surveys.Token(survey.Ask{Kind: survey.NPS, Trigger: survey.Conversation,
					SubjectID: int64(i + 1), CustomerID: s.customer, AskedAt: asked})
			}
			var next atomic.Int64
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.app.Surveys.Record(ctx, tokens[next.Add(1)-1], 8, survey.Click{Channel: survey.ChannelEmail}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "clicks/s")
		})
	}
}
