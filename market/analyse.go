package market

import (
	"fmt"
	"math"
	"sort"
	"time"

	"sufficiency/care"
)

// Analyse computes the market at the end of day at (the date current
// placements and price growth are measured at).
func Analyse(in Input, at time.Time) Market {
	at = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	occ := in.Occupancy
	if occ <= 0 || occ > 1 {
		occ = 0.83
	}
	top := in.TopOwners
	if top <= 0 {
		top = 25
	}
	m := Market{Region: in.Region, At: at, Reference: append([]ReferencePrice(nil), in.Reference...), Occupancy: occ}

	region := map[string]string{}
	pop := map[string]int{}
	var regions []string
	m.CouncilNames = map[string]string{}
	for _, c := range in.Councils {
		m.CouncilNames[c.Code] = c.Name
		region[c.Code] = c.Region
		if c.Region != "" {
			if _, ok := pop[c.Region]; !ok {
				regions = append(regions, c.Region)
			}
			pop[c.Region] += c.Pop0to17
		}
	}
	sort.Strings(regions)
	inArea := func(council string) bool { return in.Region == "" || region[council] == in.Region }

	// The register: residential places by owner group, region and council.
	provs := make([]prov, 0, len(in.Provisions))
	byURN := map[string]int{}
	for i := range in.Provisions {
		p := &in.Provisions[i]
		byURN[p.ID] = len(provs)
		g := OwnerGroup(p.Owner, in.OwnerGroups)
		if g == NoOwner {
			// Unknown owners are not one group: each setting stands alone.
			g = NoOwner + " " + p.ID
		}
		provs = append(provs, prov{p, g, region[p.Council]})
	}

	placesByRegionOwner := map[string]map[string]float64{}
	add := func(mm map[string]map[string]float64, area, owner string, v float64) {
		if mm[area] == nil {
			mm[area] = map[string]float64{}
		}
		mm[area][owner] += v
	}
	sectors := map[care.Sector]*SectorRow{}
	owners := map[string]*OwnerRow{}
	ownerRegions := map[string]map[string]bool{}
	ratings := map[string]*RatingRow{}
	regionRows := map[string]*RegionRow{}
	for _, r := range regions {
		regionRows[r] = &RegionRow{Region: r, Pop0to17: pop[r], ChildrenInCare: in.ChildrenInCare[r]}
	}
	for _, p := range provs {
		if !residentialKinds[p.Kind] {
			continue
		}
		if p.region != "" {
			add(placesByRegionOwner, p.region, p.group, float64(p.Places))
			if rr := regionRows[p.region]; rr != nil {
				rr.Settings++
				rr.Places += p.Places
			}
		}
		add(placesByRegionOwner, England, p.group, float64(p.Places))
		if !inArea(p.Council) {
			continue
		}
		s := sectors[p.Sector]
		if s == nil {
			s = &SectorRow{Sector: p.Sector}
			sectors[p.Sector] = s
		}
		s.Settings++
		s.Places += p.Places
		o := owners[p.group]
		if o == nil {
			o = &OwnerRow{Group: p.group}
			owners[p.group] = o
			ownerRegions[p.group] = map[string]bool{}
		}
		o.Settings++
		o.Places += p.Places
		ownerRegions[p.group][p.region] = true
		o.Ratings[ratingIndex(p.Rating)]++
		rr := ratings[string(p.Sector)]
		if rr == nil {
			rr = &RatingRow{Sector: string(p.Sector)}
			ratings[string(p.Sector)] = rr
		}
		rr.add(p.Rating)
	}

	for _, r := range regions {
		m.PlaceConcentration = append(m.PlaceConcentration, Concentrate(r, placesByRegionOwner[r]))
	}
	m.PlaceConcentration = append(m.PlaceConcentration, Concentrate(England, placesByRegionOwner[England]))

	totalPlaces := 0
	for _, s := range sectors {
		totalPlaces += s.Places
	}
	for _, s := range sectors {
		s.Pct = pct(s.Places, totalPlaces)
		m.BySector = append(m.BySector, *s)
	}
	sort.Slice(m.BySector, func(i, j int) bool { return m.BySector[i].Places > m.BySector[j].Places })
	byOwnership := map[string]*OwnershipRow{}
	for g, o := range owners {
		o.Pct = pct(o.Places, totalPlaces)
		o.Regions = len(ownerRegions[g])
		if oi, ok := in.Owners[g]; ok {
			o.UltimateOwner, o.Ownership = oi.UltimateOwner, oi.Ownership
		}
		m.TopOwners = append(m.TopOwners, *o)
		if in.Owners != nil {
			k := ownershipLabel(o.Ownership)
			r := byOwnership[k]
			if r == nil {
				r = &OwnershipRow{Ownership: k}
				byOwnership[k] = r
			}
			r.Groups++
			r.Settings += o.Settings
			r.Places += o.Places
		}
	}
	for _, r := range byOwnership {
		r.Pct = pct(r.Places, totalPlaces)
		m.ByOwnership = append(m.ByOwnership, *r)
	}
	sort.Slice(m.ByOwnership, func(i, j int) bool {
		if m.ByOwnership[i].Places != m.ByOwnership[j].Places {
			return m.ByOwnership[i].Places > m.ByOwnership[j].Places
		}
		return m.ByOwnership[i].Ownership < m.ByOwnership[j].Ownership
	})
	sort.Slice(m.TopOwners, func(i, j int) bool {
		if m.TopOwners[i].Places != m.TopOwners[j].Places {
			return m.TopOwners[i].Places > m.TopOwners[j].Places
		}
		return m.TopOwners[i].Group < m.TopOwners[j].Group
	})
	total := RatingRow{Sector: "All sectors"}
	for _, r := range ratings {
		m.Ratings = append(m.Ratings, *r)
		total.Outstanding += r.Outstanding
		total.Good += r.Good
		total.RI += r.RI
		total.Inadequate += r.Inadequate
		total.NotRated += r.NotRated
	}
	sort.Slice(m.Ratings, func(i, j int) bool { return m.Ratings[i].Sector < m.Ratings[j].Sector })
	m.Ratings = append(m.Ratings, total)

	eng := RegionRow{Region: England}
	for _, r := range regions {
		rr := regionRows[r]
		rr.finish()
		eng.Settings += rr.Settings
		eng.Places += rr.Places
		eng.Pop0to17 += rr.Pop0to17
		eng.ChildrenInCare += rr.ChildrenInCare
		m.RegionPlaces = append(m.RegionPlaces, *rr)
	}
	if n, ok := in.ChildrenInCare[England]; ok {
		eng.ChildrenInCare = n
	}
	eng.finish()
	m.RegionPlaces = append(m.RegionPlaces, eng)

	// Current placements: spend by owner, children by owner, prices, value.
	tiers := map[[2]string]care.NeedsTier{}
	for _, c := range in.Children {
		tiers[[2]string{c.Council, c.ID}] = c.Needs.Tier
	}
	spend := map[string]map[string]float64{}
	childrenWith := map[string]map[string]int{}
	loaded := map[string]bool{}
	spendPlacements := 0
	area := in.Region
	if area == "" {
		area = England
	}
	type pk struct {
		g care.PlacementGroup
		p care.ProviderType
	}
	costs := map[pk][]care.Pence{}
	recent := map[pk][]care.Pence{}
	prior := map[pk][]care.Pence{}
	byRating := map[int][]care.Pence{}
	byTier := map[care.NeedsTier][]care.Pence{}
	yearAgo, twoYearsAgo := care.AddYears(at, -1), care.AddYears(at, -2)
	for _, e := range in.Episodes {
		if !e.Covers(at) || e.LegalStatus == "V3" || e.LegalStatus == "V4" {
			// Price growth also uses placements that have ended: any episode
			// that started in the two years counts at its start.
			if e.WeeklyCost > 0 && e.Start.After(twoYearsAgo) && !e.Start.After(at) && (in.Region == "" || region[e.Council] == in.Region) {
				k := pk{e.Placement.Group(), e.Provider}
				if e.Start.After(yearAgo) {
					recent[k] = append(recent[k], e.WeeklyCost)
				} else {
					prior[k] = append(prior[k], e.WeeklyCost)
				}
			}
			continue
		}
		var pv *prov
		if i, ok := byURN[e.URN]; ok && e.URN != "" {
			pv = &provs[i]
		}
		// Children placed in the group's homes in the area, whoever placed
		// them (as far as the loaded data shows): what a failure there
		// would displace.
		if pv != nil && inArea(pv.Council) {
			if childrenWith[pv.group] == nil {
				childrenWith[pv.group] = map[string]int{}
			}
			childrenWith[pv.group][e.Council]++
		}
		if in.Region != "" && region[e.Council] != in.Region {
			continue
		}
		loaded[e.Council] = true
		// Spend: the area's own councils' money, wherever the setting is;
		// other councils' spend is not in the data, so it is not measured.
		if pv != nil && e.WeeklyCost > 0 {
			add(spend, area, pv.group, e.WeeklyCost.Pounds())
			spendPlacements++
		}
		if e.WeeklyCost <= 0 {
			continue
		}
		k := pk{e.Placement.Group(), e.Provider}
		costs[k] = append(costs[k], e.WeeklyCost)
		if e.Start.After(twoYearsAgo) {
			if e.Start.After(yearAgo) {
				recent[k] = append(recent[k], e.WeeklyCost)
			} else {
				prior[k] = append(prior[k], e.WeeklyCost)
			}
		}
		if pv != nil && residentialKinds[pv.Kind] {
			byRating[ratingIndex(pv.Rating)] = append(byRating[ratingIndex(pv.Rating)], e.WeeklyCost)
		}
		if e.Placement.IsResidential() {
			byTier[tiers[[2]string{e.Council, e.ChildID}]] = append(byTier[tiers[[2]string{e.Council, e.ChildID}]], e.WeeklyCost)
		}
	}
	if len(spend) > 0 {
		c := Concentrate(area, spend[area])
		inScope := 0
		for _, k := range in.Councils {
			if inArea(k.Code) {
				inScope++
			}
		}
		c.Coverage = fmt.Sprintf("%d of the %d councils' current placements in registered settings (%d placements); other councils' spend is not in the data", len(loaded), inScope, spendPlacements)
		m.SpendConcentration = []Concentration{c}
	}

	for _, g := range care.PlacementGroups {
		for _, p := range []care.ProviderType{care.ProviderOwnLA, care.ProviderOtherLA, care.ProviderPrivate, care.ProviderVoluntary, care.ProviderPublic, care.ProviderParent, ""} {
			k := pk{g, p}
			cs := costs[k]
			if len(cs) == 0 && len(recent[k]) == 0 && len(prior[k]) == 0 {
				continue
			}
			row := PriceRow{Group: g, Provider: p, Placements: len(cs)}
			sortPence(cs)
			row.Median, row.Mean, row.P10, row.P90 = Quantile(cs, 0.5), mean(cs), Quantile(cs, 0.1), Quantile(cs, 0.9)
			rc, pc := recent[k], prior[k]
			sortPence(rc)
			sortPence(pc)
			row.StartedRecent, row.StartedPr = len(rc), len(pc)
			row.MedianRecent, row.MedianPr = Quantile(rc, 0.5), Quantile(pc, 0.5)
			if row.MedianRecent > 0 && row.MedianPr > 0 {
				row.Growth = 100 * (float64(row.MedianRecent)/float64(row.MedianPr) - 1)
				row.GrowthKnown = true
			}
			m.Prices = append(m.Prices, row)
		}
	}
	for i, label := range ratingLabels {
		if cs := byRating[i]; len(cs) > 0 {
			sortPence(cs)
			m.ValueByRating = append(m.ValueByRating, ValueRow{Category: label, Placements: len(cs), Median: Quantile(cs, 0.5), Mean: mean(cs)})
		}
	}
	for _, t := range []care.NeedsTier{care.TierStandard, care.TierEnhanced, care.TierComplex, care.TierHighly, care.TierUnknown} {
		if cs := byTier[t]; len(cs) > 0 {
			sortPence(cs)
			m.ValueByNeeds = append(m.ValueByNeeds, ValueRow{Category: tierLabel(t), Placements: len(cs), Median: Quantile(cs, 0.5), Mean: mean(cs)})
		}
	}

	centres := map[string][2]float64{}
	for _, c := range in.Councils {
		if c.Easting != 0 || c.Northing != 0 {
			centres[c.Code] = [2]float64{c.Easting, c.Northing}
		}
	}
	m.Contingency = contingency(provs, childrenWith, inArea, in.Region, occ, top, centres)
	return m
}

