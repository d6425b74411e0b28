package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"sufficiency/care"
)

// status maps a care.Error code to its HTTP status: the one place it is done.
func status(err error) int {
	switch care.ErrorCode(err) {
	case care.EINVALID, care.EUNUSABLE:
		return http.StatusBadRequest
	case care.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case care.EFORBIDDEN:
		return http.StatusForbidden
	case care.ENOTFOUND:
		return http.StatusNotFound
	case care.ECONFLICT:
		return http.StatusConflict
	case care.EREJECTED:
		return http.StatusUnprocessableEntity
	case care.EBUSY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// publicMessage is what a user may be told of err: its message for the codes
// above, a generic line for internal faults (which are logged instead).
func publicMessage(err error) string {
	if status(err) == http.StatusInternalServerError {
		return "Something went wrong on our side. It has been logged; please try again later."
	}
	return care.ErrorMessage(err)
}

// Problem is an RFC 9457 problem detail, the one error shape of the JSON API.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Code     string `json:"code,omitempty"` // the care.Error code, e.g. "forbidden"
	Instance string `json:"instance,omitempty"`
}

// problemFor builds the problem detail of err for request r.
func problemFor(r *http.Request, err error) Problem {
	st := status(err)
	p := Problem{Type: "about:blank", Title: http.StatusText(st), Status: st, Detail: publicMessage(err), Instance: r.URL.Path}
	if st != http.StatusInternalServerError {
		p.Code = care.ErrorCode(err)
	}
	return p
}

// logFault logs err when it is a server fault (the user sees a generic message).
func logFault(r *http.Request, err error) {
	if status(err) == http.StatusInternalServerError {
		logger(r).Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err.Error())
	}
}

// setRetryAfter sets Retry-After (whole seconds, at least 1) when err says
// how long to wait (EBUSY: a throttled sign-in, a busy server or user).
func setRetryAfter(w http.ResponseWriter, err error) {
	var ra interface{ RetryAfter() time.Duration }
	if status(err) != http.StatusTooManyRequests {
		return
	}
	secs := 1
	if errors.As(err, &ra) {
		secs = max(1, int((ra.RetryAfter()+time.Second-1)/time.Second))
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
}

// apiError writes err as application/problem+json.
func apiError(w http.ResponseWriter, r *http.Request, err error) {
	logFault(r, err)
	setRetryAfter(w, err)
	p := problemFor(r, err)
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="sufficiency"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON writes v as JSON with status 200. Responses are private: they may
// hold child-level data.
func writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	b, err := encodeJSON(v)
	writeEncoded(w, r, b, err)
}

// encodeJSON encodes v as the API answers: indented, ending in a newline.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "encode JSON")
	}
	return buf.Bytes(), nil
}

// writeEncoded answers JSON encoded by encodeJSON (or err, from computing
// or encoding it, as the API's error).
func writeEncoded(w http.ResponseWriter, r *http.Request, b []byte, err error) {
	if err != nil {
		apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// render writes the named page with data in the layout, status 200 unless code is given.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, data pageData) {
	t, ok := s.views[name]
	if !ok {
		s.log.Error("no such view", "view", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if u, ok := userFrom(r.Context()); ok {
		data.User = &u
		if data.Nav == nil {
			data.Nav = navFor(u, r.URL.Path)
		}
	}
	if data.Path == "" {
		data.Path = r.URL.RequestURI()
	}
	if f := r.URL.Query().Get("format"); f != "" && code == 0 {
		tables := data.Download
		if tables == nil && data.Result != nil {
			tables = data.Result.Tables
		}
		if tables != nil {
			download(w, r, data.Title, f, tables)
			return
		}
	}
	buf := pagePool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledPage {
			pagePool.Put(buf)
		}
	}()
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		s.log.Error("render", "view", name, "err", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if code == 0 {
		code = http.StatusOK
	}
	w.WriteHeader(code)
	writeSpliced(w, buf.Bytes(), data.Splice)
}

// pagePool keeps the buffers pages are rendered into (a picture page of
// all England is ~230 kB: growing a new buffer to that size for each view
// was a tenth of the view's CPU).
var pagePool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledPage: a buffer grown larger than this (a huge page) is let go.
const maxPooledPage = 4 << 20

// Parts of a page kept rendered (a picture's charts and tables, the scope
// picker) are large: printed by the template they would be copied through
// fmt's buffer (let go above 64 kB) and the page's buffer at every view.
// Instead the page's template prints a short mark (spliceMark(i), an HTML
// comment holding a random token of this process, which no escaped text
// can hold: "<" is escaped) and the answer is written with pageData.Splice[i]
// in place of each mark.
var spliceToken = func() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return "<!--splice " + hex.EncodeToString(b[:]) + " "
}()

// spliceMark is the mark of pageData.Splice[i].
func spliceMark(i int) template.HTML {
	return template.HTML(spliceToken + strconv.Itoa(i) + "-->")
}

// writeSpliced writes page with each splice mark replaced by its part.
func writeSpliced(w http.ResponseWriter, page []byte, parts []template.HTML) {
	if len(parts) == 0 {
		_, _ = w.Write(page)
		return
	}
	for {
		i := bytes.Index(page, []byte(spliceToken))
		if i < 0 {
			break
		}
		rest := page[i+len(spliceToken):]
		end := bytes.Index(rest, []byte("-->"))
		n, err := strconv.Atoi(string(rest[:max(end, 0)]))
		if end < 0 || err != nil || n < 0 || n >= len(parts) {
			break // not a mark of this page: written as it is
		}
		_, _ = w.Write(page[:i])
		_, _ = io.WriteString(w, string(parts[n]))
		page = rest[end+len("-->"):]
	}
	_, _ = w.Write(page)
}

// fragment renders the template name of view with data, for a part of a
// page kept rendered (the picture's charts and tables, web/picturepage.go).
func (s *Server) fragment(view, name string, data any) (template.HTML, error) {
	t, ok := s.views[view]
	if !ok {
		return "", care.Errorf(care.EINTERNAL, "no view %s", view)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", care.WrapError(care.EINTERNAL, err, "render %s of %s", name, view)
	}
	return template.HTML(buf.String()), nil // rendered by html/template: escaped in context
}

// renderFunc is how handlers render pages.
type renderFunc func(w http.ResponseWriter, r *http.Request, code int, name string, data pageData)

// pageError renders err as an HTML error page with its status.
func pageError(render renderFunc, w http.ResponseWriter, r *http.Request, err error) {
	logFault(r, err)
	setRetryAfter(w, err)
	st := status(err)
	render(w, r, st, "error", pageData{Title: errorTitle(st), Message: publicMessage(err), Status: st, Error: true})
}

type loggerKey struct{}

// logger returns the request's logger.
func logger(r *http.Request) *slog.Logger {
	if l, ok := r.Context().Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}
