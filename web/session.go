package web

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
)

// cookieConfig is how the session cookie is set.
type cookieConfig struct {
	name   string
	secure bool
	maxAge time.Duration
}

// cookie returns the session cookie's settings: __Host- prefixed and Secure
// unless InsecureCookies (plain http://localhost).
func (s *Server) cookie() cookieConfig {
	c := cookieConfig{name: "__Host-sufficiency", secure: true, maxAge: s.auth.AbsoluteTimeout}
	if s.cfg.InsecureCookies {
		c.name, c.secure = "sufficiency", false
	}
	return c
}

// sessionHandlers sign users in and out.
type sessionHandlers struct {
	auth   *auth.Service
	render renderFunc
	cookie cookieConfig
	// trusted are the reverse proxies whose X-Forwarded-For is believed.
	trusted []netip.Prefix
}

// safeNext returns next when it is a same-origin relative path (a path on
// this site, with an optional query), else "/". It parses rather than
// pattern-matches: anything with a control character or a backslash
// (browsers drop tabs and newlines and read "\\" as "/", so "/\t/evil" and
// "/\\evil" lead off-site), a scheme, a host, user information, or a path
// that does not start with exactly one "/" is refused. The answer is
// re-serialised from the parsed URL, without any fragment.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Opaque != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

func (h *sessionHandlers) loginForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, 0, "login", pageData{Title: "Sign in", Next: safeNext(r.URL.Query().Get("next"))})
}

func (h *sessionHandlers) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		pageError(h.render, w, r, care.Errorf(care.EINVALID, "the sign-in form could not be read"))
		return
	}
	name, password := r.PostForm.Get("name"), r.PostForm.Get("password")
	next := safeNext(r.PostForm.Get("next"))
	token, u, err := h.auth.LoginFrom(r.Context(), name, password, clientAddr(r, h.trusted))
	if err != nil {
		logFault(r, err)
		// Every refused sign-in is logged with its reason and address (not
		// the name typed: it may be a password typed in the wrong box).
		logger(r).Warn("sign-in refused", "reason", care.ErrorCode(err), "addr", clientAddr(r, h.trusted))
		setRetryAfter(w, err)
		st := status(err)
		msg := publicMessage(err)
		h.render(w, r, st, "login", pageData{Title: "Sign in", Next: next, Message: msg, Name: name})
		return
	}
	setLogUser(r, u.Name)
	// The old session, if any, ends: a new token at every sign-in.
	if c, err := r.Cookie(h.cookie.name); err == nil {
		_ = h.auth.Logout(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: h.cookie.name, Value: token, Path: "/", HttpOnly: true, Secure: h.cookie.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(h.cookie.maxAge.Seconds())})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *sessionHandlers) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(h.cookie.name); err == nil {
		if err := h.auth.Logout(r.Context(), c.Value); err != nil {
			pageError(h.render, w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: h.cookie.name, Value: "", Path: "/", HttpOnly: true, Secure: h.cookie.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// clientAddr is the address sign-in failures are counted under: the peer's
// IP address, or, when the peer is one of trusted (reverse proxies), the
// right-most address of X-Forwarded-For that is not a trusted proxy.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer, trusted) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return peer.String() // a malformed chain: count it under the proxy
		}
		if !isTrusted(a.Unmap(), trusted) {
			return a.Unmap().String()
		}
	}
	return peer.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
