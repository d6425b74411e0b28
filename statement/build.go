package statement

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/market"
	"sufficiency/picture"
	"sufficiency/refdata"
	"sufficiency/scenario"
	"sufficiency/ssda903"
	"sufficiency/tabular"
	"sufficiency/workflow"
)

// Options choose what a statement covers and how.
type Options struct {
	// Options give the date (At, "" for the last date the data covers).
	analysis.Options
	// Unsuppressed shows counts of 1 to 4 (for internal use only: a
	// published statement suppresses them).
	Unsuppressed bool
	// Intentions is the council's commissioning intentions in Markdown;
	// IntentionsSource names where they came from (a file name).
	Intentions, IntentionsSource string
	// Synthetic marks the statement as made from synthetic data.
	Synthetic bool
	// Scenarios are run on the scope's data (child-level forecast with
	// levers, package scenario) and reported beside the forecast; each must
	// be for the statement's council or region.
	Scenarios []*scenario.Scenario
	// Results are scenario runs already made (such as saved runs), reported
	// after Scenarios as they were run; each must cover the statement's
	// councils.
	Results []*scenario.Result
	// InPlacers also reads every other loaded council's episodes, so that
	// their children placed in the area are counted (who else places
	// there). The reads are audited against those councils; the web, which
	// reads only what its user may see, leaves it off.
	InPlacers bool
	// Made is when the statement is made; default Now.
	Made time.Time
}

// Build assembles the statement of the scope from the store: the picture
// (with in-placers and published comparators), the market of the scope's
// region, the care leavers of the latest return, and the forecast. Every
// read of child-level data is audited by the store.
func Build(ctx context.Context, st analysis.Store, sc analysis.Scope, o Options) (*Report, error) {
	suppress := !o.Unsuppressed
	pr, err := analysis.Picture(ctx, st, sc, analysis.PictureOptions{Options: o.Options, Publish: suppress,
		InPlacers: o.InPlacers, Published: true, CoverageNotes: true})
	if err != nil {
		return nil, err
	}
	at := pr.At
	inScope := map[string]bool{}
	for _, c := range sc.Councils {
		inScope[c] = true
	}
	region := sc.Region // resolved: "" for England
	mopts := o.Options
	mopts.At = at.Format("2006-01-02")
	mr, err := analysis.Market(ctx, st, region, analysis.MarketOptions{Options: mopts, ReferencePrices: true,
		Include: func(c string) bool { return inScope[c] }, Publish: suppress, Provisions: pr.Provisions, Data: &pr.Data})
	if err != nil {
		return nil, err
	}
	// Only the scope's own episodes from here on (the others were for in-placers).
	// (Episodes are large: count first and copy once, or not at all when
	// every episode is the scope's; appending grew the slice in about a
	// third of a CPU-second for a region.)
	n := 0
	for i := range pr.Data.Episodes {
		if inScope[pr.Data.Episodes[i].Council] {
			n++
		}
	}
	own := pr.Data.Episodes
	if n < len(own) {
		own = make([]care.Episode, 0, n)
		for i := range pr.Data.Episodes {
			if inScope[pr.Data.Episodes[i].Council] {
				own = append(own, pr.Data.Episodes[i])
			}
		}
	}
	// the child-level forecast by placement type and age runs while the
	// rest is read
	ownKids := make([]care.Child, 0, len(pr.Data.Children))
	for i := range pr.Data.Children {
		if inScope[pr.Data.Children[i].Council] {
			ownKids = append(ownKids, pr.Data.Children[i])
		}
	}
	type cfResult struct {
		f   *ChildForecast
		err error
	}
	cfc := make(chan cfResult, 1)
	cfctx, cancelCF := context.WithCancel(ctx)
	defer cancelCF()
	go func() {
		f, err := childForecast(cfctx, ownKids, own, at, forecastYears)
		cfc <- cfResult{f, err}
	}()
	lv, err := leavers(ctx, st, sc, at, own)
	if err != nil {
		return nil, err
	}
	declines, err := readDeclines(ctx, st, sc, at)
	if err != nil {
		return nil, err
	}
	referrals, err := readReferrals(ctx, st, sc, at)
	if err != nil {
		return nil, err
	}
	var scens []*scenario.Result
	for _, sn := range o.Scenarios {
		spec, err := sn.Scope.Spec()
		if err != nil {
			return nil, err
		}
		ssc, err := analysis.Resolve(ctx, st, spec)
		if err != nil {
			return nil, err
		}
		if strings.Join(ssc.Councils, ",") != strings.Join(sc.Councils, ",") {
			return nil, care.Errorf(care.EINVALID, "scenario %q is for %s, the statement for %s: give scenarios of the same council or region", sn.Name, ssc.Name, sc.Name)
		}
		res, err := scenario.RunOn(ctx, st, sn, scenario.Options{})
		if err != nil {
			return nil, err
		}
		scens = append(scens, res)
	}
	for _, res := range o.Results {
		if !SameCouncils(res.Councils, sc.Councils) {
			return nil, care.Errorf(care.EINVALID, "scenario run %q is of %s, the statement of %s: attach runs of the same council or region", res.Name, res.Scope, sc.Name)
		}
		scens = append(scens, res)
	}
	origin := analysis.PublishedYear(at)
	fc, err := forecastsFrom(origin)
	if err != nil {
		return nil, err
	}
	cf := <-cfc
	if cf.err != nil {
		return nil, cf.err
	}
	made := o.Made
	if made.IsZero() {
		now := time.Now
		if o.Now != nil {
			now = o.Now
		}
		made = now().UTC()
	}
	in := Input{
		Scope: sc, At: at, Made: made, Suppress: suppress, Synthetic: o.Synthetic,
		Picture: pr.Picture, PictureTables: pr.Tables, Market: mr.Market, MarketTables: mr.Tables,
		Children: pr.Data.Children, Episodes: own, Leavers: lv, Forecasts: fc, ChildForecast: cf.f, InPlacers: o.InPlacers, Declines: declines, Referrals: referrals, Scenarios: scens,
		Intentions: o.Intentions, IntentionsSource: o.IntentionsSource,
	}
	return Compose(in), nil
}

// leavers reads the OC3 table of the latest collection year up to at of
// every council in scope (the year before when that return holds none).
func leavers(ctx context.Context, st analysis.Store, sc analysis.Scope, at time.Time, eps []care.Episode) (*Leavers, error) {
	year := collectionYear(at)
	if !at.Equal(care.Date(year, time.March, 31)) {
		year-- // the year is not complete: use the last whole one
	}
	l := &Leavers{Year: year, Accommodation: map[string]int{}}
	for _, code := range sc.Councils {
		rs, err := st.Returns(ctx, code, []int{year})
		if err != nil {
			return nil, err
		}
		found := false
		for _, r := range rs {
			if t := r.Table(ssda903.OC3); t != nil && r.Year == year {
				l.addOC3(t, year)
				found = true
			}
		}
		name := code
		if c, ok := refdata.CouncilByCode(code); ok {
			name = c.Name
		}
		if found {
			l.With = append(l.With, name)
		} else {
			l.Without = append(l.Without, name)
		}
	}
	l.StayingPut = stayingPut(eps, sc.Councils, care.Date(year, time.March, 31))
	return l, nil
}

