// Package store is shopcare's storage: one handle over embedded SQLite (the
// default, pure Go) or PostgreSQL, the migrations of both, and the SQL of
// every table, written out in the open.
//
// Both engines are reached through the same small Querier interface and the
// same SQL text ($1-style placeholders work on both); where the dialects
// differ the query says so next to it. A write transaction (Tx) exposes its
// driver-level transaction so the job queue can enqueue work in it, which is
// how an accepted change and the work it causes commit together or not at all.
//
// Driver errors are translated here: callers see ErrNotFound and ErrConflict.
package store
