// Package signin lets a customer into their own page (/my) without a
// password: a one-time code or link sent to a contact the shop knows,
// or the signed link every message and tracking page carries. It owns
// the customers' sessions: only a token's hash is stored, and a session
// ends when it expires, when the customer signs out, or when the
// customer is erased.
//
// Sessions live in real time (the human clock), not the shop's business
// clock, which the demo speeds up: callers pass now from the clock of
// people.
package signin