// Input is everything Compose reads.
type Input struct {
	Scope     analysis.Scope
	At, Made  time.Time
	Suppress  bool
	Synthetic bool
	Picture   picture.Picture
	// PictureTables and MarketTables are the capabilities' tables (already
	// suppressed when Suppress).
	PictureTables, MarketTables []tabular.Table
	Market                      market.Market
	Children                    []care.Child
	Episodes                    []care.Episode
	Leavers                     *Leavers
	Forecasts                   *Forecasts
	// ChildForecast is the child-level forecast by placement type and age
	// (nil: not made).
	ChildForecast    *ChildForecast
	Intentions       string
	IntentionsSource string
	// InPlacers is true when other councils' children placed in the area
	// were counted; without, the columns that would count them are left out.
	InPlacers bool
	// Declines are the providers' declines of the scope's referrals in the
	// year to At, by reason (workflow.Reasons order); nil when the store
	// keeps no offers workflow.
	Declines []DeclineFact
	// Referrals are the scope's referrals sent through the offers workflow
	// in the year to At: how they ended and whether children were placed in
	// the type of home preferred for them; nil when the store keeps no
	// offers workflow.
	Referrals *ReferralFacts
	// Scenarios are the scenarios run, in the order given.
	Scenarios []*scenario.Result
}

// DeclineFact is how many referrals providers declined for one reason.
type DeclineFact struct {
	Reason workflow.Reason
	Count  int
}

// declineStore is what the offers workflow's stores answer about declines.
type declineStore interface {
	Declines(ctx context.Context, f workflow.DeclineFilter) ([]workflow.DeclineCount, error)
}

// readDeclines counts the declines of the scope's referrals in the year to
// at, when st keeps the offers workflow; nil when it does not.
func readDeclines(ctx context.Context, st analysis.Store, sc analysis.Scope, at time.Time) ([]DeclineFact, error) {
	ds, ok := st.(declineStore)
	if !ok {
		return nil, nil
	}
	by := map[workflow.Reason]int{}
	for _, code := range sc.Councils {
		counts, err := ds.Declines(ctx, workflow.DeclineFilter{From: at.AddDate(-1, 0, 1), To: at.AddDate(0, 0, 1), Council: code})
		if err != nil {
			return nil, err
		}
		for _, c := range counts {
			by[c.Reason] += c.Count
		}
	}
	out := make([]DeclineFact, 0, len(workflow.Reasons))
	for _, r := range workflow.Reasons {
		out = append(out, DeclineFact{Reason: r, Count: by[r]})
	}
	return out, nil
}

// composer numbers sections and tables as it builds them.
type composer struct {
	in   Input
	w    words
	r    *Report
	sec  *Section
	nTab int
	area string
}

func (c *composer) section(id, title string) {
	c.r.Sections = append(c.r.Sections, Section{ID: id, Number: len(c.r.Sections) + 1, Title: title})
	c.sec = &c.r.Sections[len(c.r.Sections)-1]
	c.nTab = 0
}

func (c *composer) para(s string) {
	if s != "" {
		c.sec.Blocks = append(c.sec.Blocks, Block{Kind: Paragraph, Text: s})
	}
}

func (c *composer) heading(s string) {
	c.sec.Blocks = append(c.sec.Blocks, Block{Kind: Heading, Text: s})
}

func (c *composer) list(items []string) {
	if len(items) > 0 {
		c.sec.Blocks = append(c.sec.Blocks, Block{Kind: List, Items: items})
	}
}

func (c *composer) chart(ch Chart) {
	c.sec.Blocks = append(c.sec.Blocks, Block{Kind: Figure, Chart: &ch})
}

// table adds a table numbered in the section; own tables (not already
// suppressed by their capability) are suppressed here when publishing.
func (c *composer) table(t tabular.Table, source string, own bool) {
	if own && c.in.Suppress {
		t = tabular.Suppress(t)
	}
	c.nTab++
	t.Title = fmt.Sprintf("%d.%d %s", c.sec.Number, c.nTab, t.Title)
	t.Notes = append(t.Notes, "Source: "+source)
	c.sec.Blocks = append(c.sec.Blocks, Block{Kind: TableBlock, Table: &t, Source: source})
}

// pictureTable finds a picture or market table by the start of its title.
func find(ts []tabular.Table, prefix string) (tabular.Table, bool) {
	for _, t := range ts {
		if strings.HasPrefix(t.Title, prefix) {
			return t, true
		}
	}
	return tabular.Table{}, false
}

