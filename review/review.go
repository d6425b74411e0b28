package review

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/tabular"
)

// Locator measures the distance between two postcodes (the CLI adapts
// package geo; DfE method). ok is false when either postcode is unknown.
type Locator interface {
	Miles(from, to string) (miles float64, ok bool)
}

// StatutoryReview is one review of a child's care plan (SSDA903 Reviews
// table: CHILD, REVIEW date).
type StatutoryReview struct {
	Council string
	ChildID string
	Date    time.Time
}

// MissingEpisode is one episode of a child being missing from placement or
// away without authorisation (SSDA903 Missing table: CHILD, MISSING, MIS_START).
type MissingEpisode struct {
	Council string
	ChildID string
	Start   time.Time
	Absent  bool // MISSING = A (away without authorisation) rather than M (missing)
}

// EpisodeKey identifies an episode: council, child and start date.
type EpisodeKey struct {
	Council string
	ChildID string
	Start   time.Time
}

// Input is what Build reviews.
type Input struct {
	// Scope lists the councils whose children are reviewed.
	Scope []string
	// Children and Episodes as the store gives them (episodes ordered by
	// child then start; they are sorted if not).
	Children []care.Child
	Episodes []care.Episode
	// Provisions is the Ofsted register (URN = ID), for ratings and URNs.
	// When nil, the home-rating rule and the URN checks are not evaluated.
	Provisions []care.Provision
	// Locate measures distance from home; nil leaves the distance rule
	// unevaluated.
	Locate Locator
	// DistanceReasons are recorded reasons for placing a child far from home,
	// by episode (optional; SSDA903 has no such field).
	DistanceReasons map[EpisodeKey]string
	// Reviews are the statutory reviews held (optional). When nil the
	// review-overdue rule is not evaluated and the worklist says so.
	Reviews []StatutoryReview
	// Missing are the missing-from-placement episodes held (optional). When
	// nil the missing rule is not evaluated and the worklist says so.
	Missing []MissingEpisode
}

// Flag is one rule flagging one placement, with why.
type Flag struct {
	Rule   string  // rule id
	Detail string  // the figures behind it, e.g. "34.2 miles", "£7,400 > p90 £6,100"
	Weight float64 // the rule's weight
}

// Item is one current placement on the worklist.
type Item struct {
	Council     string
	ChildID     string
	Age         int
	Tier        care.NeedsTier
	Placement   care.PlacementType
	Group       care.PlacementGroup
	Provider    care.ProviderType
	URN         string
	Since       time.Time // start of the current placement
	Miles       float64   // distance from home; MilesKnown false when not known
	MilesKnown  bool
	WeeklyCost  care.Pence
	Funding     care.Funding
	Flags       []Flag
	Priority    float64    // sum of the flags' weights
	Saving      care.Pence // estimated weekly saving if stepped down (step-down candidates only)
	StepDownFor care.Pence // the weekly price of the placement assumed for the saving
	StepDownTo  string     // the alternative placement chosen for the child (step-down candidates only)
}

// FlaggedBy reports whether the rule with this id flagged the item.
func (it Item) FlaggedBy(id string) bool {
	for _, f := range it.Flags {
		if f.Rule == id {
			return true
		}
	}
	return false
}

// RuleResult says how a rule fared over the whole review.
type RuleResult struct {
	Rule      Rule
	Evaluated bool   // false when the data it needs was not available
	Why       string // why it was not evaluated, or the threshold it used
	Flagged   int
}

// Funders splits money between funders (see care.Funding); NotSplit is the
// part with no recorded split.
type Funders struct {
	SocialCare, Education, Health, NotSplit care.Pence
}

// Total returns the sum over funders.
func (f Funders) Total() care.Pence { return f.SocialCare + f.Education + f.Health + f.NotSplit }

// StepDown sums the step-down candidates.
type StepDown struct {
	Considered   int        // current placements in the residential groups the step-down rules review
	Candidates   int        // children flagged by a residential_without_complex_needs rule
	WeeklySaving care.Pence // sum of their estimated weekly savings
	PlacesFreed  int        // residential places that would be freed
	ByFunder     Funders    // the weekly saving by funder, in proportion to each placement's split
}

// AnnualSaving returns the weekly saving over 52 weeks.
func (s StepDown) AnnualSaving() care.Pence { return s.WeeklySaving * 52 }

