// Package match finds placements for children: eligibility (hard
// constraints, each exclusion with its reason), an explained ranking (a
// score whose parts are shown, weighted by a policy file), regional
// allocation of many children to many places at once (maximum cardinality,
// then least cost, with sibling groups kept together) and the
// competition-versus-cooperation market simulation.
//
// It takes domain values (care.Referral, care.Provision, care.Vacancy) and
// returns domain values; distances are straight-line miles by the DfE method
// (package geo). The solvers live in match/assign.
package match

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
)

// Locator finds the position of a postcode (full, sector or district).
// geo.LocateString is the production locator; tests may pass fixed points.
type Locator func(postcode string) (geo.Point, error)

// Index is the supply prepared for fast searches: provisions with their
// positions located once, vacancies grouped by provision, needs as sets. It
// is read-only after NewIndex and safe for concurrent searches.
type Index struct {
	policy Policy
	locate Locator
	provs  []prov
	vacs   []care.Vacancy
	vacIdx map[string]int
	// vacProv is the provision index of each vacancy.
	vacProv []int32
	// posOf is the position of each provision id in the supply.
	posOf map[string]int
	// idOrder is each provision's position in the order of ids, so that
	// ranking compares two numbers where it compared two ids.
	idOrder []int32
	// withVacancy counts provisions with at least one vacancy (to size a
	// search's buffers).
	withVacancy int
	// vacant and vacantless are the provisions (indices, in supply order)
	// with at least one vacancy and without any: a search checks only the
	// first; the others' one reason is "no vacancy".
	vacant, vacantless []int32
	// eligible remembers HasEligible's answers.
	eligible *eligibleMemo
	// compact are the records the eligibility check reads (compact.go);
	// nil: check reads the provisions.
	compact *compactIndex
}

type prov struct {
	p       *care.Provision
	pt      geo.Point
	located bool
	typ     string   // care.TypeFoster, TypeResidential or TypeSupported
	needs   []string // needs and specialisms, upper case

	animals  bool
	residRsk riskSet
	vacs     []int32
}

// has reports whether the provision lists need or specialism code (upper case).
func (pv *prov) has(code string) bool {
	for _, n := range pv.needs {
		if n == code {
			return true
		}
	}
	return false
}

// riskSet is a set of care.Risk as bits.
type riskSet uint32

func riskBit(r care.Risk) riskSet {
	for k, x := range care.Risks {
		if x == r {
			return 1 << k
		}
	}
	return 0
}

// Bits of the risks the impact assessment tests, computed once.
var (
	bitSexualHarm       = riskBit(care.RiskSexualHarm)
	bitSexualExploit    = riskBit(care.RiskSexualExploitation)
	bitExploitingOthers = riskBit(care.RiskExploitingOthers)
	bitCriminalExploit  = riskBit(care.RiskCriminalExploitation)
	bitFireSetting      = riskBit(care.RiskFireSetting)
	bitPhysicalHarm     = riskBit(care.RiskPhysicalHarm)
	bitHarmToAnimals    = riskBit(care.RiskHarmToAnimals)
)

func risksOf(rs []care.Risk) riskSet {
	var s riskSet
	for _, r := range rs {
		s |= riskBit(r)
	}
	return s
}

func (s riskSet) has(r care.Risk) bool { return s&riskBit(r) != 0 }

// any reports whether s holds any of the bits.
func (s riskSet) any(bits riskSet) bool { return s&bits != 0 }

// TypeOf returns the Placements Data Standard placement type of a provision
// kind: foster, residential or supported.
func TypeOf(k care.ProvisionKind) string {
	switch k {
	case care.KindFostering:
		return care.TypeFoster
	case care.KindSupported:
		return care.TypeSupported
	}
	return care.TypeResidential
}