// Compose writes the statement from the figures.
func Compose(in Input) *Report {
	p := in.Picture
	area := in.Scope.Name
	r := &Report{Title: "Sufficiency statement: " + area, Area: area, Region: in.Scope.Council == nil, At: in.At,
		Made: in.Made, Suppressed: in.Suppress, Synthetic: in.Synthetic}
	said := area // the area as a sentence names it
	if r.Region && area != analysis.England {
		said = "the " + area
	}
	c := &composer{in: in, w: words{suppress: in.Suppress}, r: r, area: said}
	data := fmt.Sprintf("SSDA903 returns loaded for %s (%s), children in care at %s", area, councilsWord(len(in.Scope.Councils)), day(in.At))
	if in.Synthetic {
		data = "Synthetic SSDA903 returns (demonstration data, not real children) for " + area + ", at " + day(in.At)
	}
	pubYear := analysis.PublishedYear(in.At)
	published := fmt.Sprintf("DfE, Children looked after in England including adoptions, figures at 31 March %d (embedded reference data)", pubYear)
	ofsted := "Ofsted, social care providers and places (embedded register), with supply loaded into the database"
	r.Sources = []Source{
		{Name: "Children in care", Detail: data, Date: day(in.At)},
		{Name: "Published comparators", Detail: published, Date: fmt.Sprintf("31 March %d", pubYear)},
		{Name: "Supply", Detail: ofsted, Date: day(in.At)},
	}

	// What the text compares against: published figures of neighbours, region, England.
	cmps := func(id string) []Comparison {
		var out []Comparison
		for _, cp := range p.Comparators {
			v, ok := cp.Values[id]
			if !ok {
				continue
			}
			switch cp.Kind {
			case "average":
				out = append(out, Comparison{Name: "the average of its statistical neighbours", Value: v})
			case "region":
				if cp.Name == area { // a region's statement: its own published figure is no comparison
					continue
				}
				out = append(out, Comparison{Name: "the " + cp.Name, Value: v})
			case analysis.England:
				out = append(out, Comparison{Name: "England", Value: v})
			}
		}
		return out
	}

	dates := yearEnds(analysis.ReturnsStart(in.Episodes), in.At)
	yearAgo := in.At.AddDate(-1, 0, 0)
	cen := takeCensus(in.Episodes, in.Scope.Councils, append(append([]time.Time(nil), dates...), yearAgo))
	trend := Trend{Dates: dates, Counts: cen.trend().Counts[:len(dates)]}
	nowSet, agoSet := cen.current[len(dates)-1], cen.current[len(dates)]
	haveYearAgo := !analysis.ReturnsStart(in.Episodes).After(yearAgo)
	needs := growth(nowSet, agoSet, func(_ childKey, e care.Episode) (string, string) { return needLabel(e) })
	children := map[childKey]care.Child{}
	for _, ch := range in.Children {
		children[childKey{ch.Council, ch.ID}] = ch
	}

	// 1. Summary
	c.section("summary", "Summary")
	if in.Synthetic {
		c.para("This statement is made from synthetic data generated to imitate the council's published figures: no real child is described. It shows what the product produces.")
	}
	who := area
	if r.Region {
		who = fmt.Sprintf("the %s of the %s", councilsWord(len(in.Scope.Councils)), area)
		if area == analysis.England {
			who = fmt.Sprintf("the %s loaded", councilsWord(len(in.Scope.Councils)))
		}
	}
	c.para(c.w.headline(who, in.At, p.InCare, len(agoSet), haveYearAgo))
	c.para(rateSentence(p.RatePer10k, cmps(picture.MeasureRate)))
	if haveYearAgo {
		c.para(c.w.growthSentence("need", needs))
	}
	c.para(c.w.shareSentence("live outside the council that looks after them", p.Where.Outside, p.Where.LocationKnown, cmps(picture.MeasurePctOutside)))
	ff := c.forecastFact()
	c.para(forecastSentence(c.area, ff))
	if sum, ok := find(in.PictureTables, area+": children in care at"); ok {
		sum.Title = "Headline figures at " + day(in.At)
		c.table(sum, data, false)
	}
	if haveYearAgo {
		c.changes(nowSet, agoSet, children, yearAgo, data)
	}

	// 2. Needs analysis
	c.section("needs", "Needs analysis: children in care")
	c.para(c.w.trendSentence(trend))
	tr := tabular.Table{Title: "Children in care at each 31 March held", Columns: []tabular.Column{{Name: "Date"}, {Name: "Children in care", Kind: tabular.Count}}}
	vals := make([]float64, len(trend.Counts))
	labels := make([]string, len(trend.Counts))
	for i, n := range trend.Counts {
		tr.AddRow(day(trend.Dates[i]), n)
		labels[i] = trend.Dates[i].Format("2006")
		if !trend.Dates[i].Equal(care.Date(trend.Dates[i].Year(), time.March, 31)) {
			labels[i] = trend.Dates[i].Format("Jan 2006")
		}
		vals[i] = c.chartValue(n)
	}
	c.chart(Chart{Kind: Line, Title: "Children in care at each 31 March", Labels: labels, Series: []Series{{Name: area, Values: vals}},
		Unit: "children", Source: data, Desc: c.w.trendSentence(trend)})
	c.table(tr, data, true)
	c.para(rateSentence(p.RatePer10k, cmps(picture.MeasureRate)))
	if cmp, ok := find(in.PictureTables, "Comparison with published figures"); ok {
		c.table(cmp, data+"; "+published, false)
	}
	if sn, ok := find(in.PictureTables, "Statistical neighbours of"); ok {
		c.table(sn, published, false)
	}
	if ct, ok := find(in.PictureTables, "Councils"); ok && r.Region {
		c.table(ct, data, false)
	}
	c.heading("Who the children are")
	big := -1
	for i, a := range p.ByAge {
		if big < 0 || a.N > p.ByAge[big].N {
			big = i
		}
	}
	if big >= 0 && p.InCare > 0 {
		if s, ok := c.w.share(p.ByAge[big].N, p.InCare); ok {
			c.para(fmt.Sprintf("The largest age group is %s: %s children, %s of those in care.", lowerFirst(p.ByAge[big].Label), c.w.count(p.ByAge[big].N), s))
		}
	}
	if len(p.ByUASC) > 0 {
		c.para(c.w.shareSentence("are unaccompanied asylum-seeking children", p.ByUASC[0].N, p.InCare, cmps(picture.MeasurePctUASC)))
	}
	c.chart(c.countChart("Children in care by age", p.ByAge, data))
	for _, title := range []string{"Children in care by age", "Children in care by sex", "Unaccompanied asylum-seeking children", "Children in care by legal status"} {
		if t, ok := find(in.PictureTables, title); ok {
			c.table(t, data, false)
		}
	}
	// Ethnicity, disability, needs tiers: from the children in care now.
	eth := map[string]int{}
	tiers := map[string]int{}
	disabled, needsHeld := 0, 0
	for k := range nowSet {
		ch := children[k]
		eth[ethnicGroup(ch.Ethnicity)]++
		tiers[ch.Needs.Tier.Label()]++
		if ch.Needs.Tier != care.TierUnknown {
			needsHeld++
			if ch.Needs.Disability {
				disabled++
			}
		}
	}
	et := tabular.Table{Title: "Children in care by ethnic group", Columns: []tabular.Column{{Name: "Ethnic group"}, {Name: "Children", Kind: tabular.Count}, {Name: "%", Kind: tabular.Percent, Base: "Children"}}, TotalRow: true}
	for _, g := range ethnicGroups {
		et.AddRow(g, eth[g], tabular.Pct(eth[g], len(nowSet)))
	}
	et.AddRow("All children in care", len(nowSet), tabular.Pct(len(nowSet), len(nowSet)))
	c.table(et, data, true)
	nt := tabular.Table{Title: "Children in care by category of need and needs tier", Columns: []tabular.Column{{Name: "Need"}, {Name: "Children now", Kind: tabular.Count}, {Name: "A year earlier", Kind: tabular.Count}}}
	for _, g := range needs {
		nt.AddRow(g.Label, g.Now, g.Before)
	}
	c.para(c.w.growthSentence("need", needs))
	c.table(nt, data, true)
	tt := tabular.Table{Title: "Children in care by needs tier", Columns: []tabular.Column{{Name: "Needs tier"}, {Name: "Children", Kind: tabular.Count}, {Name: "%", Kind: tabular.Percent, Base: "Children"}}, TotalRow: true}
	for _, l := range []string{"Standard", "Enhanced", "Complex", "Highly complex", "Not recorded"} {
		tt.AddRow(l, tiers[l], tabular.Pct(tiers[l], len(nowSet)))
	}
	tt.AddRow("All children in care", len(nowSet), tabular.Pct(len(nowSet), len(nowSet)))
	if needsHeld == 0 {
		c.para("Needs tiers and disability are not recorded in the loaded data (they come from the council's own records, not the SSDA903 return).")
	} else {
		complex := tiers["Complex"] + tiers["Highly complex"]
		if s, ok := c.w.share(complex, needsHeld); ok {
			c.para(fmt.Sprintf("Of the %s children whose needs tier is recorded, %s have complex or highly complex needs.", c.w.count(needsHeld), s))
		}
		if s, ok := c.w.share(disabled, needsHeld); ok {
			c.para(fmt.Sprintf("%s of them have a disability that needs adapted or disability-specific care.", s))
		}
		c.table(tt, data+" with the council's needs records", true)
	}

	// 3. Care leavers
	c.section("leavers", "Care leavers")
	c.leaversSection(data)

	// 4. Placement mix and location
	c.section("placements", "Placement mix and location")
	fost := 0
	homes := 0
	for _, g := range p.ByGroup {
		switch g.Key {
		case string(care.GroupFosterOther), string(care.GroupFosterRelative):
			fost += g.Children
		case string(care.GroupChildrensHome), string(care.GroupSecure):
			homes += g.Children
		}
	}
	c.para(c.w.shareSentence("live with foster carers", fost, p.InCare, cmps(picture.MeasurePctFoster)))
	c.para(c.w.shareSentence("live in children's homes (including secure homes)", homes, p.InCare, cmps(picture.MeasurePctHomes)))
	c.para(c.w.shareSentence("live outside the council that looks after them", p.Where.Outside, p.Where.LocationKnown, cmps(picture.MeasurePctOutside)))
	c.para(c.w.shareSentence("live more than 20 miles from home", p.Where.Over20, p.Where.DistanceKnown, cmps(picture.MeasurePctOver20)))
	c.para(c.w.shareSentence("had three or more placements in the year", p.Stability.ThreePlus, p.Stability.InCare, cmps(picture.MeasurePct3Plus)))
	switch {
	case p.Siblings.Groups > 0 && p.Siblings.GroupsApart == 0:
		c.para(fmt.Sprintf("All %s sibling groups in care live together.", c.w.count(p.Siblings.Groups)))
	case p.Siblings.Groups > 0:
		c.para(fmt.Sprintf("%s of the %s sibling groups in care are not all living together.", firstUpper(c.w.count(p.Siblings.GroupsApart)), c.w.count(p.Siblings.Groups)))
	}
	c.distanceBands(nowSet, data)
	c.chart(c.groupChart("Children in care by placement type", p.ByGroup, data))
	for _, title := range []string{"Placement mix by placement type", "Placement mix by provider", "Distance from home"} {
		if t, ok := find(in.PictureTables, title); ok {
			c.table(t, data, false)
		}
	}

	// 5. Supply
	c.section("supply", "Supply: homes and places")
	facts := c.supplyFacts()
	for _, f := range facts {
		c.para(c.w.supplySentence(c.area, f))
	}
	if len(facts) > 0 {
		c.chart(c.supplyChart(facts, ofsted))
	}
	if t, ok := find(in.PictureTables, "Supply and demand"); ok {
		c.table(c.inPlacerColumns(t), ofsted+"; "+data, false)
	}
	for _, title := range []string{"Residential places by sector", "Largest owner groups", "Ofsted ratings of residential settings"} {
		if t, ok := find(in.MarketTables, title); ok {
			c.table(t, ofsted, false)
		}
	}

	// 6. Gap analysis
	c.section("gap", "Gap analysis")
	c.para(c.w.gapSentence(c.area, facts))
	gt := tabular.Table{Title: "Children placed outside the area against places in the area", Columns: []tabular.Column{{Name: "Provision"},
		{Name: "Own children in this type", Kind: tabular.Count}, {Name: "Placed outside the area", Kind: tabular.Count},
		{Name: "Registered places in the area", Kind: tabular.Count, Public: true}, {Name: "Other councils' children in the area", Kind: tabular.Count}}}
	for _, f := range facts {
		gt.AddRow(f.Label, f.Own, f.OwnOutside, f.Places, f.OtherPlaced)
	}
	c.table(c.inPlacerColumns(gt), ofsted+"; "+data, true)
	c.declines()
	c.preferredTypes()

	// 7. Cost
	c.section("cost", "Cost")
	if p.Cost.Placements > 0 {
		c.para(fmt.Sprintf("The %s current placements with a recorded cost together cost %s a week, about %s a year.",
			c.w.count(p.Cost.Placements), pounds(p.Cost.Weekly.Pounds()), pounds(p.Cost.Annualised().Pounds())))
		if p.Cost.HighCost > 0 {
			c.para(fmt.Sprintf("%s placements cost more than £10,000 a week.", firstUpper(c.w.count(p.Cost.HighCost))))
		} else {
			c.para("No current placement costs more than £10,000 a week.")
		}
		if f := p.Funders; f.Total() > 0 && f.SplitPlacements > 0 {
			c.para(fmt.Sprintf("Of the weekly cost, children's social care pays %s, education %s and health %s; %s is not split between funders.",
				pounds(f.SocialCare.Pounds()), pounds(f.Education.Pounds()), pounds(f.Health.Pounds()), pounds(f.NotSplit.Pounds())))
		}
	} else {
		c.para("No placement costs are loaded, so the cost of placements cannot be given.")
	}
	for _, pr := range in.Market.Prices {
		if pr.Group == care.GroupChildrensHome && pr.Provider == care.ProviderPrivate {
			c.para(priceSentence("private children's home", pr.Growth, pr.MedianRecent.Pounds(), pr.MedianPr.Pounds(), pr.GrowthKnown && !c.w.hidden(pr.StartedRecent) && !c.w.hidden(pr.StartedPr)))
		}
		if pr.Group == care.GroupFosterOther && pr.Provider == care.ProviderPrivate {
			c.para(priceSentence("independent fostering agency", pr.Growth, pr.MedianRecent.Pounds(), pr.MedianPr.Pounds(), pr.GrowthKnown && !c.w.hidden(pr.StartedRecent) && !c.w.hidden(pr.StartedPr)))
		}
	}
	c.chart(c.costChart(data))
	for _, title := range []string{"Cost by placement type", "Cost by provider", "Weekly cost by funder"} {
		if t, ok := find(in.PictureTables, title); ok {
			c.table(t, data+" with the council's placement cost records", false)
		}
	}
	for _, title := range []string{"Weekly prices of current placements", "Published price benchmarks"} {
		if t, ok := find(in.MarketTables, title); ok {
			c.table(t, "Placement cost records loaded; published benchmarks (refdata reference figures)", false)
		}
	}

	// 8. Forecast
	c.section("forecast", "Forecast")
	c.forecastSection(ff)
	c.childForecastSection()

	if len(in.Scenarios) > 0 {
		c.heading("Scenarios")
		c.para("Each scenario is run on the child-level model fitted to the loaded data (not the published-statistics model above): the same simulations with and without the council's levers, so the difference is the levers' effect. Figures are means over simulations with 10th to 90th percentiles.")
		for _, res := range in.Scenarios {
			c.scenario(res)
		}
	}

	// 9. Commissioning intentions
	c.section("intentions", "Commissioning intentions and action plan")
	c.intentions()

	// 10. Market position statement
	c.section("market-position", "Market position statement")
	c.marketPosition(facts)

	// 11. Governance
	c.section("governance", "Governance")
	c.para(fmt.Sprintf("This statement was generated on %s from the data held to %s. It is a draft for the council's officers to check, add to and put to the Corporate Parenting Board (or, for a region, the Regional Care Cooperative's board) for approval.", day(in.Made), day(in.At)))
	c.para("It should be refreshed every year when the new SSDA903 return is made and the DfE publishes the national figures, and reviewed in full at least every three years. The next annual refresh is due after " + day(care.Date(collectionYear(in.At)+1, time.March, 31)) + ".")
	c.para("Small numbers are suppressed: " + suppressionWords(in.Suppress))
	return r
}

