//go:build linux

package bench

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// soakMount mounts a tmpfs of size bytes on dir, for the disk-full fault.
func soakMount(dir string, size int64) error {
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		return fmt.Errorf("mount a tmpfs of %d MiB on %s: %w", size>>20, dir, err)
	}
	return nil
}

// soakUnmount detaches the mount on dir lazily: it goes at once from the
// tree and for good when nothing holds a file in it any more.
func soakUnmount(dir string) error {
	if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
		return fmt.Errorf("unmount %s: %w", dir, err)
	}
	return nil
}

// UnmountUnder detaches every mount at or under dir (the soak's tmpfs,
// left by a run that was killed): a test's clean-up calls it.
func UnmountUnder(dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("unmount under %s: %w", dir, err)
	}
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return fmt.Errorf("read the mounts: %w", err)
	}
	defer f.Close()
	var points []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		p := strings.ReplaceAll(fields[1], `\040`, " ")
		if p == dir || strings.HasPrefix(p, dir+"/") {
			points = append(points, p)
		}
	}
	var first error
	for i := len(points) - 1; i >= 0; i-- {
		if err := soakUnmount(points[i]); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// soakCanMount tells whether this process may mount a tmpfs, and if not,
// why.
func soakCanMount() (bool, string) {
	if os.Geteuid() != 0 {
		return false, "not running as root, so no tmpfs can be mounted for the data directory"
	}
	return true, ""
}
