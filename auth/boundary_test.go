package auth

import (
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

// Boundary tests written from the security rules as documented on the
// identifiers: passwords of 12 to 1,024 characters; sign-in throttling with
// the first 5 failures per name (10 per address) free, then a delay from one
// second doubling with each failure to at most 30 seconds (60 for an
// address), failures forgotten after 15 minutes; Argon2id hashes only with
// sane parameters.

// TestPasswordLengthLimits: 11 and 1,025 characters are refused, 12 and
// 1,024 accepted.
func TestPasswordLengthLimits(t *testing.T) {
	for _, tc := range []struct {
		n  int
		ok bool
	}{{MinPasswordLength - 1, false}, {MinPasswordLength, true}, {MaxPasswordLength, true}, {MaxPasswordLength + 1, false}, {0, false}} {
		pw := strings.Repeat("a", tc.n)
		h, err := HashPassword(pw)
		if (err == nil) != tc.ok {
			t.Errorf("%d characters: err %v", tc.n, err)
			continue
		}
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "12 to 1024 characters") {
				t.Errorf("%d characters: %v", tc.n, err)
			}
			continue
		}
		if ok, err := VerifyPassword(h, pw); !ok || err != nil {
			t.Errorf("%d characters: verify %v %v", tc.n, ok, err)
		}
		if ok, _ := VerifyPassword(h, pw+"b"); ok {
			t.Errorf("%d characters: a longer password verified", tc.n)
		}
	}
	// A password over the limit never verifies (no unbounded work), even
	// against a hash of its first 1,024 characters.
	long := strings.Repeat("a", MaxPasswordLength)
	h, err := HashPassword(long)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := VerifyPassword(h, long+"a"); ok || err != nil {
		t.Errorf("1,025 characters: %v %v", ok, err)
	}
}

// TestVerifyPasswordParameterBounds: a hash whose Argon2 parameters are out
// of bounds is refused before any work is done.
func TestVerifyPasswordParameterBounds(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(h, "$")
	with := func(params string) string {
		p := append([]string(nil), parts...)
		p[3] = params
		return strings.Join(p, "$")
	}
	for _, tc := range []struct {
		params string
		ok     bool
	}{
		{"m=19456,t=2,p=1", true},
		{"m=7,t=2,p=1", false}, {"m=8,t=1,p=1", true}, {"m=1048576,t=1,p=1", true}, {"m=1048577,t=1,p=1", false},
		{"m=19456,t=0,p=1", false}, {"m=19456,t=10,p=1", true}, {"m=19456,t=11,p=1", false},
		{"m=19456,t=2,p=0", false}, {"m=19456,t=2,p=16", true}, {"m=19456,t=2,p=17", false},
	} {
		if tc.ok && tc.params != "m=19456,t=2,p=1" && strings.HasPrefix(tc.params, "m=1048576") {
			continue // in bounds, but 1 GiB of memory: not run here
		}
		_, err := VerifyPassword(with(tc.params), "correct horse battery")
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v", tc.params, err)
		}
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=18$m=19456,t=2,p=1$x$y",
		strings.Replace(h, parts[4], "c2FsdA", 1), // 4-byte salt
	} {
		if _, err := VerifyPassword(bad, "correct horse battery"); err == nil || care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%q: err %v", bad, err)
		}
	}
}

// TestThrottleDelays: after the free failures the wait is 1 s, doubling with
// each further failure, never above the maximum.
func TestThrottleDelays(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{0, 0}, {4, 0}, {5, s}, {6, 2 * s}, {7, 4 * s}, {8, 8 * s}, {9, 16 * s}, {10, 30 * s}, {11, 30 * s}, {50, 30 * s}} {
		if got := delay(tc.n, FreeNameFailures, MaxNameDelay); got != tc.want {
			t.Errorf("name, %d failures: wait %s, want %s", tc.n, got, tc.want)
		}
	}
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{9, 0}, {10, s}, {11, 2 * s}, {15, 32 * s}, {16, 60 * s}, {100, 60 * s}} {
		if got := delay(tc.n, FreeAddrFailures, MaxAddrDelay); got != tc.want {
			t.Errorf("address, %d failures: wait %s, want %s", tc.n, got, tc.want)
		}
	}
}

// TestWaitErrorAtLeastOneSecond: a wait asked of a client is never under a
// second (Retry-After counts whole seconds).
func TestWaitErrorAtLeastOneSecond(t *testing.T) {
	for _, tc := range []struct{ in, want time.Duration }{{0, time.Second}, {999 * time.Millisecond, time.Second}, {time.Second, time.Second}, {1500 * time.Millisecond, 1500 * time.Millisecond}} {
		err := errWait(tc.in, "wait")
		var we *WaitError
		if !asWait(err, &we) || we.RetryAfter() != tc.want || care.ErrorCode(err) != care.EBUSY {
			t.Errorf("errWait(%s): %v", tc.in, err)
		}
	}
}

func asWait(err error, target **WaitError) bool {
	for err != nil {
		if w, ok := err.(*WaitError); ok {
			*target = w
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}
