package web

import (
	"context"
	"html/template"
	"net/http"
	"time"
	"unicode"
	"unicode/utf8"

	"sufficiency/analysis"
	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/tabular"
	"sufficiency/web/chart"
)

// Referral outcomes as sufficiency evidence, for a council and a region:
// decline reasons by provider, kind of home and need, referrals with no
// eligible home, time to place, placements over 20 miles and why
// (offers.GatherOutcomes, as "sufficiency offer outcomes" prints them).

// outcomesScope resolves a council or region path value and checks that u
// may see its outcomes.
func outcomesScope(u identity.User, council, region string) (string, []string, error) {
	sc, err := auth.OutcomesOf(council, region)
	if err != nil {
		return "", nil, err
	}
	if err := auth.Permit(u, sc.Act, sc.Resource); err != nil {
		return "", nil, err
	}
	return sc.Name, sc.Councils, nil
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
func outcomesLink(u identity.User, council, region string) []link {
	if _, _, err := outcomesScope(u, council, region); err != nil {
		return nil
	}
	if council != "" {
		return []link{{"/councils/" + council + "/outcomes", "Referral outcomes: why providers declined, referrals no home could meet, far placements"}}
	}
	return []link{{"/regions/" + region + "/outcomes", "Referral outcomes: why providers declined, referrals no home could meet, far placements"}}
}

// outcomesView is the referral outcomes as the picture page shows them: a
// few figures, a chart of each breakdown (its table behind it), and the
// placements over 20 miles with why.
type outcomesView struct {
	Period  string // "in the year to 31 March 2025"
	Figures []tile
	Charts  []chartView
	Far     tabular.Table
	Href    string // the full outcomes page
}

// pictureOutcomes gives a council's or region's picture its referral
// outcomes for the year to at (zero: to today; as `sufficiency picture`
// adds them for the picture's date): nil
// when u may not see them, the store keeps no workflow, or nothing was sent
// or drafted in the year. With publish, small numbers are suppressed.
func (p *placements) pictureOutcomes(ctx context.Context, u identity.User, council, region string, at time.Time, publish bool) (*outcomesView, error) {
	if p == nil || p.st == nil {
		return nil, nil
	}
	scope, codes, err := outcomesScope(u, council, region)
	if err != nil {
		return nil, nil // not the user's to see: the picture goes without
	}
	if at.IsZero() {
		at = civilDay(p.now())
	}
	index := func() (*match.Index, error) { return p.index(ctx) }
	tables, err := analysis.OutcomeTables(ctx, p.st, index, scope, codes, at, publish)
	if err != nil || tables == nil {
		return nil, err
	}
	from, to := analysis.OutcomeYear(at)
	v := &outcomesView{Period: "in the year to " + formatDate(at)}
	if council != "" {
		v.Href = "/councils/" + council + "/outcomes"
	} else {
		v.Href = "/regions/" + region + "/outcomes"
	}
	v.Href += "?from=" + from.Format("2006-01-02") + "&to=" + to.Format("2006-01-02")
	sum := tables[0]
	for _, f := range []string{"Referrals sent", "Placed", "Referrals with no eligible home (not sent)", "Median days to place", "Placed more than 20 miles from home"} {
		for _, r := range sum.Rows {
			if r[0] == f {
				v.Figures = append(v.Figures, tile{Label: f, Value: formatCell(sum.Columns[1], r[1])})
			}
		}
	}
	one := func(id, title, desc string, t tabular.Table, col string) {
		cats, vals := column(&t, col)
		for i, c := range cats {
			cats[i] = upperFirst(c) // the reasons' labels are written to follow "declined: "
		}
		ss := []chart.Series{{Name: col, Values: vals}}
		if len(cats) == 0 || allMissing(ss) {
			return
		}
		bars := chart.Bars{ID: id, Title: title, Desc: desc, Categories: cats, Series: ss}
		v.Charts = append(v.Charts, chartView{ID: id, Title: title, SVG: template.HTML(bars.SVG()), Table: t})
	}
	one("chart-declines", "Why providers declined", "Declines of referrals by the reason the provider gave.", tables[1], "Declines")
	one("chart-declines-kind", "Declines by kind of home", "Declines by the kind of home or household that declined.", tables[2], "Declines")
	one("chart-declines-need", "Declines by the child's level of need", "Declines by the needs tier of the child referred.", tables[3], "Declines")
	one("chart-declines-provider", "Declines by provider", "Declines by the provider that declined.", tables[4], "Declines")
	v.Far = tables[5]
	return v, nil
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
	}
	return s
}
