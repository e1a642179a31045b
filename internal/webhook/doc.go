// Package webhook sends every event of the journal to the shop's own
// endpoints: signed (Sign, Verify), retried with backoff, and recorded in
// a delivery log (List).
//
// The journal hands events to Service.HandleEvents inside the transaction
// that marks them processed; it writes one webhook_deliveries row per event
// and matching endpoint and enqueues a DeliverArgs job for each in that same
// transaction, so an event yields its deliveries exactly once. The
// DeliverWorker then POSTs them at least once: a delivery can reach a
// receiver twice (a crash between the POST and its record), and receivers
// drop repeats by the Shopcare-Delivery header or the payload's id.
package webhook
