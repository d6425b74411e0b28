package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/store"
)

// maxBodyBytes bounds every request body (sign-in forms are tiny).
const maxBodyBytes = 64 << 10

// contentSecurityPolicy allows nothing but the app's own styles: no script at all.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxBodyBytes)
		if r.Method == http.MethodPost && (r.URL.Path == "/imports" || r.URL.Path == "/api/v1/imports") {
			limit = maxUploadBytes // SSDA903 files uploaded to import (web/imports.go)
		}
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/regions/") && strings.HasSuffix(r.URL.Path, "/allocations") {
			limit = maxAllocationBody // a region's referrals to allocate (web/allocation.go)
		}
		if r.ContentLength > limit {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// statusWriter records the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request (never query strings or bodies) and
// puts the logger in the request context.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		sw := &statusWriter{ResponseWriter: w}
		who := &logUser{}
		ctx := context.WithValue(r.Context(), loggerKey{}, s.log)
		r = r.WithContext(context.WithValue(ctx, logUserKey{}, who))
		next.ServeHTTP(sw, r)
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", float64(s.cfg.Now().Sub(start).Microseconds()) / 1000}
		if name := who.get(); name != "" {
			attrs = append(attrs, "user", name)
		}
		s.log.Info("request", attrs...)
	})
}

// recoverPanics turns a handler panic into a 500, logged, without internals.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v)
				if strings.HasPrefix(r.URL.Path, "/api/") {
					apiError(w, r, care.Errorf(care.EINTERNAL, "panic"))
				} else {
					pageError(s.render, w, r, care.Errorf(care.EINTERNAL, "panic"))
				}
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type userKey struct{}

// userFrom returns the signed-in user of the request.
func userFrom(ctx context.Context) (identity.User, bool) {
	u, ok := ctx.Value(userKey{}).(*identity.User)
	if !ok || u == nil {
		return identity.User{}, false
	}
	return *u, true
}

// requireUser lets the request through only with a signed-in user (session
// cookie, or for the API a bearer token), whose name is then the audit actor
// of every store call. Anonymous pages are redirected to /login; the API
// answers 401 problem+json.
func (s *Server) requireUser(next http.Handler, api bool) http.Handler {
	cookieName := s.cookie().name
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u identity.User
		var err error
		if h := r.Header.Get("Authorization"); api && h != "" {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				err = care.Errorf(care.EUNAUTHORIZED, "use Authorization: Bearer TOKEN")
			} else {
				u, err = s.auth.Token(r.Context(), strings.TrimSpace(tok))
			}
		} else {
			c, cerr := r.Cookie(cookieName)
			if cerr != nil {
				err = care.Errorf(care.EUNAUTHORIZED, "please sign in")
			} else {
				u, err = s.auth.Session(r.Context(), c.Value)
			}
		}
		if err != nil {
			if api {
				apiError(w, r, err)
				return
			}
			if status(err) != http.StatusUnauthorized {
				pageError(s.render, w, r, err)
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
			return
		}
		release, err := s.limits.enterUser(r.Context(), u.ID)
		if err != nil {
			limitError(s, w, r, err)
			return
		}
		defer release()
		ctx := context.WithValue(r.Context(), userKey{}, &u)
		ctx = store.WithActor(ctx, u.Name)
		// Let logRequests see the user: it holds the outer request.
		setLogUser(r, u.Name)
		// One audit entry for the whole request (web/audit.go).
		s.auditActions(w, r.WithContext(ctx), next)
	})
}

// adminOnly answers 403 to everyone but administrators.
func (s *Server) adminOnly(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, _ := userFrom(r.Context())
		if !u.IsAdmin() {
			err := care.Errorf(care.EFORBIDDEN, "only administrators may see this")
			if strings.HasPrefix(r.URL.Path, "/api/") {
				apiError(w, r, err)
			} else {
				pageError(s.render, w, r, err)
			}
			return
		}
		next(w, r)
	}
}

// forbidden is the error for a user outside their scope.
func forbidden(what string) error {
	return care.Errorf(care.EFORBIDDEN, "you may not see %s: it is outside what your account covers", what)
}

func health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

func apiNotFound(w http.ResponseWriter, r *http.Request) {
	apiError(w, r, care.Errorf(care.ENOTFOUND, "no such API resource: %s %s", r.Method, r.URL.Path))
}

// logUser carries the signed-in user's name out to logRequests, which holds
// the request from before the user was known.
type logUser struct {
	mu   sync.Mutex
	name string
}

type logUserKey struct{}

func (l *logUser) get() string { l.mu.Lock(); defer l.mu.Unlock(); return l.name }

// setLogUser records the request's user for its log line.
func setLogUser(r *http.Request, name string) {
	if l, ok := r.Context().Value(logUserKey{}).(*logUser); ok {
		l.mu.Lock()
		l.name = name
		l.mu.Unlock()
	}
}