// NewIndex prepares supply for searching. Provision ids must be unique and
// every vacancy must name a known provision, have a unique id and at least
// one place (EINVALID naming the field otherwise). Provisions whose postcode
// cannot be located stay in the index and are excluded from every search
// with a reason. The slices are not copied: do not change them afterwards.
func NewIndex(provisions []care.Provision, vacancies []care.Vacancy, policy Policy, locate Locator) (*Index, error) {
	if locate == nil {
		locate = geo.LocateString
	}
	ix := &Index{policy: policy, locate: locate, provs: make([]prov, len(provisions)), vacs: vacancies,
		vacIdx: make(map[string]int, len(vacancies)), eligible: &eligibleMemo{}}
	byID := make(map[string]int, len(provisions))
	type loc struct {
		pt geo.Point
		ok bool
	}
	cache := map[string]loc{}
	for k := range provisions {
		p := &provisions[k]
		if p.ID == "" {
			return nil, care.Errorf(care.EINVALID, "provisions[%d].id: missing; every provision needs an id", k)
		}
		if prev, dup := byID[p.ID]; dup {
			return nil, care.Errorf(care.EINVALID, "provisions[%d].id: %q repeats provisions[%d]; ids must be unique", k, p.ID, prev)
		}
		byID[p.ID] = k
		pv := prov{p: p, typ: TypeOf(p.Kind)}
		key := strings.ToUpper(strings.TrimSpace(p.Postcode))
		l, seen := cache[key]
		if !seen {
			pt, err := locate(key)
			l = loc{pt, err == nil}
			cache[key] = l
		}
		pv.pt, pv.located = l.pt, l.ok
		for _, n := range p.Needs {
			pv.needs = append(pv.needs, strings.ToUpper(strings.TrimSpace(n)))
		}
		for _, n := range p.Specialisms {
			pv.needs = append(pv.needs, strings.ToUpper(strings.TrimSpace(n)))
		}
		pv.animals = pv.has("PETS") || pv.has("ANIMALS")
		for _, r := range p.Residents {
			pv.residRsk |= risksOf(r.Risks)
		}
		ix.provs[k] = pv
	}
	ix.posOf = byID
	for k, v := range vacancies {
		if v.ID == "" {
			return nil, care.Errorf(care.EINVALID, "vacancies[%d].id: missing; every vacancy needs an id", k)
		}
		if prev, dup := ix.vacIdx[v.ID]; dup {
			return nil, care.Errorf(care.EINVALID, "vacancies[%d].id: %q repeats vacancies[%d]; each place must be listed once", k, v.ID, prev)
		}
		ix.vacIdx[v.ID] = k
		pk, ok := byID[v.ProvisionID]
		if !ok {
			return nil, care.Errorf(care.EINVALID, "vacancies[%d].provision_id: %q is not a known provision; check the supply files", k, v.ProvisionID)
		}
		if v.Places < 1 {
			return nil, care.Errorf(care.EINVALID, "vacancies[%d].places: %d; a vacancy needs at least one place", k, v.Places)
		}
		if len(ix.provs[pk].vacs) == 0 {
			ix.withVacancy++
		}
		ix.provs[pk].vacs = append(ix.provs[pk].vacs, int32(k))
		ix.vacProv = append(ix.vacProv, int32(pk))
	}
	order := make([]int32, len(ix.provs))
	for k := range order {
		order[k] = int32(k)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(ix.provs[a].p.ID, ix.provs[b].p.ID) })
	ix.idOrder = make([]int32, len(ix.provs))
	for n, k := range order {
		ix.idOrder[k] = int32(n)
	}
	for k := range ix.provs {
		if len(ix.provs[k].vacs) > 0 {
			ix.vacant = append(ix.vacant, int32(k))
		} else {
			ix.vacantless = append(ix.vacantless, int32(k))
		}
	}
	ix.compact = ix.buildCompact()
	return ix, nil
}

// Policy returns the index's policy.
func (ix *Index) Policy() Policy { return ix.policy }

// Vacancies returns the vacancies, in index order (the order of Free).
func (ix *Index) Vacancies() []care.Vacancy { return ix.vacs }

// Provisions returns the number of provisions indexed.
func (ix *Index) Provisions() int { return len(ix.provs) }

// ProvisionOf returns the provision a vacancy (index into Vacancies) belongs to.
func (ix *Index) ProvisionOf(v int) *care.Provision { return ix.provs[ix.vacProv[v]].p }

// Options tune one search.
type Options struct {
	// At is the date of the search; zero means the referral's start date.
	// Vacancies must be free by At, ages are taken at At and a new home's
	// age is measured to At.
	At time.Time
	// Now is when the search runs, for stale vacancies; zero means At.
	Now time.Time
	// Free gives the free places of each vacancy (Vacancies order); nil means
	// every vacancy's Places. The allocation and market simulation use it.
	Free []int
	// GroupSize overrides the number of children to place together; 0 means
	// the referral's GroupSize.
	GroupSize int
	// Top limits Candidates to the best Top (0: all eligible). Eligible
	// still counts every eligible provision, but only those whose score can
	// reach the best Top are scored (a bound on the score from the distance
	// alone decides, see scoreBound), and only the returned ones carry parts:
	// the candidates, their order and their scores are those of a search
	// scoring everything.
	Top int
	// Type, when set, limits Candidates to provisions of that placement
	// type (care.TypeFoster, TypeResidential or TypeSupported), and Within,
	// when above zero, to those at most Within miles from the child's home:
	// filters a person applies to the list, applied before Top. Neither
	// changes Eligible or the exclusions.
	Type   string
	Within float64
	// scoresOnly leaves Candidates empty and gives the eligible provisions
	// with their scores, ranked, in Result.scored: an allocation needs
	// every eligible provision's score and explains only the few assigned
	// (Index.explained).
	scoresOnly bool
}

