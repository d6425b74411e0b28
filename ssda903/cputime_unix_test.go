//go:build unix

package ssda903

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time of the process so far. The
// benchmarks report rows per CPU-second as well as per wall-clock second:
// the former does not depend on what else the machine is running.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
