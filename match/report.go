package match

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"sufficiency/care"
	"sufficiency/tabular"
)

// This file prints one referral's search: as text (the candidates best
// first, each with what fits, what to weigh and its score's parts; the
// exclusions counted by first reason and the nearest listed with every
// reason) or as JSON.

// matchJSON is a search as WriteJSON prints it: the result with its counts.
type matchJSON struct {
	Result
	ExcludedTotal    int            `json:"excluded_total"`
	CandidatesTotal  int            `json:"candidates_total"`
	ExcludedByReason map[string]int `json:"excluded_by_first_reason"`
}

// WriteJSON prints res as JSON: at most top candidates and the excluded
// nearest first (at most excluded), with the counts of each.
func WriteJSON(w io.Writer, res Result, top, excluded int) error {
	out := matchJSON{Result: res, ExcludedTotal: res.ExcludedCount(), CandidatesTotal: res.Eligible,
		ExcludedByReason: map[string]int{}}
	for c, n := range res.ExcludedBy() {
		out.ExcludedByReason[c.Label()] = n
	}
	if top >= 0 && len(out.Candidates) > top {
		out.Candidates = out.Candidates[:top]
	}
	out.Excluded = res.NearestExcluded(excluded)
	if out.Candidates == nil {
		out.Candidates = []Candidate{}
	}
	if out.Excluded == nil {
		out.Excluded = []Exclusion{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// largestTogether is the most children any one vacancy of the supply can
// take together (its places, and for fostering the household's sibling
// capacity): a sibling group larger than that cannot be placed in one home.
func largestTogether(ix *Index) int {
	most := 0
	for k, v := range ix.Vacancies() {
		n := v.Places
		if p := ix.ProvisionOf(k); p != nil && p.Kind == care.KindFostering && p.SiblingCapacity > 0 {
			n = min(n, p.SiblingCapacity)
		}
		most = max(most, n)
	}
	return most
}

// WriteText prints the search for ref as text: at most top candidates,
// each explained, and the excluded counted by first reason, the nearest
// excluded (at most excluded) listed with every reason; councilName names
// councils by code.
func WriteText(w io.Writer, ref care.Referral, res Result, ix *Index, top, excluded int, councilName func(code string) string) error {
	together := largestTogether(ix)
	fmt.Fprintf(w, "Referral %s (child %s, %s, needed %s, home %s): %d provisions considered, %d eligible, %d excluded.\n",
		ref.ID, ref.ChildID, ref.Sex, strings.ReplaceAll(string(ref.Urgency), "_", " "), ref.HomePostcode,
		res.Considered, res.Eligible, res.ExcludedCount())
	if ref.GroupSize() > 1 {
		fmt.Fprintf(w, "Sibling group of %d to be placed together.\n", ref.GroupSize())
	}
	fmt.Fprintln(w)
	if len(res.Candidates) == 0 {
		fmt.Fprintln(w, "No eligible provision. See the exclusions below.")
		if g := ref.GroupSize(); g > 1 && g > together {
			fmt.Fprintf(w, "sibling_count: a group of %d is larger than any home in the supply can take together (the most is %d): no single home can place them. Search for the siblings in smaller groups, or again when more places are free.\n", g, together)
		}
	} else {
		n := min(top, len(res.Candidates))
		fmt.Fprintf(w, "Candidates, best first, %d of %d:\n", n, res.Eligible)
		for k, c := range res.Candidates[:n] {
			price := "price not published"
			if c.WeeklyPrice > 0 {
				price = Pounds(c.WeeklyPrice) + " a week"
			}
			fmt.Fprintf(w, "\n%2d. %s (%s), %s in %s, %s; %s free (vacancy %s)\n",
				k+1, c.Name, c.ProvisionID, KindWords(c.Kind), councilName(c.Council), price, plural(c.FreePlaces, "place"), c.VacancyID)
			fit := Explain(ref, c, ix.ProvisionOf(c.Vacancy), councilName)
			for _, l := range []struct {
				head  string
				items []string
			}{{"What fits", fit.Fits}, {"To weigh", fit.Concerns}, {"Not known", fit.Unknown}} {
				if len(l.items) > 0 {
					fmt.Fprintf(w, "    %s: %s.\n", l.head, strings.Join(l.items, "; "))
				}
			}
			fmt.Fprintf(w, "    Score %.1f penalty points (lower fits better), made of:\n", c.Score)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for _, p := range c.Parts {
				val := ""
				if p.Unit != "" {
					val = fmt.Sprintf("%.1f %s", p.Value, p.Unit)
				}
				fmt.Fprintf(tw, "      %s\t%s\t%s\t%+.1f\n", p.Name, val, p.Note, p.Points)
			}
			tw.Flush()
		}
	}
	by := res.ExcludedBy()
	if len(by) > 0 {
		var codes []ReasonCode
		for c := range by {
			codes = append(codes, c)
		}
		sort.Slice(codes, func(a, b int) bool {
			if by[codes[a]] != by[codes[b]] {
				return by[codes[a]] > by[codes[b]]
			}
			return codes[a] < codes[b]
		})
		var parts []string
		for _, c := range codes {
			parts = append(parts, fmt.Sprintf("%s %d", c.Label(), by[c]))
		}
		fmt.Fprintf(w, "\nExcluded by first reason: %s.\n", strings.Join(parts, ", "))
	}
	if excluded > 0 && res.ExcludedCount() > 0 {
		n := min(excluded, res.ExcludedCount())
		fmt.Fprintf(w, "\nExcluded, nearest first, %d of %d:\n", n, res.ExcludedCount())
		for _, e := range res.NearestExcluded(n) {
			var rs []string
			for _, r := range e.Reasons {
				rs = append(rs, r.String())
			}
			dist := "location unknown"
			if e.Miles >= 0 {
				dist = fmt.Sprintf("%.1f miles", e.Miles)
			}
			fmt.Fprintf(w, "  %s %s (%s, %s): %s\n", e.Provision.ID, e.Provision.Name, e.Provision.Kind, dist, strings.Join(rs, "; "))
		}
	}
	return nil
}

// plural writes "1 place", "2 places".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// WriteText prints the allocation: who was placed where and why (the
// policy's parts), the totals with their units, and who was not placed.
func (a Allocation) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "Allocation (objective %s, siblings kept together: %v): %d of %d children placed.\n",
		a.Objective, a.KeepSiblings, a.Placed, a.Children)
	fmt.Fprintf(w, "Objective total %s; total distance %s miles; weekly cost %s; sibling groups split %d.\n",
		objectiveTotal(a.Objective, a.TotalCost), tabular.Decimal(a.TotalMiles, 1), tabular.PenceText(a.WeeklyCost), a.SplitGroups)
	fmt.Fprintf(w, "Method: %s. Gap to the lower bound: %s.\n\n", a.Method, a.Gap)
	if len(a.Assignments) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "child\treferral\tplace\tprovision\tpostcode\tmiles\tweekly £\t%s\twhy\n", objectiveUnit(a.Objective))
		for _, as := range a.Assignments {
			var why []string
			for _, p := range as.Parts {
				if p.Points != 0 {
					why = append(why, fmt.Sprintf("%s %+.1f", p.Name, p.Points))
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.1f\t%.2f\t%.3f\t%s\n", as.ChildID, as.ReferralID, as.PlaceID, as.ProvisionID,
				as.Postcode, as.Miles, as.WeeklyPrice.Pounds(), as.Cost, strings.Join(why, ", "))
		}
		tw.Flush()
	}
	if len(a.Unplaced) > 0 {
		fmt.Fprintf(w, "\nNot placed (%d):\n", len(a.Unplaced))
		for _, u := range a.Unplaced {
			fmt.Fprintf(w, "  %s (referral %s): %s\n", u.ChildID, u.ReferralID, u.Reason)
		}
	}
	return nil
}

