package web

import (
	"context"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"sufficiency/care"
	"sufficiency/identity"
)

// parseViews parses every page of web/views with the layout: views/NAME.html
// is rendered as NAME. A page defines "content" (and may define more
// templates of its own); partials.html holds blocks every page may use.
func parseViews() (map[string]*template.Template, error) {
	names, err := fs.Glob(viewFiles, "views/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, file := range names {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.New(name).Funcs(templateFuncs()).ParseFS(viewFiles, "views/layout.html", "views/partials.html", file)
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// navItem is one entry of the service navigation.
type navItem struct {
	Href, Text string
	Active     bool
}

// navFor is the service navigation of user u on the page at path p: the
// entry whose address is the longest prefix of p is marked active.
func navFor(u identity.User, p string) []navItem {
	items := []navItem{{Href: "/", Text: "Home"}}
	switch u.Role {
	case identity.RoleCouncil:
		items = append(items, navItem{Href: "/councils/" + u.Council, Text: "My council"},
			navItem{Href: "/councils/" + u.Council + "/review", Text: "Review worklist"}, navItem{Href: "/councils/" + u.Council + "/report", Text: "Statement"})
	case identity.RoleRCC:
		items = append(items, navItem{Href: "/regions/" + u.Region, Text: "My region"},
			navItem{Href: "/regions/" + u.Region + "/review", Text: "Review worklist"}, navItem{Href: "/regions/" + u.Region + "/report", Text: "Statement"})
	case identity.RoleAdmin:
		items = append(items, navItem{Href: "/england", Text: "England"})
	}
	items = append(items, placementNav(u)...)
	items = append(items, scenarioNav(u)...)
	if u.Role != identity.RoleProvider {
		items = append(items, navItem{Href: "/forecasts", Text: "Forecasts"}, navItem{Href: "/imports", Text: "Imports"})
		items = append(items, navItem{Href: "/market", Text: "Market"})
	}
	if u.IsAdmin() {
		items = append(items, navItem{Href: "/audit", Text: "Audit log"})
	}
	best := -1
	for i, it := range items {
		if p == it.Href || it.Href != "/" && strings.HasPrefix(p, it.Href+"/") {
			if best < 0 || len(it.Href) > len(items[best].Href) {
				best = i
			}
		}
	}
	if best >= 0 {
		items[best].Active = true
	}
	return items
}

// errorTitle is the heading of the error page of status st.
func errorTitle(st int) string {
	switch st {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "You do not have access to this page"
	case http.StatusUnauthorized:
		return "Please sign in"
	case http.StatusInternalServerError:
		return "Sorry, there is a problem with the service"
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return "There is a problem with the request"
	case http.StatusConflict:
		return "This clashes with a change made meanwhile"
	}
	return http.StatusText(st)
}

// notFound answers an unknown address with the styled 404 page (the
// navigation included when the visitor is signed in).
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.cookie().name); err == nil {
		if u, err := s.auth.Session(r.Context(), c.Value); err == nil {
			r = r.WithContext(context.WithValue(r.Context(), userKey{}, &u))
		}
	}
	pageError(s.render, w, r, care.Errorf(care.ENOTFOUND, "There is no page at %s.", r.URL.Path))
}
