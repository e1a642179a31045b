package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// MovedFile is left in a data directory whose shop migrate-to copied to
// PostgreSQL. serve refuses to run on the directory's SQLite database
// while it is there: the two databases hold the same queued messages, and
// a shop running on both would send them twice.
const MovedFile = "shopcare.moved"

// ErrMoved is returned by CheckNotMoved for a data directory whose shop
// moved to PostgreSQL.
var ErrMoved = errors.New("this shop moved to PostgreSQL")

// MarkMoved records in dir that its shop now lives in the database of
// target (whose password is not written) since at.
func MarkMoved(dir, target string, at time.Time) error {
	note := fmt.Sprintf("moved to %s on %s\n", redact(target), at.UTC().Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, MovedFile), []byte(note), 0o600); err != nil {
		return fmt.Errorf("mark %s as moved: %w", dir, err)
	}
	return nil
}

// CheckNotMoved returns ErrMoved, saying where to and how to go back,
// when dir's shop moved to PostgreSQL; nil when it did not.
func CheckNotMoved(dir string) error {
	path := filepath.Join(dir, MovedFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return fmt.Errorf("data directory %s: %w (%s): start serve with SHOPCARE_DATABASE_URL; "+
		"to run on this SQLite database again, the way back, delete %s",
		dir, ErrMoved, strings.TrimSpace(string(b)), path)
}
