package auth

import (
	"testing"
	"time"
)

// The delay after n failures: none up to the free allowance, then one
// second doubling with each failure, capped.
func TestDelay(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{
		{0, 0}, {4, 0}, // below
		{5, time.Second}, // on
		{6, 2 * time.Second}, {7, 4 * time.Second}, {9, 16 * time.Second},
		{10, MaxNameDelay}, {11, MaxNameDelay}, {1000, MaxNameDelay}, // above, capped
	} {
		if got := delay(tc.n, FreeNameFailures, MaxNameDelay); got != tc.want {
			t.Errorf("delay(%d) = %s, want %s", tc.n, got, tc.want)
		}
	}
}

// Keys never hold what was typed, and names ignore case and spaces.
func TestThrottleKeys(t *testing.T) {
	if nameKey(" Hart ") != nameKey("hart") || nameKey("hart") == addrKey("hart") {
		t.Error("keys")
	}
	if k := nameKey("my secret password"); len(k) != len("name:")+32 || k[5:] == "my secret password" {
		t.Errorf("key %q", k)
	}
}