// objectiveUnit names the unit of an allocation's objective: the policy's
// penalty points (lower is a better fit) or straight-line miles.
func objectiveUnit(o Objective) string {
	if o == ObjectiveDistance {
		return "miles"
	}
	return "penalty points"
}

// objectiveTotal shows an objective total with its unit, so a reader never
// mistakes penalty points for pounds.
func objectiveTotal(o Objective, v float64) string {
	return tabular.Decimal(v, 1) + " " + objectiveUnit(o)
}

// WriteMarketComparison prints the market simulation's outcomes side by
// side, one column a mode (placed, distance, cost, waits, splits), and why
// they differ (ReadMarket); vacancies is how many the supply had.
func WriteMarketComparison(w io.Writer, out []MarketOutcome, vacancies int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, o := range out {
		fmt.Fprintf(tw, "%s\t", ModeLabel(o.Mode))
	}
	fmt.Fprintln(tw)
	row := func(name string, f func(o MarketOutcome) string) {
		fmt.Fprintf(tw, "%s\t", name)
		for _, o := range out {
			fmt.Fprintf(tw, "%s\t", f(o))
		}
		fmt.Fprintln(tw)
	}
	row("children placed", func(o MarketOutcome) string {
		return tabular.Decimal(float64(o.Placed), 0) + " of " + tabular.Decimal(float64(o.Children), 0)
	})
	row("unplaced children", func(o MarketOutcome) string { return tabular.Decimal(float64(o.Unplaced), 0) })
	row("mean distance (miles)", func(o MarketOutcome) string { return fmt.Sprintf("%.1f", o.MeanMiles) })
	row("placed over 20 miles", func(o MarketOutcome) string { return fmt.Sprintf("%.1f%%", 100*o.ShareOver20) })
	row("placed in area", func(o MarketOutcome) string { return fmt.Sprintf("%.1f%%", 100*o.ShareInArea) })
	row("sibling groups split", func(o MarketOutcome) string { return fmt.Sprintf("%d of %d", o.SiblingsSplit, o.SiblingGroups) })
	row("total weekly cost (£ a week)", func(o MarketOutcome) string { return "£" + tabular.Decimal(o.WeeklyCost.Pounds(), 0) })
	row("mean penalty points (lower fits better)", func(o MarketOutcome) string { return fmt.Sprintf("%.1f", o.MeanScore) })
	row("mean wait of placed children (days)", func(o MarketOutcome) string { return fmt.Sprintf("%.1f", o.MeanWaitDays) })
	row("mean wait, urgent (days)", func(o MarketOutcome) string { return fmt.Sprintf("%.1f", o.MeanWaitUrgent) })
	row("longest wait (days)", func(o MarketOutcome) string { return fmt.Sprint(o.MaxWaitDays) })
	if err := tw.Flush(); err != nil {
		return err
	}
	if lines := ReadMarket(out, vacancies); len(lines) > 0 {
		fmt.Fprintln(w, "\nWhy these differ:")
		for _, l := range lines {
			fmt.Fprintln(w, "- "+l)
		}
	}
	return nil
}

// WriteCSV prints the placed children as CSV (child_id,place_id,miles) on
// w and, on notes, who was not placed and why, so that an infeasible run is
// never silent.
func (a Allocation) WriteCSV(w, notes io.Writer) error {
	cw := tabular.NewCSVWriter(w)
	cw.Write([]string{"child_id", "place_id", "miles"})
	for _, as := range a.Assignments {
		cw.Write([]string{as.ChildID, as.PlaceID, strconv.FormatFloat(as.Miles, 'f', 6, 64)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if len(a.Unplaced) > 0 {
		fmt.Fprintf(notes, "allocate: %d of %d children not placed (not in the CSV):\n", len(a.Unplaced), a.Children)
		for _, u := range a.Unplaced {
			fmt.Fprintf(notes, "  %s: %s\n", u.ChildID, u.Reason)
		}
	}
	return nil
}

// WriteJSON prints the allocation as JSON (empty lists, never null).
func (a Allocation) WriteJSON(w io.Writer) error {
	if a.Assignments == nil {
		a.Assignments = []Assignment{}
	}
	if a.Unplaced == nil {
		a.Unplaced = []Unplaced{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(a)
}
