package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/tabular"
)

// pageData is what every view receives.
type pageData struct {
	Title   string
	User    *auth.User // the signed-in user; nil on the sign-in page
	Message string     // an error or notice
	Next    string     // sign-in: where to go after
	Name    string     // sign-in: the name typed
	Result  *Result
	Links   []link
	// Dashboard.
	Councils []CouncilRow
	Regions  []string
	Headline *headline
	// Audit log.
	Audit []store.AuditEvent
}

type link struct{ Href, Text string }

// headline is the dashboard's summary of the user's own scope.
type headline struct {
	Scope, Href, At         string
	InCare, Started, Ceased int
	RatePer10k              float64
}

// parseViews parses each page with the layout.
func parseViews() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"cell": func(c tabular.Column, v any) string { return tabular.Format(c, v) },
		"numeric": func(c tabular.Column) bool {
			return c.Kind != tabular.Text
		},
		"date": func(t interface{ Format(string) string }) string { return t.Format("2 Jan 2006 15:04:05") },
	}
	out := map[string]*template.Template{}
	for _, name := range []string{"login", "error", "dashboard", "tables", "audit"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(viewFiles, "views/layout.html", "views/"+name+".html")
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// pageHandlers serve the HTML pages.
type pageHandlers struct {
	data   *analyst
	render renderFunc
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
	data := pageData{Title: "Sufficiency", Councils: rows, Regions: regions}
	// The headline figures of the user's own council or region, when loaded.
	var name, href string
	var codes []string
	switch u.Role {
	case auth.RoleCouncil:
		if c, err := h.data.councilScope(r.Context(), u.Council); err == nil {
			name, href, codes = c.Name, "/councils/"+c.Code, []string{c.Code}
		}
	case auth.RoleRCC:
		if n, cs, err := h.data.regionScope(r.Context(), u.Region); err == nil {
			name, href, codes = n, "/regions/"+n, cs
		}
	}
	if len(codes) > 0 {
		res, p, err := h.data.picture(r.Context(), name, codes, "", false)
		if err != nil {
			pageError(h.render, w, r, err)
			return
		}
		data.Headline = &headline{Scope: name, Href: href, At: res.At, InCare: p.InCare, Started: p.Started, Ceased: p.Ceased, RatePer10k: p.RatePer10k}
	}
	h.render(w, r, 0, "dashboard", data)
}

func (h *pageHandlers) council(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	c, err := h.data.councilScope(r.Context(), r.PathValue("code"))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	res, _, err := h.data.picture(r.Context(), c.Name, []string{c.Code}, r.URL.Query().Get("at"), !u.CanSeeCouncil(c.Code))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	var links []link
	if u.CanSeeCouncil(c.Code) {
		links = append(links, link{"/councils/" + c.Code + "/review", "Needs-led review worklist"})
	}
	links = append(links, link{"/regions/" + c.Region, "The " + c.Region + " region"}, link{"/api/v1/councils/" + c.Code + "/picture", "This picture as JSON"})
	h.render(w, r, 0, "tables", pageData{Title: fmt.Sprintf("%s: sufficiency picture at %s", c.Name, res.At), Result: &res, Links: links})
}

func (h *pageHandlers) region(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	name, codes, err := h.data.regionScope(r.Context(), r.PathValue("name"))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	res, _, err := h.data.picture(r.Context(), name, codes, r.URL.Query().Get("at"), !u.CanSeeRegion(name))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	h.render(w, r, 0, "tables", pageData{Title: fmt.Sprintf("%s: sufficiency picture at %s", name, res.At), Result: &res,
		Links: []link{{"/api/v1/regions/" + name + "/picture", "This picture as JSON"}}})
}

func (h *pageHandlers) review(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	c, ok := refdata.CouncilByCode(r.PathValue("code"))
	if !ok {
		pageError(h.render, w, r, care.Errorf(care.ENOTFOUND, "no council %q", r.PathValue("code")))
		return
	}
	if !u.CanSeeCouncil(c.Code) {
		pageError(h.render, w, r, forbidden("the review worklist of "+c.Name))
		return
	}
	if _, err := h.data.councilScope(r.Context(), c.Code); err != nil {
		pageError(h.render, w, r, err)
		return
	}
	res, err := h.data.review(r.Context(), c.Name, []string{c.Code}, r.URL.Query().Get("at"))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	h.render(w, r, 0, "tables", pageData{Title: fmt.Sprintf("%s: needs-led review at %s", c.Name, res.At), Result: &res,
		Message: "This worklist names children by their council's ids. It is for the council's own staff; your viewing it is recorded.",
		Links:   []link{{"/councils/" + c.Code, "Back to the picture"}}})
}

func (h *pageHandlers) market(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	region := ""
	if q := r.URL.Query().Get("region"); q != "" {
		cs, err := refdata.CouncilsInRegion(q)
		if err != nil || len(cs) == 0 {
			pageError(h.render, w, r, care.Errorf(care.ENOTFOUND, "no region %q: use one of %s", q, strings.Join(refdata.Regions(), ", ")))
			return
		}
		region = cs[0].Region
	}
	res, err := h.data.market(r.Context(), u, region, r.URL.Query().Get("at"))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	h.render(w, r, 0, "tables", pageData{Title: "The market: " + res.Scope, Result: &res})
}

// auditLimit is how many audit entries a page shows (the latest).
const auditLimit = 500

func (h *pageHandlers) audit(w http.ResponseWriter, r *http.Request) {
	evs, err := h.data.audit(r)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	h.render(w, r, 0, "audit", pageData{Title: "Audit log", Audit: evs})
}

// audit returns the latest audit events matching ?actor= and ?council=, newest first.
func (a *analyst) audit(r *http.Request) ([]store.AuditEvent, error) {
	q := r.URL.Query()
	evs, err := a.st.AuditLog(r.Context(), store.AuditFilter{Actor: q.Get("actor"), Council: q.Get("council"), Action: q.Get("action")})
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
