package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
)

// Sign-in throttling. Failed sign-ins are counted per user name and per
// client address, in the database (ThrottleStore), so the count holds across
// restarts and is shared by every app server over one database. There is no
// lockout: after FreeNameFailures failures for a name (FreeAddrFailures
// from an address) each further attempt must wait a delay that doubles with
// every failure, from one second up to MaxNameDelay (MaxAddrDelay). The
// right password after the wait always signs in, so an attacker who guesses
// a user's name can slow that user's sign-in by at most MaxNameDelay, never
// lock them out. Failures older than FailureWindow are forgotten.
const (
	FreeNameFailures = 5
	FreeAddrFailures = 10
	MaxNameDelay     = 30 * time.Second
	MaxAddrDelay     = 60 * time.Second
	FailureWindow    = 15 * time.Minute
)

// MaxFailures is FreeNameFailures, for callers of the earlier name.
const MaxFailures = FreeNameFailures

// WaitError is in the chain of an EBUSY error: how long to wait before
// trying again (the web app sends it as Retry-After).
type WaitError struct{ Wait time.Duration }

func (e *WaitError) Error() string { return fmt.Sprintf("try again in %s", e.Wait) }

// RetryAfter is how long to wait.
func (e *WaitError) RetryAfter() time.Duration { return e.Wait }

// errWait is the EBUSY error asking the caller to wait d.
func errWait(d time.Duration, format string, args ...any) error {
	if d < time.Second {
		d = time.Second
	}
	return care.WrapError(care.EBUSY, &WaitError{Wait: d}, format, args...)
}

// throttleKey is the stored key of a user name or address.
func throttleKey(kind, v string) string {
	h := sha256.Sum256([]byte(kind + "\x00" + v))
	return kind + ":" + hex.EncodeToString(h[:16])
}

func nameKey(name string) string {
	return throttleKey("name", strings.ToLower(strings.TrimSpace(name)))
}
func addrKey(addr string) string { return throttleKey("addr", addr) }

// delay is the wait after n failures when the first free are free.
func delay(n, free int, maxDelay time.Duration) time.Duration {
	if n < free {
		return 0
	}
	d := time.Second
	for i := free; i < n && d < maxDelay; i++ {
		d *= 2
	}
	return min(d, maxDelay)
}

// wait returns how long a sign-in under the keys must still wait (0: none).
func (s *Service) wait(ctx context.Context, name, addr string) (time.Duration, error) {
	keys := []string{nameKey(name)}
	if addr != "" {
		keys = append(keys, addrKey(addr))
	}
	fs, err := s.Store.LoginFailures(ctx, keys)
	if err != nil {
		return 0, err
	}
	now := s.now()
	var w time.Duration
	for i, k := range keys {
		f, ok := fs[k]
		if !ok || now.Sub(f.Last) > FailureWindow {
			continue
		}
		d := delay(f.Count, FreeNameFailures, MaxNameDelay)
		if i == 1 {
			d = delay(f.Count, FreeAddrFailures, MaxAddrDelay)
		}
		w = max(w, f.Last.Add(d).Sub(now))
	}
	return w, nil
}

func (s *Service) recordFailure(ctx context.Context, name, addr string) error {
	keys := []string{nameKey(name)}
	if addr != "" {
		keys = append(keys, addrKey(addr))
	}
	now := s.now()
	return s.Store.RecordLoginFailure(ctx, keys, now, now.Add(-FailureWindow))
}
