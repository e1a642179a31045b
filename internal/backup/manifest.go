package backup

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/version"
)

// ManifestName is the manifest's name inside an archive; it comes first.
const ManifestName = "manifest.json"

// The database files an archive may hold, by engine.
const (
	SQLiteEntry   = "shopcare.db"
	PostgresEntry = "shopcare.pgdump"
)

// FormatVersion is the archive layout this package writes and reads.
const FormatVersion = 1

// Manifest describes what a backup holds.
type Manifest struct {
	// Format is the archive layout's version (FormatVersion).
	Format int `json:"format"`
	// Version is the shopcare that made the backup.
	Version string `json:"shopcare_version"`
	// Schema is the newest migration applied to the database backed up.
	Schema int64 `json:"schema_version"`
	// Engine is sqlite or postgres.
	Engine string `json:"engine"`
	// CreatedAt is when the snapshot was taken (the real clock, UTC).
	CreatedAt time.Time `json:"created_at"`
	// Database is the database file's name inside the archive.
	Database string `json:"database"`
	// Size is the database file's size in bytes.
	Size int64 `json:"database_size"`
	// SHA256 is the hex SHA-256 of the database file.
	SHA256 string `json:"database_sha256"`
	// Tables are the row counts of every table in the snapshot.
	Tables map[string]int64 `json:"tables"`
}

// Orders is the count of orders the backup holds.
func (m Manifest) Orders() int64 { return m.Tables["orders"] }

// maxManifest bounds the manifest an archive may carry.
const maxManifest = 1 << 20

// errManifest marks an archive whose manifest is not one this package
// wrote.
var errManifest = errors.New("not a shopcare backup manifest")

// parseManifest decodes and checks a manifest.
func parseManifest(data []byte) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%w: %w", errManifest, err)
	}
	switch {
	case m.Format != FormatVersion:
		return m, fmt.Errorf("%w: format %d, this shopcare reads format %d", errManifest, m.Format, FormatVersion)
	case m.Engine == "sqlite" && m.Database != SQLiteEntry, m.Engine == "postgres" && m.Database != PostgresEntry:
		return m, fmt.Errorf("%w: engine %q with database %q", errManifest, m.Engine, m.Database)
	case m.Engine != "sqlite" && m.Engine != "postgres":
		return m, fmt.Errorf("%w: unknown engine %q", errManifest, m.Engine)
	case m.Schema <= 0:
		return m, fmt.Errorf("%w: schema version %d", errManifest, m.Schema)
	case m.Size < 0:
		return m, fmt.Errorf("%w: database size %d", errManifest, m.Size)
	case m.CreatedAt.IsZero():
		return m, fmt.Errorf("%w: no created_at", errManifest)
	}
	if sum, err := hex.DecodeString(m.SHA256); err != nil || len(sum) != 32 {
		return m, fmt.Errorf("%w: database_sha256 %q is not a SHA-256", errManifest, m.SHA256)
	}
	for name, n := range m.Tables {
		if n < 0 || name == "" {
			return m, fmt.Errorf("%w: table %q counted %d", errManifest, name, n)
		}
	}
	return m, nil
}

// shopcareVersion is the running binary's release, "devel" for a build
// outside a release.
func shopcareVersion() string { return version.Get().Version }
