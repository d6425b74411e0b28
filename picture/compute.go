package picture

import (
	"sort"
	"time"

	"sufficiency/care"
)

// Measure ids: the figures shown beside published comparators. Percentages
// are of all children in care at the date, as the DfE computes them.
const (
	MeasureInCare         = "in_care"
	MeasureRate           = "rate_per_10k"
	MeasureStarted        = "started"
	MeasureCeased         = "ceased"
	MeasurePctFoster      = "pct_foster"
	MeasurePctHomes       = "pct_childrens_homes"
	MeasurePctSupported   = "pct_supported"
	MeasurePctWithParents = "pct_placed_with_parents"
	MeasurePctAdoption    = "pct_placed_for_adoption"
	MeasurePctResSchool   = "pct_residential_school"
	MeasurePctOther       = "pct_other_placements"
	MeasurePctOwnLA       = "pct_own_council_provision"
	MeasurePctPrivate     = "pct_private_provision"
	MeasurePctVoluntary   = "pct_voluntary_provision"
	MeasurePctOutside     = "pct_outside_council"
	MeasurePctOver20      = "pct_over_20_miles"
	MeasurePctUASC        = "pct_uasc"
	MeasurePct16Plus      = "pct_aged_16_plus"
	MeasurePct3Plus       = "pct_3plus_placements"
	MeasureInPlacers      = "in_placers"
)

// Measures lists the comparison measures in display order with their labels.
var Measures = []struct{ ID, Label string }{
	{MeasureInCare, "Children in care"},
	{MeasureRate, "Children in care per 10,000 children"},
	{MeasureStarted, "Started to be looked after in the year"},
	{MeasureCeased, "Ceased to be looked after in the year"},
	{MeasurePctFoster, "% in foster placements"},
	{MeasurePctHomes, "% in children's homes (incl. secure)"},
	{MeasurePctSupported, "% in supported or independent living"},
	{MeasurePctWithParents, "% placed with parents"},
	{MeasurePctAdoption, "% placed for adoption"},
	{MeasurePctResSchool, "% in residential schools"},
	{MeasurePctOther, "% in other placements"},
	{MeasurePctOwnLA, "% in own council provision"},
	{MeasurePctPrivate, "% in private provision"},
	{MeasurePctVoluntary, "% in voluntary provision"},
	{MeasurePctOutside, "% placed outside the council"},
	{MeasurePctOver20, "% placed over 20 miles from home"},
	{MeasurePctUASC, "% unaccompanied asylum-seeking"},
	{MeasurePct16Plus, "% aged 16 and over"},
	{MeasurePct3Plus, "% with 3 or more placements in the year"},
	{MeasureInPlacers, "Other councils' children placed in the area"},
}

