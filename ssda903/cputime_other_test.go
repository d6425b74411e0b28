//go:build !unix

package ssda903

import "time"

// cpuTime is not measured on this platform: the per-CPU figures are left out.
func cpuTime() time.Duration { return 0 }
