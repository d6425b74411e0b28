package web

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
)

// Concurrency limits (issue 15). Every signed-in request counts against its
// user: at most MaxUserRequests run at once per user (the next waits up to
// userWait, then is answered 429 with Retry-After), so one user or one
// stolen token cannot take the server. Expensive pages and API calls (the
// pictures, review, market, matches: wrapped in heavy in routes.go) also
// share heavySlots server-wide, so sixteen users asking for region pictures
// at once are served a few at a time within a bounded memory, not all at
// once.
const (
	MaxUserRequests = 4
	// MaxUserHeavy is how many expensive requests one user may have running
	// at once: the pool is shared fairly, not filled by one user.
	MaxUserHeavy = 1
	userWait     = 10 * time.Second
	heavyWait    = 30 * time.Second
)

// limits holds the counters.
type limits struct {
	perUser   int
	userWait  time.Duration
	heavyWait time.Duration
	heavy     chan struct{}

	mu      sync.Mutex
	cond    *sync.Cond
	inUser  map[int64]int
	inHeavy map[int64]int
}

func newLimits(perUser, heavy int) *limits {
	if perUser <= 0 {
		perUser = MaxUserRequests
	}
	if heavy <= 0 {
		heavy = max(2, runtime.GOMAXPROCS(0))
	}
	l := &limits{perUser: perUser, userWait: userWait, heavyWait: heavyWait, heavy: make(chan struct{}, heavy),
		inUser: map[int64]int{}, inHeavy: map[int64]int{}}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// errBusyUser and errBusyServer are the EBUSY answers, with the wait.
func errBusyUser() error {
	return care.WrapError(care.EBUSY, &auth.WaitError{Wait: 2 * time.Second},
		"you already have %d requests running: wait for them to finish, then try again", MaxUserRequests)
}

func errBusyUserHeavy() error {
	return care.WrapError(care.EBUSY, &auth.WaitError{Wait: 5 * time.Second},
		"your previous page of this kind is still being prepared: wait for it, then try again")
}

func errBusyServer() error {
	return care.WrapError(care.EBUSY, &auth.WaitError{Wait: 5 * time.Second},
		"the service is busy preparing other people's pages: try again in a few seconds")
}

// enterUser takes one of the user's request slots, waiting up to userWait.
func (l *limits) enterUser(ctx context.Context, id int64) (func(), error) {
	return l.enterKeyed(ctx, l.inUser, id, l.perUser, l.userWait, errBusyUser)
}

// enterUserHeavy takes the user's slot for expensive work, waiting up to heavyWait.
func (l *limits) enterUserHeavy(ctx context.Context, id int64) (func(), error) {
	return l.enterKeyed(ctx, l.inHeavy, id, MaxUserHeavy, l.heavyWait, errBusyUserHeavy)
}

// enterKeyed takes one of limit slots of id in m, waiting up to wait.
func (l *limits) enterKeyed(ctx context.Context, m map[int64]int, id int64, limit int, wait time.Duration, busy func() error) (func(), error) {
	deadline := time.Now().Add(wait)
	stop := context.AfterFunc(ctx, func() { l.mu.Lock(); l.cond.Broadcast(); l.mu.Unlock() })
	defer stop()
	timer := time.AfterFunc(wait, func() { l.mu.Lock(); l.cond.Broadcast(); l.mu.Unlock() })
	defer timer.Stop()
	l.mu.Lock()
	defer l.mu.Unlock()
	for m[id] >= limit {
		if ctx.Err() != nil || !time.Now().Before(deadline) {
			return nil, busy()
		}
		l.cond.Wait()
	}
	m[id]++
	return func() {
		l.mu.Lock()
		if m[id]--; m[id] <= 0 {
			delete(m, id)
		}
		l.cond.Broadcast()
		l.mu.Unlock()
	}, nil
}

// enterHeavy takes a server-wide slot for expensive work, waiting up to heavyWait.
func (l *limits) enterHeavy(ctx context.Context) (func(), error) {
	select {
	case l.heavy <- struct{}{}:
		return func() { <-l.heavy }, nil
	default:
	}
	t := time.NewTimer(l.heavyWait)
	defer t.Stop()
	select {
	case l.heavy <- struct{}{}:
		return func() { <-l.heavy }, nil
	case <-t.C:
		return nil, errBusyServer()
	case <-ctx.Done():
		return nil, errBusyServer()
	}
}

// heavy wraps an expensive handler: it runs only with one of its user's
// MaxUserHeavy slots and a server-wide heavy slot. (The per-user limit of
// all requests is applied by requireUser.)
func (s *Server) heavy(next http.HandlerFunc) http.HandlerFunc {
	return s.cachedHeavy(func(w http.ResponseWriter, r *http.Request) {
		release, err := s.limits.enterHeavy(r.Context())
		if err != nil {
			limitError(s, w, r, err)
			return
		}
		defer release()
		next(w, r)
	})
}

// cachedHeavy wraps a page whose expensive part is a cached picture: it
// runs with one of its user's MaxUserHeavy slots, and the picture, when it
// is not cached, is computed under a server-wide heavy slot (analyst.heavy),
// so that a view served from the cache never queues behind computations.
func (s *Server) cachedHeavy(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if u, ok := userFrom(r.Context()); ok {
			releaseUser, err := s.limits.enterUserHeavy(r.Context(), u.ID)
			if err != nil {
				limitError(s, w, r, err)
				return
			}
			defer releaseUser()
		}
		next(w, withVersionMemo(r)) // a read-only page: one data version read

	}
}

// limitError answers a request refused by a limit, as the API or a page.
func limitError(s *Server, w http.ResponseWriter, r *http.Request, err error) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		apiError(w, r, err)
	} else {
		pageError(s.render, w, r, err)
	}
}
