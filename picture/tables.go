package picture

import (
	"fmt"

	"sufficiency/care"
	"sufficiency/tabular"
)

// Definitions explains how the picture's figures are counted. It is printed
// under the tables and belongs in any published version.
var Definitions = []string{
	"Children in care: children looked after at the end of the day, leaving out those looked after under a series of short breaks (legal status V3, V4), as the DfE does. Rate: per 10,000 children aged 0 to 17 (ONS mid-year estimate).",
	"Started and ceased: children who started or ceased to be looked after in the year to the date, each child counted once.",
	"Location (DfE method): inside or outside the council by the council of the placement's Ofsted URN, else of its postcode; distance is the straight line between the home and placement postcode centroids; over 20 miles is more than 20.0 miles. Children whose postcodes are missing or unknown are counted as not known.",
	"Stability (DfE): 3 or more placements counts each placement the child was in during the year (the first of the year, then each new episode whose reason is a change of placement: P, B, T, U), leaving out temporary placements (T0 to T4) and returns to the same placement. Long-term stability: of children under 16 in care for 2.5 years or more, those in the same placement for 2 years or more (episodes with reason L, T or U continue the placement, so placement for adoption with the same carers continues it).",
	"Siblings: SSDA903 has no sibling field, so sibling groups are inferred as two or more children of the same council who started their current period of care on the same day with the same home postcode (HOME_POST, often only a postcode sector, so unrelated children can occasionally be grouped). A group is apart when its members do not all have the same placement (same URN, or else same placement type, provider and postcode).",
	"Cost: weekly cost of the placements current at the date (from the council's placement finance records); annualised = weekly x 52; spent in the year = each episode's weekly cost x days in the year / 7. High-cost: over £10,000 a week. Funders: the split recorded for each placement between social care, education and health; a cost with no recorded split is shown as not split.",
	"Supply: Ofsted-registered settings and places in the area (supported accommodation and fostering agencies do not publish places). Own children: this area's children placed in that kind of provision anywhere; in-placers: other councils' children placed in the area's provision, among councils whose data is loaded. In the comparison with published figures, other councils' children placed in the area also counts, for several councils, each council's children placed in another of them, as the DfE's regional figure (the sum over its councils) does.",
}

