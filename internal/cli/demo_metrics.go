package cli

import (
	"fmt"
	"io"
	"net"

	"github.com/shopcare/shopcare/internal/requestid"
)

// demoMetricsToken is the token the demo opens /internal/metrics with:
// the one given, else a fresh one when the metrics have no address of
// their own, so an operator sees them at once.
func demoMetricsToken(f MetricsFlags) string {
	if f.MetricsToken != "" || f.MetricsAddr != "" {
		return f.MetricsToken
	}
	return requestid.New()
}

// printDemoMetrics tells where the demo's metrics, readiness and system page
// are, with the curl line that scrapes them.
func printDemoMetrics(w io.Writer, base, token string, own net.Listener) {
	fmt.Fprintf(w, "  system:   %s/system (the owner's page: version, database, journal lag, job queue, the day's messages)\n", base)
	fmt.Fprintf(w, "  backups:  %s/backups (the owner's page: today's backup and its restore test, the schedule, back up now)\n", base)
	fmt.Fprintf(w, "  actions:  %s/actions (the owner's page: who did what to the shop's data, from where)\n", base)
	fmt.Fprintf(w, "  ready:    %s/readyz\n", base)
	if token != "" {
		fmt.Fprintf(w, "  metrics:  curl -H 'Authorization: Bearer %s' %s%s\n", token, base, MetricsPath)
	}
	if own != nil {
		fmt.Fprintf(w, "  metrics:  http://%s%s (its own address, no token)\n", own.Addr(), MetricsPath)
	}
}
