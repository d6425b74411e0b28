//go:build unix

package storetest

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system) the process has used so far,
// and its peak resident set size in bytes (0 when unknown).
func processCPU() (time.Duration, uint64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), uint64(ru.Maxrss) * 1024 // Linux: kilobytes
}