// Tables renders the picture as tables. With publish, small numbers are
// suppressed in every table (see tabular.Suppress) for publication.
func (p Picture) Tables(publish bool) []tabular.Table {
	at := p.At.Format("2 January 2006")
	var ts []tabular.Table

	summary := tabular.Table{
		Title:   fmt.Sprintf("%s: children in care at %s", p.Name, at),
		Columns: []tabular.Column{{Name: "Measure"}, {Name: "Number", Kind: tabular.Count}, {Name: "Of", Kind: tabular.Count}, {Name: "%", Kind: tabular.Percent, Base: "Number"}},
	}
	summary.AddRow("Children in care", p.InCare, nil, nil)
	if p.Pop0to17 > 0 {
		summary.AddRow("Children aged 0 to 17 in the area", p.Pop0to17, nil, nil)
	}
	summary.AddRow("Started to be looked after in the year", p.Started, nil, nil)
	summary.AddRow("Ceased to be looked after in the year", p.Ceased, nil, nil)
	summary.AddRow("Placed outside the council", p.Where.Outside, p.Where.LocationKnown, tabular.Pct(p.Where.Outside, p.Where.LocationKnown))
	summary.AddRow("Placed over 20 miles from home", p.Where.Over20, p.Where.DistanceKnown, tabular.Pct(p.Where.Over20, p.Where.DistanceKnown))
	summary.AddRow("Placed outside the council's region", p.Where.OutsideRegion, p.Where.LocationKnown, tabular.Pct(p.Where.OutsideRegion, p.Where.LocationKnown))
	summary.AddRow("3 or more placements in the year", p.Stability.ThreePlus, p.Stability.InCare, tabular.Pct(p.Stability.ThreePlus, p.Stability.InCare))
	summary.AddRow("Long-term stability (same placement 2+ years)", p.Stability.LongTerm, p.Stability.Eligible, tabular.Pct(p.Stability.LongTerm, p.Stability.Eligible))
	summary.AddRow("Sibling groups in care", p.Siblings.Groups, nil, nil)
	summary.AddRow("Sibling groups placed apart", p.Siblings.GroupsApart, p.Siblings.Groups, tabular.Pct(p.Siblings.GroupsApart, p.Siblings.Groups))
	summary.AddRow("Children in sibling groups placed apart", p.Siblings.ChildrenApart, p.Siblings.Children, tabular.Pct(p.Siblings.ChildrenApart, p.Siblings.Children))
	summary.AddRow("High-cost placements (over £10,000 a week)", p.Cost.HighCost, p.Cost.Placements, tabular.Pct(p.Cost.HighCost, p.Cost.Placements))
	if p.RatePer10k > 0 {
		summary.Notes = append(summary.Notes, fmt.Sprintf("Rate per 10,000 children: %.1f.", p.RatePer10k))
	}
	ts = append(ts, summary)

	ts = append(ts, countTable("Children in care by age", "Age", p.ByAge, p.InCare))
	ts = append(ts, countTable("Children in care by sex", "Sex", p.BySex, p.InCare))
	ts = append(ts, countTable("Unaccompanied asylum-seeking children", "Status", p.ByUASC, p.InCare))
	ts = append(ts, countTable("Children in care by legal status", "Legal status", p.ByLegal, p.InCare))
	ts = append(ts, mixTable("Placement mix by placement type", "Placement type", p.ByGroup))
	ts = append(ts, mixTable("Placement mix by provider", "Provider", p.ByProvider))
	ts = append(ts, costTable("Cost by placement type", "Placement type", p.ByGroup))
	ts = append(ts, costTable("Cost by provider", "Provider", p.ByProvider))

	dist := tabular.Table{
		Title:    "Distance from home (DfE locality)",
		Columns:  []tabular.Column{{Name: "Location"}, {Name: "Children", Kind: tabular.Count}, {Name: "%", Kind: tabular.Percent, Base: "Children"}},
		TotalRow: true,
	}
	w := p.Where
	unknown := w.Children - w.InsideWithin20 - w.InsideOver20 - w.OutsideWithin20 - w.OutsideOver20
	dist.AddRow("Inside the council, 20 miles or less", w.InsideWithin20, tabular.Pct(w.InsideWithin20, w.Children))
	dist.AddRow("Inside the council, over 20 miles", w.InsideOver20, tabular.Pct(w.InsideOver20, w.Children))
	dist.AddRow("Outside the council, 20 miles or less", w.OutsideWithin20, tabular.Pct(w.OutsideWithin20, w.Children))
	dist.AddRow("Outside the council, over 20 miles", w.OutsideOver20, tabular.Pct(w.OutsideOver20, w.Children))
	dist.AddRow("Not known", unknown, tabular.Pct(unknown, w.Children))
	dist.AddRow("All children", w.Children, tabular.Pct(w.Children, w.Children))
	ts = append(ts, dist)

	fund := p.fundersTable()
	fundIdx := len(ts)
	ts = append(ts, fund)

	sup := tabular.Table{
		Title: "Supply and demand: registered places in the area against children placed",
		Columns: []tabular.Column{{Name: "Provision"}, {Name: "Settings", Kind: tabular.Count, Public: true}, {Name: "Places", Kind: tabular.Count, Public: true},
			{Name: "Own children in this type", Kind: tabular.Count, Parts: []string{"in the area", "outside the area", "location not known"}}, {Name: "in the area", Kind: tabular.Count},
			{Name: "outside the area", Kind: tabular.Count}, {Name: "location not known", Kind: tabular.Count},
			{Name: "Other councils' children in the area", Kind: tabular.Count}, {Name: "Places per own child", Kind: tabular.Number, Base: "Own children in this type"}},
	}
	for _, s := range p.Supply {
		var ratio any
		if s.OwnChildren > 0 && s.Places > 0 {
			ratio = float64(s.Places) / float64(s.OwnChildren)
		}
		sup.AddRow(s.Label, s.Settings, s.Places, s.OwnChildren, s.OwnInArea, s.OwnOutOfArea, s.OwnUnknown, s.InPlacers, ratio)
	}
	ts = append(ts, sup)

	if len(p.Councils) > 1 {
		ct := tabular.Table{
			Title: "Councils",
			Columns: []tabular.Column{{Name: "Council"}, {Name: "Code"}, {Name: "Children in care", Kind: tabular.Count}, {Name: "Per 10,000", Kind: tabular.Rate, Base: "Children in care"},
				{Name: "Started", Kind: tabular.Count}, {Name: "Ceased", Kind: tabular.Count},
				{Name: "Outside the council", Kind: tabular.Count}, {Name: "Over 20 miles", Kind: tabular.Count}, {Name: "3+ placements", Kind: tabular.Count},
				{Name: "Sibling groups apart", Kind: tabular.Count}, {Name: "High-cost", Kind: tabular.Count}, {Name: "Weekly spend", Kind: tabular.Money, Base: "Children in care"}},
		}
		var sum CouncilRow
		for _, r := range p.Councils {
			var rate any
			if r.Pop0to17 > 0 {
				rate = 10000 * float64(r.InCare) / float64(r.Pop0to17)
			}
			ct.AddRow(r.Name, r.Code, r.InCare, rate, r.Started, r.Ceased, r.Where.Outside, r.Where.Over20, r.ThreePlus, r.SiblingApart, r.HighCost, r.WeeklySpend)
			sum.InCare += r.InCare
			sum.Started += r.Started
			sum.Ceased += r.Ceased
			sum.Where.Outside += r.Where.Outside
			sum.Where.Over20 += r.Where.Over20
			sum.ThreePlus += r.ThreePlus
			sum.SiblingApart += r.SiblingApart
			sum.HighCost += r.HighCost
			sum.WeeklySpend += r.WeeklySpend
		}
		// The totals are the summary table's figures; shown here as a total
		// row so that, in publication, a council's suppressed count cannot
		// be recovered as the total minus the other councils.
		var rate any
		if p.RatePer10k > 0 {
			rate = p.RatePer10k
		}
		ct.AddRow("All councils", "", sum.InCare, rate, sum.Started, sum.Ceased, sum.Where.Outside, sum.Where.Over20, sum.ThreePlus, sum.SiblingApart, sum.HighCost, sum.WeeklySpend)
		ct.TotalRow = true
		ts = append(ts, ct)
	}

	ts = append(ts, p.comparisonTable(publish))

	if publish {
		for i := range ts {
			ts[i] = tabular.Suppress(ts[i])
		}
		protectFunders(&ts[fundIdx])
	}
	ts[len(ts)-1].Notes = append(ts[len(ts)-1].Notes, Definitions...)
	return ts
}