// Compute builds the picture of in.Scope at the end of day at. It never
// fails: missing postcodes, costs or populations leave the figures that need
// them unknown (counted as such) rather than wrong.
func Compute(in Input, at time.Time) Picture {
	at = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	p := Picture{Name: in.Name, Scope: append([]string(nil), in.Scope...), At: at, YearStart: yearBefore(at)}
	c := newComputer(in, at)

	popKnown := len(in.Scope) > 0
	rowIndex := map[string]int{}
	for _, code := range in.Scope {
		co := c.councils[code]
		if co.Pop0to17 <= 0 {
			popKnown = false
		}
		p.Pop0to17 += co.Pop0to17
		name := co.Name
		if name == "" {
			name = code
		}
		rowIndex[code] = len(p.Councils)
		p.Councils = append(p.Councils, CouncilRow{Code: code, Name: name, Pop0to17: co.Pop0to17})
	}
	if !popKnown {
		p.Pop0to17 = 0
	}

	p.ByAge = cloneCounts(ageBands)
	p.BySex = []Count{{Key: "M", Label: "Male"}, {Key: "F", Label: "Female"}, {Key: "U", Label: "Not known"}}
	p.ByUASC = []Count{{Key: "uasc", Label: "Unaccompanied asylum-seeking children"}, {Key: "other", Label: "Other children"}}
	p.ByLegal = cloneCounts(legalGroups)
	groupIdx := map[care.PlacementGroup]int{}
	for i, g := range care.PlacementGroups {
		groupIdx[g] = i
		p.ByGroup = append(p.ByGroup, GroupRow{Key: string(g), Label: g.Label()})
	}
	provIdx := map[care.ProviderType]int{}
	for i, pr := range providerTypes {
		provIdx[pr] = i
		key := string(pr)
		if pr == "" {
			key = "none"
		}
		p.ByProvider = append(p.ByProvider, GroupRow{Key: key, Label: providerLabel(pr)})
	}
	supplyIdx := map[care.ProvisionKind]int{}
	for i, k := range supplyKinds {
		supplyIdx[k] = i
		p.Supply = append(p.Supply, SupplyRow{Kind: k, Label: kindLabels[k]})
	}
	for _, pv := range in.Provisions {
		if !c.inScope[pv.Council] {
			continue
		}
		if i, ok := supplyIdx[pv.Kind]; ok {
			p.Supply[i].Settings++
			p.Supply[i].Places += pv.Places
		}
	}

	type member struct{ council, place string }
	sibs := map[string][]member{}
	inPlacers, crossInScope := 0, 0
	from := p.YearStart

	forEachChild(ensureSorted(in.Episodes), func(run []care.Episode) {
		council := run[0].Council
		if !c.inScope[council] {
			// Another council's child: counts only if placed in the area.
			i := Current(run, at)
			if i < 0 {
				return
			}
			if pc, ok := c.placementCouncil(run[i]); ok && c.inScope[pc] {
				inPlacers++
				if k, ok := KindOfGroup(run[i].Placement); ok {
					p.Supply[supplyIdx[k]].InPlacers++
				}
			}
			return
		}
		row := &p.Councils[rowIndex[council]]
		child := c.children[childKey(council, run[0].ChildID)]

		// Started, ceased and spend in the year.
		started, ceased := false, false
		for k, e := range run {
			if shortBreak(e.LegalStatus) {
				continue
			}
			if e.Start.After(from) && !e.Start.After(at) && (e.ReasonNew == "S" || PeriodStart(run, k).Equal(e.Start)) {
				started = true
			}
			if e.LeftCare() && e.End.After(from) && !e.End.After(at) {
				ceased = true
			}
			if e.WeeklyCost > 0 {
				if spent := spendIn(e, from, at); spent > 0 {
					for _, m := range []*Money{&p.ByGroup[groupIdx[e.Placement.Group()]].Cost, &p.ByProvider[provIdx[provKey(e.Provider)]].Cost, &p.Cost} {
						m.InYear += spent
						m.InYearEps++
					}
				}
			}
		}
		if started {
			p.Started++
			row.Started++
		}
		if ceased {
			p.Ceased++
			row.Ceased++
		}

		i := Current(run, at)
		if i < 0 {
			return
		}
		e := run[i]
		p.InCare++
		row.InCare++

		// Who.
		var ch care.Child
		if child != nil {
			ch = *child
		}
		p.ByAge[ageBand(ch.AgeOn(at))].N++
		switch ch.Sex {
		case care.Male:
			p.BySex[0].N++
		case care.Female:
			p.BySex[1].N++
		default:
			p.BySex[2].N++
		}
		if ch.UASC && (ch.UASCEnded.IsZero() || ch.UASCEnded.After(at)) {
			p.ByUASC[0].N++
		} else {
			p.ByUASC[1].N++
		}
		p.ByLegal[legalGroup(e.LegalStatus)].N++

		// Where.
		where := c.locate(council, e)
		g := &p.ByGroup[groupIdx[e.Placement.Group()]]
		pr := &p.ByProvider[provIdx[provKey(e.Provider)]]
		g.Children++
		pr.Children++
		g.Where.add(where)
		pr.Where.add(where)
		p.Where.add(where)
		row.Where.add(where)

		// Cost.
		if e.WeeklyCost > 0 {
			for _, m := range []*Money{&g.Cost, &pr.Cost, &p.Cost} {
				m.Placements++
				m.Weekly += e.WeeklyCost
				if e.WeeklyCost > HighCostWeekly {
					m.HighCost++
				}
			}
			row.WeeklySpend += e.WeeklyCost
			if e.WeeklyCost > HighCostWeekly {
				row.HighCost++
			}
			p.Funders.add(e)
		}

		// Stability.
		p.Stability.InCare++
		if PlacementsInYear(run, from, at) >= 3 {
			p.Stability.ThreePlus++
			row.ThreePlus++
		}
		if ch.DOB.IsZero() || ch.AgeOn(at) < 16 {
			if !PeriodStart(run, i).After(MonthsBefore(at, 30)) {
				p.Stability.Eligible++
				if !PlacementStart(run, i).After(MonthsBefore(at, 24)) {
					p.Stability.LongTerm++
				}
			}
		}

		// Placed in another council of the scope: an in-placer of that
		// council, as the DfE's regional figure (the sum of its councils'
		// "other councils' children placed within the boundary") counts it.
		if pc, ok := c.placementCouncil(e); ok && pc != council && c.inScope[pc] {
			crossInScope++
		}

		// Supply and demand.
		if k, ok := KindOfGroup(e.Placement); ok {
			s := &p.Supply[supplyIdx[k]]
			s.OwnChildren++
			switch pc, ok := c.placementCouncil(e); {
			case !ok:
				s.OwnUnknown++
			case c.inScope[pc]:
				s.OwnInArea++
			default:
				s.OwnOutOfArea++
			}
		}

		// Siblings.
		if home := NormalisePostcode(e.HomePostcode); home != "" {
			key := council + "|" + PeriodStart(run, i).Format("2006-01-02") + "|" + home
			sibs[key] = append(sibs[key], member{council, PlacementKey(e)})
		}
	})

	for _, ms := range sibs {
		if len(ms) < 2 {
			continue
		}
		p.Siblings.Groups++
		p.Siblings.Children += len(ms)
		for _, m := range ms[1:] {
			if m.place != ms[0].place {
				p.Siblings.GroupsApart++
				p.Siblings.ChildrenApart += len(ms)
				p.Councils[rowIndex[ms[0].council]].SiblingApart++
				break
			}
		}
	}

	if p.Pop0to17 > 0 {
		p.RatePer10k = 10000 * float64(p.InCare) / float64(p.Pop0to17)
	}
	p.ByGroup = append(p.ByGroup, totalRow(p.ByGroup, p.Where, p.Cost))
	p.ByProvider = append(p.ByProvider, totalRow(p.ByProvider, p.Where, p.Cost))
	p.Comparators = append([]Comparator(nil), in.Comparators...)
	p.measures(groupIdx, provIdx, inPlacers+crossInScope)
	return p
}

