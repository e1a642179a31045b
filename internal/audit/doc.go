// Package audit is the shop's own touch-point audit: a checklist per
// point of the customer's journey, the self-checks and mystery-shopper
// visits recorded against it with scores and notes, and the figures
// shopcare measures itself for each point.
package audit
