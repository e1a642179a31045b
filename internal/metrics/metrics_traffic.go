package metrics

import "github.com/prometheus/client_golang/prometheus"

// beaconOutcomes are the outcomes of the traffic counter's beacons
// (traffic.Outcomes), whose series start at 0.
var beaconOutcomes = []string{"accepted", "bot", "foreign", "prefetch", "not_tracked", "off", "invalid", "dropped", "failed"}

// newBeacons is the counter of the page views the shop's pages sent to
// POST /collect, by what became of them: a rise of dropped or failed
// says the counter cannot keep up or cannot write.
func newBeacons() *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Subsystem: "traffic", Name: "beacons_total",
		Help: "Page views the shop's pages sent to POST /collect, by outcome (accepted, bot, foreign, prefetch, not_tracked, off, invalid, dropped, failed).",
	}, []string{"outcome"})
	for _, o := range beaconOutcomes {
		c.WithLabelValues(o)
	}
	return c
}

// Beacon counts one page view of the traffic counter with its outcome.
// A nil Metrics counts nothing.
func (m *Metrics) Beacon(outcome string) {
	if m == nil || m.beacons == nil {
		return
	}
	m.beacons.WithLabelValues(outcome).Inc()
}
