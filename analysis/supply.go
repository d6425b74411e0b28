package analysis

import (
	"context"
	"math"
	"sort"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/picture"
	"sufficiency/refdata"
	"sufficiency/store"
)

// Provisions returns the supply the store holds, with the Ofsted register
// (refdata) added for every URN the store does not have. st may be nil: the
// register alone.
func Provisions(ctx context.Context, st Store) ([]care.Provision, error) {
	var out []care.Provision
	seen := map[string]bool{}
	if st != nil {
		ps, err := st.Provisions(ctx, store.ProvisionFilter{})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			seen[p.ID] = true
		}
		out = append(out, ps...)
	}
	for _, p := range refdata.Providers() {
		if p.Kind == "" || p.ShortBreakOnly || seen[p.URN] {
			continue
		}
		out = append(out, care.Provision{
			ID: p.URN, Kind: p.Kind, Name: p.Name, Owner: p.Owner, Sector: p.Sector, Council: p.Council,
			Postcode: p.Postcode, Places: p.Places, Rating: p.Rating, Registered: p.Registered,
		})
	}
	return out, nil
}

// scopedSupplyMax is the most councils a scope may have, and
// scopedSupplyURNs the most URNs, for ScopedProvisions to read the supply in
// part; beyond them it reads it all.
const (
	scopedSupplyMax  = 40
	scopedSupplyURNs = 10000
)

// ScopedProvisions is what Provisions returns restricted to the settings in
// one of councils or whose ID is one of urns: all that the picture and the
// review of those councils use of the supply (the settings in the area, and
// those its children are placed at), read without reading the rest. Store
// provisions come first, by ID, then the register's (those the store does
// not hold) in the register's order; never nil. For a scope of more than
// scopedSupplyMax councils, or more than scopedSupplyURNs URNs, it reads
// the whole supply and keeps the same part.
func ScopedProvisions(ctx context.Context, st Store, councils, urns []string) ([]care.Provision, error) {
	var s storedSupply
	return s.scoped(ctx, st, councils, urns)
}

// storedSupply is what ScopedProvisions read of the store (and the
// register), kept so that a second call for the same councils (gather's,
// with the URNs of the episodes read) reads only what the first did not: a
// setting's ID asked for once is not asked for again, and the whole supply
// is read at most once. The zero value has read nothing; one storedSupply
// serves one store and one set of councils.
type storedSupply struct {
	// all is the whole supply (Provisions), once read.
	all []care.Provision
	// inCouncils is the store's provisions in the councils, once read
	// (readCouncils).
	inCouncils  []care.Provision
	readCouncil bool
	// asked is every ID asked for by ID; byID those of them the store holds.
	asked map[string]bool
	byID  map[string]care.Provision
}

