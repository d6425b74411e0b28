package analysis

import (
	"context"
	"sort"
	"time"

	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/refdata"
)

// LoadImported reads the children and episodes of the councils spec names
// (its councils, its region's loaded councils, or every loaded council for
// England or the zero spec) from the store, with the collection years
// (ending 31 March) stored for every one of them. The child-level forecasts
// and backtests read their inputs here. ENOTFOUND when nothing chosen is
// loaded; EINVALID for a council named that has no children loaded.
func LoadImported(ctx context.Context, st Store, spec ScopeSpec) ([]care.Child, []care.Episode, []int, error) {
	loaded, err := st.Councils(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	have := map[string]bool{}
	yearsOf := map[string][]int{}
	for _, c := range loaded {
		have[c.Council] = true
		yearsOf[c.Council] = c.Years
	}
	var codes []string
	switch {
	case spec.Region != "" && !spec.IsEngland():
		cs, err := refdata.CouncilsInRegion(spec.Region)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, c := range cs {
			if have[c.Code] {
				codes = append(codes, c.Code)
			}
		}
		if len(codes) == 0 {
			return nil, nil, nil, care.Errorf(care.ENOTFOUND, "no council of %s has children imported", spec.Region)
		}
	case len(spec.Councils) > 0:
		for _, code := range spec.Councils {
			if _, ok := refdata.CouncilByCode(code); !ok && !have[code] {
				return nil, nil, nil, noCouncil(care.EINVALID, code)
			}
		}
		codes = spec.Councils
	default:
		for _, c := range loaded {
			codes = append(codes, c.Council)
		}
		if len(codes) == 0 {
			return nil, nil, nil, care.Errorf(care.ENOTFOUND, "the database holds no children")
		}
	}
	var children []care.Child
	var episodes []care.Episode
	for _, code := range codes {
		ch, err := st.Children(ctx, code)
		if err != nil {
			return nil, nil, nil, err
		}
		if len(ch) == 0 {
			return nil, nil, nil, care.Errorf(care.EINVALID, "council %s has no children loaded; import its returns first or leave it out", code)
		}
		ep, err := st.Episodes(ctx, code)
		if err != nil {
			return nil, nil, nil, err
		}
		children = append(children, ch...)
		episodes = append(episodes, ep...)
	}
	// years every chosen council has
	count := map[int]int{}
	for _, code := range codes {
		for _, y := range yearsOf[code] {
			count[y]++
		}
	}
	var years []int
	for y, n := range count {
		if n == len(codes) {
			years = append(years, y)
		}
	}
	sort.Ints(years)
	return children, episodes, years, nil
}

// ReferralsFrom derives the referrals of the period [from, to] from the
// placement starts of every council in the store (match.ReferralsFromEpisodes):
// the demand an allocation or a market simulation replays. ENOTFOUND when
// no placement started in the period.
func ReferralsFrom(ctx context.Context, st Store, from, to time.Time) ([]care.Referral, error) {
	// Every read of children and episodes below is audited under the
	// context's actor.
	councils, err := st.Councils(ctx)
	if err != nil {
		return nil, err
	}
	var refs []care.Referral
	for _, c := range councils {
		kids, err := st.Children(ctx, c.Council)
		if err != nil {
			return nil, err
		}
		eps, err := st.Episodes(ctx, c.Council)
		if err != nil {
			return nil, err
		}
		refs = append(refs, match.ReferralsFromEpisodes(kids, eps, from, to)...)
	}
	if len(refs) == 0 {
		return nil, care.Errorf(care.ENOTFOUND, "no placement starts between %s and %s in the database",
			from.Format("2006-01-02"), to.Format("2006-01-02"))
	}
	return refs, nil
}