// Part is one component of a candidate's score.
type Part struct {
	Name   string  `json:"name"`   // distance, in_area, school, needs_fit, cost, rating, stability
	Value  float64 `json:"value"`  // the measured figure (miles, % over benchmark, ...)
	Unit   string  `json:"unit"`   // what Value is in
	Note   string  `json:"note"`   // what was found, in words
	Points float64 `json:"points"` // contribution to the score (lower is better)
}

// Candidate is an eligible provision for a referral, with the vacancy that
// would be used and the explained score.
type Candidate struct {
	ProvisionID string     `json:"provision_id"`
	VacancyID   string     `json:"vacancy_id"`
	Vacancy     int        `json:"-"` // index into Index.Vacancies
	Name        string     `json:"name"`
	Kind        string     `json:"kind"`
	Type        string     `json:"type"`
	Council     string     `json:"council"`
	Postcode    string     `json:"postcode"`
	Miles       float64    `json:"miles"`
	InArea      bool       `json:"in_area"`
	WeeklyPrice care.Pence `json:"weekly_price_pence"`
	FreePlaces  int        `json:"free_places"`
	Score       float64    `json:"score"`
	Parts       []Part     `json:"parts"`
}

// Exclusion is a provision that cannot take the child, with every reason.
// It is kept small (a search over England's supply makes tens of thousands):
// the provision is a pointer into the index's supply.
type Exclusion struct {
	Provision *care.Provision
	Miles     float64 // −1 when the provision cannot be located
	Reasons   []Reason
}

// MarshalJSON writes the exclusion with the provision's id, name and kind.
func (e Exclusion) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ProvisionID string   `json:"provision_id"`
		Name        string   `json:"name"`
		Kind        string   `json:"kind"`
		Miles       float64  `json:"miles"`
		Reasons     []Reason `json:"reasons"`
	}{e.Provision.ID, e.Provision.Name, string(e.Provision.Kind), e.Miles, e.Reasons})
}

// Result is the outcome of a search: candidates best first (lowest score)
// and the exclusions. Provisions with a free place that the child cannot
// take are in Excluded, each with every reason, in supply order; those with
// no free place at all are only counted in NoVacancy (their one reason is
// "no vacancy"), which keeps a search over England's supply light.
// NearestExcluded lists both, nearest first.
type Result struct {
	Referral   string `json:"referral"`
	Considered int    `json:"considered"`
	// Eligible is the number of eligible provisions (Candidates may hold
	// fewer when Options.Top is set).
	Eligible   int         `json:"eligible"`
	Candidates []Candidate `json:"candidates"`
	Excluded   []Exclusion `json:"excluded"`
	NoVacancy  int         `json:"no_vacancy"`

	ix    *Index
	home  geo.Point
	exPos []int32 // supply position of each of Excluded
	// noVac are the provisions with vacancies but no free place (with
	// Options.Free); those of ix.vacantless have no vacancy at all.
	noVac []int32
	// scored are the eligible provisions ranked (Options.scoresOnly).
	scored []light
}

// ExcludedCount is the number of provisions excluded for any reason.
func (r Result) ExcludedCount() int { return len(r.Excluded) + r.NoVacancy }

// noVacancy is the shared reason list of provisions without any vacancy.
var noVacancy = []Reason{{Code: ReasonNoVacancy}}

