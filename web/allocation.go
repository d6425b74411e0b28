package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strings"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/identity"
	"sufficiency/match"
	"sufficiency/refdata"
	"sufficiency/tabular"
	"sufficiency/web/chart"
)

// Regional allocation for a Regional Care Cooperative: the placement starts
// of a period in the region's councils (as referrals, match.ReferralsFromEpisodes)
// allocated jointly to the vacancies (policy or distance objective, sibling
// groups kept together or not), with every child not placed explained; and
// the competition-vs-cooperation comparison (match.SimulateMarket): first
// come first served against daily and weekly joint allocation, on distance,
// placements over 20 miles, sibling groups split, waiting days and cost.
// Only the region's RCC may run them (auth.Permit, ActAllocate).

// allocationRequest is what an allocation is run for.
type allocationRequest struct {
	From      string          `json:"from"` // YYYY-MM-DD, first day of placement starts
	To        string          `json:"to"`   // last day
	Objective string          `json:"objective"`
	Keep      bool            `json:"keep_siblings"`
	Compare   bool            `json:"compare"`             // also run the market comparison
	Referrals json.RawMessage `json:"referrals,omitempty"` // instead of the period's placement starts: a JSON array of referrals
}

// allocationResult is an allocation with the comparison, as the API returns it.
type allocationResult struct {
	Region     string                `json:"region"`
	From       string                `json:"from"`
	To         string                `json:"to"`
	Allocation match.Allocation      `json:"allocation"`
	Comparison []match.MarketOutcome `json:"comparison,omitempty"`
}

// maxAllocationDays bounds the period of one allocation (a year).
const maxAllocationDays = 366

// maxAllocationBody bounds the body of POST /api/v1/regions/{name}/allocations:
// about 8,000 referrals (a region's year of placement starts).
const maxAllocationBody = 4 << 20

// allocate allocates the referrals of req in region (parsed at the edge:
// regionParam).
func (p *placements) allocate(ctx context.Context, u identity.User, region string, req allocationRequest) (allocationResult, error) {
	if err := auth.Permit(u, auth.ActAllocate, auth.Resource{Region: region, What: "the " + region + " region"}); err != nil {
		return allocationResult{}, err
	}
	obj := match.Objective(req.Objective)
	if req.Objective == "" {
		obj = match.ObjectivePolicy
	}
	if obj != match.ObjectivePolicy && obj != match.ObjectiveDistance {
		return allocationResult{}, care.Errorf(care.EINVALID, "objective %q: use policy or distance", req.Objective)
	}
	from, err := time.Parse("2006-01-02", req.From)
	if err != nil {
		return allocationResult{}, care.Errorf(care.EINVALID, "from %q: give the first day as YYYY-MM-DD, e.g. 2025-01-01", req.From)
	}
	to, err := time.Parse("2006-01-02", req.To)
	if err != nil {
		return allocationResult{}, care.Errorf(care.EINVALID, "to %q: give the last day as YYYY-MM-DD, e.g. 2025-03-31", req.To)
	}
	if to.Before(from) {
		return allocationResult{}, care.Errorf(care.EINVALID, "from %s is after to %s: give the first day of the period, then the last", req.From, req.To)
	}
	if to.Sub(from) > maxAllocationDays*24*time.Hour {
		return allocationResult{}, care.Errorf(care.EINVALID, "the period %s to %s is longer than a year: allocate a year at most at a time", req.From, req.To)
	}
	var refs []care.Referral
	inRegion := map[string]bool{}
	cs, _ := refdata.CouncilsInRegion(region) // canonical: ParseRegion
	for _, c := range cs {
		inRegion[c.Code] = true
	}
	if len(req.Referrals) > 0 {
		if refs, err = care.ReadReferrals(strings.NewReader(string(req.Referrals))); err != nil {
			return allocationResult{}, err
		}
		for k, r := range refs {
			if !inRegion[r.Council] {
				return allocationResult{}, care.Errorf(care.EFORBIDDEN, "referrals[%d].council: %q is not a council of the %s region; allocate only your region's referrals", k, r.Council, region)
			}
		}
	} else {
		st, err := p.store()
		if err != nil {
			return allocationResult{}, err
		}
		sums, err := st.Councils(ctx)
		if err != nil {
			return allocationResult{}, err
		}
		for _, s := range sums {
			if !inRegion[s.Council] {
				continue
			}
			kids, err := st.Children(ctx, s.Council)
			if err != nil {
				return allocationResult{}, err
			}
			eps, err := st.Episodes(ctx, s.Council)
			if err != nil {
				return allocationResult{}, err
			}
			refs = append(refs, match.ReferralsFromEpisodes(kids, eps, from, to)...)
		}
		if len(refs) == 0 {
			return allocationResult{}, care.Errorf(care.ENOTFOUND, "no placement starts between %s and %s in the %s region's data: choose a period the imported returns cover",
				formatDate(from), formatDate(to), region)
		}
	}
	// A home postcode in the returns that cannot be located would stop the
	// whole allocation: such children are set aside and reported as not placed.
	var skipped []match.Unplaced
	if len(req.Referrals) == 0 {
		kept := refs[:0]
		for _, r := range refs {
			if _, err := geo.LocateString(r.HomePostcode); err != nil {
				skipped = append(skipped, match.Unplaced{ReferralID: r.ID, ChildID: r.ChildID, SiblingGroup: r.SiblingGroup,
					Reason: fmt.Sprintf("the home postcode %q in %s's return cannot be located, so no distance can be measured: correct it in the next return", r.HomePostcode, councilWords(r.Council))})
				continue
			}
			kept = append(kept, r)
		}
		refs = kept
	}
	ix, err := p.index(ctx)
	if err != nil {
		return allocationResult{}, err
	}
	res := allocationResult{Region: region, From: req.From, To: req.To}
	if len(refs) > 0 {
		if res.Allocation, err = match.Allocate(ix, refs, match.AllocateOptions{Objective: obj, KeepSiblings: req.Keep, At: to}); err != nil {
			return allocationResult{}, err
		}
	} else {
		res.Allocation = match.Allocation{Objective: obj, KeepSiblings: req.Keep, Method: "none: no child could be located"}
	}
	res.Allocation.Unplaced = append(res.Allocation.Unplaced, skipped...)
	res.Allocation.Children += len(skipped)
	if res.Allocation.Assignments == nil {
		res.Allocation.Assignments = []match.Assignment{}
	}
	if res.Allocation.Unplaced == nil {
		res.Allocation.Unplaced = []match.Unplaced{}
	}
	if req.Compare && len(refs) > 0 {
		out, err := match.SimulateMarket(ctx, ix, refs, match.MarketOptions{Objective: obj, KeepSiblings: req.Keep, From: from, To: to})
		if err != nil {
			return allocationResult{}, err
		}
		for i := range out {
			out[i].Placements = nil // the summary is the evidence; placements are child-level detail
		}
		res.Comparison = out
	}
	return res, nil
}