// computer holds the lookups Compute builds once.
type computer struct {
	at       time.Time
	inScope  map[string]bool
	councils map[string]Council
	children map[[2]string]*care.Child
	byURN    map[string]*care.Provision
	loc      Locator
	councilC map[string]council
	milesC   map[[2]string]miles
}

type council struct {
	code string
	ok   bool
}

type miles struct {
	m  float64
	ok bool
}

func newComputer(in Input, at time.Time) *computer {
	c := &computer{
		at:       at,
		inScope:  make(map[string]bool, len(in.Scope)),
		councils: make(map[string]Council, len(in.Councils)),
		children: make(map[[2]string]*care.Child, len(in.Children)),
		byURN:    make(map[string]*care.Provision, len(in.Provisions)),
		loc:      in.Locate,
		councilC: map[string]council{},
		milesC:   map[[2]string]miles{},
	}
	for _, s := range in.Scope {
		c.inScope[s] = true
	}
	for _, co := range in.Councils {
		c.councils[co.Code] = co
	}
	for i := range in.Children {
		ch := &in.Children[i]
		if c.inScope[ch.Council] {
			c.children[childKey(ch.Council, ch.ID)] = ch
		}
	}
	for i := range in.Provisions {
		if in.Provisions[i].ID != "" {
			c.byURN[in.Provisions[i].ID] = &in.Provisions[i]
		}
	}
	return c
}