// NearestExcluded returns the n excluded provisions nearest the child's
// home, nearest first (unlocated last; ties in supply order), including
// those with no vacancy; n < 0 means all. The distances of provisions
// without a free place are kept to single precision (float32), as they
// always were.
func (r Result) NearestExcluded(n int) []Exclusion {
	total := r.ExcludedCount()
	if n < 0 || n > total {
		n = total
	}
	type item struct {
		miles float64 // the sort key: +Inf when unlocated
		pos   int32   // supply position
		ex    int32   // index in Excluded, or −1 for a provision without a free place
	}
	less := func(a, b item) int {
		if a.miles != b.miles {
			if a.miles < b.miles {
				return -1
			}
			return 1
		}
		return int(a.pos - b.pos)
	}
	// A few nearest are kept in order as they are met; many are sorted.
	few := n < total/8
	top := make([]item, 0, n+1)
	var all []item
	if !few {
		all = make([]item, 0, total)
	}
	offer := func(it item) {
		if !few {
			all = append(all, it)
			return
		}
		if n == 0 || (len(top) == n && less(it, top[n-1]) >= 0) {
			return
		}
		at, _ := slices.BinarySearchFunc(top, it, less)
		top = slices.Insert(top, at, it)
		if len(top) > n {
			top = top[:n]
		}
	}
	for k, e := range r.Excluded {
		p := int32(k)
		if k < len(r.exPos) {
			p = r.exPos[k]
		}
		m := e.Miles
		if m < 0 {
			m = math.Inf(1)
		}
		offer(item{m, p, int32(k)})
	}
	noVac := func(pk int32) {
		m := math.Inf(1)
		if pv := &r.ix.provs[pk]; pv.located {
			m = float64(float32(geo.Miles(r.home, pv.pt)))
		}
		offer(item{m, pk, -1})
	}
	if r.ix != nil {
		for _, pk := range r.noVac {
			noVac(pk)
		}
		for _, pk := range r.ix.vacantless {
			noVac(pk)
		}
	}
	if !few {
		slices.SortFunc(all, less)
		top = all[:n]
	}
	out := make([]Exclusion, len(top))
	for k, it := range top {
		if it.ex >= 0 {
			out[k] = r.Excluded[it.ex]
			continue
		}
		m := it.miles
		if math.IsInf(m, 1) {
			m = -1
		}
		out[k] = Exclusion{Provision: r.ix.provs[it.pos].p, Miles: m, Reasons: noVacancy}
	}
	return out
}

// ExcludedBy counts exclusions by the first reason of each.
func (r Result) ExcludedBy() map[ReasonCode]int {
	m := map[ReasonCode]int{}
	for _, e := range r.Excluded {
		if len(e.Reasons) > 0 {
			m[e.Reasons[0].Code]++
		}
	}
	if r.NoVacancy > 0 {
		m[ReasonNoVacancy] += r.NoVacancy
	}
	return m
}

// referralPoints are the referral's locations, found once per search.
type referralPoints struct {
	home     geo.Point
	school   geo.Point
	hasSch   bool
	avoid    []geo.Point
	avoidMi  []float64
	childRsk riskSet
}

func (ix *Index) locateReferral(ref care.Referral) (referralPoints, error) {
	var rp referralPoints
	var err error
	if rp.home, err = ix.locate(ref.HomePostcode); err != nil {
		return rp, care.WrapError(care.EINVALID, err, "referral %s: home_postcode %q cannot be located", ref.ID, ref.HomePostcode)
	}
	if ref.SchoolPostcode != "" {
		if rp.school, err = ix.locate(ref.SchoolPostcode); err != nil {
			return rp, care.WrapError(care.EINVALID, err, "referral %s: school_postcode %q cannot be located", ref.ID, ref.SchoolPostcode)
		}
		rp.hasSch = true
	}
	for k, a := range ref.Avoid {
		pt, err := ix.locate(a.Postcode)
		if err != nil {
			return rp, care.WrapError(care.EINVALID, err, "referral %s: locations_to_avoid[%d].postcode %q cannot be located", ref.ID, k, a.Postcode)
		}
		mi := a.Miles
		if mi <= 0 {
			mi = care.DefaultAvoidMiles
		}
		rp.avoid = append(rp.avoid, pt)
		rp.avoidMi = append(rp.avoidMi, mi)
	}
	rp.childRsk = risksOf(ref.Needs.Risks)
	return rp, nil
}

