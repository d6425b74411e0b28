package match

import (
	"context"
	"math"
	"sort"
	"time"

	"sufficiency/care"
)

// Market modes compared by SimulateMarket.
const (
	ModeFirstCome = "first_come" // councils search one by one; each takes its best free option
	ModeDaily     = "daily"      // the region allocates jointly at the end of each day
	ModeWeekly    = "weekly"     // the region allocates jointly at the end of each week
)

// MarketOptions tune a market simulation.
type MarketOptions struct {
	// Objective of the joint allocations (policy by default). First come,
	// first served always takes the lowest policy score.
	Objective Objective
	// KeepSiblings keeps sibling groups together in joint allocations when a
	// home can take them; groups that cannot be placed together are then
	// placed apart from the places left, as councils do.
	KeepSiblings bool
	// HoldUrgent holds referrals needed "today" for the next batch like any
	// other. By default they are placed on arrival (first come) in the batch
	// modes too, because an emergency cannot wait for a batch.
	HoldUrgent bool
	// From and To bound the period replayed (received dates); zero means the
	// first and last referral. Referrals outside are ignored.
	From, To time.Time
	// Grace is how many days after To unplaced children keep searching; 0
	// means 7, so the last weekly batch is included.
	Grace int
}

// MarketOutcome is the result of one mode.
type MarketOutcome struct {
	Mode           string     `json:"mode"`
	Children       int        `json:"children"`
	Placed         int        `json:"placed"`
	Unplaced       int        `json:"unplaced"`
	MeanMiles      float64    `json:"mean_miles"`
	ShareOver20    float64    `json:"share_over_20_miles"`
	ShareInArea    float64    `json:"share_in_area"`
	SiblingGroups  int        `json:"sibling_groups"`
	SiblingsSplit  int        `json:"sibling_groups_split"`
	WeeklyCost     care.Pence `json:"weekly_cost_pence"`
	MeanWaitDays   float64    `json:"mean_wait_days"`
	MaxWaitDays    int        `json:"max_wait_days"`
	MeanWaitUrgent float64    `json:"mean_wait_days_urgent"`
	MeanScore      float64    `json:"mean_score"`
	Placements     []Placed   `json:"placements"`
}

// Placed is one child placed in a simulation.
type Placed struct {
	ReferralID  string     `json:"referral_id"`
	Day         string     `json:"day"`
	WaitDays    int        `json:"wait_days"`
	ProvisionID string     `json:"provision_id"`
	VacancyID   string     `json:"vacancy_id"`
	Miles       float64    `json:"miles"`
	InArea      bool       `json:"in_area"`
	WeeklyPrice care.Pence `json:"weekly_price_pence"`
	Score       float64    `json:"score"`
}

