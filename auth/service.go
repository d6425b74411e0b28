package auth

import (
	"context"
	"strings"
	"sufficiency/identity"
	"sync"
	"time"

	"sufficiency/care"
)

// Default session lifetimes.
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultAbsoluteTimeout = 12 * time.Hour
)

// Password checks. Each Argon2id check holds 19 MiB for tens of
// milliseconds, so at most MaxConcurrentChecks run at once (the Service's
// HashSlots, when set, overrides it); a sign-in that cannot get a slot within
// QueueWait is refused with EBUSY and a Retry-After, instead of queueing
// without bound. 100 concurrent sign-ins thus hold at most a few slots'
// worth of memory, not 100 × 19 MiB.
const (
	MaxConcurrentChecks = 4
	QueueWait           = 2 * time.Second
)

// Service signs users in and out and recognises sessions and API tokens.
type Service struct {
	Store           identity.Store
	Now             func() time.Time // default time.Now
	IdleTimeout     time.Duration    // default DefaultIdleTimeout
	AbsoluteTimeout time.Duration    // default DefaultAbsoluteTimeout
	// HashSlots bounds concurrent password checks (default
	// MaxConcurrentChecks); QueueWait (default QueueWait) is how long a
	// sign-in waits for a slot. Set before the first sign-in.
	HashSlots int
	QueueWait time.Duration

	slotsOnce sync.Once
	slots     chan struct{}
}

// NewService returns a Service over st with the default lifetimes.
func NewService(st identity.Store) *Service {
	return &Service{Store: st, Now: time.Now, IdleTimeout: DefaultIdleTimeout, AbsoluteTimeout: DefaultAbsoluteTimeout}
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// errBadLogin is the one answer to a wrong name or password, so neither is revealed.
func errBadLogin() error {
	return care.Errorf(care.EUNAUTHORIZED, "the user name or password is not right")
}

// Login is LoginFrom with no client address (the CLI).
func (s *Service) Login(ctx context.Context, name, password string) (token string, u identity.User, err error) {
	return s.LoginFrom(ctx, name, password, "")
}

// LoginFrom checks the name and password of a sign-in from the client
// address addr ("" when there is none) and starts a new session (a new token
// every time: no session fixation). EUNAUTHORIZED for a wrong name or
// password or a disabled user; EBUSY (with a WaitError giving the wait) when
// the name or address must wait after failed sign-ins (see FreeNameFailures)
// or every password-check slot is busy.
func (s *Service) LoginFrom(ctx context.Context, name, password, addr string) (token string, u identity.User, err error) {
	name = strings.TrimSpace(name)
	if w, err := s.wait(ctx, name, addr); err != nil {
		return "", identity.User{}, err
	} else if w > 0 {
		return "", identity.User{}, errThrottled(w)
	}
	release, err := s.acquire(ctx)
	if err != nil {
		return "", identity.User{}, err
	}
	defer release()
	// Checked again with the slot held: attempts that queued together do
	// not all pass on one old count.
	if w, err := s.wait(ctx, name, addr); err != nil {
		return "", identity.User{}, err
	} else if w > 0 {
		return "", identity.User{}, errThrottled(w)
	}
	u, err = s.Store.UserByName(ctx, name)
	if err != nil {
		if care.ErrorCode(err) != care.ENOTFOUND {
			return "", identity.User{}, err
		}
		// Spend the same time as a real check, so timing does not reveal names.
		_, _ = VerifyPassword(dummyHash(), password)
		if err := s.recordFailure(ctx, name, addr); err != nil {
			return "", identity.User{}, err
		}
		return "", identity.User{}, errBadLogin()
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil || !ok || u.Disabled {
		if err := s.recordFailure(ctx, name, addr); err != nil {
			return "", identity.User{}, err
		}
		return "", identity.User{}, errBadLogin()
	}
	if err := s.Store.ClearLoginFailures(ctx, nameKey(name)); err != nil {
		return "", identity.User{}, err
	}
	token, err = NewToken()
	if err != nil {
		return "", identity.User{}, err
	}
	now := s.now()
	if err := s.Store.CreateSession(ctx, identity.Session{TokenHash: HashToken(token), UserID: u.ID, Created: now, LastSeen: now}); err != nil {
		return "", identity.User{}, err
	}
	return token, u, nil
}

func errThrottled(w time.Duration) error {
	secs := int((w + time.Second - 1) / time.Second)
	return errWait(time.Duration(secs)*time.Second, "too many failed sign-ins for this name or from this address: wait %d seconds and try again", secs)
}

// acquire takes a password-check slot, waiting at most QueueWait. EBUSY when
// none frees in time; the context's error when it ends first.
func (s *Service) acquire(ctx context.Context) (release func(), err error) {
	s.slotsOnce.Do(func() {
		n := s.HashSlots
		if n <= 0 {
			n = MaxConcurrentChecks
		}
		s.slots = make(chan struct{}, n)
	})
	wait := s.QueueWait
	if wait <= 0 {
		wait = QueueWait
	}
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-t.C:
		return nil, errWait(time.Second, "the service is busy checking other sign-ins: try again in a moment")
	case <-ctx.Done():
		return nil, care.WrapError(care.EBUSY, ctx.Err(), "the sign-in was abandoned")
	}
}

// dummyHash is checked against when the name is unknown.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not-a-real-password-at-all")
	return h
})

