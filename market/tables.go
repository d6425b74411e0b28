package market

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"sufficiency/care"
	"sufficiency/tabular"
)

// Notes explains how the market figures are measured.
var Notes = []string{
	"Places: registered places in children's homes, secure children's homes and residential special schools on the Ofsted register (Ofsted does not publish places for supported accommodation or fostering agencies).",
	"Owner group: the register's owner organisation, with case and company suffixes normalised, or the group it is mapped to where a mapping is given; the register does not name ultimate parents, so groups trading through several companies are undercounted.",
	"HHI: the Herfindahl-Hirschman index, the sum of the squared percentage shares of every owner group (0 to 10,000; competition authorities treat above 1,500 as moderately and above 2,500 as highly concentrated). Top-5 and top-10: the share held by the largest five and ten groups.",
	"Spend: weekly cost of the current placements, whose Ofsted URN is on the register, of the children of the area's councils that are loaded, by the owner of the setting (wherever it is). Other councils' spend is not in the data, so spend concentration is given for the area's own councils only.",
	"Price growth: median weekly cost of placements that started in the last 12 months against those that started in the 12 months before.",
}

// Tables renders the market analysis.
func (m Market) Tables() []tabular.Table {
	area := m.Region
	if area == "" {
		area = England
	}
	var ts []tabular.Table
	ts = append(ts, public(concTable("Concentration of residential places by owner group", "Places", m.PlaceConcentration, false)))
	if len(m.SpendConcentration) > 0 {
		st := concTable("Concentration of the area's councils' weekly spend by owner group", "Weekly spend", m.SpendConcentration, true)
		for _, c := range m.SpendConcentration {
			if c.Coverage != "" {
				st.Notes = append(st.Notes, "Measured over "+c.Coverage+".")
			}
		}
		ts = append(ts, st)
	}

	sec := tabular.Table{
		Title:    "Residential places by sector: " + area,
		Columns:  []tabular.Column{{Name: "Sector"}, {Name: "Settings", Kind: tabular.Count}, {Name: "Places", Kind: tabular.Count}, {Name: "% of places", Kind: tabular.Percent}},
		TotalRow: true,
	}
	var ss, sp int
	for _, s := range m.BySector {
		name := string(s.Sector)
		if name == "" {
			name = "Not recorded"
		}
		sec.AddRow(name, s.Settings, s.Places, s.Pct)
		ss += s.Settings
		sp += s.Places
	}
	sec.AddRow("All sectors", ss, sp, tabular.Pct(sp, sp))
	ts = append(ts, public(sec))

	own := tabular.Table{
		Title: "Largest owner groups: " + area,
		Columns: []tabular.Column{{Name: "Owner group"}, {Name: "Settings", Kind: tabular.Count}, {Name: "Places", Kind: tabular.Count},
			{Name: "% of places", Kind: tabular.Percent}, {Name: "Regions", Kind: tabular.Count},
			{Name: "Outstanding", Kind: tabular.Count}, {Name: "Good", Kind: tabular.Count}, {Name: "Requires improvement", Kind: tabular.Count},
			{Name: "Inadequate", Kind: tabular.Count}, {Name: "Not yet inspected", Kind: tabular.Count}},
	}
	known := len(m.ByOwnership) > 0
	if known {
		own.Columns = append(own.Columns, tabular.Column{Name: "Ultimate owner"}, tabular.Column{Name: "Ownership"})
	}
	for i, o := range m.TopOwners {
		if i == 20 {
			own.Notes = append(own.Notes, fmt.Sprintf("%d owner groups in all; the 20 largest are listed.", len(m.TopOwners)))
			break
		}
		row := []any{o.Group, o.Settings, o.Places, o.Pct, o.Regions, o.Ratings[0], o.Ratings[1], o.Ratings[2], o.Ratings[3], o.Ratings[4]}
		if known {
			row = append(row, o.UltimateOwner, ownershipLabel(o.Ownership))
		}
		own.AddRow(row...)
	}
	if known {
		own.Notes = append(own.Notes, "Ultimate owner and ownership from the owner groups file given, not from the Ofsted register.")
	} else {
		own.Notes = append(own.Notes, "The Ofsted register names only each setting's owner organisation: an owner groups file (columns owner_organisation, group, ultimate_owner, ownership) joins companies into groups and names ultimate owners and private-equity ownership.")
	}
	ts = append(ts, public(own))
	if known {
		ot := tabular.Table{
			Title: "Residential places by kind of ownership: " + area,
			Columns: []tabular.Column{{Name: "Ownership"}, {Name: "Owner groups", Kind: tabular.Count}, {Name: "Settings", Kind: tabular.Count},
				{Name: "Places", Kind: tabular.Count}, {Name: "% of places", Kind: tabular.Percent}},
			Notes: []string{"Kind of ownership as the owner groups file gives it; groups it does not name are 'Not known'."},
		}
		for _, r := range m.ByOwnership {
			ot.AddRow(r.Ownership, r.Groups, r.Settings, r.Places, r.Pct)
		}
		ts = append(ts, public(ot))
	}

	rat := tabular.Table{
		Title: "Ofsted ratings of residential settings by sector: " + area,
		Columns: []tabular.Column{{Name: "Sector"}, {Name: "Outstanding", Kind: tabular.Count}, {Name: "Good", Kind: tabular.Count},
			{Name: "Requires improvement", Kind: tabular.Count}, {Name: "Inadequate", Kind: tabular.Count}, {Name: "Not yet inspected", Kind: tabular.Count},
			{Name: "% good or better (of inspected)", Kind: tabular.Percent}},
		TotalRow: true,
	}
	for _, r := range m.Ratings {
		name := r.Sector
		if name == "" {
			name = "Not recorded"
		}
		rat.AddRow(name, r.Outstanding, r.Good, r.RI, r.Inadequate, r.NotRated, tabular.Pct(r.Outstanding+r.Good, r.Outstanding+r.Good+r.RI+r.Inadequate))
	}
	ts = append(ts, public(rat))

	reg := tabular.Table{
		Title: "Residential places by region against children",
		Columns: []tabular.Column{{Name: "Region"}, {Name: "Settings", Kind: tabular.Count}, {Name: "Places", Kind: tabular.Count},
			{Name: "Children aged 0-17", Kind: tabular.Count}, {Name: "Places per 10,000 children", Kind: tabular.Rate},
			{Name: "Children in care (published)", Kind: tabular.Count}, {Name: "Places per 100 children in care", Kind: tabular.Rate}},
		TotalRow: true,
	}
	for _, r := range m.RegionPlaces {
		reg.AddRow(r.Region, r.Settings, r.Places, r.Pop0to17, nonZero(r.PlacesPer10k), nonZeroInt(r.ChildrenInCare), nonZero(r.PlacesPer100))
	}
	ts = append(ts, public(reg))

	pr := tabular.Table{
		Title: "Weekly prices of current placements: " + area,
		Columns: []tabular.Column{{Name: "Placement type"}, {Name: "Provider"}, {Name: "Placements", Kind: tabular.Count},
			{Name: "Median", Kind: tabular.Money}, {Name: "Mean", Kind: tabular.Money}, {Name: "10th percentile", Kind: tabular.Money}, {Name: "90th percentile", Kind: tabular.Money},
			{Name: "Started last 12 months", Kind: tabular.Count}, {Name: "Their median", Kind: tabular.Money},
			{Name: "Started 12-24 months ago", Kind: tabular.Count}, {Name: "Their median (earlier)", Kind: tabular.Money}, {Name: "Growth %", Kind: tabular.Percent}},
	}
	for _, p := range m.Prices {
		var growth any
		if p.GrowthKnown {
			growth = p.Growth
		}
		prov := p.Provider.Label()
		if p.Provider == "" {
			prov = "Not recorded"
		}
		pr.AddRow(p.Group.Label(), prov, p.Placements, zeroNil(p.Median), zeroNil(p.Mean), zeroNil(p.P10), zeroNil(p.P90),
			p.StartedRecent, zeroNil(p.MedianRecent), p.StartedPr, zeroNil(p.MedianPr), growth)
	}
	if len(m.Prices) == 0 {
		pr.Notes = append(pr.Notes, "No placement costs are loaded: see the published price benchmarks.")
	}
	ts = append(ts, pr)

	if len(m.Reference) > 0 {
		ref := tabular.Table{
			Title:   "Published price benchmarks",
			Columns: []tabular.Column{{Name: "Benchmark"}, {Name: "Placement type"}, {Name: "Weekly", Kind: tabular.Money}, {Name: "Period"}, {Name: "Source"}},
		}
		for _, r := range m.Reference {
			ref.AddRow(r.Label, r.Group.Label(), r.Weekly, r.Period, r.Source)
		}
		ts = append(ts, ref)
	}

	vr := tabular.Table{
		Title:   "Value for money: weekly price of residential placements by the home's Ofsted rating",
		Columns: []tabular.Column{{Name: "Rating"}, {Name: "Placements", Kind: tabular.Count}, {Name: "Median weekly", Kind: tabular.Money, Base: "Placements"}, {Name: "Mean weekly", Kind: tabular.Money, Base: "Placements"}},
	}
	for _, v := range m.ValueByRating {
		vr.AddRow(v.Category, v.Placements, v.Median, v.Mean)
	}
	vn := tabular.Table{
		Title:   "Value for money: weekly price of residential placements by the child's needs",
		Columns: []tabular.Column{{Name: "Needs"}, {Name: "Placements", Kind: tabular.Count}, {Name: "Median weekly", Kind: tabular.Money, Base: "Placements"}, {Name: "Mean weekly", Kind: tabular.Money, Base: "Placements"}},
	}
	for _, v := range m.ValueByNeeds {
		vn.AddRow(v.Category, v.Placements, v.Median, v.Mean)
	}
	if len(m.ValueByRating) == 0 && len(m.ValueByNeeds) == 0 {
		vr.Notes = append(vr.Notes, "No costed residential placements with an Ofsted URN are loaded.")
	}
	ts = append(ts, vr, vn)

	ct := tabular.Table{
		Title: "Provider-failure contingency: " + area,
		Columns: []tabular.Column{{Name: "Owner group"}, {Name: "Settings", Kind: tabular.Count, Public: true}, {Name: "Places", Kind: tabular.Count, Public: true},
			{Name: "Places by region"}, {Name: "Children in its homes here (loaded data)", Kind: tabular.Count}, {Name: "Children by council"},
			{Name: "Children to re-home", Kind: tabular.Count}, {Name: "Other owners' spare places here", Kind: tabular.Count},
			{Name: "within 20 miles", Kind: tabular.Count}, {Name: "Displaced per spare place", Kind: tabular.Number}, {Name: "Assessment"}},
		Notes: []string{fmt.Sprintf("Everything is counted within "+area+": the group's places here, and the children in its homes here. "+
			"Children to re-home: the loaded children in the group's homes here, or its places here x %.0f%% occupancy where that is more (data for every placing council is rarely loaded). "+
			"Spare places: other owners' places of the same kinds here (or within 20 miles of the group's homes here, between council centres, as Ofsted withholds homes' postcodes) x %.0f%% assumed vacant. "+
			"Hard to replace: 1 or more children per spare place; stretched: 0.5 or more.", 100*m.Occupancy, 100*(1-m.Occupancy))},
	}
	for _, c := range m.Contingency {
		var diff any = c.Difficulty
		if math.IsInf(c.Difficulty, 1) {
			diff = "no spare places"
		}
		byName := map[string]int{}
		for code, n := range c.ChildrenByCouncil {
			if name := m.CouncilNames[code]; name != "" {
				code = name
			}
			byName[code] += n
		}
		// A list in words escapes the suppression of count columns, so
		// counts of 1 to 4 children are never written in it.
		for k, n := range byName {
			if n > 0 && n < 5 {
				byName[k] = -1
			}
		}
		ct.AddRow(c.Group, c.Settings, c.Places, mapList(c.PlacesByRegion), c.Children, mapList(byName),
			c.Displaced, c.Spare, c.SpareNear, diff, c.Rating)
	}
	ts = append(ts, ct)
	ts[len(ts)-1].Notes = append(ts[len(ts)-1].Notes, Notes...)
	return ts
}