func childKey(council, id string) [2]string { return [2]string{council, id} }

// placementCouncil returns the council a placement is in: the council of its
// Ofsted URN when the register knows it (a setting's, not a fostering or
// adoption agency's), else of its postcode.
func (c *computer) placementCouncil(e care.Episode) (string, bool) {
	if u := care.SettingURN(e); u != "" { // an agency's URN says where its office is, not the carers
		if pv := c.byURN[u]; pv != nil && pv.Council != "" {
			return pv.Council, true
		}
	}
	return c.councilOf(e.PlacementPostcode)
}

func (c *computer) councilOf(pc string) (string, bool) {
	if c.loc == nil || pc == "" {
		return "", false
	}
	if r, ok := c.councilC[pc]; ok {
		return r.code, r.ok
	}
	code, ok := c.loc.CouncilOf(pc)
	c.councilC[pc] = council{code, ok}
	return code, ok
}

func (c *computer) miles(a, b string) (float64, bool) {
	if c.loc == nil || a == "" || b == "" {
		return 0, false
	}
	k := [2]string{a, b}
	if r, ok := c.milesC[k]; ok {
		return r.m, r.ok
	}
	m, ok := c.loc.Miles(a, b)
	c.milesC[k] = miles{m, ok}
	return m, ok
}

// locate places one child's current episode relative to home and to own,
// the child's council.
func (c *computer) locate(own string, e care.Episode) Location {
	l := Location{Children: 1}
	pc, inKnown := c.placementCouncil(e)
	inside := false
	if inKnown {
		l.LocationKnown = 1
		inside = pc == own
		if inside {
			l.Inside = 1
		} else {
			l.Outside = 1
		}
		mine, ok1 := c.councils[own]
		there, ok2 := c.councils[pc]
		if !ok1 || !ok2 || mine.Region == "" || there.Region != mine.Region {
			l.OutsideRegion = 1
		}
	}
	m, distKnown := c.miles(e.HomePostcode, e.PlacementPostcode)
	if distKnown {
		l.DistanceKnown = 1
		far := m > FarMiles
		if far {
			l.Over20 = 1
		} else {
			l.Within20 = 1
		}
		if inKnown {
			switch {
			case inside && !far:
				l.InsideWithin20 = 1
			case inside && far:
				l.InsideOver20 = 1
			case !inside && !far:
				l.OutsideWithin20 = 1
			default:
				l.OutsideOver20 = 1
			}
		}
	}
	return l
}

func (l *Location) add(o Location) {
	l.Children += o.Children
	l.Inside += o.Inside
	l.Outside += o.Outside
	l.LocationKnown += o.LocationKnown
	l.Over20 += o.Over20
	l.Within20 += o.Within20
	l.DistanceKnown += o.DistanceKnown
	l.OutsideRegion += o.OutsideRegion
	l.InsideWithin20 += o.InsideWithin20
	l.InsideOver20 += o.InsideOver20
	l.OutsideWithin20 += o.OutsideWithin20
	l.OutsideOver20 += o.OutsideOver20
}

func (f *Funders) add(e care.Episode) {
	f.Placements++
	parts := e.Funding.SocialCare + e.Funding.Education + e.Funding.Health
	if parts == 0 {
		f.NotSplit += e.WeeklyCost
		return
	}
	f.SplitPlacements++
	f.SocialCare += e.Funding.SocialCare
	f.Education += e.Funding.Education
	f.Health += e.Funding.Health
	if rest := e.WeeklyCost - parts; rest > 0 {
		f.NotSplit += rest
	}
}

