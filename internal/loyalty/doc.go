// Package loyalty is shopcare's loyalty program: a points ledger per
// customer, earning rules, club tiers, coupons, compensation grants and
// referrals.
//
// The ledger is double-entry. Every change of a customer's points is a
// transaction of two legs that sum to zero: the customer's account and
// one of the program's own (issued for points given or taken back,
// redeemed for points spent, expired for points that lapsed). Entries are
// never changed or deleted; a mistake is corrected by another
// transaction. A member's balance is the sum of their account's entries,
// kept on the account row in the same database transaction as the
// entries, so a lookup reads one row and a redemption that the balance
// does not cover fails inside the transaction that would have overdrawn
// it — on PostgreSQL the account row's lock serialises two redemptions of
// one customer, on SQLite the single writer does.
//
// Every posting carries an idempotency key (an order and what happened to
// it, a grant's order and reason), unique in the store: a retried event, a
// replayed request or a restart never credits twice.
//
// Points are credited when an order is delivered (not before), taken back
// when it is returned, and lapse after loyalty.expire_after, oldest first;
// a reminder goes out loyalty.expiry_reminder before. Tiers follow the
// delivered orders of a rolling window and are announced through the
// journal (loyalty.tier_changed), which the playbook turns into messages.
package loyalty