// SimulateMarket replays the referrals received in the period against the
// index's vacancies (each available from its ValidFrom; placements last to
// the end of the period) three ways — first come first served, daily joint
// allocation and weekly joint allocation — and returns the outcomes side by
// side. Children not placed on a day keep searching on later days until the
// period ends (plus Grace days). It returns ctx's error if cancelled.
func SimulateMarket(ctx context.Context, ix *Index, refs []care.Referral, opt MarketOptions) ([]MarketOutcome, error) {
	if opt.Objective == "" {
		opt.Objective = ObjectivePolicy
	}
	if opt.Grace <= 0 {
		opt.Grace = 7
	}
	var in []care.Referral
	for _, r := range refs {
		d := dayOf(r)
		if (!opt.From.IsZero() && d.Before(opt.From)) || (!opt.To.IsZero() && d.After(opt.To)) {
			continue
		}
		in = append(in, r)
	}
	sort.SliceStable(in, func(a, b int) bool {
		da, db := dayOf(in[a]), dayOf(in[b])
		if !da.Equal(db) {
			return da.Before(db)
		}
		return in[a].ID < in[b].ID
	})
	var out []MarketOutcome
	for _, mode := range []string{ModeFirstCome, ModeDaily, ModeWeekly} {
		o, err := simulate(ctx, ix, in, opt, mode)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// dayOf is the day a referral arrives: Received, else its start date.
func dayOf(r care.Referral) time.Time {
	if !r.Received.IsZero() {
		return r.Received
	}
	return r.StartDate
}

type marketState struct {
	ix      *Index
	free    []int
	placed  map[string]Placed
	arrival map[string]time.Time
	// none holds, for a single child whose search found no candidate, the
	// day of that search. Free places only fall during a replay, so the
	// search can find one again only once a vacancy opens (valid_from
	// passes) or the child's age changes: until then it is not repeated.
	// (An unplaced child was searched again every day: most of first come's
	// time on the demo region.)
	none map[string]time.Time
	// opens are the vacancies' valid-from days, sorted.
	opens []time.Time
}

// repeatEmptySearches turns off the skipping of searches known to find
// nothing (for the test that checks skipping changes no result).
var repeatEmptySearches = false

// stillNone reports whether a search for r on day d would again find no
// candidate because one on an earlier day found none and nothing it
// depends on has changed since: no vacancy opened in between and the
// child is the same age.
func (s *marketState) stillNone(r care.Referral, d time.Time) bool {
	last, ok := s.none[r.ID]
	if !ok {
		return false
	}
	if r.AgeOn(last) != r.AgeOn(d) {
		return false
	}
	// Any vacancy with last < valid_from <= d?
	i := sort.Search(len(s.opens), func(i int) bool { return s.opens[i].After(last) })
	return i == len(s.opens) || s.opens[i].After(d)
}

func (s *marketState) place(r care.Referral, c *Candidate, d time.Time, vac int) {
	s.free[vac]--
	price := s.ix.vacs[vac].WeeklyPrice
	if price == 0 {
		price = s.ix.ProvisionOf(vac).WeeklyPrice
	}
	wait := int(d.Sub(s.arrival[r.ID]).Hours()/24 + 0.5)
	s.placed[r.ID] = Placed{ReferralID: r.ID, Day: d.Format("2006-01-02"), WaitDays: wait, ProvisionID: c.ProvisionID,
		VacancyID: s.ix.vacs[vac].ID, Miles: c.Miles, InArea: c.InArea, WeeklyPrice: price, Score: c.Score}
}

// firstCome lets each pending referral, in order of arrival, take its best
// option free on day d: the whole sibling group together if any home can
// take it, else each child alone.
func (s *marketState) firstCome(pending []care.Referral, d time.Time) error {
	groups := map[string][]care.Referral{}
	for _, r := range pending {
		if r.SiblingGroup != "" {
			k := r.Council + "\x00" + r.SiblingGroup
			groups[k] = append(groups[k], r)
		}
	}
	for _, r := range pending {
		if _, done := s.placed[r.ID]; done {
			continue
		}
		g := groups[r.Council+"\x00"+r.SiblingGroup]
		if r.SiblingGroup != "" && len(g) > 1 {
			// The home must suit every sibling and have room for all.
			type opt struct {
				c     Candidate
				n     int
				score float64
			}
			common := map[string]*opt{}
			for _, m := range g {
				res, err := s.ix.Search(m, Options{At: d, Free: s.free, GroupSize: len(g)})
				if err != nil {
					return err
				}
				for _, c := range res.Candidates {
					o := common[c.ProvisionID]
					if o == nil {
						o = &opt{c: c}
						common[c.ProvisionID] = o
					}
					o.n++
					o.score += c.Score
				}
			}
			var best *opt
			for _, o := range common {
				if o.n == len(g) && (best == nil || o.score < best.score ||
					(o.score == best.score && o.c.ProvisionID < best.c.ProvisionID)) {
					best = o
				}
			}
			if best != nil {
				for _, m := range g {
					if _, done := s.placed[m.ID]; !done {
						s.place(m, &best.c, d, best.c.Vacancy)
					}
				}
				continue
			}
		}
		if s.stillNone(r, d) {
			continue
		}
		res, err := s.ix.Search(r, Options{At: d, Free: s.free, GroupSize: 1})
		if err != nil {
			return err
		}
		if len(res.Candidates) > 0 {
			c := res.Candidates[0]
			s.place(r, &c, d, c.Vacancy)
			delete(s.none, r.ID)
		} else if s.none != nil {
			s.none[r.ID] = d
		}
	}
	return nil
}

// joint allocates the pending referrals together on day d.
func (s *marketState) joint(pending []care.Referral, d time.Time, opt MarketOptions) error {
	if len(pending) == 0 {
		return nil
	}
	apply := func(a Allocation, refs []care.Referral) {
		byID := map[string]care.Referral{}
		for _, r := range refs {
			byID[r.ID] = r
		}
		for _, as := range a.Assignments {
			c := Candidate{ProvisionID: as.ProvisionID, Miles: as.Miles, InArea: as.InArea, Score: as.Score}
			s.place(byID[as.ReferralID], &c, d, as.Vacancy)
		}
	}
	a, err := Allocate(s.ix, pending, AllocateOptions{Objective: opt.Objective, KeepSiblings: opt.KeepSiblings, At: d,
		Free: s.free, ExactLimit: 256})
	if err != nil {
		return err
	}
	apply(a, pending)
	if opt.KeepSiblings && len(a.Unplaced) > 0 {
		var rest []care.Referral
		for _, r := range pending {
			if _, done := s.placed[r.ID]; !done && r.SiblingGroup != "" {
				rest = append(rest, r)
			}
		}
		if len(rest) > 0 {
			b, err := Allocate(s.ix, rest, AllocateOptions{Objective: opt.Objective, At: d, Free: s.free})
			if err != nil {
				return err
			}
			apply(b, rest)
		}
	}
	return nil
}

func simulate(ctx context.Context, ix *Index, refs []care.Referral, opt MarketOptions, mode string) (MarketOutcome, error) {
	o := MarketOutcome{Mode: mode, Children: len(refs)}
	if len(refs) == 0 {
		return o, nil
	}
	s := &marketState{ix: ix, free: make([]int, len(ix.vacs)), placed: map[string]Placed{}, arrival: map[string]time.Time{},
		none: map[string]time.Time{}}
	if repeatEmptySearches {
		s.none = nil
	}
	for v := range ix.vacs {
		s.free[v] = ix.vacs[v].Places
		if !ix.vacs[v].ValidFrom.IsZero() {
			s.opens = append(s.opens, ix.vacs[v].ValidFrom)
		}
	}
	sort.Slice(s.opens, func(i, j int) bool { return s.opens[i].Before(s.opens[j]) })
	for _, r := range refs {
		s.arrival[r.ID] = dayOf(r)
	}
	start := dayOf(refs[0])
	if !opt.From.IsZero() {
		start = opt.From
	}
	end := dayOf(refs[len(refs)-1])
	if !opt.To.IsZero() {
		end = opt.To
	}
	last := end.AddDate(0, 0, opt.Grace)
	next := 0
	var pending []care.Referral
	for d, n := start, 0; !d.After(last); d, n = d.AddDate(0, 0, 1), n+1 {
		if err := ctx.Err(); err != nil {
			return o, err
		}
		var arrivals []care.Referral
		for next < len(refs) && !dayOf(refs[next]).After(d) {
			arrivals = append(arrivals, refs[next])
			next++
		}
		pending = append(pending, arrivals...)
		var err error
		switch mode {
		case ModeFirstCome:
			err = s.firstCome(pending, d)
		default:
			if !opt.HoldUrgent {
				// An urgent child's siblings come with them.
				urgentGroup := map[string]bool{}
				for _, r := range arrivals {
					if r.Urgency == care.UrgencyToday && r.SiblingGroup != "" {
						urgentGroup[r.Council+"\x00"+r.SiblingGroup] = true
					}
				}
				var urgent []care.Referral
				for _, r := range arrivals {
					if r.Urgency == care.UrgencyToday || (r.SiblingGroup != "" && urgentGroup[r.Council+"\x00"+r.SiblingGroup]) {
						urgent = append(urgent, r)
					}
				}
				if err = s.firstCome(urgent, d); err != nil {
					break
				}
			}
			if mode == ModeDaily || n%7 == 6 || d.Equal(last) {
				err = s.joint(unplaced(pending, s.placed), d, opt)
			}
		}
		if err != nil {
			return o, err
		}
		pending = unplaced(pending, s.placed)
	}
	var miles, score, waitAll, waitUrg float64
	var over, inArea, nUrg int
	urgent := map[string]bool{}
	for _, r := range refs {
		urgent[r.ID] = r.Urgency == care.UrgencyToday
	}
	var as []Assignment
	for _, r := range refs {
		p, ok := s.placed[r.ID]
		if !ok {
			o.Unplaced++
			continue
		}
		o.Placed++
		o.Placements = append(o.Placements, p)
		miles += p.Miles
		score += p.Score
		if over20Miles(p.Miles) {
			over++
		}
		if p.InArea {
			inArea++
		}
		o.WeeklyCost += p.WeeklyPrice
		waitAll += float64(p.WaitDays)
		o.MaxWaitDays = max(o.MaxWaitDays, p.WaitDays)
		if urgent[r.ID] {
			waitUrg += float64(p.WaitDays)
			nUrg++
		}
		as = append(as, Assignment{ReferralID: r.ID, ProvisionID: p.ProvisionID})
	}
	if o.Placed > 0 {
		n := float64(o.Placed)
		o.MeanMiles, o.MeanScore = miles/n, score/n
		o.ShareOver20, o.ShareInArea = float64(over)/n, float64(inArea)/n
		o.MeanWaitDays = waitAll / n
	}
	if nUrg > 0 {
		o.MeanWaitUrgent = waitUrg / float64(nUrg)
	}
	o.SiblingGroups = len(groupsOf(refs))
	o.SiblingsSplit = splitGroups(refs, as)
	return o, nil
}

// over20Miles reports whether a placement counts as over 20 miles from home
// by the DfE's rounding: the distance to one decimal place more than 20.0.
func over20Miles(miles float64) bool { return math.Round(miles*10)/10 > 20 }

func unplaced(refs []care.Referral, placed map[string]Placed) []care.Referral {
	out := refs[:0:0]
	for _, r := range refs {
		if _, ok := placed[r.ID]; !ok {
			out = append(out, r)
		}
	}
	return out
}
