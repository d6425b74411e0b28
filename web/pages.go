package web

import (
	"html/template"
	"net/http"
	"time"

	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/store"
	"sufficiency/tabular"
)

// pageData is what every view receives. Pages of other files put their own
// view data in Data.
type pageData struct {
	Title   string
	Caption string         // a line above the title (the scope, say)
	User    *identity.User // the signed-in user; nil on the sign-in page
	Message string         // an error or notice
	Status  int            // error pages: the HTTP status
	Error   bool           // error pages: "Error: " before the title
	// Nav is the service navigation (navFor of the user when nil);
	// Breadcrumbs lead from the start page to this one.
	Nav         []navItem
	Breadcrumbs []link
	// Path is the request's path and query (for download links).
	Path string
	// Data is the page's own data, for views of other files.
	Data any
	// Download are the tables ?format=csv|xlsx downloads (default the
	// Result's tables).
	Download []tabular.Table
	Next     string // sign-in: where to go after
	Name     string // sign-in: the name typed
	Result   *Result
	Links    []link
	// Dashboard.
	Councils []CouncilRow
	Regions  []string
	Headline *headline
	// Audit log.
	Audit []store.AuditEvent
	// Splice are parts kept rendered that the page's data names by
	// spliceMark(i): written in place of the marks (web/respond.go).
	Splice []template.HTML
}

type link struct{ Href, Text string }

// headline is the dashboard's summary of the user's own scope.
type headline struct {
	Scope, Href, At         string
	InCare, Started, Ceased int
	RatePer10k              float64
}

// pageHandlers serve the HTML pages.
type pageHandlers struct {
	data   *analyst
	render renderFunc
	// fragment renders one template of a view (cached parts of pages).
	fragment func(view, name string, data any) (template.HTML, error)
	// outcomes gives the picture pages the referral outcomes (nil: none).
	outcomes *placements
	// pickers are the scope pickers rendered (web/scopepicker.go).
	pickers *scopePickers
}

func (h *pageHandlers) dashboard(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	rows, err := h.data.councils(r.Context(), u)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	seen := map[string]bool{}
	var regions []string
	for _, c := range rows {
		if c.Region != "" && !seen[c.Region] {
			seen[c.Region] = true
			regions = append(regions, c.Region)
		}
	}
	data := pageData{Title: "Sufficiency for children in care", Councils: rows, Regions: regions}
	// The headline figures of the user's own council or region, when loaded.
	spec, err := userScope(u)
	if err != nil || spec.IsZero() {
		h.render(w, r, 0, "dashboard", data)
		return
	}
	if sc, err := h.data.scope(r.Context(), spec); err == nil {
		href := "/regions/" + sc.Name
		if sc.Council != nil {
			href = "/councils/" + sc.Council.Code
		}
		res, pr, err := h.data.picture(r.Context(), sc, "", false)
		if err != nil {
			pageError(h.render, w, r, err)
			return
		}
		p := pr.Picture
		data.Headline = &headline{Scope: sc.Name, Href: href, At: res.At, InCare: p.InCare, Started: p.Started, Ceased: p.Ceased, RatePer10k: p.RatePer10k}
	}
	h.render(w, r, 0, "dashboard", data)
}

func (h *pageHandlers) market(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	region, err := marketRegionQuery(r)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	res, err := h.data.market(r.Context(), u, region, r.URL.Query().Get("at"))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	h.render(w, r, 0, "tables", pageData{Title: "The market", Caption: res.Scope + " at " + formatDate(res.At), Result: &res, Breadcrumbs: []link{{"/", "Home"}}})
}

// auditLimit is how many audit entries a page shows (the latest).
const auditLimit = 500

func (h *pageHandlers) audit(w http.ResponseWriter, r *http.Request) {
	evs, err := h.data.audit(r)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	q := r.URL.Query()
	h.render(w, r, 0, "audit", pageData{Title: "Audit log", Audit: evs, Breadcrumbs: []link{{"/", "Home"}},
		Data:     auditFilterView{Actor: q.Get("actor"), Council: q.Get("council"), Action: q.Get("action"), Since: q.Get("since"), Until: q.Get("until"), Actions: auditActionNames},
		Download: []tabular.Table{auditTable(evs)}})
}

// audit returns the latest audit events matching ?actor=, ?council=,
// ?action=, ?since= and ?until= (dates, inclusive), newest first.
func (a *analyst) audit(r *http.Request) ([]store.AuditEvent, error) {
	q := r.URL.Query()
	f := store.AuditFilter{Actor: q.Get("actor"), Council: q.Get("council"), Action: q.Get("action")}
	for _, p := range []struct {
		name string
		set  func(time.Time)
	}{
		{"since", func(t time.Time) { f.Since = t }},
		{"until", func(t time.Time) { f.Before = t.AddDate(0, 0, 1) }}, // the whole day
	} {
		s := q.Get(p.name)
		if s == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return nil, care.Errorf(care.EINVALID, "%s %q is not a date: write it as YYYY-MM-DD, e.g. 2025-03-31", p.name, s)
		}
		p.set(t)
	}
	evs, err := a.st.AuditLog(r.Context(), f)
	if err != nil {
		return nil, err
	}
	if len(evs) > auditLimit {
		evs = evs[len(evs)-auditLimit:]
	}
	out := make([]store.AuditEvent, len(evs))
	for i, e := range evs {
		out[len(evs)-1-i] = e
	}
	return out, nil
}
