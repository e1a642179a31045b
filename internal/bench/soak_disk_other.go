//go:build !linux

package bench

import "errors"

var errNoMount = errors.New("the disk-full fault mounts a tmpfs, which needs Linux")

func soakMount(string, int64) error { return errNoMount }

func soakUnmount(string) error { return errNoMount }

// UnmountUnder does nothing where the soak mounts nothing.
func UnmountUnder(string) error { return nil }

func soakCanMount() (bool, string) { return false, errNoMount.Error() }