// scenario reports one scenario: what it changes, in words from its last
// year, and its tables of children, spend and levers.
func (c *composer) scenario(res *scenario.Result) {
	c.heading("Scenario: " + res.Name)
	if n := len(res.Outcomes); n > 0 {
		last := res.Outcomes[n-1]
		c.para(scenarioSentence(res.Name, last.Ends, last.InCare.Baseline.Mean, last.InCare.Scenario.Mean, last.Cumulative.Mean, res.PaybackYear, res.PaybackEnds))
	}
	var items []string
	for _, l := range res.Levers {
		items = append(items, l.Lever+": "+l.What)
	}
	c.list(items)
	src := fmt.Sprintf("Scenario %q run on the loaded data from %s (%d simulations, seed %d, model %s)", res.Name, res.Origin, res.Sims, res.Seed, res.ModelVersion)
	for _, t := range res.Tables() {
		if strings.HasSuffix(t.Title, "children in care at each year end") || strings.HasPrefix(t.Title, "Spend on placements, capital and net saving") {
			c.table(t, src, false)
		}
	}
}

// changes is what changed over the year: children in care by kind of
// placement, age and status a year before the date and at it.
func (c *composer) changes(now, ago map[childKey]care.Episode, kids map[childKey]care.Child, yearAgo time.Time, source string) {
	type row struct {
		label string
		is    func(k childKey, e care.Episode, d time.Time) bool
	}
	group := func(gs ...care.PlacementGroup) func(childKey, care.Episode, time.Time) bool {
		return func(_ childKey, e care.Episode, _ time.Time) bool {
			for _, g := range gs {
				if e.Placement.Group() == g {
					return true
				}
			}
			return false
		}
	}
	rows := []row{
		{"All children in care", func(childKey, care.Episode, time.Time) bool { return true }},
		{"Living with foster carers", group(care.GroupFosterRelative, care.GroupFosterOther)},
		{"Living in children's homes (including secure)", group(care.GroupChildrensHome, care.GroupSecure)},
		{"In supported accommodation", group(care.GroupSupported)},
		{"Placed with parents", group(care.GroupPlacedWithParents)},
		{"Placed for adoption", group(care.GroupAdoption)},
		{"Aged 16 and over", func(k childKey, _ care.Episode, d time.Time) bool { return kids[k].AgeOn(d) >= 16 }},
		{"Unaccompanied asylum-seeking", func(k childKey, _ care.Episode, d time.Time) bool {
			ch := kids[k]
			return ch.UASC && (ch.UASCEnded.IsZero() || ch.UASCEnded.After(d))
		}},
	}
	t := tabular.Table{Title: "What changed over the year", Columns: []tabular.Column{{Name: "Children in care"},
		{Name: "A year earlier (" + day(yearAgo) + ")", Kind: tabular.Count}, {Name: "Now (" + day(c.in.At) + ")", Kind: tabular.Count}}}
	var gs []Growth
	for i, r := range rows {
		before, after := 0, 0
		for k, e := range ago {
			if r.is(k, e, yearAgo) {
				before++
			}
		}
		for k, e := range now {
			if r.is(k, e, c.in.At) {
				after++
			}
		}
		t.AddRow(r.label, before, after)
		if i >= 1 && i <= 5 {
			gs = append(gs, Growth{Label: r.label, Now: after, Before: before})
		}
	}
	c.para(c.w.growthSentence("kind of placement", gs))
	c.table(t, source, true)
}

