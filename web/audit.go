package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"sufficiency/store"
	"sufficiency/tabular"
)

// One audit entry per user action. Every signed-in request (a page view,
// an export, an API call, a form sent) is one action: its store reads of
// child-level data are noted in a read log (store.WithReadLog) instead of
// each writing its own entry, and the action is recorded as one entry
// naming what was done, the scope and every council whose data was read.
// The entry is written before the first byte of the answer, so nothing
// read is shown unless it is recorded; when it cannot be written the user
// gets an error instead. Reads made after that (a streamed answer) are
// recorded in one more entry at the end.

// actionRecord is what a handler says about its action (recordAction).
type actionRecord struct {
	mu      sync.Mutex
	action  string
	council string
	details []string
	quiet   bool
}

type actionKey struct{}

// recordAction names the request's user action (e.g. "view picture") and
// its purpose or scope in plain words; several calls add details. The
// request's one audit entry carries them.
func recordAction(r *http.Request, action, detail string) {
	attrs := []any{"action", action, "detail", detail, "path", r.URL.Path}
	if u, ok := userFrom(r.Context()); ok {
		attrs = append(attrs, "user", u.Name)
	}
	logger(r).Info("user action", attrs...)
	if rec, ok := r.Context().Value(actionKey{}).(*actionRecord); ok {
		rec.mu.Lock()
		rec.action = action
		if detail != "" {
			rec.details = append(rec.details, detail)
		}
		rec.mu.Unlock()
	}
}

// quietAction marks a request that is not itself a user action (a page
// polling for progress): it is recorded only if it reads child-level data.
func quietAction(r *http.Request) {
	if rec, ok := r.Context().Value(actionKey{}).(*actionRecord); ok {
		rec.mu.Lock()
		rec.quiet = true
		rec.mu.Unlock()
	}
}

// auditActions wraps a signed-in request so that it is recorded as one
// audit entry (see above). Without a store that can record actions, reads
// are audited one entry each as before.
func (s *Server) auditActions(w http.ResponseWriter, r *http.Request, next http.Handler) {
	au, ok := s.cfg.Store.(store.Auditor)
	if !ok {
		next.ServeHTTP(w, r)
		return
	}
	ctx, log := store.WithReadLog(r.Context())
	rec := &actionRecord{}
	ctx = context.WithValue(ctx, actionKey{}, rec)
	r = r.WithContext(ctx)
	aw := &auditWriter{ResponseWriter: w, s: s, au: au, r: r, log: log, rec: rec}
	next.ServeHTTP(aw, r)
	if !aw.started {
		aw.begin()
	} else if reads := log.Take(); len(reads) > 0 {
		// Read after the answer began: one more entry, written at the end.
		if err := au.AppendAudit(ctx, aw.entry(reads, " (continued)")); err != nil {
			logger(r).Error("audit entry not written", "err", err)
		}
	}
}

// auditWriter writes the request's audit entry before the first byte of
// the answer.
type auditWriter struct {
	http.ResponseWriter
	s       *Server
	au      store.Auditor
	r       *http.Request
	log     *store.ReadLog
	rec     *actionRecord
	started bool
	failed  bool
}

// begin writes the entry; when it fails the answer becomes an error.
func (w *auditWriter) begin() {
	w.started = true
	reads := w.log.Take()
	w.rec.mu.Lock()
	quiet := w.rec.quiet
	w.rec.mu.Unlock()
	if quiet && len(reads) == 0 {
		return
	}
	if err := w.au.AppendAudit(w.r.Context(), w.entry(reads, "")); err != nil {
		w.failed = true
		h := w.ResponseWriter.Header()
		for _, k := range []string{"Content-Disposition", "Content-Length", "Content-Type", "Location"} {
			h.Del(k)
		}
		if strings.HasPrefix(w.r.URL.Path, "/api/") {
			apiError(w.ResponseWriter, w.r, err)
		} else {
			pageError(w.s.render, w.ResponseWriter, w.r, err)
		}
	}
}

