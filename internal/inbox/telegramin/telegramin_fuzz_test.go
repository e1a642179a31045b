package telegramin_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shopcare/shopcare/internal/inbox/telegramin"
)

// FuzzParseUpdate: no bytes make the update parser panic, and an update
// it takes has a positive id.
func FuzzParseUpdate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"update_id":1,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"text":"\ud800"}}`))
	f.Add([]byte(`{"update_id":-1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := telegramin.ParseUpdate(data)
		if err == nil && u.ID <= 0 {
			t.Errorf("took an update with id %d", u.ID)
		}
	})
}