// distanceBands counts the children in care now by the straight-line
// distance from their home postcode to their placement's, in 20-mile bands
// (the DfE's "over 20 miles" is the sum of the bands above the first).
func (c *composer) distanceBands(now map[childKey]care.Episode, source string) {
	bands := []struct {
		label string
		upTo  float64
	}{{"20 miles or less", 20}, {"Over 20, up to 40 miles", 40}, {"Over 40, up to 60 miles", 60}, {"Over 60, up to 80 miles", 80}, {"Over 80 miles", math.Inf(1)}}
	counts := make([]int, len(bands))
	unknown := 0
	loc := analysis.NewLocator()
	for _, e := range now {
		m, ok := loc.Miles(e.HomePostcode, e.PlacementPostcode)
		if !ok || e.HomePostcode == "" || e.PlacementPostcode == "" {
			unknown++
			continue
		}
		for i, b := range bands {
			if m <= b.upTo {
				counts[i]++
				break
			}
		}
	}
	t := tabular.Table{Title: "Distance from home in 20-mile bands", Columns: []tabular.Column{{Name: "Distance"}, {Name: "Children", Kind: tabular.Count},
		{Name: "% of those with a known distance", Kind: tabular.Percent, Base: "Children"}}, TotalRow: true}
	known := len(now) - unknown
	for i, b := range bands {
		t.AddRow(b.label, counts[i], tabular.Pct(counts[i], known))
	}
	t.AddRow("Distance not known", unknown, nil)
	t.AddRow("All children in care", len(now), nil)
	t.Notes = append(t.Notes, "Straight line between the centroids of the home and placement postcodes (as recorded, often a postcode sector), as in the DfE's over-20-miles measure.")
	far := known - counts[0]
	if known > 0 && far > 0 && counts[len(counts)-1] == 0 {
		c.para("None of the children living more than 20 miles from home is more than 80 miles away.")
	} else if known > 0 && far > 0 {
		if s, ok := c.w.share(counts[len(counts)-1], known); ok {
			c.para(fmt.Sprintf("Of the children living more than 20 miles from home, %s live more than 80 miles away (%s of those whose distance is known).", c.w.count(counts[len(counts)-1]), s))
		}
	}
	c.table(t, source, true)
}