// Worklist is the result of a review.
type Worklist struct {
	At       time.Time
	Reviewed int    // current placements reviewed
	Items    []Item // flagged placements, highest priority first
	Rules    []RuleResult
	StepDown StepDown
	// Flagged is the weekly cost of the flagged placements by funder.
	Flagged Funders
}

// Build reviews every current placement of the children of in.Scope at the
// end of day at against the rules. A rule whose data is missing is reported
// as not evaluated rather than flagging nothing silently.
func Build(in Input, rules []Rule, at time.Time) Worklist {
	at = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	w := Worklist{At: at}
	scope := map[string]bool{}
	for _, s := range in.Scope {
		scope[s] = true
	}
	children := map[[2]string]*care.Child{}
	for i := range in.Children {
		c := &in.Children[i]
		if scope[c.Council] {
			children[[2]string{c.Council, c.ID}] = c
		}
	}
	register := map[string]*care.Provision{}
	for i := range in.Provisions {
		register[in.Provisions[i].ID] = &in.Provisions[i]
	}
	reviews := map[[2]string][]time.Time{}
	for _, r := range in.Reviews {
		k := [2]string{r.Council, r.ChildID}
		reviews[k] = append(reviews[k], r.Date)
	}
	for _, ds := range reviews {
		sort.Slice(ds, func(i, j int) bool { return ds[i].Before(ds[j]) })
	}
	missing := map[[2]string][]MissingEpisode{}
	for _, m := range in.Missing {
		k := [2]string{m.Council, m.ChildID}
		missing[k] = append(missing[k], m)
	}

	// One pass over the children: the current placement and what the rules need.
	type current struct {
		item   Item
		run    []care.Episode
		i      int
		sibKey string
		place  string
		inYear int
		period time.Time
		ep     care.Episode
		needs  care.NeedsProfile
	}
	var cur []current
	eps := sortEpisodes(in.Episodes)
	from := care.MonthsBefore(at, 12) // 29 Feb: from 28 Feb, not 1 Mar
	for lo := 0; lo < len(eps); {
		hi := lo + 1
		for hi < len(eps) && eps[hi].Council == eps[lo].Council && eps[hi].ChildID == eps[lo].ChildID {
			hi++
		}
		run := eps[lo:hi]
		lo = hi
		if !scope[run[0].Council] {
			continue
		}
		i := care.Current(run, at)
		if i < 0 {
			continue
		}
		e := run[i]
		var ch care.Child
		if c := children[[2]string{e.Council, e.ChildID}]; c != nil {
			ch = *c
		}
		it := Item{
			Council: e.Council, ChildID: e.ChildID, Age: ch.AgeOn(at), Tier: ch.Needs.Tier,
			Placement: e.Placement, Group: e.Placement.Group(), Provider: e.Provider, URN: e.URN,
			Since: care.PlacementStart(run, i), WeeklyCost: e.WeeklyCost, Funding: e.Funding,
		}
		if in.Locate != nil && e.HomePostcode != "" && e.PlacementPostcode != "" {
			it.Miles, it.MilesKnown = in.Locate.Miles(e.HomePostcode, e.PlacementPostcode)
		}
		c := current{item: it, run: run, i: i, place: care.PlacementKey(e), period: care.PeriodStart(run, i), ep: e, needs: ch.Needs}
		if home := care.NormalisePostcode(e.HomePostcode); home != "" {
			c.sibKey = e.Council + "|" + c.period.Format("2006-01-02") + "|" + home
		}
		c.inYear = care.PlacementsInYear(run, from, at)
		cur = append(cur, c)
	}
	w.Reviewed = len(cur)

	// Sibling groups placed apart. Children placed for adoption or with
	// parents (a rule's exempt groups) are left out: their placement is not
	// one the council chose apart from their brothers and sisters.
	var sibExempt []care.PlacementGroup
	for _, r := range rules {
		if r.Kind == KindSiblingsApart {
			sibExempt = append(sibExempt, r.Params.ExemptGroups...)
		}
	}
	sibPlaces := map[string]map[string]int{}
	for _, c := range cur {
		if c.sibKey == "" || inGroups(c.item.Group, sibExempt) {
			continue
		}
		if sibPlaces[c.sibKey] == nil {
			sibPlaces[c.sibKey] = map[string]int{}
		}
		sibPlaces[c.sibKey][c.place]++
	}

	// Cost percentiles by placement group and needs tier: like with like, so
	// a children's home is never judged against foster care's prices.
	type costKey struct {
		group care.PlacementGroup
		tier  care.NeedsTier
	}
	costsByTier := map[costKey][]care.Pence{}
	for _, c := range cur {
		if c.item.WeeklyCost > 0 {
			k := costKey{c.item.Group, c.item.Tier}
			costsByTier[k] = append(costsByTier[k], c.item.WeeklyCost)
		}
	}
	for _, cs := range costsByTier {
		sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	}

	for _, rule := range rules {
		res := RuleResult{Rule: rule, Evaluated: true}
		p := rule.Params
		var thresholds map[costKey]care.Pence
		var stepDownPrice care.Pence
		var alternatives []pricedAlternative
		var notFlagged map[string]int
		switch rule.Kind {
		case KindFarWithoutReason:
			if in.Locate == nil {
				res.Evaluated, res.Why = false, "no postcode locator: distances not known"
			}
		case KindHomeRating:
			if in.Provisions == nil {
				res.Evaluated, res.Why = false, "no Ofsted register loaded"
			}
		case KindReviewOverdue:
			if in.Reviews == nil {
				res.Evaluated, res.Why = false, "no review records (SSDA903 Reviews table) available"
			}
		case KindMissingInYear:
			if in.Missing == nil {
				res.Evaluated, res.Why = false, "no missing records (SSDA903 Missing table) available"
			}
		case KindCostAbovePercentile:
			thresholds = map[costKey]care.Pence{}
			var why []string
			for _, g := range care.PlacementGroups {
				var parts []string
				for _, tier := range []care.NeedsTier{care.TierUnknown, care.TierStandard, care.TierEnhanced, care.TierComplex, care.TierHighly} {
					k := costKey{g, tier}
					cs := costsByTier[k]
					if len(cs) < max(p.MinPeers, 1) {
						continue
					}
					thresholds[k] = Percentile(cs, p.Percentile)
					parts = append(parts, fmt.Sprintf("%s %s", tierName(tier), pounds(thresholds[k])))
				}
				if len(parts) > 0 {
					why = append(why, g.Label()+": "+strings.Join(parts, ", "))
				}
			}
			if len(thresholds) == 0 {
				res.Evaluated, res.Why = false, fmt.Sprintf("fewer than %d costed placements of any one type and needs tier", p.MinPeers)
			} else {
				res.Why = fmt.Sprintf("p%g of placements of the same type and needs tier; %s", p.Percentile, strings.Join(why, "; "))
			}
		case KindResidentialNotComplex:
			if len(p.Alternatives) > 0 {
				var peers []peer
				for _, c := range cur {
					if c.item.WeeklyCost > 0 {
						peers = append(peers, peer{c.item.Group, c.item.Age, c.item.Tier, c.item.WeeklyCost})
					}
				}
				alternatives = priceAlternatives(p, peers)
				notFlagged = map[string]int{}
				var why []string
				for _, a := range alternatives {
					why = append(why, a.Label+" "+a.basis)
				}
				res.Why = "priced at the alternative that fits the child's age, needs tier and risks: " + strings.Join(why, "; ")
				break
			}
			stepDownPrice = care.FromPounds(p.StepDownWeekly)
			var peers []care.Pence
			for _, c := range cur {
				if c.item.WeeklyCost > 0 && inGroups(c.item.Group, p.StepDownGroups) {
					peers = append(peers, c.item.WeeklyCost)
				}
			}
			if len(p.StepDownGroups) > 0 && len(peers) >= max(p.MinPeers, 1) {
				sort.Slice(peers, func(i, j int) bool { return peers[i] < peers[j] })
				stepDownPrice = Percentile(peers, 50)
				res.Why = fmt.Sprintf("saving against the median weekly cost of current %s placements, %s", strings.Join(groupNames(p.StepDownGroups), ", "), pounds(stepDownPrice))
			} else {
				res.Why = fmt.Sprintf("saving against a configured weekly price of %s", pounds(stepDownPrice))
			}
		}
		if !res.Evaluated {
			w.Rules = append(w.Rules, res)
			continue
		}
		for k := range cur {
			c := &cur[k]
			it := &c.item
			detail, hit := "", false
			switch rule.Kind {
			case KindResidentialNotComplex:
				if alternatives != nil {
					hit, detail = stepDownAlternative(c.item.Group, it, c.needs, at, p, alternatives, notFlagged)
					break
				}
				if inGroups(it.Group, p.Groups) && !it.Tier.SevereOrComplex() && (it.Tier != care.TierUnknown || p.IncludeUnknownTier) {
					hit = true
					detail = fmt.Sprintf("needs tier %d", it.Tier)
					if it.Tier == care.TierUnknown {
						detail = "needs tier not recorded"
					}
					if it.WeeklyCost > 0 && stepDownPrice > 0 && it.WeeklyCost > stepDownPrice {
						it.Saving = it.WeeklyCost - stepDownPrice
						it.StepDownFor = stepDownPrice
						detail += fmt.Sprintf("; saving about %s a week", pounds(it.Saving))
					}
				}
			case KindFarWithoutReason:
				key := EpisodeKey{c.ep.Council, c.ep.ChildID, c.ep.Start}
				if it.MilesKnown && it.Miles > p.Miles && in.DistanceReasons[key] == "" && !inGroups(it.Group, p.ExemptGroups) {
					hit, detail = true, fmt.Sprintf("%.1f miles from home", it.Miles)
				}
			case KindCostAbovePercentile:
				if th, ok := thresholds[costKey{it.Group, it.Tier}]; ok && it.WeeklyCost > th {
					hit, detail = true, fmt.Sprintf("%s a week, above %s (p%g for a %s, needs %s)", pounds(it.WeeklyCost), pounds(th), p.Percentile, strings.ToLower(it.Group.Label()), tierName(it.Tier))
				}
			case KindHomeRating:
				if pv := register[care.SettingURN(c.ep)]; care.SettingURN(c.ep) != "" && pv != nil { // a home's rating, not a fostering agency's
					for _, r := range p.Ratings {
						if pv.Rating == r {
							hit, detail = true, fmt.Sprintf("URN %s rated %s", it.URN, r)
						}
					}
				}
			case KindPlacementTypes:
				code := string(it.Placement)
				if contains(p.Placements, code) {
					hit, detail = true, "placement type "+code
				} else if contains(p.RequireURN, code) {
					switch {
					case it.URN == "":
						hit, detail = true, "placement type "+code+" with no Ofsted URN"
					case in.Provisions != nil && register[it.URN] == nil:
						hit, detail = true, "URN "+it.URN+" is not on the Ofsted register"
					}
				}
			case KindPlacementsInYear:
				if c.inYear >= p.MinPlacements {
					hit, detail = true, fmt.Sprintf("%d placements in 12 months", c.inYear)
				}
			case KindSiblingsApart:
				if c.sibKey != "" {
					places := sibPlaces[c.sibKey]
					n := 0
					for _, v := range places {
						n += v
					}
					if n >= 2 && len(places) > 1 {
						hit, detail = true, fmt.Sprintf("%d siblings in %d placements", n, len(places))
					}
				}
			case KindMissingInYear:
				n := 0
				for _, m := range missing[[2]string{it.Council, it.ChildID}] {
					if m.Start.After(from) && !m.Start.After(at) && (!m.Absent || p.IncludeAbsent) {
						n++
					}
				}
				if n >= p.MinEpisodes {
					hit, detail = true, fmt.Sprintf("missing %d times in 12 months", n)
				}
			case KindReviewOverdue:
				due := NextReviewDue(c.period, reviews[[2]string{it.Council, it.ChildID}], p)
				if at.After(due) {
					hit, detail = true, fmt.Sprintf("review due %s, %d days overdue", due.Format("2 Jan 2006"), int(at.Sub(due).Hours()/24))
				}
			}
			if hit {
				it.Flags = append(it.Flags, Flag{Rule: rule.ID, Detail: detail, Weight: rule.Weight})
				it.Priority += rule.Weight
				res.Flagged++
			}
		}
		if notFlagged != nil {
			var parts []string
			for _, reason := range notFlaggedReasons {
				if n := notFlagged[reason]; n > 0 {
					parts = append(parts, fmt.Sprintf("%d %s", n, reason))
				}
			}
			if len(parts) > 0 {
				res.Why += "; not flagged: " + strings.Join(parts, ", ")
			}
		}
		w.Rules = append(w.Rules, res)
	}

	stepDownRules := map[string]bool{}
	var stepDownGroups []care.PlacementGroup
	for _, r := range rules {
		if r.Kind == KindResidentialNotComplex {
			stepDownRules[r.ID] = true
			stepDownGroups = append(stepDownGroups, r.Params.Groups...)
		}
	}
	for _, c := range cur {
		if inGroups(c.item.Group, stepDownGroups) {
			w.StepDown.Considered++
		}
	}
	for _, c := range cur {
		it := c.item
		if len(it.Flags) == 0 {
			continue
		}
		w.Items = append(w.Items, it)
		w.Flagged.add(it.WeeklyCost, it.Funding, it.WeeklyCost)
		for _, f := range it.Flags {
			if stepDownRules[f.Rule] {
				w.StepDown.Candidates++
				w.StepDown.PlacesFreed++
				w.StepDown.WeeklySaving += it.Saving
				w.StepDown.ByFunder.add(it.WeeklyCost, it.Funding, it.Saving)
				break
			}
		}
	}
	sort.SliceStable(w.Items, func(i, j int) bool {
		a, b := w.Items[i], w.Items[j]
		if a.Priority != b.Priority {
			return a.Priority > b.Priority
		}
		if a.WeeklyCost != b.WeeklyCost {
			return a.WeeklyCost > b.WeeklyCost
		}
		if a.Council != b.Council {
			return a.Council < b.Council
		}
		return a.ChildID < b.ChildID
	})
	return w
}