// public marks every column of a table built from public figures alone (the
// Ofsted register, published statistics) as public, so that publishing
// suppression, which protects counts of children, leaves it whole.
func public(t tabular.Table) tabular.Table {
	for i := range t.Columns {
		t.Columns[i].Public = true
	}
	return t
}

func concTable(title, what string, cs []Concentration, money bool) tabular.Table {
	kind := tabular.Count
	if money {
		kind = tabular.Money
	}
	t := tabular.Table{
		Title: title,
		Columns: []tabular.Column{{Name: "Area"}, {Name: what, Kind: kind}, {Name: "Owner groups", Kind: tabular.Count}, {Name: "HHI", Kind: tabular.Number},
			{Name: "Top 5 %", Kind: tabular.Percent}, {Name: "Top 10 %", Kind: tabular.Percent}, {Name: "Largest group"}, {Name: "Its share %", Kind: tabular.Percent}},
	}
	for _, c := range cs {
		if c.Owners == 0 {
			t.AddRow(c.Area) // nothing held or spent here in the data
			continue
		}
		var total any = int(math.Round(c.Total))
		if money {
			total = care.FromPounds(c.Total)
		}
		t.AddRow(c.Area, total, c.Owners, c.HHI, c.Top5, c.Top10, c.Top, c.TopPct)
	}
	return t
}

// mapList writes "name count" pairs, largest first; a negative count is
// written "fewer than 5" (a suppressed count of children).
func mapList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		name := k
		if name == "" {
			name = "(not known)"
		}
		if m[k] < 0 {
			parts = append(parts, name+" fewer than 5")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, m[k]))
	}
	return strings.Join(parts, "; ")
}

func nonZero(f float64) any {
	if f == 0 {
		return nil
	}
	return f
}

func nonZeroInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func zeroNil(p care.Pence) any {
	if p == 0 {
		return nil
	}
	return p
}
