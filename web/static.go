package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// Static assets are embedded (web/static) and addressed with a digest of
// their content (assetURL adds ?v=DIGEST), so the browser may keep them for
// a year: a new build changes the digest and so the address. A request
// without the current digest is served with a short cache lifetime.

var assetDigests = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	_ = fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	return out
})

// assetURL is the address of the static file name (relative to web/static)
// with its content digest.
func assetURL(name string) string {
	if d, ok := assetDigests()[name]; ok {
		return "/static/" + name + "?v=" + d
	}
	return "/static/" + name
}

// staticHandler serves the embedded static files: immutable for a year when
// the address carries the file's current digest, an hour otherwise.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	files := http.FileServerFS(sub)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d, ok := assetDigests()[r.URL.Path]; ok && r.URL.Query().Get("v") == d {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		files.ServeHTTP(w, r)
	}))
}

// downloadHref is the address of the page at base (path and query) as a
// download of its table i (all tables when i < 0) in format (csv or xlsx).
func downloadHref(base string, i int, format string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	q.Set("format", format)
	if i >= 0 {
		q.Set("table", strconv.Itoa(i))
	} else {
		q.Del("table")
	}
	q.Del("page")
	u.RawQuery = q.Encode()
	return u.String()
}
