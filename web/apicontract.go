package web

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"

	"sufficiency/care"
)

// Transport and API contract controls (ASVS V9 and V13; docs/SECURITY.md).

// hstsValue tells browsers to reach the app over HTTPS only, for a year,
// subdomains included (ASVS V9.1.1, V14.4.5).
const hstsValue = "max-age=31536000; includeSubDomains"

// transportSecurity sets Strict-Transport-Security on every answer when the
// server runs behind HTTPS, which is whenever the session cookie is Secure
// (InsecureCookies false: TLS ends at the reverse proxy). On plain
// http://localhost (InsecureCookies) it is left out: browsers ignore it over
// http anyway, and it must not pin localhost to HTTPS.
func (s *Server) transportSecurity(next http.Handler) http.Handler {
	if s.cfg.InsecureCookies {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", hstsValue)
		next.ServeHTTP(w, r)
	})
}

// requireJSONBody refuses an API request that carries a body without saying
// it is JSON (Content-Type application/json or a +json type), 415 with a
// problem+json answer, before anything reads it (ASVS V13.2.5): a form or a
// text/plain body, which a page of another site can send, never reaches a
// JSON handler.
func requireJSONBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") && (r.ContentLength > 0 || r.ContentLength < 0 && len(r.TransferEncoding) > 0) &&
			!jsonMediaType(r.Header.Get("Content-Type")) {
			writeProblem(w, r, http.StatusUnsupportedMediaType, care.EINVALID,
				"the request body must be JSON, sent with the header Content-Type: application/json")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// jsonMediaType reports whether a Content-Type header names JSON (UTF-8).
func jsonMediaType(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return false
	}
	return mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}

// apiNoRoute answers an /api/ request that no route takes: 405 with the
// methods the path does accept in Allow when it exists under another method
// (ASVS V13.2.1), else 404; both as problem+json.
func apiNoRoute(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
			if m == r.Method || m == http.MethodGet && r.Method == http.MethodHead {
				continue
			}
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); strings.HasPrefix(pattern, m+" /api/") {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			apiNotFound(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, r, http.StatusMethodNotAllowed, care.EINVALID,
			"this API resource does not take "+r.Method+"; it takes "+strings.Join(allow, ", "))
	}
}

// writeProblem writes an HTTP-level refusal (no care.Error behind it) as
// application/problem+json.
func writeProblem(w http.ResponseWriter, r *http.Request, status int, code, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Code: code, Instance: r.URL.Path})
}
