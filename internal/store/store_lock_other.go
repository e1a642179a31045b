//go:build !unix

package store

import "errors"

// LockFile is the file in the data directory that a shopcare process
// working on the directory's SQLite database holds locked.
const LockFile = "shopcare.lock"

// ErrLocked is returned by LockDir when another process holds the lock.
var ErrLocked = errors.New("another shopcare runs on this data directory")

// LockDir does nothing where flock is missing.
func LockDir(string) (release func(), err error) { return func() {}, nil }
