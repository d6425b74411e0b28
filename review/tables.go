package review

import (
	"fmt"
	"strings"

	"sufficiency/care"
	"sufficiency/tabular"
)

// Tables renders the worklist: the flagged placements, how each rule fared,
// the step-down estimate and the flagged cost by funder. The worklist names
// children by their council's id: it is for the council's own staff, never
// for publication.
func (w Worklist) Tables() []tabular.Table {
	items := tabular.Table{
		Title: fmt.Sprintf("Review worklist at %s: %s of %s current placements flagged", w.At.Format("2 January 2006"),
			tabular.Thousands(int64(len(w.Items))), tabular.Thousands(int64(w.Reviewed))),
		Columns: []tabular.Column{{Name: "Priority", Kind: tabular.Number}, {Name: "Council"}, {Name: "Child"}, {Name: "Age", Kind: tabular.Count},
			{Name: "Needs tier", Kind: tabular.Count}, {Name: "Placement"}, {Name: "Provider"}, {Name: "URN"}, {Name: "Since"},
			{Name: "Miles", Kind: tabular.Number}, {Name: "Weekly cost", Kind: tabular.Money}, {Name: "Rules"}, {Name: "Why"},
			{Name: "Step down to"}, {Name: "Weekly saving if stepped down", Kind: tabular.Money}},
	}
	for _, it := range w.Items {
		var rules, why []string
		for _, f := range it.Flags {
			rules = append(rules, f.Rule)
			why = append(why, f.Rule+": "+f.Detail)
		}
		var miles, cost, saving, tier any
		if it.MilesKnown {
			miles = it.Miles
		}
		if it.WeeklyCost > 0 {
			cost = it.WeeklyCost
		}
		if it.Saving > 0 {
			saving = it.Saving
		}
		if it.Tier != care.TierUnknown {
			tier = int(it.Tier)
		}
		since := ""
		if !it.Since.IsZero() {
			since = it.Since.Format("2 January 2006")
		}
		items.AddRow(it.Priority, it.Council, it.ChildID, it.Age, tier, string(it.Placement)+" "+it.Group.Label(), strings.TrimSpace(string(it.Provider)+" "+it.Provider.Label()), it.URN,
			since, miles, cost, strings.Join(rules, ", "), strings.Join(why, "; "), it.StepDownTo, saving)
	}

	rules := tabular.Table{
		Title:   "Review rules",
		Columns: []tabular.Column{{Name: "Rule"}, {Name: "Weight", Kind: tabular.Number}, {Name: "Description"}, {Name: "Evaluated"}, {Name: "Placements flagged", Kind: tabular.Count}, {Name: "Basis"}},
	}
	for _, r := range w.Rules {
		var flagged any = r.Flagged
		if !r.Evaluated {
			flagged = nil
		}
		rules.AddRow(r.Rule.ID, r.Rule.Weight, r.Rule.Description, yesNo(r.Evaluated), flagged, r.Why)
	}

	sd := w.StepDown
	step := tabular.Table{
		Title:   "Step-down candidates: estimated saving",
		Columns: []tabular.Column{{Name: "Measure"}, {Name: "Value", Kind: tabular.Number}},
		Notes: []string{"Saving: each candidate's weekly cost minus the weekly price of the alternative chosen for their age, needs tier and risks " +
			"(see the rule's basis), only where that is lower; annual = weekly x 52. Places freed: residential places the candidates occupy.",
			"This is a gross upper figure for planning a review, not a budget saving: each step-down needs a social worker's judgement, " +
				"a carer or provider who can meet the child's needs, and a transition; some candidates will stay where they are for good reasons the data do not hold."},
	}
	step.Columns[1].Kind = tabular.Text
	step.AddRow("Placements reviewed for step-down", fmt.Sprint(sd.Considered))
	step.AddRow("Candidates", fmt.Sprint(sd.Candidates))
	if sd.Considered > 0 {
		step.AddRow("Share of those placements", fmt.Sprintf("%.1f%%", 100*float64(sd.Candidates)/float64(sd.Considered)))
	}
	step.AddRow("Residential places freed", fmt.Sprint(sd.PlacesFreed))
	step.AddRow("Weekly saving", tabular.Format(tabular.Column{Kind: tabular.Money}, sd.WeeklySaving))
	step.AddRow("Annual saving", tabular.Format(tabular.Column{Kind: tabular.Money}, sd.AnnualSaving()))

	fund := tabular.Table{
		Title: "By funder",
		Columns: []tabular.Column{{Name: "Funder"}, {Name: "Weekly cost of flagged placements", Kind: tabular.Money},
			{Name: "Share %", Kind: tabular.Percent}, {Name: "Weekly step-down saving", Kind: tabular.Money}, {Name: "Annual step-down saving", Kind: tabular.Money}},
		Notes: []string{"Split in proportion to each placement's recorded funding (social care, education, health); cost with no recorded split is shown as not split."},
	}
	share := func(x care.Pence) any {
		if t := w.Flagged.Total(); t > 0 {
			return 100 * float64(x) / float64(t)
		}
		return nil
	}
	f, s := w.Flagged, sd.ByFunder
	fund.AddRow("Social care", f.SocialCare, share(f.SocialCare), s.SocialCare, s.SocialCare*52)
	fund.AddRow("Education", f.Education, share(f.Education), s.Education, s.Education*52)
	fund.AddRow("Health", f.Health, share(f.Health), s.Health, s.Health*52)
	fund.AddRow("Not split", f.NotSplit, share(f.NotSplit), s.NotSplit, s.NotSplit*52)
	fund.AddRow("All funders", f.Total(), share(f.Total()), s.Total(), s.Total()*52)

	return []tabular.Table{items, rules, step, fund}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
