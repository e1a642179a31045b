//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// LockFile is the file in the data directory that a shopcare process
// working on the directory's SQLite database holds locked.
const LockFile = "shopcare.lock"

// ErrLocked is returned by LockDir when another process holds the lock.
var ErrLocked = errors.New("another shopcare runs on this data directory")

// LockDir takes the exclusive lock of a data directory: serve and demo
// hold it while they run on its SQLite database, and migrate-to takes it
// so that nothing writes the database while it is copied. The lock is an
// flock on LockFile, which the kernel drops when the process ends in any
// way (SIGKILL included), so a crash never leaves a stale lock behind.
// release gives it up.
func LockDir(dir string) (release func(), err error) {
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data directory %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("data directory %s: %w (its lock %s is held): stop it first, or use another --data", dir, ErrLocked, path)
		}
		return nil, fmt.Errorf("lock data directory %s: %w", dir, err)
	}
	return func() { _ = f.Close() }, nil
}
