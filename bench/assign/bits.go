package main

import (
	"math"
	"syscall"
	"time"
)

// processCPU returns the user plus system CPU time used by the process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func floatBits(f float64) uint64 { return math.Float64bits(f) }

func floatFrom(u uint64) float64 { return math.Float64frombits(u) }