func countTable(title, what string, cs []Count, total int) tabular.Table {
	t := tabular.Table{
		Title:    title,
		Columns:  []tabular.Column{{Name: what}, {Name: "Children", Kind: tabular.Count}, {Name: "%", Kind: tabular.Percent, Base: "Children"}},
		TotalRow: true,
	}
	for _, c := range cs {
		t.AddRow(c.Label, c.N, tabular.Pct(c.N, total))
	}
	t.AddRow("All children", total, tabular.Pct(total, total))
	return t
}

func mixTable(title, what string, rows []GroupRow) tabular.Table {
	t := tabular.Table{
		Title: title,
		Columns: []tabular.Column{{Name: what}, {Name: "Children", Kind: tabular.Count, Parts: []string{"Inside the council", "Outside the council", "Location not known"}},
			{Name: "%", Kind: tabular.Percent, Base: "Children"},
			{Name: "Inside the council", Kind: tabular.Count}, {Name: "Outside the council", Kind: tabular.Count},
			{Name: "Over 20 miles", Kind: tabular.Count}, {Name: "Outside the region", Kind: tabular.Count},
			{Name: "Location not known", Kind: tabular.Count}, {Name: "Distance not known", Kind: tabular.Count}},
		TotalRow: true,
	}
	all := rows[len(rows)-1].Children
	for _, r := range rows {
		w := r.Where
		t.AddRow(r.Label, r.Children, tabular.Pct(r.Children, all), w.Inside, w.Outside, w.Over20, w.OutsideRegion,
			w.Children-w.LocationKnown, w.Children-w.DistanceKnown)
	}
	return t
}

func costTable(title, what string, rows []GroupRow) tabular.Table {
	t := tabular.Table{
		Title: title,
		Columns: []tabular.Column{{Name: what}, {Name: "Placements with a cost", Kind: tabular.Count},
			{Name: "Weekly", Kind: tabular.Money, Base: "Placements with a cost"},
			{Name: "Average weekly", Kind: tabular.Money, Base: "Placements with a cost"},
			{Name: "Annualised", Kind: tabular.Money, Base: "Placements with a cost"},
			{Name: "Episodes costed in the year", Kind: tabular.Count},
			{Name: "Spent in the year", Kind: tabular.Money, Base: "Episodes costed in the year"},
			{Name: "Over £10,000 a week", Kind: tabular.Count}},
		TotalRow: true,
	}
	for _, r := range rows {
		var avg any
		if r.Cost.Placements > 0 {
			avg = r.Cost.Weekly / care.Pence(r.Cost.Placements)
		}
		t.AddRow(r.Label, r.Cost.Placements, r.Cost.Weekly, avg, r.Cost.Annualised(), r.Cost.InYearEps, r.Cost.InYear, r.Cost.HighCost)
	}
	return t
}