func (w *auditWriter) WriteHeader(code int) {
	if !w.started {
		w.begin()
	}
	if !w.failed {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *auditWriter) Write(p []byte) (int, error) {
	if !w.started {
		w.begin()
	}
	if w.failed {
		return len(p), nil
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *auditWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// entry is the audit entry of the request with these reads.
func (w *auditWriter) entry(reads []store.Read, suffix string) store.AuditEntry {
	r := w.r
	w.rec.mu.Lock()
	action, council, details := w.rec.action, w.rec.council, strings.Join(w.rec.details, "; ")
	w.rec.mu.Unlock()
	if action == "" {
		action = defaultAction(r)
	}
	codes := store.ReadCouncils(reads)
	if council == "" {
		council = r.PathValue("code")
	}
	if council == "" && len(codes) == 1 {
		council = codes[0]
	}
	var parts []string
	if details != "" {
		parts = append(parts, details)
	}
	if name := r.PathValue("name"); name != "" && (strings.HasPrefix(r.URL.Path, "/regions/") || strings.HasPrefix(r.URL.Path, "/api/v1/regions/")) {
		parts = append(parts, "region "+name)
	}
	where := r.Method + " " + r.URL.Path
	if r.URL.RawQuery != "" {
		where += "?" + r.URL.RawQuery
	}
	parts = append(parts, where)
	if s := readSummary(reads); s != "" {
		parts = append(parts, s)
	}
	return store.AuditEntry{Action: action + suffix, Council: council, Councils: codes, Detail: strings.Join(parts, " · ")}
}

// defaultAction names a request no handler named: an API call, a form
// sent or a page view (downloads name themselves "export").
func defaultAction(r *http.Request) string {
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		return "API call"
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		return "send form"
	}
	return "view page"
}

// readSummary says what child-level data the reads touched, e.g. "read
// children of E06000001; read episodes of 12 councils".
func readSummary(reads []store.Read) string {
	var order []string
	by := map[string][]store.Read{}
	for _, rd := range reads {
		if _, ok := by[rd.Action]; !ok {
			order = append(order, rd.Action)
		}
		by[rd.Action] = append(by[rd.Action], rd)
	}
	var parts []string
	for _, a := range order {
		codes := store.ReadCouncils(by[a])
		switch len(codes) {
		case 0:
			parts = append(parts, a)
		case 1:
			parts = append(parts, a+" of "+codes[0])
		default:
			parts = append(parts, a+" of "+tabular.Thousands(int64(len(codes)))+" councils")
		}
	}
	return strings.Join(parts, "; ")
}

// auditFilterView is the audit page's filter form.
type auditFilterView struct {
	Actor, Council, Action, Since, Until string
	Actions                              []string // known actions, offered in the action field
}

// auditTable is the audit entries as a table, for download.
func auditTable(evs []store.AuditEvent) tabular.Table {
	t := tabular.Table{Title: "Audit log", Columns: []tabular.Column{{Name: "When (UTC)"}, {Name: "Who"}, {Name: "Action"}, {Name: "Council"}, {Name: "Councils read"}, {Name: "Detail"}}}
	for _, e := range evs {
		t.AddRow(e.At.UTC().Format("2006-01-02 15:04:05"), e.Actor, e.Action, e.Council, strings.Join(e.Councils, " "), e.Detail)
	}
	return t
}

// auditEventJSON is one audit entry in the API.
type auditEventJSON struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Council  string    `json:"council"`
	Councils []string  `json:"councils"`
	Detail   string    `json:"detail"`
}

// auditActionNames lists the actions the web app records, for the audit
// page's filter (stores record their own: import, erase, sign-in, ...).
var auditActionNames = []string{"view page", "API call", "send form", "export", "view picture", "view review worklist",
	"view forecast", "run forecast", "view backtest", "upload returns", "import returns", "cancel upload", "view findings",
	store.ActionImport, store.ActionErase, "login", "logout"}

// councilsRead shows an entry's councils read: up to three codes, else how
// many (the download lists them all).
func councilsRead(codes []string) string {
	if len(codes) > 3 {
		return tabular.Thousands(int64(len(codes))) + " councils"
	}
	return strings.Join(codes, ", ")
}