// Search evaluates every provision in the index for the referral: hard
// constraints first (each failure recorded as a Reason), then the explained
// score for the eligible ones. It returns EINVALID when the referral's home,
// school or avoid postcodes cannot be located.
func (ix *Index) Search(ref care.Referral, opt Options) (Result, error) {
	rp, err := ix.locateReferral(ref)
	if err != nil {
		return Result{}, err
	}
	res := Result{Referral: ref.ID, Considered: len(ix.provs)}
	at := opt.At
	if at.IsZero() {
		at = ref.Start()
	}
	now := opt.Now
	if now.IsZero() {
		now = at
	}
	group := opt.GroupSize
	if group <= 0 {
		group = ref.GroupSize()
	}
	age := ref.AgeOn(at)
	if at.IsZero() {
		age = 0
	}
	// One buffer holds every exclusion's reasons; each exclusion slices its
	// own run of it (earlier runs stay valid if append moves the buffer).
	buf := make([]Reason, 0, 2*ix.withVacancy+16)
	res.Excluded = make([]Exclusion, 0, ix.withVacancy)
	res.exPos = make([]int32, 0, ix.withVacancy)
	res.ix, res.home = ix, rp.home
	ranked := make([]light, 0, ix.withVacancy)
	eligible := 0
	bound := ix.policy.scoreBound(ref, rp.hasSch)
	lazy := opt.Top > 0 && !math.IsInf(bound, -1) && !math.IsInf(ix.policy.DistancePerMile, 0)
	// Provisions without any vacancy (ix.vacantless) are excluded for that
	// alone; the other constraints are only checked where there is a place
	// to offer.
	var cr compactReferral
	if ix.compact != nil {
		cr = ix.compact.referral(ref, at)
	}
	for n, k := range ix.vacant {
		if opt.Free != nil && !hasFree(&ix.provs[k], opt.Free, ix.vacs) {
			res.noVac = append(res.noVac, k)
			continue
		}
		lo := len(buf)
		miles := -1.0
		var vac, free int
		if ix.compact != nil {
			if cp := &ix.compact.provs[n]; cp.flags&cLocated != 0 {
				miles = geo.Miles(rp.home, cp.pt)
			}
			vac, free, buf = ix.checkCompact(ref, &cr, &rp, n, opt.Free, at, age, group, miles, buf)
		} else {
			pv := &ix.provs[k]
			if pv.located {
				miles = geo.Miles(rp.home, pv.pt)
			}
			vac, free, buf = ix.check(ref, &rp, pv, opt.Free, at, age, group, miles, buf)
		}
		if hi := len(buf); hi > lo {
			var p *care.Provision
			if ix.compact != nil {
				p = ix.compact.provs[n].p
			} else {
				p = ix.provs[k].p
			}
			res.Excluded = append(res.Excluded, Exclusion{Provision: p, Miles: miles, Reasons: buf[lo:hi:hi]})
			res.exPos = append(res.exPos, k)
			continue
		}
		eligible++
		if opt.Type != "" && ix.provs[k].typ != opt.Type || opt.Within > 0 && miles > opt.Within {
			continue
		}
		// The score is filled in by rank; until then it is the bound.
		ranked = append(ranked, light{k: k, vac: int32(vac), free: int32(free), miles: miles,
			score: miles*ix.policy.DistancePerMile + bound})
	}
	res.Eligible = eligible
	res.NoVacancy = len(res.noVac) + len(ix.vacantless)
	if opt.scoresOnly && opt.Top <= 0 {
		res.scored = ix.rank(ref, &rp, ranked, at, now)
		return res, nil
	}
	if lazy && len(ranked) > opt.Top {
		ranked = ix.rankLazily(ref, &rp, ranked, opt.Top, at, now)
	} else {
		ranked = ix.rank(ref, &rp, ranked, at, now)
	}
	if opt.Top > 0 && len(ranked) > opt.Top {
		ranked = ranked[:opt.Top]
	}
	// Build the full candidates (with their parts) only for those returned.
	res.Candidates = make([]Candidate, len(ranked))
	for n, l := range ranked {
		res.Candidates[n] = ix.score(ref, &rp, &ix.provs[l.k], int(l.vac), int(l.free), at, now, l.miles, nil)
	}
	return res, nil
}

// hasFree reports whether any vacancy of the provision has a free place.
func hasFree(pv *prov, freeOf []int, vacs []care.Vacancy) bool {
	for _, vk := range pv.vacs {
		f := vacs[vk].Places
		if freeOf != nil {
			f = freeOf[vk]
		}
		if f > 0 {
			return true
		}
	}
	return false
}