// comparisonTable shows this scope's measures beside the published ones.
// In publish mode a measure of this scope resting on 1–4 children is "c".
func (p Picture) comparisonTable(publish bool) tabular.Table {
	t := tabular.Table{Title: "Comparison with published figures", Columns: []tabular.Column{{Name: "Measure"}, {Name: p.Name + " (this data)", Kind: tabular.Number}}}
	for _, c := range p.Comparators {
		name := c.Name
		if c.Kind != "" && c.Kind != name {
			name += " (" + c.Kind + ")"
		}
		t.Columns = append(t.Columns, tabular.Column{Name: name, Kind: tabular.Number})
	}
	periods := map[string]bool{}
	for _, c := range p.Comparators {
		if c.Period != "" && !periods[c.Period] {
			periods[c.Period] = true
			t.Notes = append(t.Notes, fmt.Sprintf("%s: published figures for %s.", c.Name, c.Period))
		}
	}
	for _, m := range Measures {
		row := []any{m.Label}
		v, ok := p.Measures[m.ID]
		switch {
		case !ok:
			row = append(row, nil)
		case publish && p.MeasureBase[m.ID] >= 1 && p.MeasureBase[m.ID] <= 4:
			row = append(row, tabular.Suppressed)
		default:
			row = append(row, v)
		}
		for _, c := range p.Comparators {
			if cv, ok := c.Values[m.ID]; ok {
				row = append(row, cv)
			} else {
				row = append(row, nil)
			}
		}
		t.AddRow(row...)
	}
	return t
}

// protectFunders applies secondary suppression to the funder table, whose
// placements column is not a sum down the rows (the social care, education
// and health rows each show the placements with a split): all funders =
// split + not split. When exactly one of those two is suppressed and the
// total is shown, the other is suppressed too (with the money derived from
// it), so neither can be recovered as the total minus the other.
func protectFunders(t *tabular.Table) {
	if len(t.Rows) != 5 {
		return
	}
	const placements = 1
	c := tabular.Suppressed
	split, notSplit, all := t.Rows[0][placements] == c, t.Rows[3][placements] == c, t.Rows[4][placements] == c
	if all || split == notSplit {
		return
	}
	hide := func(r []any) {
		for j := placements; j < len(r); j++ {
			if r[j] != nil {
				r[j] = c
			}
		}
	}
	if split {
		hide(t.Rows[3])
		return
	}
	for _, r := range t.Rows[:3] {
		hide(r)
	}
}

// fundersTable is the weekly cost by funder.
func (p Picture) fundersTable() tabular.Table {
	f := p.Funders
	fund := tabular.Table{
		Title: "Weekly cost by funder",
		Columns: []tabular.Column{{Name: "Funder"}, {Name: "Placements", Kind: tabular.Count}, {Name: "Weekly", Kind: tabular.Money, Base: "Placements"},
			{Name: "Annualised", Kind: tabular.Money, Base: "Placements"}, {Name: "Share %", Kind: tabular.Percent, Base: "Placements"}},
		Notes: []string{fmt.Sprintf("%d of %d current placements with a cost have a recorded funding split.", f.SplitPlacements, f.Placements)},
	}
	total := f.Total()
	share := func(x care.Pence) any {
		if total == 0 {
			return nil
		}
		return 100 * float64(x) / float64(total)
	}
	fund.AddRow("Social care", f.SplitPlacements, f.SocialCare, f.SocialCare*52, share(f.SocialCare))
	fund.AddRow("Education", f.SplitPlacements, f.Education, f.Education*52, share(f.Education))
	fund.AddRow("Health", f.SplitPlacements, f.Health, f.Health*52, share(f.Health))
	fund.AddRow("Not split", f.Placements-f.SplitPlacements, f.NotSplit, f.NotSplit*52, share(f.NotSplit))
	fund.AddRow("All funders", f.Placements, total, total*52, share(total))
	return fund
}
