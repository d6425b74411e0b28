package web

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/refdata"
	"sufficiency/tabular"
	"sufficiency/web/chart"
)

// Titles of the tables the web adds to a picture from the child-level data
// it read (profileTables): the needs profile, and the placements and homes
// the region map draws.
const (
	titleNeedCategory = "Children in care by category of need"
	titleNeedsTier    = "Children in care by needs tier"
	titleRisks        = "Children in care with each need or risk"
	titlePlacedWhere  = "Where children are placed (postcode districts)"
	titleHomesWhere   = "Registered homes in the area (postcode districts)"
	titlePlacedFar    = "Children placed more than 20 miles from home, by council and council placed in"
)

// profileTables counts the children in care at the picture's date by
// category of need (the SSDA903 CIN code), needs tier and each need or risk
// flag, and by the postcode district they are placed in; and the registered
// homes (not fostering households, whose addresses are private) of the
// scope's councils by district. With publish the children's counts are
// suppressed (1 to 4 as "c"); the homes are the public register's.
func profileTables(res analysis.PictureResult, publish bool) []tabular.Table {
	type key struct{ council, child string }
	needs := map[key]care.NeedsProfile{}
	for _, c := range res.Data.Children {
		needs[key{c.Council, c.ID}] = c.Needs
	}
	inScope := map[string]bool{}
	for _, c := range res.Scope.Councils {
		inScope[c] = true
	}
	var (
		total                         int
		byCIN, byTier, byFlag, byDist = map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
		seen                          = map[key]bool{}
		far                           = map[[2]string]int{} // council, council placed in
	)
	for _, e := range res.Data.Episodes {
		k := key{e.Council, e.ChildID}
		// In care as the picture counts: covered by an episode that is not a short break.
		if !inScope[e.Council] || seen[k] || !e.Covers(res.At) || care.IsShortBreak(e.LegalStatus) {
			continue
		}
		seen[k] = true
		total++
		byCIN[e.CategoryOfNeed]++
		n := needs[k]
		byTier[n.Tier.Label()]++
		for _, r := range n.Risks {
			byFlag[string(r)]++
		}
		if n.Disability {
			byFlag["disability"]++
		}
		if n.MentalHealth {
			byFlag["mental_health"]++
		}
		if n.SoloRecommended {
			byFlag["solo"]++
		}
		if pc, err := geo.ParsePostcode(e.PlacementPostcode); err == nil && pc.District != "" {
			byDist[pc.District]++
			home, err1 := geo.LocateString(e.HomePostcode)
			placed, err2 := geo.LocateString(e.PlacementPostcode)
			if err1 == nil && err2 == nil && !geo.Within20Miles(home, placed) {
				far[[2]string{e.Council, districtCouncilCode(pc.District)}]++
			}
		}
	}
	pct := func(n int) any { return tabular.Pct(n, total) }
	cin := tabular.Table{Title: titleNeedCategory, TotalRow: true,
		Columns: []tabular.Column{{Name: "Category of need"}, {Name: "Children", Kind: tabular.Count}, {Name: "%", Kind: tabular.Percent, Base: "Children"}}}
	for i := 1; i <= 8; i++ {
		code := fmt.Sprintf("N%d", i)
		cin.AddRow(label("CIN", code), byCIN[code], pct(byCIN[code]))
		delete(byCIN, code)
	}
	other := 0
	for _, n := range byCIN {
		other += n
	}
	cin.AddRow("Not recorded", other, pct(other))
	cin.AddRow("All children", total, pct(total))

	tier := tabular.Table{Title: titleNeedsTier, TotalRow: true,
		Columns: []tabular.Column{{Name: "Needs tier"}, {Name: "Children", Kind: tabular.Count}, {Name: "%", Kind: tabular.Percent, Base: "Children"}},
		Notes:   []string{"Needs tiers and flags are from the council's placement records (the Placements Data Standard's needs and risks), not the SSDA903 return."}}
	for _, t := range []care.NeedsTier{care.TierStandard, care.TierEnhanced, care.TierComplex, care.TierHighly, care.TierUnknown} {
		tier.AddRow(t.Label(), byTier[t.Label()], pct(byTier[t.Label()]))
	}
	tier.AddRow("All children", total, pct(total))

	flags := tabular.Table{Title: titleRisks,
		Columns: []tabular.Column{{Name: "Need or risk"}, {Name: "Children", Kind: tabular.Count}, {Name: "%", Kind: tabular.Percent, Base: "Children"}},
		Notes:   []string{fmt.Sprintf("A child may have several; percentages are of the %s children in care.", tabular.Thousands(int64(total)))}}
	flagRows := []option{{"disability", "Disability needing adaptation"}, {"mental_health", "Significant mental-health needs"}, {"solo", "Solo placement recommended"}}
	flagRows = append(append(flagRows, riskToChildOptions...), riskToOthersOptions...)
	for _, o := range flagRows {
		flags.AddRow(o.Text, byFlag[o.Value], pct(byFlag[o.Value]))
	}

	placed := tabular.Table{Title: titlePlacedWhere,
		Columns: []tabular.Column{{Name: "District"}, {Name: "Council"}, {Name: "Children", Kind: tabular.Count}, {Name: "Easting"}, {Name: "Northing"}},
		Notes:   []string{"Children in care placed in each postcode district (the placement postcode's outward code), positioned at the district's centre."}}
	for _, d := range sortedKeys(byDist) {
		p, ok := geo.Locate(geo.Postcode{District: d})
		if !ok {
			continue
		}
		placed.AddRow(d, districtCouncil(d), byDist[d], fmt.Sprintf("%.0f", p.Easting), fmt.Sprintf("%.0f", p.Northing))
	}

	homes := tabular.Table{Title: titleHomesWhere,
		Columns: []tabular.Column{{Name: "District"}, {Name: "Council"}, {Name: "Homes", Kind: tabular.Count, Public: true}, {Name: "Places", Kind: tabular.Count, Public: true},
			{Name: "Easting"}, {Name: "Northing"}},
		Notes: []string{"Children's homes, secure homes, residential schools and supported accommodation registered in the area (Ofsted's register and the stored supply), by postcode district; fostering households are not shown."}}
	type agg struct{ homes, places int }
	byHome := map[string]agg{}
	for _, p := range res.Provisions {
		if p.Kind == care.KindFostering || !inScope[p.Council] {
			continue
		}
		pc, err := geo.ParsePostcode(p.Postcode)
		if err != nil || pc.District == "" {
			continue
		}
		a := byHome[pc.District]
		a.homes++
		a.places += p.Places
		byHome[pc.District] = a
	}
	for _, d := range sortedKeys(byHome) {
		p, ok := geo.Locate(geo.Postcode{District: d})
		if !ok {
			continue
		}
		homes.AddRow(d, districtCouncil(d), byHome[d].homes, byHome[d].places, fmt.Sprintf("%.0f", p.Easting), fmt.Sprintf("%.0f", p.Northing))
	}
	farT := tabular.Table{Title: titlePlacedFar,
		Columns: []tabular.Column{{Name: "Council"}, {Name: "Council placed in"}, {Name: "Children", Kind: tabular.Count},
			{Name: "From easting"}, {Name: "From northing"}, {Name: "To easting"}, {Name: "To northing"}},
		Notes: []string{"Children in care placed more than 20 miles from their home postcode (the DfE's distance), by their council and the council their placement's postcode district is in (mostly); the map draws a line between the two councils' centres for the largest of these."}}
	farKeys := make([][2]string, 0, len(far))
	for k := range far {
		farKeys = append(farKeys, k)
	}
	slices.SortFunc(farKeys, func(a, b [2]string) int {
		if a[0] != b[0] {
			return strings.Compare(a[0], b[0])
		}
		return strings.Compare(a[1], b[1])
	})
	for _, k := range farKeys {
		c, ok := refdata.CouncilByCode(k[0])
		to, found := refdata.CouncilByCode(k[1])
		if !ok || c.Easting == 0 || !found || to.Easting == 0 {
			continue
		}
		farT.AddRow(c.Name, to.Name, far[k], fmt.Sprintf("%.0f", c.Easting), fmt.Sprintf("%.0f", c.Northing), fmt.Sprintf("%.0f", to.Easting), fmt.Sprintf("%.0f", to.Northing))
	}
	out := []tabular.Table{cin, tier, flags, placed, homes, farT}
	if publish {
		for i := range out {
			out[i] = tabular.Suppress(out[i])
		}
	}
	return out
}