// allocationPage is the view data of the allocation page.
type allocationPage struct {
	Region  string
	Req     allocationRequest
	Errors  formErrors
	Result  *allocationResult
	Charts  []chartView
	CanRun  bool
	Regions []string
}

// Miles writes a distance.
func (allocationPage) Miles(m float64) string {
	if m < 0 {
		return "not known"
	}
	return fmt.Sprintf("%.1f", m)
}

func (p *placements) allocationForm(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	spec, err := regionParam(r)
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	region := spec.Region
	if err := auth.Permit(u, auth.ActAllocate, auth.Resource{Region: region, What: "the " + region + " region"}); err != nil {
		pageError(p.render, w, r, err)
		return
	}
	to := civilDay(p.now())
	req := allocationRequest{From: to.AddDate(0, -3, 0).Format("2006-01-02"), To: to.Format("2006-01-02"), Objective: "policy", Keep: true, Compare: true}
	if q := r.URL.Query(); q.Get("from") != "" {
		req.From, req.To = q.Get("from"), q.Get("to")
	}
	p.render(w, r, 0, "allocation", pageData{Title: "Regional allocation", Caption: region,
		Breadcrumbs: []link{{"/", "Home"}, {"/regions/" + region, region}}, Data: allocationPage{Region: region, Req: req, CanRun: true}})
}

func (p *placements) allocationRun(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		pageError(p.render, w, r, care.Errorf(care.EINVALID, "the form could not be read"))
		return
	}
	f := r.PostForm
	req := allocationRequest{From: strings.TrimSpace(f.Get("from")), To: strings.TrimSpace(f.Get("to")), Objective: f.Get("objective"),
		Keep: f.Get("keep_siblings") != "", Compare: f.Get("compare") != ""}
	spec, err := regionParam(r)
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	region := spec.Region
	view := allocationPage{Region: region, Req: req, CanRun: true}
	if _, err := time.Parse("2006-01-02", req.From); err != nil {
		view.Errors = append(view.Errors, fieldError{"from", "First day must be a date written as YYYY-MM-DD, for example 2025-01-01"})
	}
	if _, err := time.Parse("2006-01-02", req.To); err != nil {
		view.Errors = append(view.Errors, fieldError{"to", "Last day must be a date written as YYYY-MM-DD, for example 2025-03-31"})
	}
	if len(view.Errors) == 0 {
		res, err := p.allocate(r.Context(), u, region, req)
		switch {
		case care.ErrorCode(err) == care.EINVALID:
			field := "from"
			if strings.HasPrefix(care.ErrorMessage(err), "objective") {
				field = "objective"
			}
			view.Errors = append(view.Errors, fieldError{field, care.ErrorMessage(err)})
		case care.ErrorCode(err) == care.ENOTFOUND && strings.Contains(care.ErrorMessage(err), "placement starts"):
			view.Errors = append(view.Errors, fieldError{"from", care.ErrorMessage(err)})
		case err != nil:
			pageError(p.render, w, r, err)
			return
		default:
			view.Result, view.Region = &res, res.Region
			view.Charts = comparisonCharts(res.Comparison)
		}
	}
	code := 0
	if len(view.Errors) > 0 {
		code = http.StatusUnprocessableEntity
	}
	var tables []tabular.Table
	if view.Result != nil {
		tables = allocationTables(*view.Result)
	}
	p.render(w, r, code, "allocation", pageData{Title: "Regional allocation", Caption: view.Region, Error: code != 0,
		Breadcrumbs: []link{{"/", "Home"}, {"/regions/" + view.Region, view.Region}}, Data: view, Download: tables})
}

