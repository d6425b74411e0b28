package scenario

import (
	"fmt"
	"math"
	"time"

	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/tabular"
)

// longDate writes 2026-03-31 as 31 March 2026.
func longDate(s string) string {
	if s == "" {
		return ""
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return d.Format("2 January 2006")
}

func col(name string, k tabular.Kind) tabular.Column { return tabular.Column{Name: name, Kind: k} }

// Tables lays a result out as tables (text, CSV, XLSX): children in care by
// placement group, places needed and available, the share placed more than
// 20 miles from home, spend and saving, spend by group and funder, and what
// each lever became. Children and places are shown as whole numbers: the
// mean over simulations and its P10 and P90 each rounded to the nearest
// child, and a change or gap is the difference of the rounded figures, so
// each row adds up as printed (the JSON result keeps the unrounded means).
// Projected figures are not counts of real children, so they are not
// suppressed.
func (r *Result) Tables() []tabular.Table {
	n := tabular.Number
	mo := tabular.Money
	pc := tabular.Percent
	head := fmt.Sprintf("%s (%s, from %s, %d simulations, seed %d)", r.Name, r.Scope, longDate(r.Origin), r.Sims, r.Seed)
	kids := tabular.Table{Title: head + ": children in care at each year end",
		Columns: []tabular.Column{col("Year ends", tabular.Text), col("Placement group", tabular.Text),
			col("Baseline", n), col("Baseline P10", n), col("Baseline P90", n),
			col("Scenario", n), col("Scenario P10", n), col("Scenario P90", n), col("Change", n)},
		Notes: []string{"Means over simulations and their 10th and 90th percentiles, each rounded to a whole child; the change is the difference of the rounded means."}}
	gap := tabular.Table{Title: "Places needed (P90 of children in care) and places available in the area",
		Columns: []tabular.Column{col("Year ends", tabular.Text), col("Placement group", tabular.Text),
			col("Needed, baseline", n), col("Available, baseline", n), col("Gap, baseline", n),
			col("Needed, scenario", n), col("Available, scenario", n), col("Gap, scenario", n)},
		Notes: []string{"Available: registered places in the area's homes and approved foster places (supply data), plus in the scenario the places the levers add (rounded to whole places while they ramp up). A positive gap is a shortfall."}}
	far := tabular.Table{Title: "Children placed more than 20 miles from home (% of children in care at the year end)",
		Columns: []tabular.Column{col("Year ends", tabular.Text),
			col("Baseline %", pc), col("Baseline P10 %", pc), col("Baseline P90 %", pc),
			col("Scenario %", pc), col("Scenario P10 %", pc), col("Scenario P90 %", pc)}}
	spend := tabular.Table{Title: "Spend on placements, capital and net saving (pounds in the year)",
		Columns: []tabular.Column{col("Year ends", tabular.Text),
			col("Baseline spend", mo), col("Baseline P10", mo), col("Baseline P90", mo),
			col("Scenario spend", mo), col("Scenario P10", mo), col("Scenario P90", mo),
			col("Capital", mo), col("Programme costs", mo),
			col("Net saving", mo), col("Net saving P10", mo), col("Net saving P90", mo),
			col("Cumulative net saving", mo), col("Cumulative P10", mo), col("Cumulative P90", mo)}}
	byGroup := tabular.Table{Title: "Spend by placement group (mean, pounds in the year)",
		Columns: []tabular.Column{col("Year ends", tabular.Text), col("Placement group", tabular.Text),
			col("Baseline", mo), col("Scenario", mo), col("Change", mo)}}
	byFunder := tabular.Table{Title: "Spend by funder (mean, pounds in the year)",
		Columns: []tabular.Column{col("Year ends", tabular.Text), col("Funder", tabular.Text),
			col("Baseline", mo), col("Scenario", mo), col("Change", mo)},
		Notes: []string{"Split as the placements in care at the origin were funded (PlacementCosts); all social care where no split is recorded."}}
	areas := tabular.Table{Title: "Places needed and available by council",
		Columns: []tabular.Column{col("Year ends", tabular.Text), col("Council", tabular.Text), col("Placement group", tabular.Text),
			col("Needed, baseline", n), col("Available, baseline", n), col("Gap, baseline", n),
			col("Needed, scenario", n), col("Available, scenario", n), col("Gap, scenario", n)},
		Notes: []string{"Needed: P90 of the council's own children in care in the group; available: registered places in the council's area (other councils' children use them too)."}}
	for _, y := range r.Outcomes {
		end := longDate(y.Ends)
		for _, a := range y.Areas {
			nb, ab, ns, as := whole(a.NeededBaseline), whole(a.AvailableBaseline), whole(a.NeededScenario), whole(a.AvailableScenario)
			areas.AddRow(end, councilName(a.Council), groupLabelOf(a.Group), nb, ab, nb-ab, ns, as, ns-as)
		}
		for _, g := range y.Groups {
			b, s := g.Children.Baseline, g.Children.Scenario
			kids.AddRow(end, g.Label, whole(b.Mean), whole(b.P10), whole(b.P90), whole(s.Mean), whole(s.P10), whole(s.P90), whole(s.Mean)-whole(b.Mean))
			if g.AvailableBaseline > 0 || g.AvailableScenario > 0 {
				nb, ab, ns, as := whole(b.P90), whole(g.AvailableBaseline), whole(s.P90), whole(g.AvailableScenario)
				gap.AddRow(end, g.Label, nb, ab, nb-ab, ns, as, ns-as)
			}
			byGroup.AddRow(end, g.Label, g.Spend.Baseline.Mean, g.Spend.Scenario.Mean, g.Spend.Scenario.Mean-g.Spend.Baseline.Mean)
		}
		b, s := y.InCare.Baseline, y.InCare.Scenario
		kids.AddRow(end, "All children in care", whole(b.Mean), whole(b.P10), whole(b.P90), whole(s.Mean), whole(s.P10), whole(s.P90), whole(s.Mean)-whole(b.Mean))
		fb, fs := y.Far.Baseline, y.Far.Scenario
		far.AddRow(end, 100*fb.Mean, 100*fb.P10, 100*fb.P90, 100*fs.Mean, 100*fs.P10, 100*fs.P90)
		sb, ss := y.Spend.Baseline, y.Spend.Scenario
		spend.AddRow(end, sb.Mean, sb.P10, sb.P90, ss.Mean, ss.P10, ss.P90, y.Capital, y.Programme,
			y.NetSaving.Mean, y.NetSaving.P10, y.NetSaving.P90, y.Cumulative.Mean, y.Cumulative.P10, y.Cumulative.P90)
		for _, f := range Funders {
			p := y.SpendByFunder[f]
			byFunder.AddRow(end, funderLabel(f), p.Baseline.Mean, p.Scenario.Mean, p.Scenario.Mean-p.Baseline.Mean)
		}
	}
	if r.PaybackYear > 0 {
		spend.Notes = append(spend.Notes, fmt.Sprintf("Pays back in year %d (by %s) on the mean; %.0f%% of simulations have paid back by the horizon.", r.PaybackYear, longDate(r.PaybackEnds), 100*r.PaybackChance))
	} else {
		spend.Notes = append(spend.Notes, fmt.Sprintf("Does not pay back within %d years on the mean; %.0f%% of simulations have paid back by the horizon.", r.Years, 100*r.PaybackChance))
	}
	spend.Notes = append(spend.Notes, "Net saving = baseline spend − scenario spend − capital − programme costs, worked out per simulation with the same seed.")
	lv := tabular.Table{Title: "What each lever does in the model", Columns: []tabular.Column{col("Lever", tabular.Text), col("In the model", tabular.Text)}}
	for _, l := range r.Levers {
		lv.AddRow(l.Lever, l.What)
	}
	lv.Notes = append(lv.Notes, fmt.Sprintf("Model %s; inputs SHA-256 %s; councils %v.", r.ModelVersion, r.InputsDigest, r.Councils))
	out := []tabular.Table{kids, gap}
	if len(areas.Rows) > 0 {
		out = append(out, areas)
	}
	return append(out, far, spend, byGroup, byFunder, lv)
}

func funderLabel(f string) string {
	switch f {
	case "social_care":
		return "Social care"
	case "education":
		return "Education"
	case "health":
		return "Health"
	}
	return f
}

// Compare lays several results out side by side (means), baseline first:
// children in care and in children's homes (whole children), the share
// placed over 20 miles (%), and spend, net saving, cumulative net saving
// (pounds) per year with the payback year, three tables so each figure
// keeps its own form. The results must share scope, origin, horizon,
// simulations and seed so they share the baseline.
func Compare(rs []*Result) ([]tabular.Table, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	a := rs[0]
	for _, r := range rs {
		if r.Scope != a.Scope || r.Origin != a.Origin || r.Years != a.Years || r.Sims != a.Sims || r.Seed != a.Seed {
			return nil, fmt.Errorf("scenarios %q and %q differ in scope, origin, years, sims or seed: compare scenarios that share a baseline", a.Name, r.Name)
		}
	}
	type measure struct {
		name string
		get  func(y Year) (base, scen float64)
	}
	table := func(title string, k tabular.Kind, round func(float64) float64, ms []measure) tabular.Table {
		t := tabular.Table{Title: title, Columns: []tabular.Column{col("Year ends", tabular.Text), col("Measure", tabular.Text), col("Baseline", k)}}
		for _, r := range rs {
			t.Columns = append(t.Columns, col(r.Name, k))
		}
		for yi, y := range a.Outcomes {
			for _, m := range ms {
				b, _ := m.get(y)
				row := []any{longDate(y.Ends), m.name, round(b)}
				for _, r := range rs {
					_, s := m.get(r.Outcomes[yi])
					row = append(row, round(s))
				}
				t.AddRow(row...)
			}
		}
		return t
	}
	kids := table("Scenarios compared: children (means over simulations, whole children)", tabular.Number, whole, []measure{
		{"Children in care", func(y Year) (float64, float64) { return y.InCare.Baseline.Mean, y.InCare.Scenario.Mean }},
		{"In children's homes", func(y Year) (float64, float64) {
			for _, g := range y.Groups {
				if g.Group == "childrens_home" {
					return g.Children.Baseline.Mean, g.Children.Scenario.Mean
				}
			}
			return 0, 0
		}},
	})
	far := table("Scenarios compared: children placed more than 20 miles from home (%, means over simulations)", tabular.Percent, round1, []measure{
		{"Placed > 20 miles", func(y Year) (float64, float64) { return 100 * y.Far.Baseline.Mean, 100 * y.Far.Scenario.Mean }},
	})
	money := table("Scenarios compared: spend and saving (pounds in the year, means over simulations)", tabular.Money, math.Round, []measure{
		{"Spend", func(y Year) (float64, float64) { return y.Spend.Baseline.Mean, y.Spend.Scenario.Mean }},
		{"Net saving", func(y Year) (float64, float64) { return 0, y.NetSaving.Mean }},
		{"Cumulative net saving", func(y Year) (float64, float64) { return 0, y.Cumulative.Mean }},
	})
	row := []any{"", "Payback year", "—"}
	for _, r := range rs {
		if r.PaybackYear > 0 {
			row = append(row, fmt.Sprintf("year %d (by %s)", r.PaybackYear, longDate(r.PaybackEnds)))
		} else {
			row = append(row, fmt.Sprintf("not within %d %s", r.Years, map[bool]string{true: "year", false: "years"}[r.Years == 1]))
		}
	}
	money.AddRow(row...)
	return []tabular.Table{kids, far, money}, nil
}

// whole rounds a mean or percentile of children (or places) to a whole
// number; −0 is 0.
func whole(v float64) float64 { return math.Round(v) + 0 }

func round1(v float64) float64 { return float64(int64(v*10+sign(v)*0.5)) / 10 }

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

func councilName(code string) string {
	if c, ok := refdata.CouncilByCode(code); ok {
		return c.Name
	}
	return code
}

func groupLabelOf(g string) string { return GroupLabel(care.ForecastGroup(g)) }
