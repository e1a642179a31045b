// Package metrics is shopcare's Prometheus metrics: one registry of its
// own (never the global one), the HTTP middleware that times requests by
// route pattern, counters the senders increment, and a collector that
// reads the database's gauges (jobs, queues, journal lag) at scrape time
// under a timeout. It is a leaf: it imports no shopcare package; the app
// hands it a Source and the senders call its counters through hooks.
package metrics
