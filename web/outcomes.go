package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/refdata"
)

// Referral outcomes as sufficiency evidence, for a council and a region:
// decline reasons by provider, kind of home and need, referrals with no
// eligible home, time to place, placements over 20 miles and why
// (offers.GatherOutcomes, as "sufficiency offer outcomes" prints them).

// outcomesScope resolves a council or region path value and checks that u
// may see its outcomes.
func outcomesScope(u auth.User, council, region string) (string, []string, error) {
	if council != "" {
		c, ok := refdata.CouncilByCode(council)
		if !ok {
			return "", nil, care.Errorf(care.ENOTFOUND, "no council %q", council)
		}
		if err := auth.Permit(u, auth.ActOutcomesCouncil, auth.Resource{Council: c.Code, What: c.Name}); err != nil {
			return "", nil, err
		}
		return c.Name, []string{c.Code}, nil
	}
	cs, err := refdata.CouncilsInRegion(region)
	if err != nil || len(cs) == 0 {
		return "", nil, care.Errorf(care.ENOTFOUND, "no region %q: use one of %s", region, strings.Join(refdata.Regions(), ", "))
	}
	if err := auth.Permit(u, auth.ActOutcomesRegion, auth.Resource{Region: cs[0].Region, What: "the " + cs[0].Region + " region"}); err != nil {
		return "", nil, err
	}
	codes := make([]string, len(cs))
	for i, c := range cs {
		codes[i] = c.Code
	}
	return cs[0].Region, codes, nil
}

// outcomes computes the outcomes for the request: /councils/{code} or
// /regions/{name}, ?from= and ?to= (YYYY-MM-DD, to exclusive).
func (p *placements) outcomes(ctx context.Context, r *http.Request) (offers.Outcomes, error) {
	u, _ := userFrom(ctx)
	scope, codes, err := outcomesScope(u, r.PathValue("code"), r.PathValue("name"))
	if err != nil {
		return offers.Outcomes{}, err
	}
	var from, to time.Time
	q := r.URL.Query()
	for _, d := range []struct {
		name string
		t    *time.Time
	}{{"from", &from}, {"to", &to}} {
		if s := q.Get(d.name); s != "" {
			if *d.t, err = time.Parse("2006-01-02", s); err != nil {
				return offers.Outcomes{}, care.Errorf(care.EINVALID, "%s %q: write the date as YYYY-MM-DD, e.g. 2026-04-01", d.name, s)
			}
		}
	}
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		return offers.Outcomes{}, care.Errorf(care.EINVALID, "the period is empty: to must be after from")
	}
	st, err := p.store()
	if err != nil {
		return offers.Outcomes{}, err
	}
	index := func() (*match.Index, error) { return p.index(ctx) }
	return offers.GatherOutcomes(ctx, st, index, scope, codes, from, to, p.now())
}

func (p *placements) outcomesPage(w http.ResponseWriter, r *http.Request) {
	o, err := p.outcomes(r.Context(), r)
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	res := Result{Scope: o.Scope, At: civilDay(p.now()).Format("2006-01-02"), Tables: o.Tables()}
	crumbs := []link{{"/", "Home"}}
	if code := r.PathValue("code"); code != "" {
		crumbs = append(crumbs, link{"/councils/" + code, o.Scope})
	} else {
		crumbs = append(crumbs, link{"/regions/" + o.Scope, o.Scope})
	}
	p.render(w, r, 0, "tables", pageData{Title: "Referral outcomes", Caption: o.Scope, Result: &res, Breadcrumbs: crumbs,
		Message: "What the referrals sent through this service say about sufficiency: why providers declined, referrals no home could meet, how long placing took, and placements more than 20 miles from home with why. Add ?from=YYYY-MM-DD&to=YYYY-MM-DD for a period.",
		Links:   []link{{"/api/v1" + r.URL.Path, "These outcomes as JSON"}}})
}

func (p *placements) apiOutcomes(w http.ResponseWriter, r *http.Request) {
	o, err := p.outcomes(r.Context(), r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, o)
}

// outcomesLink is the link to the referral outcomes of a council (or, with
// council empty, a region) for the picture pages, when u may see them.
func outcomesLink(u auth.User, council, region string) []link {
	if _, _, err := outcomesScope(u, council, region); err != nil {
		return nil
	}
	if council != "" {
		return []link{{"/councils/" + council + "/outcomes", "Referral outcomes: why providers declined, referrals no home could meet, far placements"}}
	}
	return []link{{"/regions/" + region + "/outcomes", "Referral outcomes: why providers declined, referrals no home could meet, far placements"}}
}