// check applies the hard constraints, appending a Reason to buf for each
// failure. It returns the vacancy to use (index) and its free places.
func (ix *Index) check(ref care.Referral, rp *referralPoints, pv *prov, freeOf []int, at time.Time, age, group int,
	miles float64, buf []Reason) (int, int, []Reason) {
	p := pv.p
	pol := &ix.policy
	if !pv.located {
		buf = append(buf, Reason{Code: ReasonNoLocation})
	}
	// Vacancy: the cheapest free by the start date with room for the group.
	vac, free, maxFree, laterDays := -1, 0, 0, -1.0
	var price care.Pence
	for _, vk := range pv.vacs {
		v := &ix.vacs[vk]
		f := v.Places
		if freeOf != nil {
			f = freeOf[vk]
		}
		if f <= 0 {
			continue
		}
		if !v.ValidFrom.IsZero() && !at.IsZero() && v.ValidFrom.After(at) {
			d := v.ValidFrom.Sub(at).Hours() / 24
			if laterDays < 0 || d < laterDays {
				laterDays = d
			}
			continue
		}
		maxFree = max(maxFree, f)
		if f < group {
			continue
		}
		vp := v.WeeklyPrice
		if vp == 0 {
			vp = p.WeeklyPrice
		}
		if vac < 0 || vp < price {
			vac, free, price = int(vk), f, vp
		}
	}
	switch {
	case vac >= 0:
	case maxFree > 0:
		buf = append(buf, Reason{Code: ReasonSiblingGroup, N: group, X: float64(maxFree)})
	case laterDays >= 0:
		buf = append(buf, Reason{Code: ReasonVacancyLater, X: laterDays})
	default:
		buf = append(buf, Reason{Code: ReasonNoVacancy})
	}
	if p.Kind == care.KindFostering && p.SiblingCapacity > 0 && group > p.SiblingCapacity && vac >= 0 {
		buf = append(buf, Reason{Code: ReasonSiblingGroup, N: group, X: float64(p.SiblingCapacity)})
	}
	if ref.SuitabilityOf(pv.typ) == care.SuitabilityUnsuitable {
		buf = append(buf, Reason{Code: ReasonTypeUnsuitable, S: typeLabel(pv.typ)})
	}
	if p.Kind == care.KindSecureHome && !ref.Needs.DeprivationOfLiberty {
		buf = append(buf, Reason{Code: ReasonSecureOrder})
	}
	if p.Kind == care.KindSupported && ref.Needs.DeprivationOfLiberty {
		buf = append(buf, Reason{Code: ReasonLibertyNotHere})
	}
	if (p.MinAge > 0 || p.MaxAge > 0) && (age < p.MinAge || (p.MaxAge > 0 && age > p.MaxAge)) {
		what := "registered"
		if p.Kind == care.KindFostering {
			what = "approval"
		}
		buf = append(buf, Reason{Code: ReasonAge, N: age, S: what})
	}
	if len(p.Sexes) > 0 && ref.Sex != care.Unknown {
		ok := false
		for _, s := range p.Sexes {
			ok = ok || s == ref.Sex
		}
		if !ok {
			buf = append(buf, Reason{Code: ReasonSex})
		}
	}
	if p.Rating == care.RatingInadequate && pol.ExcludeInadequate {
		buf = append(buf, Reason{Code: ReasonInadequate})
	}
	if miss := missingNeed(ref, pv); miss != "" {
		buf = append(buf, Reason{Code: ReasonNeeds, S: miss})
	}
	if ref.Solo() && len(p.Residents) > 0 {
		buf = append(buf, Reason{Code: ReasonSolo, N: len(p.Residents)})
	}
	switch ref.Companions {
	case care.CompanionsOlderOnly:
		for _, r := range p.Residents {
			if r.Age <= age {
				buf = append(buf, Reason{Code: ReasonCompanions, S: "only with older children, but a resident is not older"})
				break
			}
		}
	case care.CompanionsYoungerOnly:
		for _, r := range p.Residents {
			if r.Age >= age {
				buf = append(buf, Reason{Code: ReasonCompanions, S: "only with younger children, but a resident is not younger"})
				break
			}
		}
	}
	if s := impact(rp.childRsk, pv, age); s != "" {
		buf = append(buf, Reason{Code: ReasonImpact, S: s})
	}
	buf = lastReasons(buf, ref, rp, pol, pv.animals, p.Kind == care.KindFostering, pv.located, pv.pt, vac, price, miles)
	return vac, free, buf
}

