package backup

import (
	"archive/tar"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrChecksum is returned when an archive's database does not match the
// checksum or size its manifest states: the file was damaged or altered.
var ErrChecksum = errors.New("the backup's database does not match its manifest's checksum")

// ErrArchive is returned for a file that is not a readable backup.
var ErrArchive = errors.New("not a readable shopcare backup archive")

// fileSHA256 returns the hex SHA-256 and the size of the file at path.
func fileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path) //nolint:gosec // a file this package wrote
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// writeArchive writes the archive of m and the database file dbPath to
// dest: under a temporary name in dest's directory, synced, then linked to
// dest (never replacing a file there) and the temporary name removed. On
// any error nothing is left under dest's name.
func writeArchive(dest string, m Manifest, dbPath string) (err error) {
	meta, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	tmp := tempName(dest)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) //nolint:gosec // beside dest, which the operator chose
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	defer func() {
		if f != nil {
			_ = f.Close()
		}
		_ = os.Remove(tmp)
	}()
	gz, err := gzip.NewWriterLevel(f, gzip.BestSpeed)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o600, Size: int64(len(meta)), ModTime: m.CreatedAt, Typeflag: tar.TypeReg}); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if _, err := tw.Write(meta); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	db, err := os.Open(dbPath) //nolint:gosec // the snapshot this package made
	if err != nil {
		return err
	}
	defer db.Close()
	if err := tw.WriteHeader(&tar.Header{Name: m.Database, Mode: 0o600, Size: m.Size, ModTime: m.CreatedAt, Typeflag: tar.TypeReg}); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if _, err := io.Copy(tw, db); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp, err)
	}
	f = nil
	if err := os.Link(tmp, dest); err != nil {
		return fmt.Errorf("put the backup at %s: %w", dest, err)
	}
	syncDir(filepath.Dir(dest))
	return nil
}

// tempName is a unique temporary name beside path, starting with a dot
// and ending with .tmp so that listings and the retention skip it.
func tempName(path string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"."+hex.EncodeToString(b)+".tmp")
}

// syncDir makes a rename or link in dir durable; errors are ignored, as
// some file systems cannot sync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil { //nolint:gosec // a directory this package writes in
		_ = d.Sync()
		_ = d.Close()
	}
}

// removeStaleTemps removes the temporary files of backups that died
// (a killed process) an hour or more ago: a backup in progress is younger.
func removeStaleTemps(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, ".shopcare") || !strings.HasSuffix(name, ".tmp") {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > time.Hour {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}

// readArchive reads a backup archive from r: the manifest, checked, then
// the database, written to db while its checksum and size are verified
// against the manifest. db is nil to read the manifest only.
func readArchive(r io.Reader, db io.Writer) (Manifest, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return Manifest{}, fmt.Errorf("%w: %w", ErrArchive, err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	hdr, err := tr.Next()
	if err != nil {
		return Manifest{}, fmt.Errorf("%w: %w", ErrArchive, err)
	}
	if hdr.Name != ManifestName || hdr.Typeflag != tar.TypeReg || hdr.Size > maxManifest || hdr.Size < 0 {
		return Manifest{}, fmt.Errorf("%w: its first entry is %q, not %s", ErrArchive, hdr.Name, ManifestName)
	}
	meta, err := io.ReadAll(io.LimitReader(tr, maxManifest))
	if err != nil {
		return Manifest{}, fmt.Errorf("%w: %w", ErrArchive, err)
	}
	m, err := parseManifest(meta)
	if err != nil {
		return m, err
	}
	if db == nil {
		return m, nil
	}
	hdr, err = tr.Next()
	if err != nil {
		return m, fmt.Errorf("%w: no database after the manifest: %w", ErrArchive, err)
	}
	if hdr.Name != m.Database || hdr.Typeflag != tar.TypeReg || sparse(hdr) {
		return m, fmt.Errorf("%w: entry %q where %s was expected", ErrArchive, hdr.Name, m.Database)
	}
	if hdr.Size != m.Size {
		return m, fmt.Errorf("%w: the database is %d bytes, the manifest says %d", ErrChecksum, hdr.Size, m.Size)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(db, h), io.LimitReader(tr, m.Size))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, tar.ErrHeader) {
			return m, fmt.Errorf("%w: %w", ErrChecksum, err)
		}
		return m, fmt.Errorf("read the backup's database: %w", err)
	}
	if n != m.Size || hex.EncodeToString(h.Sum(nil)) != m.SHA256 {
		return m, ErrChecksum
	}
	if _, err := tr.Next(); !errors.Is(err, io.EOF) {
		return m, fmt.Errorf("%w: unexpected entries after the database", ErrArchive)
	}
	// The gzip trailer's own CRC is checked when the stream is read out.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return m, fmt.Errorf("%w: %w", ErrChecksum, err)
	}
	return m, nil
}

// ReadManifest returns the manifest of the archive at path without
// extracting its database.
func ReadManifest(path string) (Manifest, error) {
	f, err := os.Open(path) //nolint:gosec // the operator names the file
	if err != nil {
		return Manifest{}, fmt.Errorf("open backup: %w", err)
	}
	defer f.Close()
	m, err := readArchive(f, nil)
	if err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// sparse reports whether a tar entry is a sparse file, whose holes read
// as zeros the archive does not hold: a small archive could then make
// a restore write terabytes before its checksum fails.
func sparse(hdr *tar.Header) bool {
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}
