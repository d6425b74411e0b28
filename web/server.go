// Package web serves the sufficiency web app and its JSON API: the picture
// of a council or region, the needs-led review worklist, the market, and the
// audit log, to signed-in users by role (see package auth). It is the only
// package that touches HTTP; it calls the capabilities (picture, review,
// market) and the store, and maps *care.Error codes to HTTP statuses once,
// in respond.go.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/market"
	"sufficiency/store"
)

//go:embed views/*.html
var viewFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Store is what the web app reads and writes: the data store and the users,
// sessions and API tokens (store/sqlite and store/postgres implement both).
type Store interface {
	store.Store
	identity.Store
}

// Config is everything the server needs, passed in explicitly.
type Config struct {
	// Store holds the data and the users. Required.
	Store Store
	// Logger receives one structured line per request and server events;
	// nil discards them.
	Logger *slog.Logger
	// InsecureCookies drops the Secure attribute of the session cookie, for
	// http://localhost only. Behind HTTPS leave it false.
	InsecureCookies bool
	// IdleTimeout and AbsoluteTimeout bound sessions (auth defaults when zero).
	IdleTimeout, AbsoluteTimeout time.Duration
	// TrustedProxies are the reverse proxies in front of the server. A
	// request from one of them is counted (sign-in throttle, logs) under the
	// client address its X-Forwarded-For gives: the right-most address that
	// is not itself a trusted proxy. From anyone else X-Forwarded-For is
	// ignored, so it cannot be forged to escape the throttle. Empty: the
	// peer's address (behind a proxy, everyone would share the proxy's).
	TrustedProxies []netip.Prefix
	// MaxUserRequests bounds one user's requests running at once (default
	// MaxUserRequests); HeavySlots bounds expensive pages and API calls
	// running at once server-wide (default the number of CPUs, at least 2).
	MaxUserRequests, HeavySlots int
	// Now is the clock (default time.Now); tests replace it.
	Now func() time.Time
	// OwnerGroups and Owners join the register's owner organisations into
	// groups with their ultimate owners on the market page and API (see
	// market.ParseOwnerGroups); optional.
	OwnerGroups map[string]string
	Owners      map[string]market.OwnerInfo
}

// Server is the web app. Create it with New.
type Server struct {
	cfg     Config
	log     *slog.Logger
	auth    *auth.Service
	limits  *limits
	views   map[string]*template.Template
	handler http.Handler
	// pictures caches computed pictures (web/cache.go).
	pictures    *pictureCache
	reviews     *reviewCache
	councilList *councilsCache
	metrics     *metrics
}

// New checks cfg and builds the server. EINVALID when cfg.Store is nil.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, care.Errorf(care.EINVALID, "web: no store given")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	svc := auth.NewService(cfg.Store)
	svc.Now = cfg.Now
	if cfg.IdleTimeout > 0 {
		svc.IdleTimeout = cfg.IdleTimeout
	}
	if cfg.AbsoluteTimeout > 0 {
		svc.AbsoluteTimeout = cfg.AbsoluteTimeout
	}
	views, err := parseViews()
	if err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "web: parse views")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, auth: svc, views: views, limits: newLimits(cfg.MaxUserRequests, cfg.HeavySlots)}
	s.metrics = newMetrics()
	s.handler = s.routes()
	return s, nil
}

// Handler returns the whole app as one http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Limits of the http.Server.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 60 * time.Second // a region picture can take a while
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
	shutdownTimeout   = 10 * time.Second
)

// Serve serves on ln until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish (up to 10 seconds).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return care.WrapError(care.EINTERNAL, err, "web server stopped")
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	s.log.Info("stopped")
	if err != nil {
		return care.WrapError(care.EINTERNAL, err, "web server shutdown")
	}
	return nil
}