// scoped is ScopedProvisions, reading through s.
func (s *storedSupply) scoped(ctx context.Context, st Store, councils, urns []string) ([]care.Provision, error) {
	inScope := make(map[string]bool, len(councils))
	for _, c := range councils {
		inScope[c] = true
	}
	wanted := make(map[string]bool, len(urns))
	for _, u := range urns {
		if u != "" {
			wanted[u] = true
		}
	}
	keep := func(p *care.Provision) bool { return inScope[p.Council] || wanted[p.ID] }
	out := []care.Provision{}
	if st == nil || len(councils) > scopedSupplyMax || len(wanted) > scopedSupplyURNs {
		if s.all == nil {
			all, err := Provisions(ctx, st)
			if err != nil {
				return nil, err
			}
			s.all = all
		}
		for i := range s.all {
			if keep(&s.all[i]) {
				out = append(out, s.all[i])
			}
		}
		return out, nil
	}
	// The register's settings that may be kept, unless the store holds
	// their URN (in any council: the store's record then stands for it).
	var candidates []refdata.Provider
	ids := make([]string, 0, len(wanted))
	for u := range wanted {
		ids = append(ids, u)
	}
	for _, p := range refdata.Providers() {
		if p.Kind == "" || p.ShortBreakOnly || !inScope[p.Council] && !wanted[p.URN] {
			continue
		}
		candidates = append(candidates, p)
		if !wanted[p.URN] {
			ids = append(ids, p.URN)
		}
	}
	seen := map[string]bool{}
	var stored []care.Provision
	add := func(p *care.Provision) {
		if !seen[p.ID] {
			seen[p.ID] = true
			if keep(p) {
				stored = append(stored, *p)
			}
		}
	}
	if !s.readCouncil {
		ps, err := st.Provisions(ctx, store.ProvisionFilter{Councils: councils})
		if err != nil {
			return nil, err
		}
		s.inCouncils, s.readCouncil = ps, true
	}
	for i := range s.inCouncils {
		add(&s.inCouncils[i])
	}
	if len(ids) > 0 {
		sort.Strings(ids)
		var ask []string
		for _, id := range ids {
			if !s.asked[id] {
				ask = append(ask, id)
			}
		}
		if len(ask) > 0 {
			ps, err := st.Provisions(ctx, store.ProvisionFilter{IDs: ask})
			if err != nil {
				return nil, err
			}
			if s.asked == nil {
				s.asked, s.byID = map[string]bool{}, map[string]care.Provision{}
			}
			for _, id := range ask {
				s.asked[id] = true
			}
			for _, p := range ps {
				s.byID[p.ID] = p
			}
		}
		for _, id := range ids {
			if p, ok := s.byID[id]; ok {
				add(&p)
			}
		}
	}
	sort.SliceStable(stored, func(i, j int) bool { return stored[i].ID < stored[j].ID })
	out = append(out, stored...)
	for _, p := range candidates {
		if seen[p.URN] {
			continue
		}
		out = append(out, care.Provision{
			ID: p.URN, Kind: p.Kind, Name: p.Name, Owner: p.Owner, Sector: p.Sector, Council: p.Council,
			Postcode: p.Postcode, Places: p.Places, Rating: p.Rating, Registered: p.Registered,
		})
	}
	return out, nil
}

// episodeURNs is the distinct URNs the episodes are placed at.
func episodeURNs(eps []care.Episode) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range eps {
		if e.URN != "" && !seen[e.URN] {
			seen[e.URN] = true
			out = append(out, e.URN)
		}
	}
	return out
}

// pictureCouncils describes every council for the picture.
func pictureCouncils() []picture.Council {
	var out []picture.Council
	for _, c := range refdata.Councils() {
		out = append(out, picture.Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17})
	}
	return out
}

// Locator adapts package geo to picture.Locator and review.Locator:
// distances by the DfE method (rounded to 0.1 mile, as PL_DISTANCE is),
// councils by postcode sector and district. It caches every postcode it
// places, so use one per computation; it is not safe for concurrent use.
type Locator struct {
	points   map[string]located
	councils map[string]councilOf
}

type located struct {
	p  geo.Point
	ok bool
}

type councilOf struct {
	code string
	ok   bool
}

// NewLocator returns an empty Locator.
func NewLocator() *Locator {
	return &Locator{points: map[string]located{}, councils: map[string]councilOf{}}
}

func (g *Locator) point(pc string) (geo.Point, bool) {
	if r, ok := g.points[pc]; ok {
		return r.p, r.ok
	}
	p, err := geo.LocateString(pc)
	g.points[pc] = located{p, err == nil}
	return p, err == nil
}

// Miles is the distance between two postcodes by the DfE method, rounded to
// 0.1 mile; false when either cannot be placed. It implements
// picture.Locator and review.Locator.
func (g *Locator) Miles(a, b string) (float64, bool) {
	pa, ok1 := g.point(a)
	pb, ok2 := g.point(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	return math.Round(geo.Miles(pa, pb)*10) / 10, true
}

// CouncilOf is the council (ONS code) a postcode lies in; false when it
// cannot be told or lies outside England. It implements picture.Locator.
func (g *Locator) CouncilOf(pc string) (string, bool) {
	if r, ok := g.councils[pc]; ok {
		return r.code, r.ok
	}
	p, err := geo.ParsePostcode(pc)
	var code string
	ok := err == nil
	if ok {
		code, ok = geo.CouncilOf(p)
	}
	g.councils[pc] = councilOf{code, ok}
	return code, ok
}