// districtCouncil names the council most of a postcode district is in.
func districtCouncil(d string) string {
	code := districtCouncilCode(d)
	if c, ok := refdata.CouncilByCode(code); ok {
		return c.Name
	}
	return code
}

// districtCouncilCode is the code of the council most of a postcode
// district is in ("" when unknown).
func districtCouncilCode(d string) string {
	shares := geo.CouncilShares(d)
	if len(shares) == 0 {
		return ""
	}
	best := shares[0]
	for _, s := range shares[1:] {
		if s.Share > best.Share {
			best = s
		}
	}
	return best.Council
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// needsCharts draws the needs profile: the category of need, and the needs
// tier and flags (from the tables, so suppressed as they are).
func needsCharts(tables []tabular.Table) []chartView {
	var out []chartView
	one := func(id, title, desc, table, skip string) {
		t := findTable(tables, table)
		cats, vals := column(t, "Children", skip)
		ss := []chart.Series{{Name: "Children", Values: vals}}
		if len(cats) == 0 || allMissing(ss) {
			return
		}
		bars := chart.Bars{ID: id, Title: title, Desc: desc, Categories: cats, Series: ss}
		note := ""
		if len(t.Notes) > 0 {
			note = t.Notes[0]
		}
		out = append(out, chartView{ID: id, Title: title, SVG: template.HTML(bars.SVG()), Note: note, Table: seriesTable(title, "Category", cats, ss, tabular.Count)})
	}
	one("chart-need", "Category of need", "Children in care by their category of need (the main reason the council is involved).", titleNeedCategory, "All children")
	one("chart-tier", "Needs tier", "Children in care by the complexity of their needs.", titleNeedsTier, "All children")
	one("chart-risks", "Needs and risks", "Children in care with each need or risk flag; a child may have several.", titleRisks, "")
	return out
}

// mapLayers returns the map's dots: the districts children are placed in
// (sized by children) and the districts with registered homes (sized by
// places), from the tables (suppressed districts are left off), with the
// map's key. Only districts of the councils within names (all when nil)
// are drawn, so the map stays on the region; left counts the children
// placed in districts left off.
func mapLayers(tables []tabular.Table, within map[string]bool) (dots []chart.Point, key []keyItem, left int) {
	layer := func(title, col, what string, swatch int, name string) {
		t := findTable(tables, title)
		if t == nil {
			return
		}
		ci, ei, ni := t.ColumnIndex(col), t.ColumnIndex("Easting"), t.ColumnIndex("Northing")
		n := 0
		for _, r := range t.Rows {
			v := cellNumber(r[ci])
			var x, y float64
			if _, err := fmt.Sscan(fmt.Sprint(r[ei]), &x); err != nil {
				continue
			}
			if _, err := fmt.Sscan(fmt.Sprint(r[ni]), &y); err != nil {
				continue
			}
			if math.IsNaN(v) || v <= 0 {
				continue
			}
			if within != nil && !within[fmt.Sprint(r[1])] {
				if title == titlePlacedWhere {
					left += int(v)
				}
				continue
			}
			dots = append(dots, chart.Point{X: x, Y: y, Size: v, Label: fmt.Sprint(r[0]), Note: strings.TrimSpace(fmt.Sprintf("(%s): %s %s", r[1], formatCell(t.Columns[ci], r[ci]), what)),
				Colour: chart.Colour(swatch), Square: title == titleHomesWhere})
			n++
		}
		if n > 0 {
			key = append(key, keyItem{Name: name, Swatch: swatch})
		}
	}
	layer(titleHomesWhere, "Places", "registered places", 1, "Registered homes: places in the district (squares)")
	layer(titlePlacedWhere, "Children", "children in care placed here", 3, "Children in care placed in the district")
	return dots, key, left
}

// maxFlows is how many lines a map draws: the largest numbers of children
// placed far from home (all of them make a tangle nobody can read).
const maxFlows = 30

// mapFlows are the map's lines: children placed more than 20 miles from
// home, from their council's centre to the centre of the council they are
// placed in (from the table, so suppressed as it is), the maxFlows largest,
// with the key's entry; drawn counts the lines against all there are.
func mapFlows(tables []tabular.Table) (flows []chart.Flow, key []keyItem, drawn, all int) {
	t := findTable(tables, titlePlacedFar)
	if t == nil {
		return nil, nil, 0, 0
	}
	ci := t.ColumnIndex("Children")
	for _, r := range t.Rows {
		v := cellNumber(r[ci])
		if math.IsNaN(v) || v <= 0 {
			continue
		}
		var xy [4]float64
		ok := true
		for i := range xy {
			_, err := fmt.Sscan(fmt.Sprint(r[3+i]), &xy[i])
			ok = ok && err == nil
		}
		if !ok {
			continue
		}
		flows = append(flows, chart.Flow{FromX: xy[0], FromY: xy[1], ToX: xy[2], ToY: xy[3], Weight: v, To: fmt.Sprint(r[1]),
			Label: fmt.Sprintf("%s to %s: %s placed more than 20 miles from home", r[0], r[1], formatCell(t.Columns[ci], r[ci]))})
	}
	if len(flows) == 0 {
		return nil, nil, 0, 0
	}
	all = len(flows)
	slices.SortStableFunc(flows, func(a, b chart.Flow) int { return cmp.Compare(b.Weight, a.Weight) })
	flows = flows[:min(len(flows), maxFlows)]
	return flows, []keyItem{{Name: "Children placed more than 20 miles from home: council to council placed in", Swatch: 4, Line: true}}, len(flows), all
}

// regionCouncils names the councils of region (nil for "": everywhere).
func regionCouncils(region string) map[string]bool {
	if region == "" {
		return nil
	}
	cs, err := refdata.CouncilsInRegion(region)
	if err != nil {
		return nil
	}
	out := map[string]bool{}
	for _, c := range cs {
		out[c.Name] = true
	}
	return out
}
