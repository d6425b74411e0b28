//go:build !unix

package storetest

import "time"

// processCPU is not measured on this system.
func processCPU() (time.Duration, uint64) { return 0, 0 }