// lastReasons appends the checks both eligibility paths (check and
// checkCompact) end with: animals, areas the child must avoid, the budget
// (for a place with a vacancy) and the policy's distance limit.
func lastReasons(buf []Reason, ref care.Referral, rp *referralPoints, pol *Policy, animals, fostering, located bool, pt geo.Point,
	vac int, price care.Pence, miles float64) []Reason {
	switch {
	case ref.Pets == care.PetsNo && animals:
		buf = append(buf, Reason{Code: ReasonPets, S: "child cannot live with animals; the home has them"})
	case ref.Pets == care.PetsMust && !animals && fostering:
		buf = append(buf, Reason{Code: ReasonPets, S: "child needs a home with animals; the household has none"})
	case rp.childRsk.any(bitHarmToAnimals) && animals:
		buf = append(buf, Reason{Code: ReasonPets, S: "risk of harm to animals; the home has them"})
	}
	if located {
		for a, avoid := range rp.avoid {
			if geo.Miles(avoid, pt) < rp.avoidMi[a] {
				buf = append(buf, Reason{Code: ReasonAvoid, X: rp.avoidMi[a]})
				break
			}
		}
	}
	if ref.Budget > 0 && vac >= 0 && price > ref.Budget {
		buf = append(buf, Reason{Code: ReasonBudget, X: price.Pounds()})
	}
	if pol.MaxMiles > 0 && miles > pol.MaxMiles {
		buf = append(buf, Reason{Code: ReasonTooFar, X: pol.MaxMiles})
	}
	return buf
}

func typeLabel(t string) string {
	switch t {
	case care.TypeFoster:
		return "foster care"
	case care.TypeResidential:
		return "residential care"
	case care.TypeSupported:
		return "supported accommodation"
	}
	return t
}

// missingNeed returns the first of the child's needs the provision does not
// list, or "".
func missingNeed(ref care.Referral, pv *prov) string {
	for _, n := range ref.NeedCodes {
		if !pv.has(n) {
			return n
		}
	}
	for _, n := range ref.CommunicationNeeds {
		if !pv.has(strings.ToUpper(n)) {
			return n
		}
	}
	if ref.HomeAdaptation && !pv.has("PD") && !pv.has("DISABILITY") {
		return "home adaptation (PD)"
	}
	return ""
}

// impact is the matching and impact risk assessment against the current
// residents' risk flags; it returns why the child cannot join them, or "".
func impact(child riskSet, pv *prov, age int) string {
	youngest := 0
	for i, r := range pv.p.Residents {
		if i == 0 || r.Age < youngest {
			youngest = r.Age
		}
	}
	return residentImpact(child, pv.residRsk, len(pv.p.Residents) > 0, youngest, age)
}

// residentImpact is the matching and impact risk assessment of a child of
// age with risks child joining residents whose risks are res (hasResidents:
// there are residents; youngest: the youngest one's age): why the child cannot
// join them, or "". Both the full and the compact check call it.
func residentImpact(child, res riskSet, hasResidents bool, youngest, age int) string {
	if child == 0 {
		return ""
	}
	switch {
	case child.any(bitSexualHarm) && res.any(bitSexualExploit):
		return "risk of sexual harm to a resident at risk of sexual exploitation"
	case child.any(bitExploitingOthers) && res.any(bitCriminalExploit|bitSexualExploit):
		return "risk of exploiting a resident already at risk of exploitation"
	case child.any(bitSexualExploit) && res.any(bitSexualHarm|bitExploitingOthers):
		return "a resident poses a risk of sexual harm or exploitation to the child"
	case child.any(bitCriminalExploit) && res.any(bitExploitingOthers):
		return "a resident poses a risk of criminal exploitation to the child"
	case child.any(bitFireSetting) && res.any(bitFireSetting):
		return "fire-setting risk alongside another resident with the same risk"
	}
	if child.any(bitPhysicalHarm) && hasResidents && youngest <= age-4 {
		return "risk of physical harm with a resident four or more years younger"
	}
	return ""
}