// declines writes what providers' declines of referrals say about gaps.
func (c *composer) declines() {
	ds := c.in.Declines
	if ds == nil {
		c.para("Referrals declined by providers are not held in this database (the referral and offers workflow is not used with it).")
		return
	}
	c.para(c.w.declineSentence(c.in.At, ds))
	t := tabular.Table{Title: fmt.Sprintf("Referrals declined by providers in the year to %s, by reason", day(c.in.At)),
		Columns: []tabular.Column{{Name: "Reason"}, {Name: "Declines", Kind: tabular.Count}, {Name: "%", Kind: tabular.Percent, Base: "Declines"}}, TotalRow: true}
	total := 0
	for _, d := range ds {
		total += d.Count
	}
	for _, d := range ds {
		t.AddRow(firstUpper(d.Reason.Label()), d.Count, tabular.Pct(d.Count, total))
	}
	t.AddRow("All declines", total, tabular.Pct(total, total))
	c.table(t, "Offers workflow: providers' responses to referrals sent through sufficiency", true)
}

func suppressionWords(on bool) string {
	if on {
		return "counts of 1 to 4 are shown as \"c\" in tables and as \"fewer than 5\" in the text, with further figures hidden where a total would reveal them."
	}
	return "this copy is NOT suppressed and shows counts of 1 to 4: do not publish it."
}

func councilsWord(n int) string {
	if n == 1 {
		return "1 council"
	}
	return fmt.Sprintf("%d councils", n)
}

func firstUpper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// inPlacerColumns leaves out of t the column of other councils' children
// in the area when they were not counted, saying so.
func (c *composer) inPlacerColumns(t tabular.Table) tabular.Table {
	if c.in.InPlacers {
		return t
	}
	j := t.ColumnIndex("Other councils' children in the area")
	if j < 0 {
		return t
	}
	out := t
	out.Columns = append(append([]tabular.Column(nil), t.Columns[:j]...), t.Columns[j+1:]...)
	out.Rows = make([][]any, len(t.Rows))
	for i, r := range t.Rows {
		out.Rows[i] = append(append([]any(nil), r[:j]...), r[j+1:]...)
	}
	out.Notes = append(append([]string(nil), t.Notes...), "Other councils' children placed in the area are not counted here: their records were not read for this statement.")
	return out
}

// chartValue is a count as a chart draws it: NaN when suppressed.
func (c *composer) chartValue(n int) float64 {
	if c.w.hidden(n) {
		return math.NaN()
	}
	return float64(n)
}

func (c *composer) countChart(title string, cs []picture.Count, source string) Chart {
	ch := Chart{Kind: Bars, Title: title, Unit: "children", Source: source}
	s := Series{Name: c.area}
	var desc []string
	for _, x := range cs {
		ch.Labels = append(ch.Labels, x.Label)
		s.Values = append(s.Values, c.chartValue(x.N))
		desc = append(desc, x.Label+": "+c.w.count(x.N))
	}
	ch.Series = []Series{s}
	ch.Desc = strings.Join(desc, "; ") + "."
	return ch
}

func (c *composer) groupChart(title string, rows []picture.GroupRow, source string) Chart {
	var cs []picture.Count
	for _, g := range rows {
		if g.Key == "total" || strings.HasPrefix(strings.ToLower(g.Label), "all") {
			continue
		}
		cs = append(cs, picture.Count{Key: g.Key, Label: g.Label, N: g.Children})
	}
	return c.countChart(title, cs, source)
}

func (c *composer) costChart(source string) Chart {
	ch := Chart{Kind: Bars, Title: "Weekly cost of current placements by placement type", Unit: "£ a week", Source: source}
	s := Series{Name: c.area}
	var desc []string
	for _, g := range c.in.Picture.ByGroup {
		if g.Key == "total" || strings.HasPrefix(strings.ToLower(g.Label), "all") || g.Cost.Placements == 0 {
			continue
		}
		ch.Labels = append(ch.Labels, g.Label)
		v := g.Cost.Weekly.Pounds()
		if c.w.hidden(g.Cost.Placements) {
			v = math.NaN()
			desc = append(desc, g.Label+": suppressed")
		} else {
			desc = append(desc, g.Label+": "+pounds(v))
		}
		s.Values = append(s.Values, v)
	}
	ch.Series = []Series{s}
	ch.Desc = strings.Join(desc, "; ") + "."
	return ch
}

func (c *composer) supplyFacts() []SupplyFact {
	var out []SupplyFact
	for _, s := range c.in.Picture.Supply {
		out = append(out, SupplyFact{Label: s.Label, Places: s.Places, Settings: s.Settings, Own: s.OwnChildren, OwnOutside: s.OwnOutOfArea, OtherPlaced: s.InPlacers})
	}
	return out
}

func (c *composer) supplyChart(fs []SupplyFact, source string) Chart {
	ch := Chart{Kind: Bars, Title: "Registered places in the area against the area's children in each kind of home", Unit: "places or children", Source: source}
	places := Series{Name: "Registered places in the area"}
	own := Series{Name: "The area's children in this kind of home"}
	var desc []string
	for _, f := range fs {
		ch.Labels = append(ch.Labels, f.Label)
		places.Values = append(places.Values, float64(f.Places))
		own.Values = append(own.Values, c.chartValue(f.Own))
		desc = append(desc, fmt.Sprintf("%s: %s places, %s children", f.Label, thousands(int64(f.Places)), c.w.count(f.Own)))
	}
	ch.Series = []Series{places, own}
	ch.Desc = strings.Join(desc, "; ") + "."
	return ch
}

// dfeCodes are the scope's councils as the forecast knows them.
func (c *composer) forecastCodes() map[string]bool {
	out := map[string]bool{}
	for _, code := range c.in.Scope.Councils {
		out[code] = true
	}
	return out
}

// forecastFact sums the scope's councils' projections for the last year.
func (c *composer) forecastFact() ForecastFact {
	f := c.in.Forecasts
	if f == nil {
		return ForecastFact{}
	}
	codes := c.forecastCodes()
	ff := ForecastFact{Origin: f.Origin, Year: f.Origin + f.Years}
	seen := map[string]bool{}
	for _, p := range f.Projections {
		if !codes[p.Code] || p.Year != ff.Year {
			continue
		}
		ff.Now += p.Last
		ff.Median += p.Median
		ff.Low += p.P10
		ff.High += p.P90
		seen[p.Code] = true
	}
	ff.Councils = len(seen)
	if ff.Councils == 0 {
		return ForecastFact{}
	}
	return ff
}

