package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
)

// TestDataDirectoryWithURICharacters opens a data directory whose name
// holds the characters a file: URI gives a meaning to: the database must
// be the file inside that directory, not a file cut off at the "#" or "?".
func TestDataDirectoryWithURICharacters(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"shop#1", "shop?x=1", "shop%41", "shop 2"} {
		dir := filepath.Join(t.TempDir(), name)
		db, err := store.Open(context.Background(), store.Options{DataDir: dir})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("%s: migrate: %v", name, err)
		}
		db.Close()
		if _, err := os.Stat(filepath.Join(dir, store.SQLiteFile)); err != nil {
			t.Errorf("%s: the database is not inside the data directory: %v", name, err)
		}
		entries, _ := os.ReadDir(filepath.Dir(dir))
		if len(entries) != 1 {
			t.Errorf("%s: the data directory's parent holds %d entries, want only the directory", name, len(entries))
		}
	}
}
