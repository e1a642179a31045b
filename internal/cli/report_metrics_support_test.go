package cli

import (
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/analytics"
)

// TestPrintMetricsSupport: the table of `shopcare report metrics` shows
// the inbox's first-response median as a duration, the share within
// target and the overdue count; a shop without the figures has no line.
func TestPrintMetricsSupport(t *testing.T) {
	t.Parallel()
	median, share := 1800.0, 0.5
	var out strings.Builder
	printMetrics(&out, &analytics.Metrics{Support: &analytics.SupportFigures{FirstResponseMedian: &median,
		WithinTargetShare: &share, Conversations: 2, Answered: 1, Responses: 2, WithinTarget: 1, Overdue: 1}})
	want := "support               first answer in 30m0s (median of 1 answered of 2), 50.0% of 2 answers within target, 1 overdue\n"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("no support line %q in:\n%s", want, out.String())
	}
	out.Reset()
	printMetrics(&out, &analytics.Metrics{Support: &analytics.SupportFigures{}})
	if !strings.Contains(out.String(), "first answer in — (median of 0 answered of 0), — of 0 answers within target, 0 overdue") {
		t.Fatalf("empty support line:\n%s", out.String())
	}
	out.Reset()
	printMetrics(&out, &analytics.Metrics{})
	if strings.Contains(out.String(), "support") {
		t.Fatalf("support line without figures:\n%s", out.String())
	}
}