// add splits amount between funders in proportion to a placement's funding
// split (cost with parts f; the cost the parts do not cover is not split);
// with no split recorded it is all NotSplit. The shares are whole pence by
// largest remainder, so they add up to amount exactly and none is negative
// (rounding each share on its own gave parts summing to a penny more than
// the amount, and a "Not split" of −1p per placement).
func (fs *Funders) add(cost care.Pence, f care.Funding, amount care.Pence) {
	parts := f.SocialCare + f.Education + f.Health
	if parts == 0 || cost <= 0 {
		fs.NotSplit += amount
		return
	}
	base := max(cost, parts)
	got := splitPence(amount, []care.Pence{f.SocialCare, f.Education, f.Health, base - parts})
	fs.SocialCare += got[0]
	fs.Education += got[1]
	fs.Health += got[2]
	fs.NotSplit += got[3]
}

// splitPence shares amount in proportion to weights (not negative, some
// positive) in whole pence that add up to amount: each share rounded down,
// the pence left over going one each to the largest remainders (the first
// on a tie).
func splitPence(amount care.Pence, weights []care.Pence) []care.Pence {
	if amount < 0 {
		out := splitPence(-amount, weights)
		for i := range out {
			out[i] = -out[i]
		}
		return out
	}
	var total float64
	for _, w := range weights {
		total += float64(max(w, 0))
	}
	out := make([]care.Pence, len(weights))
	rem := make([]float64, len(weights))
	left := amount
	for i, w := range weights {
		exact := float64(amount) * float64(max(w, 0)) / total
		out[i] = care.Pence(math.Floor(exact))
		rem[i] = exact - float64(out[i])
		left -= out[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// NextReviewDue returns when the child's next statutory review is due, given
// the start of the current period of care and the reviews held (sorted):
// first_days after the start, second_days after the first review, then
// later_days after the latest. Reviews before the period started are ignored.
func NextReviewDue(periodStart time.Time, reviews []time.Time, p Params) time.Time {
	var held []time.Time
	for _, r := range reviews {
		if !r.Before(periodStart) {
			held = append(held, r)
		}
	}
	switch len(held) {
	case 0:
		return periodStart.AddDate(0, 0, p.FirstDays)
	case 1:
		return held[0].AddDate(0, 0, p.SecondDays)
	}
	return held[len(held)-1].AddDate(0, 0, p.LaterDays)
}

// Percentile returns the p-th percentile (0 < p < 100) of sorted values by
// the nearest-rank method: the smallest value with at least p% of values at
// or below it.
func Percentile(sorted []care.Pence, p float64) care.Pence {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func sortEpisodes(eps []care.Episode) []care.Episode {
	less := func(a, b *care.Episode) bool {
		if a.Council != b.Council {
			return a.Council < b.Council
		}
		if a.ChildID != b.ChildID {
			return a.ChildID < b.ChildID
		}
		return a.Start.Before(b.Start)
	}
	for i := 1; i < len(eps); i++ {
		if less(&eps[i], &eps[i-1]) {
			out := append([]care.Episode(nil), eps...)
			sort.SliceStable(out, func(i, j int) bool { return less(&out[i], &out[j]) })
			return out
		}
	}
	return eps
}

func inGroups(g care.PlacementGroup, gs []care.PlacementGroup) bool {
	for _, x := range gs {
		if x == g {
			return true
		}
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func groupNames(gs []care.PlacementGroup) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Label())
	}
	return out
}

func pounds(p care.Pence) string { return tabular.Format(tabular.Column{Kind: tabular.Money}, p) }

// Reasons a residential placement is not flagged for step-down, in the order
// the rule's basis lists them.
var notFlaggedReasons = []string{
	"with severe or complex needs",
	"with needs tier not recorded",
	"placed for less than the minimum weeks",
	"with no alternative that fits their age, needs and risks",
}

type peer struct {
	group care.PlacementGroup
	age   int
	tier  care.NeedsTier
	cost  care.Pence
}

// pricedAlternative is a step-down alternative with its weekly price and how
// it was found.
type pricedAlternative struct {
	Alternative
	price care.Pence
	basis string
}

// priceAlternatives prices each alternative at the median weekly cost of the
// current placements of its price groups for children of its ages and tiers
// (at least params.min_peers of them; otherwise of its price groups at any
// age and tier), never below its floor.
func priceAlternatives(p Params, peers []peer) []pricedAlternative {
	out := make([]pricedAlternative, 0, len(p.Alternatives))
	for _, a := range p.Alternatives {
		var like, all []care.Pence
		for _, x := range peers {
			if !inGroups(x.group, a.PriceGroups) {
				continue
			}
			all = append(all, x.cost)
			tierOK := false
			for _, t := range a.Tiers {
				tierOK = tierOK || t == x.tier
			}
			if tierOK && x.age >= a.MinAge && x.age <= a.MaxAge {
				like = append(like, x.cost)
			}
		}
		floor := care.FromPounds(a.MinWeeklyPounds)
		pa := pricedAlternative{Alternative: a, price: floor}
		need := max(p.MinPeers, 1)
		var median care.Pence
		var from string
		switch {
		case len(like) >= need:
			sort.Slice(like, func(i, j int) bool { return like[i] < like[j] })
			median, from = Percentile(like, 50), fmt.Sprintf("median of %d current placements of these ages and tiers", len(like))
		case len(all) >= need:
			sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
			median, from = Percentile(all, 50), fmt.Sprintf("median of %d current placements of any age and tier", len(all))
		}
		switch {
		case median == 0:
			pa.basis = fmt.Sprintf("%s a week (the configured price: fewer than %d current placements to price it)", pounds(floor), need)
		case median < floor:
			pa.basis = fmt.Sprintf("%s a week (the configured floor, above the %s, %s)", pounds(floor), from, pounds(median))
		default:
			pa.price = median
			pa.basis = fmt.Sprintf("%s a week (%s)", pounds(median), from)
		}
		out = append(out, pa)
	}
	return out
}

// stepDownAlternative decides whether a residential placement is a step-down
// candidate under rules with alternatives, choosing the first alternative
// that fits the child and pricing the saving at it. Placements not flagged
// are counted by reason in notFlagged.
func stepDownAlternative(g care.PlacementGroup, it *Item, needs care.NeedsProfile, at time.Time, p Params, alts []pricedAlternative, notFlagged map[string]int) (bool, string) {
	if !inGroups(g, p.Groups) {
		return false, ""
	}
	switch {
	case it.Tier.SevereOrComplex():
		notFlagged[notFlaggedReasons[0]]++
		return false, ""
	case it.Tier == care.TierUnknown && !p.IncludeUnknownTier:
		notFlagged[notFlaggedReasons[1]]++
		return false, ""
	case p.MinWeeksInPlacement > 0 && !it.Since.IsZero() && at.Sub(it.Since) < time.Duration(p.MinWeeksInPlacement)*7*24*time.Hour:
		notFlagged[notFlaggedReasons[2]]++
		return false, ""
	}
	for _, a := range alts {
		if !a.fits(it.Age, it.Tier, needs) {
			continue
		}
		detail := fmt.Sprintf("needs %s; could step down to %s at %s a week", tierName(it.Tier), strings.ToLower(a.Label[:1])+a.Label[1:], pounds(a.price))
		it.StepDownTo, it.StepDownFor = a.Label, a.price
		if it.WeeklyCost > 0 && a.price > 0 && it.WeeklyCost > a.price {
			it.Saving = it.WeeklyCost - a.price
			detail += fmt.Sprintf(", saving about %s a week", pounds(it.Saving))
		}
		return true, detail
	}
	notFlagged[notFlaggedReasons[3]]++
	return false, ""
}

// tierName names a needs tier in words.
func tierName(t care.NeedsTier) string {
	switch t {
	case care.TierStandard:
		return "standard (tier 1)"
	case care.TierEnhanced:
		return "enhanced (tier 2)"
	case care.TierComplex:
		return "complex (tier 3)"
	case care.TierHighly:
		return "highly complex (tier 4)"
	}
	return "tier not recorded"
}