// prov is a register entry with its owner group and region.
type prov struct {
	*care.Provision
	group, region string
}

// contingency builds the provider-failure view for the groups holding places
// in the area (a region, or England when scope is ""), largest first, at most
// top of them. Everything is counted within the area: the group's places and
// the children in its homes there, against other owners' spare places there.
func contingency(all []prov, childrenWith map[string]map[string]int, inArea func(string) bool, scope string, occ float64, top int, centres map[string][2]float64) []Contingency {
	byGroup := map[string]*Contingency{}
	// Places by region, council and kind, to find other owners' spare places.
	type rk struct {
		area string
		kind care.ProvisionKind
	}
	regionPlaces := map[rk]int{}
	councilPlaces := map[rk]int{}
	groupRegionKind := map[string]map[rk]int{}
	groupCouncilKind := map[string]map[rk]int{}
	for _, p := range all {
		if !residentialKinds[p.Kind] {
			continue
		}
		regionPlaces[rk{p.region, p.Kind}] += p.Places
		councilPlaces[rk{p.Council, p.Kind}] += p.Places
		if groupRegionKind[p.group] == nil {
			groupRegionKind[p.group] = map[rk]int{}
			groupCouncilKind[p.group] = map[rk]int{}
		}
		if !inArea(p.Council) {
			continue
		}
		groupRegionKind[p.group][rk{p.region, p.Kind}] += p.Places
		groupCouncilKind[p.group][rk{p.Council, p.Kind}] += p.Places
		c := byGroup[p.group]
		if c == nil {
			c = &Contingency{Group: p.group, PlacesByRegion: map[string]int{}, ChildrenByCouncil: map[string]int{}}
			byGroup[p.group] = c
		}
		c.Settings++
		c.Places += p.Places
		c.PlacesByRegion[p.region] += p.Places
	}
	var out []Contingency
	for g, c := range byGroup {
		// The group's footprint in the area decides what a failure displaces.
		for k, v := range childrenWith[g] {
			c.ChildrenByCouncil[k] = v
			c.Children += v
		}
		held := 0
		for k, v := range groupRegionKind[g] {
			held += v
			other := regionPlaces[k] - v
			c.Spare += int(math.Floor(float64(other) * (1 - occ)))
		}
		// Spare places near the group's homes: other owners' places of the
		// same kind in any council whose centre is within NearMiles of the
		// centre of a council where the group has that kind of home (each
		// council counted once).
		near := map[rk]bool{}
		for k := range groupCouncilKind[g] {
			near[k] = true
			a, ok := centres[k.area]
			if !ok {
				continue
			}
			for code, b := range centres {
				if math.Hypot(a[0]-b[0], a[1]-b[1])/1000/1.6093 <= NearMiles {
					near[rk{code, k.kind}] = true
				}
			}
		}
		other := 0
		for k := range near {
			other += councilPlaces[k] - groupCouncilKind[g][k]
		}
		c.SpareNear = int(math.Floor(float64(other) * (1 - occ)))
		c.Displaced = max(c.Children, int(math.Round(float64(held)*occ)))
		switch {
		case c.Displaced == 0:
			c.Difficulty = 0
		case c.Spare == 0:
			c.Difficulty = math.Inf(1)
		default:
			c.Difficulty = float64(c.Displaced) / float64(c.Spare)
		}
		c.Rating = difficultyRating(c.Difficulty)
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Places != out[j].Places {
			return out[i].Places > out[j].Places
		}
		return out[i].Group < out[j].Group
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}

var ratingLabels = []string{"Outstanding", "Good", "Requires improvement", "Inadequate", "Not yet inspected"}

func ratingIndex(r care.Rating) int {
	switch r {
	case care.RatingOutstanding:
		return 0
	case care.RatingGood:
		return 1
	case care.RatingRI:
		return 2
	case care.RatingInadequate:
		return 3
	}
	return 4
}

func (r *RatingRow) add(rt care.Rating) {
	switch ratingIndex(rt) {
	case 0:
		r.Outstanding++
	case 1:
		r.Good++
	case 2:
		r.RI++
	case 3:
		r.Inadequate++
	default:
		r.NotRated++
	}
}

func (r *RegionRow) finish() {
	if r.Pop0to17 > 0 {
		r.PlacesPer10k = 10000 * float64(r.Places) / float64(r.Pop0to17)
	}
	if r.ChildrenInCare > 0 {
		r.PlacesPer100 = 100 * float64(r.Places) / float64(r.ChildrenInCare)
	}
}

// tierLabel names a needs tier as the market's value table does ("Complex
// needs", "Needs not recorded").
func tierLabel(t care.NeedsTier) string {
	if t < care.TierStandard || t > care.TierHighly {
		return "Needs not recorded"
	}
	return t.Label() + " needs"
}

func pct(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

func sortPence(ps []care.Pence) { sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] }) }

// Quantile returns the q-quantile (0–1) of sorted values by linear
// interpolation between closest ranks; 0 for none.
func Quantile(sorted []care.Pence, q float64) care.Pence {
	if len(sorted) == 0 {
		return 0
	}
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(sorted)-1)
	f := pos - float64(lo)
	return care.Pence(math.Round(float64(sorted[lo])*(1-f) + float64(sorted[hi])*f))
}

func mean(ps []care.Pence) care.Pence {
	if len(ps) == 0 {
		return 0
	}
	var s int64
	for _, p := range ps {
		s += int64(p)
	}
	return care.Pence((s + int64(len(ps))/2) / int64(len(ps)))
}

// difficultyRating names how hard an owner group's children would be to
// re-home from the children displaced per spare place: 1 or more is hard to
// replace, 0.5 or more stretched, less replaceable.
func difficultyRating(d float64) string {
	switch {
	case d >= 1:
		return "hard to replace"
	case d >= 0.5:
		return "stretched"
	}
	return "replaceable"
}