// modeWords names a market simulation mode.
func modeWords(m string) string {
	switch m {
	case match.ModeFirstCome:
		return "Competition: first come, first served"
	case match.ModeDaily:
		return "Cooperation: joint allocation daily"
	case match.ModeWeekly:
		return "Cooperation: joint allocation weekly"
	}
	return m
}

// comparisonCharts draws the comparison: one small chart per measure, a bar per mode.
func comparisonCharts(out []match.MarketOutcome) []chartView {
	if len(out) == 0 {
		return nil
	}
	modes := make([]string, len(out))
	for i, o := range out {
		modes[i] = modeWords(o.Mode)
	}
	measure := func(id, title, desc string, f chart.Format, kind tabular.Kind, v func(match.MarketOutcome) float64) chartView {
		vals := make([]float64, len(out))
		for i, o := range out {
			vals[i] = v(o)
		}
		ss := []chart.Series{{Name: title, Values: vals}}
		b := chart.Bars{ID: id, Title: title, Desc: desc, Categories: modes, Series: ss, Format: f}
		return chartView{ID: id, Title: title, SVG: template.HTML(b.SVG()), Table: seriesTable(title, "How places are found", modes, ss, kind)}
	}
	pct := func(x float64) float64 { return math.Round(x*1000) / 10 }
	return []chartView{
		measure("cmp-miles", "Mean distance from home (miles)", "Mean straight-line miles from the family home to the placement, by way of finding places.", chart.Plain, tabular.Number,
			func(o match.MarketOutcome) float64 { return math.Round(o.MeanMiles*10) / 10 }),
		measure("cmp-over20", "Placed more than 20 miles from home (%)", "Percentage of children placed more than 20 miles from home.", chart.Percent, tabular.Percent,
			func(o match.MarketOutcome) float64 { return pct(o.ShareOver20) }),
		measure("cmp-split", "Sibling groups split", "Number of sibling groups placed apart.", chart.Plain, tabular.Count,
			func(o match.MarketOutcome) float64 { return float64(o.SiblingsSplit) }),
		measure("cmp-wait", "Mean wait (days)", "Mean days from referral to placement.", chart.Plain, tabular.Number,
			func(o match.MarketOutcome) float64 { return math.Round(o.MeanWaitDays*10) / 10 }),
		measure("cmp-unplaced", "Children not placed", "Children with no place by the end of the period.", chart.Plain, tabular.Count,
			func(o match.MarketOutcome) float64 { return float64(o.Unplaced) }),
		measure("cmp-cost", "Weekly cost of the placements (£)", "Total weekly price of the placements made.", chart.Pounds, tabular.Number,
			func(o match.MarketOutcome) float64 { return math.Round(o.WeeklyCost.Pounds()) }),
	}
}

// allocationTables are the downloadable tables of an allocation.
func allocationTables(res allocationResult) []tabular.Table {
	a := tabular.Table{Title: "Children placed", Columns: []tabular.Column{{Name: "Child"}, {Name: "Council"}, {Name: "Place"},
		{Name: "Home"}, {Name: "Miles", Kind: tabular.Number}, {Name: "Weekly price", Kind: tabular.Money}}}
	for _, x := range res.Allocation.Assignments {
		a.Rows = append(a.Rows, []any{x.ChildID, councilWords(x.Council), x.PlaceID, x.Name, math.Round(x.Miles*10) / 10, x.WeeklyPrice})
	}
	u := tabular.Table{Title: "Children not placed, and why", Columns: []tabular.Column{{Name: "Child"}, {Name: "Referral"}, {Name: "Eligible places", Kind: tabular.Count}, {Name: "Why"}}}
	for _, x := range res.Allocation.Unplaced {
		u.Rows = append(u.Rows, []any{x.ChildID, x.ReferralID, x.Eligible, x.Reason})
	}
	return []tabular.Table{a, u}
}

func (p *placements) apiAllocate(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	var req allocationRequest
	if err := readJSONLimit(r, &req, maxAllocationBody); err != nil {
		apiError(w, r, err)
		return
	}
	spec, err := regionParam(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	res, err := p.allocate(r.Context(), u, spec.Region, req)
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, res)
}

// CouncilName is a council's name from its code.
func (allocationPage) CouncilName(code string) string { return councilWords(code) }
