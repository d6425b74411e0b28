package web

import (
	"net/http"
	"net/url"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/identity"
)

// A request's scope is parsed once, at the edge, from its URL (as miniflux's
// request helpers read a route's or a query's parameters) into an
// analysis.ScopeSpec, checked against the user's rights, and resolved once
// per data version (analyst.scope); the handlers pass the resolved
// analysis.Scope down.

// councilParam is the path's {code} as a council (analysis.ParseCouncil).
func councilParam(r *http.Request) (analysis.ScopeSpec, error) {
	return analysis.ParseCouncil(r.PathValue("code"))
}

// regionParam is the path's {name} as a region (analysis.ParseRegion).
func regionParam(r *http.Request) (analysis.ScopeSpec, error) {
	return analysis.ParseRegion(r.PathValue("name"))
}

// scopeQuery is the query's la or region (a form may name them scope_la and
// scope_region), parsed by analysis.ParseScope. EINVALID when neither is
// given.
func scopeQuery(q url.Values) (analysis.ScopeSpec, error) {
	la, region := q.Get("la"), q.Get("region")
	if la == "" && region == "" {
		la, region = q.Get("scope_la"), q.Get("scope_region")
	}
	if la == "" && region == "" {
		return analysis.ScopeSpec{}, care.Errorf(care.EINVALID, "give la=CODE or region=NAME")
	}
	return analysis.ParseScope(la, region)
}

// marketRegionQuery is the query's region for the market
// (analysis.MarketRegion): "" for none or England.
func marketRegionQuery(r *http.Request) (string, error) {
	return analysis.MarketRegion(r.URL.Query().Get("region"))
}

// userScope is the user's own council or region (the zero spec for an
// administrator or a provider).
func userScope(u identity.User) (analysis.ScopeSpec, error) {
	switch u.Role {
	case identity.RoleCouncil:
		return analysis.ParseCouncil(u.Council)
	case identity.RoleRCC:
		return analysis.ParseRegion(u.Region)
	}
	return analysis.ScopeSpec{}, nil
}

// formScope is a form's scope choice: kind "council" or "region" and its
// value. EINVALID for another kind.
func formScope(kind, val string) (analysis.ScopeSpec, error) {
	switch kind {
	case "council":
		return analysis.ParseCouncil(val)
	case "region":
		return analysis.ParseRegion(val)
	}
	return analysis.ScopeSpec{}, care.Errorf(care.EINVALID, "choose a council or region to forecast")
}

// maySeeScope reports whether u may see the child-level data of every
// council spec names, or of its region (England: an administrator).
func maySeeScope(u identity.User, spec analysis.ScopeSpec) bool {
	switch {
	case spec.IsEngland():
		return u.IsAdmin()
	case spec.Region != "":
		return u.CanSeeRegion(spec.Region)
	}
	for _, c := range spec.Councils {
		if !u.CanSeeCouncil(c) {
			return false
		}
	}
	return len(spec.Councils) > 0
}

// councilScope parses the path's council and resolves it.
func (a *analyst) councilScope(r *http.Request) (analysis.Scope, error) {
	spec, err := councilParam(r)
	if err != nil {
		return analysis.Scope{}, err
	}
	return a.scope(r.Context(), spec)
}

// regionScope parses the path's region and resolves it.
func (a *analyst) regionScope(r *http.Request) (analysis.Scope, error) {
	spec, err := regionParam(r)
	if err != nil {
		return analysis.Scope{}, err
	}
	return a.scope(r.Context(), spec)
}

// englandScope resolves England: every loaded council.
func (a *analyst) englandScope(r *http.Request) (analysis.Scope, error) {
	return a.scope(r.Context(), analysis.ScopeSpec{Region: analysis.England})
}
