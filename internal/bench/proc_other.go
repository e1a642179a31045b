//go:build !linux

package bench

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// benchProcAttr has nothing to add outside Linux.
func benchProcAttr() *syscall.SysProcAttr { return nil }

// benchPeakRSS is measured on Linux only.
func benchPeakRSS(*os.ProcessState) (int64, bool) { return 0, false }

// benchProcMemory needs Linux's /proc.
func benchProcMemory(int) (benchMemory, error) {
	return benchMemory{}, errors.New("reading a process's memory needs Linux's /proc")
}

// benchCPUTime needs Linux's /proc.
func benchCPUTime(int) (time.Duration, error) {
	return 0, errors.New("reading a process's CPU time needs Linux's /proc")
}
