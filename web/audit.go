package web

import (
	"net/http"

	"sufficiency/store"
	"sufficiency/tabular"
)

// recordAction notes one user action (a page view, an export, an API call)
// with what it was about. It is the one place user actions are recorded.
func recordAction(r *http.Request, action, detail string) {
	attrs := []any{"action", action, "detail", detail, "path", r.URL.Path}
	if u, ok := userFrom(r.Context()); ok {
		attrs = append(attrs, "user", u.Name)
	}
	logger(r).Info("user action", attrs...)
}

// auditFilterView is the audit page's filter form.
type auditFilterView struct{ Actor, Council, Action, Since string }

// auditTable is the audit entries as a table, for download.
func auditTable(evs []store.AuditEvent) tabular.Table {
	t := tabular.Table{Title: "Audit log", Columns: []tabular.Column{{Name: "When (UTC)"}, {Name: "Who"}, {Name: "Action"}, {Name: "Council"}, {Name: "Detail"}}}
	for _, e := range evs {
		t.AddRow(e.At.UTC().Format("2006-01-02 15:04:05"), e.Actor, e.Action, e.Council, e.Detail)
	}
	return t
}
