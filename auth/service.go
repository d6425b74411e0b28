package auth

import (
	"context"
	"strings"
	"sync"
	"time"

	"sufficiency/care"
)

// Default session lifetimes.
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultAbsoluteTimeout = 12 * time.Hour
)

// Login throttling: after MaxFailures failed sign-ins for one name within
// FailureWindow, that name is refused until the window has passed.
const (
	MaxFailures   = 5
	FailureWindow = 15 * time.Minute
)

// Service signs users in and out and recognises sessions and API tokens.
type Service struct {
	Store           Store
	Now             func() time.Time // default time.Now
	IdleTimeout     time.Duration    // default DefaultIdleTimeout
	AbsoluteTimeout time.Duration    // default DefaultAbsoluteTimeout

	mu       sync.Mutex
	failures map[string][]time.Time // by lower-case user name
}

// NewService returns a Service over st with the default lifetimes.
func NewService(st Store) *Service {
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

// Login checks the name and password and starts a new session (a new token
// every time: no session fixation). EUNAUTHORIZED for a wrong name or
// password, a disabled user, or a name throttled after too many failures.
func (s *Service) Login(ctx context.Context, name, password string) (token string, u User, err error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if s.throttled(key) {
		return "", User{}, care.Errorf(care.EUNAUTHORIZED, "too many failed sign-ins for this name: wait %d minutes and try again", int(FailureWindow.Minutes()))
	}
	u, err = s.Store.UserByName(ctx, strings.TrimSpace(name))
	if err != nil {
		if care.ErrorCode(err) != care.ENOTFOUND {
			return "", User{}, err
		}
		// Spend the same time as a real check, so timing does not reveal names.
		_, _ = VerifyPassword(dummyHash(), password)
		s.fail(key)
		return "", User{}, errBadLogin()
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil || !ok || u.Disabled {
		s.fail(key)
		return "", User{}, errBadLogin()
	}
	s.clear(key)
	token, err = NewToken()
	if err != nil {
		return "", User{}, err
	}
	now := s.now()
	if err := s.Store.CreateSession(ctx, Session{TokenHash: HashToken(token), UserID: u.ID, Created: now, LastSeen: now}); err != nil {
		return "", User{}, err
	}
	return token, u, nil
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
func (s *Service) Session(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, care.Errorf(care.EUNAUTHORIZED, "please sign in")
	}
	h := HashToken(token)
	sess, u, err := s.Store.SessionUser(ctx, h)
	if err != nil {
		if care.ErrorCode(err) == care.ENOTFOUND {
			return User{}, care.Errorf(care.EUNAUTHORIZED, "your session has ended: please sign in again")
		}
		return User{}, err
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
		return User{}, care.Errorf(care.EUNAUTHORIZED, "your session has ended: please sign in again")
	}
	// Renew at most once a minute, to keep reads from writing on every request.
	if now.Sub(sess.LastSeen) > time.Minute {
		if err := s.Store.TouchSession(ctx, h, now); err != nil {
			return User{}, err
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
	t := APIToken{TokenHash: HashToken(tok), UserID: u.ID, Label: label, Created: s.now()}
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
func (s *Service) Token(ctx context.Context, token string) (User, error) {
	token, ok := strings.CutPrefix(token, "sfy_")
	if !ok || token == "" {
		return User{}, care.Errorf(care.EUNAUTHORIZED, "the API token is not right")
	}
	t, u, err := s.Store.TokenUser(ctx, HashToken(token))
	if err != nil {
		if care.ErrorCode(err) == care.ENOTFOUND {
			return User{}, care.Errorf(care.EUNAUTHORIZED, "the API token is not right")
		}
		return User{}, err
	}
	if u.Disabled || (!t.Expires.IsZero() && s.now().After(t.Expires)) {
		return User{}, care.Errorf(care.EUNAUTHORIZED, "the API token has expired")
	}
	return u, nil
}

func (s *Service) throttled(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune(key)
	return len(s.failures[key]) >= MaxFailures
}

func (s *Service) fail(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failures == nil {
		s.failures = map[string][]time.Time{}
	}
	s.prune(key)
	s.failures[key] = append(s.failures[key], s.now())
	if len(s.failures) > 10000 { // bound memory under a name-spraying attack
		for k := range s.failures {
			delete(s.failures, k)
			break
		}
	}
}

func (s *Service) clear(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.failures, key)
}

// prune drops failures older than the window; s.mu must be held.
func (s *Service) prune(key string) {
	cut := s.now().Add(-FailureWindow)
	fs := s.failures[key]
	i := 0
	for i < len(fs) && fs[i].Before(cut) {
		i++
	}
	if i == len(fs) {
		delete(s.failures, key)
	} else if i > 0 {
		s.failures[key] = fs[i:]
	}
}