// score builds the explained score of an eligible provision.
//
// Parts are written into scratch when it is given (to rank without
// allocating); nil allocates them.
func (ix *Index) score(ref care.Referral, rp *referralPoints, pv *prov, vac, free int, at, now time.Time, miles float64, scratch []Part) Candidate {
	if scratch == nil {
		scratch = make([]Part, 0, 7)
	}
	pol := &ix.policy
	p := pv.p
	v := &ix.vacs[vac]
	price := v.WeeklyPrice
	if price == 0 {
		price = p.WeeklyPrice
	}
	c := Candidate{ProvisionID: p.ID, VacancyID: v.ID, Vacancy: vac, Name: p.Name, Kind: string(p.Kind), Type: pv.typ,
		Council: p.Council, Postcode: p.Postcode, Miles: miles, WeeklyPrice: price, FreePlaces: free,
		Parts: scratch[:0]}
	c.InArea = ref.Council == "" || p.Council == "" || ref.Council == p.Council || strings.EqualFold(ref.Council, p.Council)
	c.Parts = append(c.Parts, Part{Name: "distance", Value: miles, Unit: "miles", Note: "from the family home",
		Points: miles * pol.DistancePerMile})
	area := Part{Name: "in_area", Unit: "", Note: "inside the placing council"}
	if !c.InArea {
		area.Value, area.Note, area.Points = 1, "outside the placing council", pol.OutOfArea
	}
	c.Parts = append(c.Parts, area)
	if ref.KeepSchool && rp.hasSch {
		d := geo.Miles(rp.school, pv.pt)
		sp := Part{Name: "school", Value: d, Unit: "miles", Note: "within reach of the current school"}
		if d > pol.SchoolReachMiles {
			sp.Note = "too far to keep the current school"
			sp.Points = pol.SchoolMove + (d-pol.SchoolReachMiles)*pol.SchoolPerMile
		}
		c.Parts = append(c.Parts, sp)
	}
	nf := Part{Name: "needs_fit", Unit: "", Note: "preferred type, needs met"}
	var noteBuf [3]string
	notes := noteBuf[:0]
	if ref.SuitabilityOf(pv.typ) == care.SuitabilitySuitable {
		nf.Points += pol.NotPreferredType
		notes = append(notes, typeLabel(pv.typ)+" suitable but not preferred")
	}
	tier := ref.Needs.Tier
	if pv.typ == care.TypeResidential && tier >= care.TierStandard && tier <= care.TierEnhanced {
		nf.Points += pol.ResidentialForLowerNeeds
		notes = append(notes, "children's home for standard or enhanced needs")
	}
	if pv.typ == care.TypeFoster && tier >= care.TierComplex && len(p.Specialisms) == 0 {
		nf.Points += pol.FosterWithoutSpecialism
		notes = append(notes, "household has no specialism for complex needs")
	}
	switch len(notes) {
	case 0:
	case 1:
		nf.Note = notes[0]
	default:
		nf.Note = strings.Join(notes, "; ")
	}
	c.Parts = append(c.Parts, nf)
	bench := pol.BenchmarkFor(pv.typ, tier)
	cp := Part{Name: "cost", Unit: "% vs benchmark", Note: "no benchmark"}
	if bench > 0 && price > 0 {
		pct := (float64(price)/float64(bench) - 1) * 100
		cp.Value = pct
		if pct > 0 {
			cp.Points = pct / 10 * pol.CostPer10PctOver
			cp.Note = "above the benchmark for this need"
		} else {
			cp.Points = min(-pct/10, 3) * pol.CostPer10PctUnder
			cp.Note = "at or below the benchmark for this need"
		}
	}
	c.Parts = append(c.Parts, cp)
	rt := Part{Name: "rating", Unit: "", Note: string(p.Rating)}
	switch p.Rating {
	case care.RatingOutstanding:
		rt.Points = pol.RatingOutstanding
	case care.RatingGood:
		rt.Points = pol.RatingGood
	case care.RatingRI:
		rt.Points = pol.RatingRI
	case care.RatingInadequate:
		rt.Points = pol.RatingInadequate
	default:
		rt.Note, rt.Points = "not yet inspected", pol.RatingNone
	}
	c.Parts = append(c.Parts, rt)
	st := Part{Name: "stability", Unit: "", Note: "established home, vacancy recently confirmed"}
	var snBuf [2]string
	sn := snBuf[:0]
	if !p.Registered.IsZero() && !at.IsZero() && at.Sub(p.Registered).Hours() < pol.NewHomeYears*365.25*24 {
		st.Points += pol.NewHome
		sn = append(sn, "new home, no track record")
	}
	if !v.UpdatedAt.IsZero() && !now.IsZero() && now.Sub(v.UpdatedAt).Hours() > pol.StaleVacancyDays*24 {
		st.Points += pol.StaleVacancy
		st.Value = now.Sub(v.UpdatedAt).Hours() / 24
		st.Unit = "days since confirmed"
		sn = append(sn, "vacancy not confirmed recently")
	}
	switch len(sn) {
	case 0:
	case 1:
		st.Note = sn[0]
	default:
		st.Note = strings.Join(sn, "; ")
	}
	c.Parts = append(c.Parts, st)
	for _, pt := range c.Parts {
		c.Score += pt.Points
	}
	return c
}
