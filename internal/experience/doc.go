// Package experience is the register of negative experiences: every bad
// moment a customer lived through (a late delivery, a broken promise, an
// unanswered message, a missed call-back, a low score, an order the shop
// cancelled, a customer no channel reached) as one row on the customer.
package experience