func (c *composer) forecastSection(ff ForecastFact) {
	f := c.in.Forecasts
	if f == nil || ff.Councils == 0 {
		c.para("No published forecast is available for these councils.")
		return
	}
	c.para(forecastSentence(c.area, ff))
	c.para(fmt.Sprintf("Method: the published-statistics model (%s) forecasts each council's children in care at 31 March from the DfE's published figures up to 31 March %d (years %s): the change expected from the region's recent trend, the council's own trend shrunk toward its region's, the next year implied by its latest starts and ceases, and a pull back toward England's rate where the council's rate is unusually high or low. The weights are shared by all councils and refitted for each year ahead; the interval comes from the model's own errors on earlier years. The method is set out in docs/METHOD.md.", f.ModelVersion, f.Origin, f.DataYears))
	codes := c.forecastCodes()
	years := map[int]*[4]float64{} // now? median, p10, p90
	var order []int
	lastStock := 0.0
	for _, p := range f.Projections {
		if !codes[p.Code] {
			continue
		}
		v, ok := years[p.Year]
		if !ok {
			v = &[4]float64{}
			years[p.Year] = v
			order = append(order, p.Year)
		}
		v[0] += p.Median
		v[1] += p.P10
		v[2] += p.P90
		if p.Year == f.Origin+1 {
			lastStock += p.Last
		}
	}
	sort.Ints(order)
	t := tabular.Table{Title: "Forecast of children in care at 31 March", Columns: []tabular.Column{{Name: "Year"},
		{Name: "Forecast (median)", Kind: tabular.Number}, {Name: "Low (10th percentile)", Kind: tabular.Number}, {Name: "High (90th percentile)", Kind: tabular.Number}}}
	t.AddRow(fmt.Sprintf("31 March %d (published)", f.Origin), lastStock, lastStock, lastStock)
	labels := []string{fmt.Sprint(f.Origin)}
	med := Series{Name: "Forecast (median)", Values: []float64{lastStock}, Low: []float64{lastStock}, High: []float64{lastStock}, Dashed: true}
	for _, y := range order {
		v := years[y]
		t.AddRow(fmt.Sprintf("31 March %d", y), math.Round(v[0]), math.Round(v[1]), math.Round(v[2]))
		labels = append(labels, fmt.Sprint(y))
		med.Values = append(med.Values, v[0])
		med.Low = append(med.Low, v[1])
		med.High = append(med.High, v[2])
	}
	// History: the published stock of the scope's councils.
	hist := Series{Name: "Published (31 March)"}
	var histLabels []string
	for y := f.Origin - 5; y <= f.Origin; y++ {
		sum, ok := 0.0, true
		for code := range codes {
			row, have := refdata.CLATotalsFor(code, y)
			n, known := row.CLA31Mar.Int()
			if !have || !known {
				ok = false
				break
			}
			sum += float64(n)
		}
		histLabels = append(histLabels, fmt.Sprint(y))
		if ok {
			hist.Values = append(hist.Values, sum)
		} else {
			hist.Values = append(hist.Values, math.NaN())
		}
	}
	all := append(histLabels, labels[1:]...)
	pad := func(s Series, before int) Series {
		nan := func(n int) []float64 {
			out := make([]float64, n)
			for i := range out {
				out[i] = math.NaN()
			}
			return out
		}
		s.Values = append(nan(before), s.Values...)
		if s.Low != nil {
			s.Low = append(nan(before), s.Low...)
			s.High = append(nan(before), s.High...)
		}
		return s
	}
	hist.Values = append(hist.Values, make([]float64, len(order))...)
	for i := len(histLabels); i < len(hist.Values); i++ {
		hist.Values[i] = math.NaN()
	}
	c.chart(Chart{Kind: Line, Title: "Children in care: published figures and forecast with 80% interval", Labels: all,
		Series: []Series{hist, pad(med, len(histLabels)-1)}, Unit: "children", Source: "DfE published figures; forecast by the published-statistics model",
		Desc: forecastSentence(c.area, ff)})
	src := fmt.Sprintf("Forecast by the published-statistics model (%s) from DfE published figures to 31 March %d", f.ModelVersion, f.Origin)
	if ff.Councils > 1 {
		t.Notes = append(t.Notes, fmt.Sprintf("The sum of %d councils' forecasts: medians and percentiles are added, so the interval is wider than a joint interval would be.", ff.Councils))
	}
	c.table(t, src, false)
	for h := 1; h <= accuracyHorizons; h++ {
		var model, naive Accuracy
		for _, a := range f.Accuracy {
			if a.Horizon == h && a.Method == "pooled_growth" {
				model = a
			}
			if a.Horizon == h && a.Method == "last_value" {
				naive = a
			}
		}
		if h == 1 {
			c.para(accuracySentence(AccuracyFact{Horizon: h, ModelMAPE: model.MAPE, NaiveMAPE: naive.MAPE, Coverage80: model.Coverage80, Forecasts: model.Forecasts}))
		}
	}
	at := tabular.Table{Title: "Backtested accuracy of the forecast", Columns: []tabular.Column{{Name: "Method"}, {Name: "Years ahead", Kind: tabular.Number},
		{Name: "Forecasts scored", Kind: tabular.Number}, {Name: "Mean absolute % error", Kind: tabular.Number}, {Name: "80% interval held the outcome (%)", Kind: tabular.Number}, {Name: "Weighted interval score (% of outcome)", Kind: tabular.Number}}}
	methodName := map[string]string{"pooled_growth": "This model", "last_value": "No change (last value)", "linear_trend": "Straight-line trend (5 years)"}
	for _, a := range f.Accuracy {
		var cov, wis any
		if !math.IsNaN(a.Coverage80) {
			cov = 100 * a.Coverage80
		}
		if !math.IsNaN(a.WIS) {
			wis = a.WIS
		}
		name := methodName[a.Method]
		if name == "" {
			name = a.Method
		}
		at.AddRow(name, float64(a.Horizon), float64(a.Forecasts), a.MAPE, cov, wis)
	}
	at.Notes = append(at.Notes, fmt.Sprintf("Every council with more than a handful of children in care, forecast from each origin %s using only the figures published up to it, scored against what was later published. Lower errors are better; a well-calibrated 80%% interval holds the outcome about 80%% of the time.", yearsList(f.BacktestFrom)))
	c.table(at, "Backtest of the published-statistics model against DfE published figures", false)
}

func yearsList(ys []int) string {
	if len(ys) == 0 {
		return "(none)"
	}
	return fmt.Sprintf("%d to %d", ys[0], ys[len(ys)-1])
}

