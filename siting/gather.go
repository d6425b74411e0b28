package siting

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/refdata"
	"sufficiency/store"
)

// Request is what site-homes is asked.
type Request struct {
	// Scope is the council or region, parsed at the edge.
	Scope analysis.ScopeSpec
	Options
	// For is the kind of place: "residential" (children's homes) or
	// "fostering" (foster households recruited in the district).
	For string
	// At is the date whose placements are the demand (default: the last
	// date the data covers).
	At string
	// AtName names At in messages as the edge took it (the CLI's "--at");
	// "" for "at".
	AtName string
	// Sites, when given, are the candidates instead of the postcode
	// districts of the scope's councils.
	Sites []Site
	// AllEngland makes every postcode district in England a candidate.
	AllEngland bool
}

// Answer is a choice with what it was made on.
type Answer struct {
	*Result
	Scope    string   `json:"scope"`
	Councils []string `json:"councils"`
	At       string   `json:"at"`
	For      string   `json:"for"`
	Homes    int      `json:"homes"`
	Places   int      `json:"places"`
	// Unlocated counts the children left out for want of a home postcode
	// or a placement distance.
	Unlocated int `json:"unlocated"`
}

// CheckKind refuses a kind of home to site other than residential
// (children's homes) and fostering (foster carers' recruitment); empty is
// residential.
func CheckKind(kind string) error {
	if kind != "" && kind != "residential" && kind != "fostering" {
		return care.Errorf(care.EINVALID, "homes for %q cannot be sited: choose residential (children's homes) or fostering (foster carers' recruitment)", kind)
	}
	return nil
}

// RunOn reads the scope's children in care at the date (audited by the
// store under the context's actor) and chooses the sites.
func RunOn(ctx context.Context, st analysis.Store, r Request) (*Answer, error) {
	if r.For == "" {
		r.For = "residential"
	}
	if err := CheckKind(r.For); err != nil {
		return nil, err
	}
	scope, err := analysis.Resolve(ctx, st, r.Scope)
	if err != nil {
		return nil, err
	}
	// the date: as every analysis chooses it, from the councils' spans
	sums, err := st.Councils(ctx)
	if err != nil {
		return nil, err
	}
	var span store.Span
	for _, c := range sums {
		if slices.Contains(scope.Councils, c.Council) {
			span = span.Join(c.Span)
		}
	}
	at, err := analysis.Options{At: r.At, AtName: r.AtName}.Date([]care.Episode{{Start: span.FirstStart}, {Start: span.LastEvent}})
	if err != nil {
		return nil, err
	}
	// only the placements open at the date, read through the indexes
	eps, err := st.EpisodesWhere(ctx, store.EpisodeQuery{Councils: scope.Councils, At: at,
		Purpose: fmt.Sprintf("site-homes: children in care in %s on %s", scope.Name, at.Format(time.DateOnly))})
	if err != nil {
		return nil, err
	}
	loc := analysis.NewLocator()
	a := &Answer{Scope: scope.Name, Councils: scope.Councils, At: at.Format(time.DateOnly), For: r.For, Homes: r.Homes, Places: r.Places}
	var children []Child
	for _, e := range eps {
		if !e.Covers(at) || !wanted(r.For, care.ForecastGroupOf(e.Placement, e.Provider)) {
			continue
		}
		hp, err := geo.ParsePostcode(e.HomePostcode)
		var home geo.Point
		ok := err == nil
		if ok {
			home, ok = geo.Locate(hp)
		}
		mi, ok2 := loc.Miles(e.HomePostcode, e.PlacementPostcode)
		if !ok || !ok2 {
			a.Unlocated++
			continue
		}
		children = append(children, Child{Council: e.Council, Home: home, Miles: mi})
	}
	sites := r.Sites
	if sites == nil {
		sites = Districts(scope.Councils, r.AllEngland)
	}
	res, err := Choose(children, sites, r.Options)
	if err != nil {
		return nil, err
	}
	a.Result = res
	return a, nil
}

