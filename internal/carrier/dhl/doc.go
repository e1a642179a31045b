// Package dhl tracks parcels with DHL's "Shipment Tracking - Unified" API
// (version 1.5.x, https://developer.dhl.com/api-reference/shipment-tracking)
// and reads the pushes of its companion "Shipment Tracking - Unified - Push"
// API (version 1.2.x,
// https://developer.dhl.com/api-reference/shipment-tracking-unified-push).
//
// Polling is GET {base}/track/shipments?trackingNumber=…&language=en with
// the shop's key in the DHL-API-Key header. The API takes one number per
// request, so BatchSize is 1 and Track asks number by number. Its answer is
// {"shipments":[…],"possibleAdditionalShipmentsUrl":[…]}; each shipment has a
// current status and a list of events, newest first, all of the same shape
// {timestamp, location.address, statusCode, status, statusDetailed,
// description, remark, nextSteps}. Errors are RFC 7807 problem details
// {type, title, status, detail, instance}: 401 is a refused key, 404 an
// unknown number, 429 the rate limit (by default 250 calls a day and one
// every five seconds per key).
//
// statusCode is coarse (pre-transit, transit, delivered, failure, unknown);
// the finer status is read from DHL's words in status, description and
// remark, and, for DHL Express, from its checkpoint codes (PU, WC, OK …),
// by the rules of status.go. Events are asked for in English
// (language=en) so that the words are the ones the rules know; the rules
// also know DHL Paket's German wording, which a push may carry.
//
// Timestamps carry their offset for most services; the European parcel
// services (parcel-de, post-de, parcel-nl, …) send local time without one,
// which is read in Central European time (London time for parcel-uk), and
// any other zone-less time as UTC.
//
// A push is a POST of {"scope":"subscription.push","self":…,"shipments":[…]}
// with shipments of the same shape as the polled answer; DHL authenticates
// it with the header and token given as hook.authentication when the
// subscription was made, which the HTTP layer checks before Parse. The
// subscription's lifecycle messages (scope subscription.validate,
// subscription.ready, subscription.failure …) carry no shipments and yield
// no events.
package dhl