func (c *composer) leaversSection(data string) {
	l := c.in.Leavers
	if l == nil || len(l.With) == 0 {
		c.para("No OC3 table (care leavers aged 17 to 21) is loaded for the latest whole year, so care leavers cannot be described.")
		return
	}
	young, old := l.group("aged 17 and 18", 17, 18), l.group("aged 19 to 21", 19, 21)
	all := l.group("aged 17 to 21", 17, 21)
	c.para(c.w.leaverSentence(l.Year, all))
	c.para(c.w.leaverCompare(young, old))
	if l.StayingPut > 0 {
		c.para(fmt.Sprintf("%s young people left care at 18 or over in the year and stayed with their carers (reason E17, which includes staying put).", firstUpper(c.w.count(l.StayingPut))))
	} else {
		c.para("No young person left care at 18 or over in the year to stay with their carers (reason E17, which includes staying put).")
	}
	if len(l.Without) > 0 {
		c.para(fmt.Sprintf("No OC3 table is loaded for %s for that year; they are left out.", joinAnd(l.Without)))
	}
	t := tabular.Table{Title: fmt.Sprintf("Care leavers by age in the year to 31 March %d", l.Year), Columns: []tabular.Column{{Name: "Age"},
		{Name: "Care leavers", Kind: tabular.Count}, {Name: "In touch", Kind: tabular.Count}, {Name: "Suitable accommodation", Kind: tabular.Count},
		{Name: "Unsuitable accommodation", Kind: tabular.Count}, {Name: "In education, employment or training", Kind: tabular.Count},
		{Name: "Not in education, employment or training", Kind: tabular.Count}, {Name: "% suitable", Kind: tabular.Percent, Base: "Suitable accommodation"},
		{Name: "% in EET", Kind: tabular.Percent, Base: "In education, employment or training"}}, TotalRow: true}
	row := func(label string, f LeaverFact) {
		t.AddRow(label, f.All, f.InTouch, f.Suitable, f.Unsuitable, f.EET, f.NEET, tabular.Pct(f.Suitable, f.All), tabular.Pct(f.EET, f.All))
	}
	for i, f := range l.ByAge {
		row(fmt.Sprint(17+i), f)
	}
	row("17 to 21", all)
	t.Notes = append(t.Notes, "Age on 31 March: the OC3 cohort is young people whose 17th to 21st birthday fell in the year and who were looked after at 16 or later. Suitability is the DfE's judgement recorded with the accommodation code; education, employment or training counts full- and part-time activity codes.")
	c.table(t, data+", OC3 table", true)
	acc := tabular.Table{Title: "Care leavers by accommodation", Columns: []tabular.Column{{Name: "Accommodation"}, {Name: "Care leavers", Kind: tabular.Count}}}
	var keys []string
	for k := range l.Accommodation {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if l.Accommodation[keys[i]] != l.Accommodation[keys[j]] {
			return l.Accommodation[keys[i]] > l.Accommodation[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		acc.AddRow(k, l.Accommodation[k])
	}
	c.table(acc, data+", OC3 table", true)
}

func (c *composer) intentions() {
	md := strings.TrimSpace(c.in.Intentions)
	if md == "" {
		c.para("The council has not yet written its commissioning intentions: in-house growth, block contracts, partnerships and capital projects, each with an owner and a review date. Written in Markdown (headings, paragraphs and lists), they appear here when the statement is made again.")
		return
	}
	for _, b := range parseMarkdown(md) {
		c.sec.Blocks = append(c.sec.Blocks, b)
	}
	if c.in.IntentionsSource != "" {
		c.r.Sources = append(c.r.Sources, Source{Name: "Commissioning intentions", Detail: "Written by the council: " + c.in.IntentionsSource, Date: day(c.in.Made)})
	}
}

func (c *composer) marketPosition(facts []SupplyFact) {
	c.para(fmt.Sprintf("This section tells providers what %s needs, from the figures above. It is written from the data; the council adds its contracting routes and contacts in its commissioning intentions.", c.area))
	sorted := append([]SupplyFact(nil), facts...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].OwnOutside > sorted[j].OwnOutside })
	var buy []string
	for _, f := range sorted {
		if f.OwnOutside <= 0 {
			continue
		}
		buy = append(buy, fmt.Sprintf("%s in %s: %s of our children in %s live outside %s today.", firstUpper(kindPhrase(f.Label)), c.area, c.w.count(f.OwnOutside), kindPhrase(f.Label), c.area))
	}
	if len(buy) > 0 {
		c.heading("What we want to buy, and where")
		c.list(buy)
	} else {
		c.para("No kind of registered provision has children of the area placed outside it, so no gap in location is shown by the figures.")
	}
	var needs []string
	tiers := map[care.NeedsTier]int{}
	held := 0
	cen := takeCensus(c.in.Episodes, c.in.Scope.Councils, []time.Time{c.in.At})
	kids := map[childKey]care.Child{}
	for _, ch := range c.in.Children {
		kids[childKey{ch.Council, ch.ID}] = ch
	}
	for k, e := range cen.current[0] {
		g := e.Placement.Group()
		if g != care.GroupChildrensHome && g != care.GroupSecure {
			continue
		}
		if t := kids[k].Needs.Tier; t != care.TierUnknown {
			tiers[t]++
			held++
		}
	}
	if held > 0 {
		for _, t := range []care.NeedsTier{care.TierHighly, care.TierComplex, care.TierEnhanced, care.TierStandard} {
			if tiers[t] > 0 {
				needs = append(needs, fmt.Sprintf("%s needs: %s children in children's homes now.", t.Label(), c.w.count(tiers[t])))
			}
		}
		c.heading("For which needs")
		c.list(needs)
	}
	var prices []string
	for _, pr := range c.in.Market.Prices {
		if pr.Placements == 0 || c.w.hidden(pr.Placements) {
			continue
		}
		prices = append(prices, fmt.Sprintf("%s (%s): median %s a week over %s current placements.", pr.Group.Label(), providerWord(pr.Provider), pounds(pr.Median.Pounds()), c.w.count(pr.Placements)))
	}
	if len(prices) > 0 {
		c.heading("What we pay today")
		c.list(prices)
	}
}

func providerWord(p care.ProviderType) string {
	if p == "" {
		return "provider not recorded"
	}
	if l := p.Label(); l != "" {
		return lowerFirst(l)
	}
	return string(p)
}

// SameCouncils reports whether a and b hold the same councils (in any
// order): a scenario run belongs to a statement's area only if it does.
func SameCouncils(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]bool{}
	for _, c := range a {
		in[c] = true
	}
	for _, c := range b {
		if !in[c] {
			return false
		}
	}
	return true
}