func wanted(kind string, g care.ForecastGroup) bool {
	if kind == "fostering" {
		return g == care.ForecastFosterInHouse || g == care.ForecastFosterAgency
	}
	return g == care.ForecastChildrensHome
}

// Districts are the postcode districts of the councils (each once, with
// the council holding most of its postcodes), or of every English council.
func Districts(councils []string, all bool) []Site {
	if all {
		councils = nil
		for _, c := range refdata.Councils() {
			councils = append(councils, c.Code)
		}
	}
	best := map[string]Site{}
	share := map[string]float64{}
	for _, c := range councils {
		for _, d := range geo.DistrictsOf(c) {
			if d.Share > share[d.Code] {
				share[d.Code] = d.Share
				best[d.Code] = Site{Code: d.Code, District: d.Code, Council: c, Point: d.Point}
			}
		}
	}
	var out []Site
	for _, s := range best {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// ReadSites reads candidate sites from CSV: a header with a postcode
// column (a full postcode, sector or district) and optionally a name
// column. Errors name the file, row and column.
func ReadSites(r io.Reader, name string) ([]Site, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, care.Errorf(care.EUNUSABLE, "%s: cannot read the header (%v); give a CSV with a postcode column and optionally a name column", name, err)
	}
	pc, nm := -1, -1
	for i, h := range head {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "postcode", "postcode_district", "district":
			pc = i
		case "name", "site":
			nm = i
		}
	}
	if pc < 0 {
		return nil, care.Errorf(care.EINVALID, "%s: row 1: no postcode column; name one column postcode (a full postcode, sector or district)", name)
	}
	var out []Site
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, care.Errorf(care.EINVALID, "%s: row %d: %v", name, row, err)
		}
		if pc >= len(rec) || strings.TrimSpace(rec[pc]) == "" {
			return nil, care.Errorf(care.EINVALID, "%s: row %d, column %s: no postcode", name, row, head[pc])
		}
		p, err := geo.ParsePostcode(rec[pc])
		if err != nil {
			return nil, care.Errorf(care.EINVALID, "%s: row %d, column %s: %q is not a postcode", name, row, head[pc], rec[pc])
		}
		pt, ok := geo.Locate(p)
		if !ok {
			return nil, care.Errorf(care.EINVALID, "%s: row %d, column %s: %q has no known position; give a postcode in Great Britain", name, row, head[pc], rec[pc])
		}
		code := p.District
		if nm >= 0 && nm < len(rec) && strings.TrimSpace(rec[nm]) != "" {
			code = strings.TrimSpace(rec[nm])
		}
		council, _ := geo.CouncilOf(p)
		out = append(out, Site{Code: code, District: p.District, Council: council, Point: pt})
	}
	if len(out) == 0 {
		return nil, care.Errorf(care.EINVALID, "%s: no candidate sites", name)
	}
	return out, nil
}

// Levers turns the chosen sites into open_home levers of a scenario, as
// JSON objects a scenario file accepts.
// withLA adds each lever's council (for a regional scenario).
func (a *Answer) Levers(weekly, capital float64, start string, withLA bool) []map[string]any {
	var out []map[string]any
	for _, s := range a.Sites {
		if a.For == "fostering" {
			l := map[string]any{"lever": "recruit_foster", "households_per_year": a.Places, "attrition": 0.10, "note": fmt.Sprintf("recruit in %s", s.Code)}
			if withLA && s.Council != "" {
				l["la"] = s.Council
			}
			if start != "" {
				l["start"] = start
			}
			out = append(out, l)
			continue
		}
		l := map[string]any{"lever": "open_home", "postcode_district": s.District, "places": a.Places, "weekly_cost": weekly}
		if capital > 0 {
			l["capital"] = capital
		}
		if withLA && s.Council != "" {
			l["la"] = s.Council
		}
		if start != "" {
			l["start"] = start
		}
		out = append(out, l)
	}
	return out
}
