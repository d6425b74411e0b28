package store

import (
	"context"
	"slices"
	"sync"
)

// Auditor is implemented by stores that record one user action (a page
// view, an export, an API call) as one audit entry, under the context's
// actor (WithActor). Both store/sqlite and store/postgres implement it.
type Auditor interface {
	// AppendAudit appends e to the audit log. EINVALID without an action.
	AppendAudit(ctx context.Context, e AuditEntry) error
}

// AuditEntry is one user action to record: what was done (Action), the
// council it was about (blank when several or none), every council whose
// child-level data it read, and a plain-words detail naming the scope and
// purpose.
type AuditEntry struct {
	Action   string
	Council  string
	Councils []string
	Detail   string
}

// Read is one read of child-level data noted in a ReadLog.
type Read struct {
	Action  string // e.g. ActionReadEpisodes
	Council string
	Detail  string // the store's detail, e.g. "picture at 2025-03-31: 812 episodes"
}

// ReadLog collects the child-level reads made for one user action, so that
// the action is recorded as one audit entry naming them (Auditor) rather
// than one entry per store read. It is safe for concurrent use.
type ReadLog struct {
	mu    sync.Mutex
	reads []Read
}

type readLogKey struct{}

// WithReadLog returns a context whose child-level reads are noted in the
// returned log instead of each appending its own audit entry. Whoever
// creates it must record the reads (AppendAudit) before showing what was
// read.
func WithReadLog(ctx context.Context) (context.Context, *ReadLog) {
	l := &ReadLog{}
	return context.WithValue(ctx, readLogKey{}, l), l
}

// ReadLogFrom returns the context's read log, or nil when reads are to be
// audited one entry each.
func ReadLogFrom(ctx context.Context) *ReadLog {
	l, _ := ctx.Value(readLogKey{}).(*ReadLog)
	return l
}

// Note adds a read to the log.
func (l *ReadLog) Note(action, council, detail string) {
	l.mu.Lock()
	l.reads = append(l.reads, Read{action, council, detail})
	l.mu.Unlock()
}

// Take returns the reads noted since the last Take and forgets them.
func (l *ReadLog) Take() []Read {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reads
	l.reads = nil
	return out
}

// ReadCouncils returns the councils reads touched, sorted, each once.
func ReadCouncils(reads []Read) []string {
	codes := make([]string, len(reads))
	for i, r := range reads {
		codes[i] = r.Council
	}
	return SortedCouncils(codes)
}

// SortedCouncils returns codes sorted, each once, without blanks (a copy).
func SortedCouncils(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if c != "" {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