// Session returns the user of a session token, renewing its idle time.
// EUNAUTHORIZED when there is no such session, it has been idle longer than
// IdleTimeout or is older than AbsoluteTimeout (it is then deleted), or the
// user is disabled.
func (s *Service) Session(ctx context.Context, token string) (identity.User, error) {
	if token == "" {
		return identity.User{}, care.Errorf(care.EUNAUTHORIZED, "please sign in")
	}
	h := HashToken(token)
	sess, u, err := s.Store.SessionUser(ctx, h)
	if err != nil {
		if care.ErrorCode(err) == care.ENOTFOUND {
			return identity.User{}, care.Errorf(care.EUNAUTHORIZED, "your session has ended: please sign in again")
		}
		return identity.User{}, err
	}
	now := s.now()
	idle, abs := s.IdleTimeout, s.AbsoluteTimeout
	if idle <= 0 {
		idle = DefaultIdleTimeout
	}
	if abs <= 0 {
		abs = DefaultAbsoluteTimeout
	}
	if now.Sub(sess.LastSeen) > idle || now.Sub(sess.Created) > abs || u.Disabled {
		_ = s.Store.DeleteSession(ctx, h, "session expired")
		return identity.User{}, care.Errorf(care.EUNAUTHORIZED, "your session has ended: please sign in again")
	}
	// Renew at most once a minute, to keep reads from writing on every request.
	if now.Sub(sess.LastSeen) > time.Minute {
		if err := s.Store.TouchSession(ctx, h, now); err != nil {
			return identity.User{}, err
		}
	}
	return u, nil
}

// Logout ends the session of token (nothing happens for an unknown token).
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	err := s.Store.DeleteSession(ctx, HashToken(token), "logout")
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil
	}
	return err
}

// NewAPIToken creates a bearer token for the named user and returns it; it
// is shown once and only its hash is kept. ENOTFOUND for an unknown user.
func (s *Service) NewAPIToken(ctx context.Context, name, label string, ttl time.Duration) (string, error) {
	u, err := s.Store.UserByName(ctx, name)
	if err != nil {
		return "", err
	}
	tok, err := NewToken()
	if err != nil {
		return "", err
	}
	t := identity.APIToken{TokenHash: HashToken(tok), UserID: u.ID, Label: label, Created: s.now()}
	if ttl > 0 {
		t.Expires = t.Created.Add(ttl)
	}
	if err := s.Store.CreateAPIToken(ctx, t); err != nil {
		return "", err
	}
	return "sfy_" + tok, nil
}

// Token returns the user of a bearer API token. EUNAUTHORIZED when it is
// unknown, expired or its user disabled.
func (s *Service) Token(ctx context.Context, token string) (identity.User, error) {
	token, ok := strings.CutPrefix(token, "sfy_")
	if !ok || token == "" {
		return identity.User{}, care.Errorf(care.EUNAUTHORIZED, "the API token is not right")
	}
	t, u, err := s.Store.TokenUser(ctx, HashToken(token))
	if err != nil {
		if care.ErrorCode(err) == care.ENOTFOUND {
			return identity.User{}, care.Errorf(care.EUNAUTHORIZED, "the API token is not right")
		}
		return identity.User{}, err
	}
	if u.Disabled || (!t.Expires.IsZero() && s.now().After(t.Expires)) {
		return identity.User{}, care.Errorf(care.EUNAUTHORIZED, "the API token has expired")
	}
	return u, nil
}