func provKey(p care.ProviderType) care.ProviderType {
	switch p {
	case care.ProviderParent, care.ProviderOwnLA, care.ProviderOtherLA, care.ProviderPublic, care.ProviderPrivate, care.ProviderVoluntary:
		return p
	}
	return ""
}

// spendIn returns what an episode cost in the year (from, to]: its weekly
// cost times the days of the year it covers, divided by 7, to the penny.
func spendIn(e care.Episode, from, to time.Time) care.Pence {
	start := e.Start
	if lo := from.AddDate(0, 0, 1); start.Before(lo) {
		start = lo
	}
	end := to.AddDate(0, 0, 1) // exclusive
	if !e.End.IsZero() && e.End.Before(end) {
		end = e.End
	}
	days := int(end.Sub(start).Hours()/24 + 0.5)
	if days <= 0 {
		return 0
	}
	return care.Pence((int64(e.WeeklyCost)*int64(days) + 3) / 7)
}

func totalRow(rows []GroupRow, where Location, cost Money) GroupRow {
	t := GroupRow{Key: "total", Label: "All children", Where: where, Cost: cost}
	for _, r := range rows {
		t.Children += r.Children
	}
	return t
}

func cloneCounts(cs []Count) []Count { return append([]Count(nil), cs...) }

// measures fills p.Measures with this scope's comparison figures.
func (p *Picture) measures(groupIdx map[care.PlacementGroup]int, provIdx map[care.ProviderType]int, inPlacers int) {
	p.Measures = map[string]float64{}
	p.MeasureBase = map[string]int{}
	set := func(id string, n int) {
		p.MeasureBase[id] = n
		if p.InCare > 0 {
			p.Measures[id] = 100 * float64(n) / float64(p.InCare)
		}
	}
	grp := func(gs ...care.PlacementGroup) int {
		n := 0
		for _, g := range gs {
			n += p.ByGroup[groupIdx[g]].Children
		}
		return n
	}
	p.Measures[MeasureInCare] = float64(p.InCare)
	p.MeasureBase[MeasureInCare] = p.InCare
	if p.RatePer10k > 0 {
		p.Measures[MeasureRate] = p.RatePer10k
		p.MeasureBase[MeasureRate] = p.InCare
	}
	p.Measures[MeasureStarted] = float64(p.Started)
	p.MeasureBase[MeasureStarted] = p.Started
	p.Measures[MeasureCeased] = float64(p.Ceased)
	p.MeasureBase[MeasureCeased] = p.Ceased
	set(MeasurePctFoster, grp(care.GroupFosterRelative, care.GroupFosterOther))
	set(MeasurePctHomes, grp(care.GroupChildrensHome, care.GroupSecure))
	set(MeasurePctSupported, grp(care.GroupSupported))
	set(MeasurePctWithParents, grp(care.GroupPlacedWithParents))
	set(MeasurePctAdoption, grp(care.GroupAdoption))
	set(MeasurePctResSchool, grp(care.GroupResidentialSchool))
	set(MeasurePctOther, grp(care.GroupOther, care.GroupTemporary))
	set(MeasurePctOwnLA, p.ByProvider[provIdx[care.ProviderOwnLA]].Children)
	set(MeasurePctPrivate, p.ByProvider[provIdx[care.ProviderPrivate]].Children)
	set(MeasurePctVoluntary, p.ByProvider[provIdx[care.ProviderVoluntary]].Children)
	// Of all children in care, as the published figures it is compared
	// with are (their denominator includes locations not known).
	if p.Where.LocationKnown > 0 {
		set(MeasurePctOutside, p.Where.Outside)
	}
	if p.Where.DistanceKnown > 0 {
		set(MeasurePctOver20, p.Where.Over20)
	}
	set(MeasurePctUASC, p.ByUASC[0].N)
	set(MeasurePct16Plus, p.ByAge[4].N)
	set(MeasurePct3Plus, p.Stability.ThreePlus)
	p.Measures[MeasureInPlacers] = float64(inPlacers)
	p.MeasureBase[MeasureInPlacers] = inPlacers
	sort.Strings(p.Scope)
}
