package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"sufficiency/care"
)

// Dates on which the SSDA903 placement codes changed.
var (
	supportedRegistration = dayFromYMD(2023, time.October, 27) // H5 open on 28/10/2023 needs a URN (rule 230): re-recorded the day before
	k3From                = dayFromYMD(2024, time.April, 1)    // K3 registered supported accommodation
	z1Until               = dayFromYMD(2025, time.March, 31)   // Z1 replaced by Z11–Z14
	h5Until               = dayFromYMD(2025, time.March, 31)   // H5 removed from 2025/26
)

// sim generates one council. It owns all of its state; councils share only
// the read-only World and National.
type sim struct {
	in   *CouncilInput
	nat  *National
	w    *World
	r    *rand.Rand
	seed uint64

	cond     [nBands][nKinds]float64 // P(kind | age band), fitted to the council's margins
	firstAge [nBands]float64         // age band of a new child who is not UASC (see siblingAgeCorrection)
	fb       [nKinds]float64         // feedback multipliers keeping the stock mix on target
	uascFb   float64
	insideFb float64 // log-odds shift keeping the inside-boundary share on target
	farFb    float64 // multiplier keeping the over-20-miles share on target
	pInside  [nKinds]float64
	pFar     [nKinds]float64 // P(more than 20 miles | outside)
	homesIn  map[care.ProvisionKind][]int32
	homesNr  map[care.ProvisionKind][]int32 // outside the council, within 20 miles of its centre
	homesFar map[care.ProvisionKind][]int32 // 20–150 miles
	sectorW  []float64
	quota    map[int32]int    // this council's share of each bounded setting's places (see allocatePlaces)
	occ      map[int32][]span // this council's children's stays in bounded settings

	admissions []*admission // the year's children starting care, not yet begun (see enter)
	days       [][]dayItem  // the year's calendar: what is due on each day (see liveYear)
	ys, ye     day          // the year being simulated

	nextID   int
	active   []*child
	leavers  []*child // care leavers followed for OC3 until 21
	formers  []*child // children who went home under 15 and may come back
	children int      // children ever generated
	stats    CouncilSummary
}

func newSim(in *CouncilInput, nat *National, w *World, seed uint64, quota map[int32]int) *sim {
	s := &sim{in: in, nat: nat, w: w, seed: seed, r: newRand(seed, "council:"+in.Code), uascFb: 1, farFb: 1, quota: quota, occ: map[int32][]span{}}
	if s.quota == nil {
		s.quota = allocatePlaces(w, []*CouncilInput{in})[in.Code]
	}
	joint := ipf(kindSeed, in.AgeMix, in.Mix)
	for a := 0; a < nBands; a++ {
		row := joint[a][:]
		copy(s.cond[a][:], row)
		normalise(s.cond[a][:])
	}
	for k := range s.fb {
		s.fb[k] = 1
	}
	for b := range s.firstAge {
		s.firstAge[b] = nat.StartAge[b] / (1 + siblingAgeCorrection[b])
	}
	normalise(s.firstAge[:])
	// Inside-boundary odds of each kind follow England's by kind, shifted so
	// the council's overall share matches its published one.
	s.fitLocality()
	s.homesIn = map[care.ProvisionKind][]int32{}
	s.homesNr = map[care.ProvisionKind][]int32{}
	s.homesFar = map[care.ProvisionKind][]int32{}
	for _, i := range w.homesNear(in.Easting, in.Northing, 150, care.KindChildrensHome, care.KindSecureHome, care.KindResidentialSchool, care.KindSupported) {
		h := &w.Homes[i]
		switch {
		case h.Council == in.Code:
			s.homesIn[h.Kind] = append(s.homesIn[h.Kind], i)
		case milesDfE(in.Easting, in.Northing, h.Easting, h.Northing) <= 20:
			s.homesNr[h.Kind] = append(s.homesNr[h.Kind], i)
		default:
			s.homesFar[h.Kind] = append(s.homesFar[h.Kind], i)
		}
	}
	s.sectorW = make([]float64, len(in.Sectors))
	for i, p := range in.Sectors {
		s.sectorW[i] = p.Weight
	}
	s.stats.Council = in.Code
	s.stats.Name = in.Name
	return s
}

// fixedInside are kinds always placed inside the council: placements with
// parents are at home. The council's own foster carers and family and
// friends carers may live outside its boundary (as about a third do in
// England); such PR1 placements draw the DfE's query 1015 (a warning).
var fixedInside = [nKinds]bool{KindParents: true}

// fitLocality sets, for each kind, the chance of a placement inside the
// council and of one more than 20 miles away: England's pattern by kind,
// shifted (on the log-odds scale) until the council's mix gives its
// published inside-boundary and over-20-miles shares. Inside placements are
// taken as 20 miles or less.
func (s *sim) fitLocality() {
	in, nat := s.in, s.nat
	inside := func(shift float64) float64 {
		var v float64
		for k := Kind(0); k < nKinds; k++ {
			s.pInside[k] = 1
			if !fixedInside[k] {
				s.pInside[k] = sigmoid(logit(clamp(nat.KindInside[k], 0.02, 0.98)) + shift)
			}
			v += in.Mix[k] * s.pInside[k]
		}
		return v
	}
	target := clamp(in.InsideShare, 0.05, 0.97)
	lo, hi := -8.0, 8.0
	for i := 0; i < 40; i++ {
		mid := (lo + hi) / 2
		if inside(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	inside(lo)
	far := func(scale float64) float64 {
		var v float64
		for k := Kind(0); k < nKinds; k++ {
			s.pFar[k] = clamp(farBase[k]*scale, 0.01, 0.99)
			v += in.Mix[k] * (1 - s.pInside[k]) * s.pFar[k]
		}
		return v
	}
	ftarget := clamp(in.Over20Share, 0.01, 0.9)
	lo, hi = 0.0, 10.0
	for i := 0; i < 40; i++ {
		mid := (lo + hi) / 2
		if far(mid) < ftarget {
			lo = mid
		} else {
			hi = mid
		}
	}
	far(hi)
}

// kindMinAge is the youngest age at which a child can be in a kind:
// supported accommodation from 16 (rule 371), secure homes from 10,
// residential schools from school age.
var kindMinAge = [nKinds]int{KindSupported: 16, KindSecure: 10, KindResidentialSchool: 5}

// notLeapDay moves a 29 February birth to the 28th, so that birthdays (and
// the 18th birthday on which care ends) are the same by every convention.
func notLeapDay(d day) day {
	if _, m, dd := d.civil(); m == 2 && dd == 29 {
		return d - 1
	}
	return d
}

// legalNow returns the legal status of the child's open episode, or "" when
// none is open.
func (c *child) legalNow(d day) string {
	if len(c.eps) == 0 {
		return ""
	}
	return c.cur().ls
}

// farBase is the share of each kind's out-of-council placements that are
// more than 20 miles from home, England (DfE distance and locality tables).
var farBase = [nKinds]float64{0.35, 0.3, 0.35, 0.6, 0.9, 0.45, 0.3, 0.4, 0.6, 0.55, 0.5}

func logit(p float64) float64   { return math.Log(p / (1 - p)) }
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// target returns the target of year y.
func (s *sim) target(y int) (Target, bool) {
	for _, t := range s.in.Targets {
		if t.Year == y {
			return t, true
		}
	}
	return Target{}, false
}

// newChild makes a child aged age on day d.
func (s *sim) newChild(d day, age int, uasc bool) *child {
	s.nextID++
	s.children++
	c := &child{id: fmt.Sprintf("%s%06d", s.in.DfECode, s.nextID), uasc: uasc, inHome: -1}
	c.dob = d - day(age*365) - day(s.r.IntN(365))
	if c.dob >= d {
		c.dob = d - 1
	}
	if ageOn(c.dob, d) != age && age > 0 { // leap-year edge
		c.dob += 2
	}
	c.dob = notLeapDay(c.dob)
	// Boys among starters other than UASC (the published share includes
	// UASC, 92% of them boys).
	male := clamp((s.nat.StartMale-0.92*s.nat.StartUASC)/math.Max(1-s.nat.StartUASC, 0.1), 0.4, 0.6)
	if uasc {
		male = 0.92
	}
	if s.r.Float64() < male {
		c.sex = care.Male
	} else {
		c.sex = care.Female
	}
	if uasc {
		c.ethnic = []string{"AOTH", "BAFR", "OOTH", "AOTH", "BOTH", "OOTH"}[s.r.IntN(6)]
		c.cin = "N8"
		c.upn = "UN2"
	} else {
		ws := make([]float64, len(s.nat.Ethnicity))
		for i, e := range s.nat.Ethnicity {
			ws[i] = e.Weight
		}
		c.ethnic = "WBRI"
		if i := pick(s.r, ws); i >= 0 {
			c.ethnic = s.nat.Ethnicity[i].Code
		}
		c.cin = fmt.Sprintf("N%d", pick(s.r, s.nat.CategoryOfNeed[:])+1)
		if ageOn(c.dob, d) < 5 {
			c.upn = "UN1"
		} else {
			c.upn = makeUPN(s.r, s.in.DfECode, collectionYear(c.dob+day(5*365))%100)
		}
	}
	s.setHome(c)
	c.needs = drawNeeds(s.r, age, c.sex, uasc, c.cin)
	c.moveRate = drawMoveRate(s.r, c.needs.Tier)
	if c.sex == care.Female && s.r.Float64() < 0.012 {
		c.mother = birthday(c.dob, 15) + day(s.r.IntN(3*365))
	}
	return c
}

func (s *sim) setHome(c *child) {
	if i := pick(s.r, s.sectorW); i >= 0 {
		p := s.in.Sectors[i]
		c.home, c.homeE, c.homeN = p.Code, p.Easting, p.Northing
	}
}

// chooseKind draws the kind of a new placement for c on day d.
//
// A child moving with brothers and sisters (family) moves to foster carers
// or relatives, or home to parents, where a group can live together.
func (s *sim) chooseKind(c *child, d day, family bool) Kind {
	age := c.age(d)
	band := bandOf(age)
	var w [nKinds]float64
	t := int(c.needs.Tier)
	for k := Kind(0); k < nKinds; k++ {
		w[k] = s.cond[band][k] * s.fb[k]
		switch k {
		case KindChildrensHome, KindSecure, KindResidentialSchool:
			w[k] *= [5]float64{1, 0.3, 0.9, 2.2, 5}[t]
		case KindFosterRelative, KindFosterInHouse, KindFosterAgency:
			w[k] *= [5]float64{1, 1.1, 1, 0.6, 0.3}[t]
		}
	}
	w[KindAdoption] = 0 // only through the adoption pathway
	for k := range w {
		if age < kindMinAge[k] {
			w[k] = 0
		}
	}
	if c.uasc {
		w[KindParents], w[KindFosterRelative] = 0, 0
	}
	if ls := c.legalNow(d); (ls != "C1" && ls != "C2") || c.adopt != nil {
		w[KindParents] = 0 // rule 378: placed with parents only under a care order
	}
	if c.adopt != nil || family {
		// On the way to adoption: fostering, from which adopters are found.
		for k := range w {
			if Kind(k) != KindFosterInHouse && Kind(k) != KindFosterAgency && Kind(k) != KindFosterRelative && (Kind(k) != KindParents || c.adopt != nil) {
				w[k] = 0
			}
		}
	}
	k := pick(s.r, w[:])
	if k < 0 {
		return KindFosterInHouse
	}
	return Kind(k)
}

// place fills the placement fields of e (kind, PLACE, provider, postcode,
// URN, cost) for child c starting on e.start.
//
// A kind that needs a setting with bounded places (children's homes, secure
// homes, residential schools) falls back to another when the council has no
// place free (see substitute).
func (s *sim) place(c *child, e *episode, k Kind) {
	for !s.placeAs(c, e, k) {
		k = s.substitute(c, e.start, k)
	}
	s.price(c, e)
}

// substitute is the kind used when no registered place of kind k is free
// for c on day d: a children's home for a secure or residential-school
// placement; supported accommodation from 16; otherwise agency (specialist)
// fostering or an unregistered "other" placement (Z1), as councils use when
// no registered home is found.
func (s *sim) substitute(c *child, d day, k Kind) Kind {
	switch {
	case k == KindSecure || k == KindResidentialSchool:
		return KindChildrensHome
	case c.age(d) >= kindMinAge[KindSupported] && k != KindSupported:
		return KindSupported
	case k != KindFosterAgency && s.r.Float64() < 0.7:
		return KindFosterAgency
	}
	return KindOther
}

func (s *sim) placeAs(c *child, e *episode, k Kind) bool {
	d := e.start
	e.kind = k
	e.urn, e.provider, e.home = "", "", 0
	longTerm := d-c.spellStart > 365 && s.r.Float64() < 0.5
	switch k {
	case KindFosterRelative:
		e.place = "U3"
		if longTerm {
			e.place = "U1"
		}
		e.provider = "PR1"
	case KindFosterInHouse, KindFosterAgency:
		e.place = "U6"
		if longTerm {
			e.place = "U4"
		}
		e.provider = "PR1"
		if k == KindFosterAgency {
			e.provider = "PR4"
			if s.r.Float64() < 0.15 {
				e.provider = "PR5"
			}
		}
	case KindChildrensHome:
		e.place = "K2"
	case KindSecure:
		e.place = "K1"
	case KindSupported:
		switch {
		case d > h5Until:
			e.place = "K3"
		case d >= k3From && s.r.Float64() < 0.7:
			e.place = "K3"
		default:
			e.place = "H5"
		}
	case KindParents:
		e.place, e.provider = "P1", "PR0"
	case KindAdoption:
		e.place = "A6"
		if c.adopt != nil && c.adopt.carer {
			e.place = "A5"
		}
		e.provider = "PR1" // the council or its regional adoption agency
		if s.r.Float64() < 0.2 {
			e.provider = "PR5"
		}
	case KindResidentialSchool:
		e.place = "S1"
	case KindOtherResidential:
		age := c.age(d)
		switch {
		case age < 1 || (c.mother != noDay && c.mother <= d):
			e.place, e.provider = "R3", "PR4"
		case age >= 15 && c.sex == care.Male && s.r.Float64() < 0.4:
			e.place, e.provider = "R5", "PR3"
		case s.r.Float64() < 0.5:
			e.place, e.provider = "R2", "PR3"
		default:
			e.place, e.provider = "R1", "PR4"
		}
	default:
		e.place = "Z1"
		if d > z1Until {
			e.place = "Z12"
		}
	}
	if !s.locate(c, e) {
		return false
	}
	s.agencyURN(c, e)
	return true
}

// setting maps the kinds placed in Ofsted-registered settings to the
// register's provision kind.
func setting(k Kind, place string) (care.ProvisionKind, bool) {
	switch k {
	case KindChildrensHome:
		return care.KindChildrensHome, true
	case KindSecure:
		return care.KindSecureHome, true
	case KindResidentialSchool:
		return care.KindResidentialSchool, true
	case KindSupported:
		return care.KindSupported, place == "K3" || place == "H5"
	}
	return "", false
}

// locate chooses where the placement is: a real registered setting for
// homes and supported accommodation, otherwise a postcode sector at a
// distance that follows the council's published locality figures.
// A placement other than with parents should not be in the child's home
// sector (query 392d): draw again a few times; a setting that is really in
// the home sector is kept after that.
//
// It reports false, having located nothing, when the kind needs a setting
// whose places bound its residents and none has a place free for the
// council.
func (s *sim) locate(c *child, e *episode) bool {
	provider := e.provider
	for try := 0; ; try++ {
		if !s.locateOnce(c, e) {
			return false
		}
		if e.plPost != c.home || e.kind == KindParents || try == 7 {
			return true
		}
		e.urn, e.provider, e.home = "", provider, 0
	}
}

func (s *sim) locateOnce(c *child, e *episode) bool {
	k := e.kind
	if k == KindParents {
		e.plPost, e.plE, e.plN = c.home, c.homeE, c.homeN
		return true
	}
	band := bandInside
	pIn := s.pInside[k]
	if !fixedInside[k] && s.insideFb != 0 {
		pIn = sigmoid(logit(clamp(pIn, 0.01, 0.99)) + s.insideFb)
	}
	if s.r.Float64() >= pIn {
		band = bandNear
		if s.r.Float64() < clamp(s.pFar[k]*s.farFb, 0.01, 0.99) {
			band = bandFar
		}
	}
	if pk, ok := setting(k, e.place); ok && (k != KindSupported || e.place == "K3" || e.start >= supportedRegistration) {
		// Supported accommodation services were registered in 2023; the
		// register's services stand for those operating before then.
		regBy := e.start
		if k == KindSupported {
			regBy = day(math.MaxInt32)
		}
		h := s.chooseHome(pk, band, e.start, regBy, c.home)
		if h < 0 && capacityKind(pk) {
			return false // no place free: the caller chooses another kind
		}
		if h >= 0 {
			home := &s.w.Homes[h]
			e.home = int32(h) + 1
			e.urn, e.plPost, e.plE, e.plN = home.URN, home.Postcode, home.Easting, home.Northing
			switch home.Sector {
			case care.SectorLA:
				e.provider = "PR1"
				if home.Council != s.in.Code {
					e.provider = "PR2"
				}
			case care.SectorVoluntary:
				e.provider = "PR5"
			case care.SectorHealth:
				e.provider = "PR3"
			default:
				e.provider = "PR4"
			}
			return true
		}
	}
	if e.provider == "" && e.place != "Z1" && e.place != "Z12" {
		e.provider = "PR4"
	}
	if k == KindAdoption {
		// Adopters live anywhere; the council's own agency (PR1) places
		// within its area (rule 1015), a voluntary agency (PR5) beyond it.
		if band != bandInside {
			e.provider = "PR5"
		}
	}
	if band == bandInside {
		for try := 0; try < 8; try++ {
			i := pick(s.r, s.sectorW)
			if i < 0 {
				break
			}
			p := s.in.Sectors[i]
			// In large councils a sector more than 20 miles from home is
			// taken less often than its population says (DfE: 4% of
			// children are placed more than 20 miles away inside their
			// council).
			if (p.Code != c.home || len(s.in.Sectors) == 1) && (try == 7 || milesDfE(c.homeE, c.homeN, p.Easting, p.Northing) <= 20 || s.r.Float64() < 0.3) {
				e.plPost, e.plE, e.plN = p.Code, p.Easting, p.Northing
				return true
			}
		}
		band = bandNear
	}
	if p, ok := s.w.sectorOutside(s.r, s.in.Code, c.homeE, c.homeN, band); ok {
		e.plPost, e.plE, e.plN = p.Code, p.Easting, p.Northing
		return true
	}
	e.plPost, e.plE, e.plN = c.home, c.homeE, c.homeN
	return true
}

// chooseHome picks a registered setting of kind pk in the band, registered by
// day regBy and not closed by day d, weighted by places; it widens the band when none fits. Settings
// whose places bound their residents (capacityKind) are chosen only where
// the council's share has a place free from day d on. -1 if none.
//
// Settings in the postcode sector avoid (the child's home) are taken only
// when no other fits (query 392d).
func (s *sim) chooseHome(pk care.ProvisionKind, band distanceBand, d, regBy day, avoid string) int {
	if h := s.chooseHomeOnce(pk, band, d, regBy, avoid); h >= 0 || avoid == "" {
		return h
	}
	return s.chooseHomeOnce(pk, band, d, regBy, "")
}

func (s *sim) chooseHomeOnce(pk care.ProvisionKind, band distanceBand, d, regBy day, avoid string) int {
	lists := [3][]int32{s.homesIn[pk], s.homesNr[pk], s.homesFar[pk]}
	order := [3]distanceBand{band, bandNear, bandFar}
	if band == bandFar {
		order = [3]distanceBand{bandFar, bandNear, bandInside}
	} else if band == bandNear {
		order = [3]distanceBand{bandNear, bandFar, bandInside}
	}
	bounded := capacityKind(pk)
	weight := func(i int32) float64 {
		h := &s.w.Homes[i]
		switch {
		case h.Registered > regBy || (h.Closed != noDay && h.Closed <= d) || (avoid != "" && h.Postcode == avoid):
			return 0
		case !bounded:
			return float64(max(h.Places, 1))
		case !s.free(i, d):
			return 0
		}
		return float64(s.quota[i])
	}
	for _, b := range order {
		l := lists[b]
		var total float64
		for _, i := range l {
			total += weight(i)
		}
		if total == 0 {
			continue
		}
		u := s.r.Float64() * total
		last := int32(-1)
		for _, i := range l {
			w := weight(i)
			if w == 0 {
				continue
			}
			last = i
			u -= w
			if u < 0 {
				return int(i)
			}
		}
		return int(last)
	}
	return -1
}

// price sets the weekly cost and its funding split.
func (s *sim) price(c *child, e *episode) {
	cs := &s.nat.Costs
	year := float64(collectionYear(e.start) - 2024)
	res := math.Pow(1+cs.GrowthResidential, year)
	fos := math.Pow(1+cs.GrowthFostering, year)
	t := int(c.needs.Tier)
	var pounds float64
	switch e.kind {
	case KindChildrensHome:
		pounds = childrensHomePrice(s.r, cs.ChildrensHome*res, t)
	case KindSecure:
		pounds = lognormal(s.r, cs.Secure, 0.25) * res
	case KindResidentialSchool:
		pounds = lognormal(s.r, cs.ResidentialSchool, 0.35) * res
	case KindSupported:
		pounds = lognormal(s.r, cs.Supported, 0.5) * [5]float64{1, 0.9, 1, 1.2, 1.5}[t] * res
	case KindFosterAgency:
		pounds = lognormal(s.r, cs.FosterAgency, 0.18) * [5]float64{1, 0.95, 1, 1.15, 1.3}[t] * fos
	case KindFosterInHouse:
		pounds = lognormal(s.r, cs.FosterInHouse, 0.15) * [5]float64{1, 0.95, 1, 1.15, 1.3}[t] * fos
	case KindFosterRelative:
		pounds = lognormal(s.r, cs.FosterRelative, 0.15) * fos
	case KindOtherResidential:
		if e.place == "R3" || e.place == "R1" {
			pounds = lognormal(s.r, cs.OtherResidential, 0.3) * res
		}
	case KindOther:
		pounds = lognormal(s.r, cs.ChildrensHome*1.3, 0.5) * res
	}
	e.cost = care.FromPounds(math.Round(pounds))
	e.fund = care.Funding{SocialCare: e.cost}
	switch {
	case e.kind == KindResidentialSchool:
		e.fund.Education = care.Pence(float64(e.cost) * (0.4 + 0.2*s.r.Float64()))
	case e.kind == KindChildrensHome && s.r.Float64() < 0.25:
		e.fund.Education = care.Pence(float64(e.cost) * (0.1 + 0.15*s.r.Float64()))
	}
	if (e.kind == KindChildrensHome || e.kind == KindSecure) && c.needs.MentalHealth && s.r.Float64() < 0.4 {
		e.fund.Health = care.Pence(float64(e.cost) * (0.1 + 0.2*s.r.Float64()))
	}
	e.fund.SocialCare = e.cost - e.fund.Education - e.fund.Health
}

// Children's home prices: a mixture of standard placements and specialist
// or solo ones. The mean by needs tier keeps the CCN average (the tier
// multipliers); a standard placement is never below a floor share of its
// mean, so the cheapest homes cost what a staffed home costs (2024: 10th
// percentile about £3,900, lowest about £3,000, against PSSRU's £4,153 for
// independent-sector homes in 2022-23 and the CMA's £3,830 average of the
// largest providers in 2020), while specialist placements (more often for
// complex needs) give the tail above £10,000 a week (about 12% of placements;
// LGA 2022/23: 1,510 placements at £10,000 or more).
const (
	homeSpecialistShare = 0.16 // share of specialist placements at an average tier, scaled by specialistByTier
	homeSpecialistMean  = 2.0  // their mean price as a multiple of the average
	homeFloorShare      = 0.65 // a standard placement's floor, as a share of the standard mean
	homeStandardSpread  = 0.5  // log-scale spread of the standard part above the floor
)

var (
	homeTierMean     = [5]float64{1, 0.84, 0.93, 1.05, 1.18} // mean by needs tier (unknown, 1–4), as multiples of the average
	specialistByTier = [5]float64{1, 0.6, 0.8, 1.2, 1.8}
)

// childrensHomePrice draws a children's home's weekly price for a child of
// needs tier t (0 unknown) where the average placement costs mean.
func childrensHomePrice(r *rand.Rand, mean float64, t int) float64 {
	tierMean := homeTierMean[t] * mean
	ph := homeSpecialistShare * specialistByTier[t]
	if r.Float64() < ph {
		return lognormal(r, homeSpecialistMean*mean, 0.3)
	}
	standard := (tierMean - ph*homeSpecialistMean*mean) / (1 - ph)
	return homeFloorShare*standard + lognormal(r, (1-homeFloorShare)*standard, homeStandardSpread)
}

// startSpell begins a period of care for c on day d with the given legal status.
func (s *sim) startSpell(c *child, d day, ls string, k Kind) {
	c.inCare = true
	c.spellStart = d
	c.legalAt, c.legalTo = noDay, ""
	c.eps = append(c.eps, episode{start: d, rne: "S", ls: ls})
	s.place(c, c.cur(), k)
	c.placedAt = d
	s.settle(c, d)
	c.nextReview = d + 20 + day(s.r.IntN(8))
	c.swSeq++
	c.swID = fmt.Sprintf("SW%s%05d", s.in.DfECode, s.r.IntN(100000))
	c.swStart = d
	switch ls {
	case "L1", "L2":
		c.legalAt = d + 1 + day(s.r.IntN(3)) // police protection: at most 72 hours
		if ls == "L2" {
			c.legalAt = d + 1 + day(s.r.IntN(8)) // EPO: at most 8 days
		}
		c.legalTo = "C1"
		if s.r.Float64() < 0.4 {
			c.legalTo = "V2"
		}
	case "C1":
		c.legalAt = d + 180 + day(s.r.IntN(220))
		c.legalTo = "C2"
	case "V2":
		// Most children who stay beyond a year come under a care order; s20
		// is mostly for short stays, older children and UASC (DfE: 57% of
		// starters but 19% of children in care at 31 March are on s20).
		long := c.exit-d > 365
		if !c.uasc && ((long && s.r.Float64() < 0.93) || s.r.Float64() < 0.2) {
			c.legalAt = d + 45 + day(s.r.IntN(200))
			c.legalTo = "C1"
		}
	}
}

// planExit draws when a period of care that starts at age age should end.
func (s *sim) planExit(c *child, d day, ls string) {
	age := c.age(d)
	eighteen := birthday(c.dob, 18)
	c.exit = eighteen
	c.adopt = nil
	if c.uasc {
		if s.r.Float64() < 0.08 {
			c.exit = d + 30 + day(s.r.IntN(300))
		}
	} else if ls == "J1" {
		c.exit = d + 20 + day(s.r.IntN(120))
	} else {
		// The adoption pathway's weight follows the council's published
		// share placed for adoption (and the feedback on its stock).
		adopt := 1.0
		if s.nat.Mix[KindAdoption] > 0 {
			adopt = clamp(s.in.Mix[KindAdoption]/s.nat.Mix[KindAdoption], 0.05, 3) * s.fb[KindAdoption]
		}
		var w []float64
		switch {
		case age < 4:
			w = []float64{0.16, 0.18, 0.2, 0.08, 0.38 * adopt} // short, medium, 1–3 years, to 18, adoption
		case age < 5:
			w = []float64{0.18, 0.22, 0.25, 0.2, 0.15 * adopt}
		case age < 10:
			w = []float64{0.15, 0.2, 0.23, 0.42, 0}
		case age < 16:
			w = []float64{0.1, 0.12, 0.08, 0.7, 0}
		default:
			w = []float64{0.12, 0.12, 0, 0.76, 0}
		}
		switch pick(s.r, w) {
		case 0:
			c.exit = d + 2 + day(s.r.IntN(54))
		case 1:
			c.exit = d + 56 + day(s.r.IntN(310))
		case 2:
			c.exit = d + 365 + day(s.r.IntN(730))
		case 4:
			a := &adoptionPath{}
			a.decision = d + 120 + day(s.r.IntN(180))
			a.order = a.decision + 60 + day(s.r.IntN(120))
			a.matched = a.order + 30 + day(s.r.IntN(150))
			a.placed = a.matched + 7 + day(s.r.IntN(40))
			a.carer = s.r.Float64() < 0.2
			c.adopt = a
			c.exit = a.placed + 150 + day(s.r.IntN(300)) // adoption order 5 to 15 months after placement
		}
	}
	if c.exit > eighteen {
		c.exit = eighteen
	}
	if c.exit <= d {
		c.exit = d + 1
	}
}

// legalAtStart draws the legal status of a child starting to be looked after.
func (s *sim) legalAtStart(c *child, age int) string {
	if c.uasc {
		return "V2"
	}
	w := s.nat.StartLegal
	if age < 10 {
		w[3] = 0
	}
	switch pick(s.r, w[:]) {
	case 1:
		return "C1"
	case 2:
		if s.r.Float64() < 0.7 {
			return "L1"
		}
		return "L2"
	case 3:
		return "J1"
	}
	return "V2"
}

// initialStock creates the children looked after at the start (31 March of
// the year before the first generated year), each with a history that began
// before.
func (s *sim) initialStock(n int, at day) {
	for i := 0; i < n; i++ {
		band := pick(s.r, s.in.AgeMix[:])
		if band < 0 {
			band = band10to15
		}
		age := [nBands][2]int{{0, 0}, {1, 4}, {5, 9}, {10, 15}, {16, 17}}[band]
		a := age[0] + s.r.IntN(age[1]-age[0]+1)
		uasc := a >= 14 && s.r.Float64() < s.in.UASCShare*2.2
		c := s.newChild(at, a, uasc)
		w := s.cond[band]
		if uasc {
			w[KindParents], w[KindFosterRelative], w[KindAdoption] = 0, 0, 0
		}
		k := Kind(max(pick(s.r, w[:]), 0))
		if k == KindSupported && c.age(at) < 16 {
			k = KindFosterAgency
		}
		if (k == KindSecure || k == KindResidentialSchool) && c.age(at) < kindMinAge[k] {
			// Too young on the day for the kind its age band drew: the
			// setting councils use instead (see substitute).
			k = KindChildrensHome
		}
		// Time in care so far.
		maxDur := int(at-c.dob) - 1
		dur := int(s.r.ExpFloat64() * 2.5 * 365)
		if k == KindAdoption {
			dur = 300 + s.r.IntN(500)
			if dur > maxDur {
				dur = max(maxDur, 240)
			}
		}
		if dur > maxDur {
			dur = s.r.IntN(max(maxDur, 1))
		}
		start := at - day(dur)
		if c.uasc && start < birthday(c.dob, 14) {
			start = birthday(c.dob, 14) + day(s.r.IntN(max(int(at-birthday(c.dob, 14)), 1)))
		}
		ls := "C2"
		switch {
		case k == KindAdoption:
			ls = "E1"
		case k != KindParents && (uasc || (a >= 16 && s.r.Float64() < 0.2)):
			ls = "V2"
		case k != KindParents && s.r.Float64() < 0.05:
			ls = "V2"
		case at-start < 300:
			ls = "C1"
		}
		c.inCare = true
		c.spellStart = start
		epStart := start
		rne := "S"
		if at-start > 60 {
			back := day(s.r.ExpFloat64() * 1.2 * 365)
			if back < at-start {
				epStart = at - back
				rne = "P"
			}
		}
		// The current placement cannot have started before the child was
		// old enough for it.
		if minAge := kindMinAge[k]; minAge > 0 && epStart < birthday(c.dob, minAge) {
			epStart = birthday(c.dob, minAge)
			if epStart > start {
				rne = "P"
			}
		}
		if epStart == start {
			rne = "S"
		}
		c.eps = append(c.eps, episode{start: epStart, rne: rne, ls: ls})
		s.place(c, c.cur(), k)
		c.placedAt = epStart
		s.settle(c, epStart)
		if ls == "C1" {
			c.legalAt = start + 180 + day(s.r.IntN(220))
			if c.legalAt <= at {
				c.legalAt = at + 1 + day(s.r.IntN(120))
			}
			c.legalTo = "C2"
		}
		// Planned end.
		eighteen := birthday(c.dob, 18)
		switch {
		case k == KindAdoption:
			// Decision, placement order and match all before the
			// placement, which began 1 to 200 days ago.
			a := &adoptionPath{}
			span := at - start
			a.decision = start + span/5
			a.order = start + 2*span/5
			a.matched = start + 3*span/5
			a.placed = max(start+4*span/5, at-day(1+s.r.IntN(200)))
			c.adopt = a
			c.eps[0].start = a.placed
			c.eps[0].rne = "P"
			c.exit = at + 30 + day(s.r.IntN(300))
		case uasc || s.r.Float64() < 0.5 || (a >= 12 && s.r.Float64() < 0.5):
			c.exit = eighteen // most teenagers in care stay until 18
		default:
			c.exit = at + 30 + day(s.r.IntN(3*365))
		}
		if c.exit > eighteen {
			c.exit = eighteen
		}
		c.nextReview = at + 1 + day(s.r.IntN(180))
		c.swID = fmt.Sprintf("SW%s%05d", s.in.DfECode, s.r.IntN(100000))
		c.swStart = max(start, at-day(s.r.IntN(700)))
		s.active = append(s.active, c)
	}
}

// reconcile splits the published flows so that the stock identity holds:
// stock0 + starts − ceases = target stock, sharing any inconsistency of the
// published figures between starts and ceases in proportion to their size.
//
// The three published figures of a year rarely add up exactly (children
// counted once however often they start, transfers between councils,
// revisions), and the simulated stock at the start may differ slightly from
// the published one. The mismatch is shared between stock, starts and ceases
// in proportion to their size, so that each is off by the same, smallest,
// relative amount.
//
// Of the whole numbers next to the shared-out figures, those with the
// smallest largest relative difference from the published ones are taken
// (rounding each on its own could put a small council's ceases a child
// beyond the tolerance).
func reconcile(stock0 int, t Target) (starts, ceases int) {
	T, S, C := t.Stock, t.Starts, t.Ceases
	delta := T - float64(stock0) - (S - C)
	if sum := T + S + C; sum > 0 {
		T -= delta * T / sum
		S += delta * S / sum
	}
	rel := func(got int, want float64) float64 {
		if want <= 0 {
			return 0
		}
		return math.Abs(float64(got)-want) / want
	}
	best := math.Inf(1)
	for _, s := range []float64{math.Floor(S), math.Ceil(S)} {
		for _, tt := range []float64{math.Round(T), math.Floor(T), math.Ceil(T)} {
			st := int(math.Max(s, 0))
			c := stock0 + st - int(tt)
			if c < 0 {
				st -= c
				c = 0
			}
			e := max(rel(int(tt), t.Stock), rel(st, t.Starts), rel(c, t.Ceases))
			if e < best-1e-12 {
				best, starts, ceases = e, st, c
			}
		}
	}
	return starts, ceases
}

// enter creates n children starting to be looked after during [ys, ye]:
// who they are, the day they start, their legal status and planned end of
// care. They start (and are placed) on that day in the day-by-day
// simulation of the year (liveYear), so that the places they look for are
// those free on the day; until then they are in s.active but not in care.
func (s *sim) enter(n int, ys, ye day) {
	uascP := clamp(s.in.UASCShare*1.8*s.uascFb, 0, 0.6)
	for n > 0 {
		d := between(s.r, ys, ye)
		uasc := s.r.Float64() < uascP
		var c *child
		if !uasc && len(s.formers) > 0 && s.r.Float64() < 0.08 {
			i := s.r.IntN(len(s.formers))
			f := s.formers[i]
			if f.age(d) < 17 && f.left < d-7 {
				s.formers = append(s.formers[:i], s.formers[i+1:]...)
				c = f
				c.reentry = true
			}
		}
		if c == nil {
			var age int
			if uasc {
				age = 14 + pick(s.r, []float64{0.1, 0.3, 0.6})
			} else {
				band := pick(s.r, s.firstAge[:])
				r := [nBands][2]int{{0, 0}, {1, 4}, {5, 9}, {10, 15}, {16, 17}}[band]
				age = r[0] + s.r.IntN(r[1]-r[0]+1)
			}
			c = s.newChild(d, age, uasc)
			if age == 0 && s.r.Float64() < 0.4 {
				c.dob = d - day(s.r.IntN(10)) // taken into care at birth
			}
		}
		group := 1
		if !uasc && !c.reentry && c.age(d) < 14 && s.r.Float64() < 0.3 {
			group = 2 + pick(s.r, []float64{0.7, 0.22, 0.08})
		}
		if group > n {
			group = n
		}
		s.planAdmission(c, d)
		n--
		a := &admission{at: d, kids: []*child{c}}
		var sg *sibGroup
		if group > 1 {
			sg = &sibGroup{leader: c, members: []*child{c}}
			c.group = sg
		}
		for g := 1; g < group; g++ {
			age := c.age(d) + (g*2-3)*(1+s.r.IntN(2))
			if age < 0 {
				age = 0
			}
			if age > 15 {
				age = 15
			}
			sib := s.newChild(d, age, false)
			sib.home, sib.homeE, sib.homeN = c.home, c.homeE, c.homeN
			sib.cin, sib.ethnic = c.cin, c.ethnic
			sib.group = sg
			sg.members = append(sg.members, sib)
			s.planSibling(sib, c, d)
			a.kids = append(a.kids, sib)
			n--
		}
		s.admissions = append(s.admissions, a)
	}
}

// admission is a child, with the brothers and sisters who come with it,
// starting to be looked after on one day (see enter).
type admission struct {
	at   day
	kids []*child // the first child, then its brothers and sisters
}

// planAdmission plans the period of care c starts on day d: its legal
// status, its planned end and previous permanence. c joins s.active, not
// yet in care; admit starts the period on the day.
func (s *sim) planAdmission(c *child, d day) {
	c.group = nil // a child coming back into care comes alone
	ls := s.legalAtStart(c, c.age(d))
	s.planExit(c, d, ls)
	c.startLS = ls
	c.spellStart = d
	// Previous permanence: most children have none; for a fifth the
	// council does not know (DfE 2024: 78% none, 20% unknown).
	c.prevPerm = "Z1"
	if s.r.Float64() < 0.2 {
		c.prevPerm = "P4"
	}
	s.active = append(s.active, c)
	s.stats.Starts++
}

// planSibling plans the period of care of a brother or sister starting
// with first on day d (see planAdmission): the same legal status (a remand
// is first's own), often the same planned end.
func (s *sim) planSibling(c, first *child, d day) {
	ls := first.startLS
	if ls == "J1" {
		ls = "V2"
	}
	c.prevPerm = "Z1"
	s.planExit(c, d, ls)
	if first.adopt == nil && c.adopt == nil && c.age(d) < 16 && s.r.Float64() < 0.6 {
		c.exit = first.exit // siblings often go home together
		if c.exit > birthday(c.dob, 18) {
			c.exit = birthday(c.dob, 18)
		}
	}
	c.startLS = ls
	c.spellStart = d
	s.active = append(s.active, c)
	s.stats.Starts++
}

// admit starts the periods of care of a's children on its day: the first
// child is placed, then each brother or sister, mostly with it.
func (s *sim) admit(a *admission) {
	first := a.kids[0]
	s.startFirst(first, a.at)
	for _, sib := range a.kids[1:] {
		s.startSibling(sib, first, a.at, len(a.kids))
	}
}

// startFirst starts the planned period of care of c (see planAdmission)
// on day d.
func (s *sim) startFirst(c *child, d day) {
	ls := c.startLS
	c.eps = append(c.eps, episode{start: d, ls: ls}) // so the choice sees the legal status
	k := s.chooseKind(c, d, false)
	c.eps = c.eps[:len(c.eps)-1]
	if ls == "J1" && s.r.Float64() < 0.3 && c.age(d) >= 10 {
		k = KindSecure
	}
	s.startSpell(c, d, ls, k)
}

// siblingAgeCorrection is, by age band, how many more children start than
// are drawn: the brothers and sisters who start with a child under 14 (three
// in ten bring one to three, aged near theirs) and children coming back into
// care. New children's ages are drawn with these taken out, so that the ages
// of all starters follow the published ones (16 and over: 29% in 2024).
var siblingAgeCorrection = [nBands]float64{0.6, 0.6, 0.6, 0.4, 0}

// siblingsTogether is the chance that a brother or sister starting to be
// looked after with others is placed with the first of them, by the size of
// the group (2, 3, 4). With the moves that later part some of them, about a
// third of children in sibling groups live apart from at least one brother
// or sister (Children's Commissioner for England, "Siblings in care").
var siblingsTogether = [5]float64{0, 0, 0.91, 0.86, 0.8}

// startSibling starts a sibling's planned period of care (see planSibling)
// alongside the first child of a group of size n, mostly placed together
// with it (see suits).
func (s *sim) startSibling(c, first *child, d day, n int) {
	fe := first.cur()
	ls := c.startLS
	c.eps = append(c.eps, episode{start: d, ls: ls}) // so suits and chooseKind see the legal status
	together := s.r.Float64() < siblingsTogether[min(n, 4)] && s.suits(c, fe, d)
	k := s.chooseKind(c, d, false)
	c.eps = c.eps[:len(c.eps)-1]
	if together {
		k = fe.kind
	}
	s.startSpell(c, d, ls, k)
	if together {
		e := c.cur()
		e.place, e.provider, e.plPost, e.plE, e.plN, e.urn, e.home = fe.place, fe.provider, fe.plPost, fe.plE, fe.plN, fe.urn, fe.home
		s.price(c, e)
		s.settle(c, d)
	}
}

// adjustExits makes exactly need children leave during [ys, ye]: the planned
// exits of the year, postponed or brought forward as the published figures
// require. Exits on the 18th birthday are never moved.
func (s *sim) adjustExits(need int, ys, ye day) {
	var natural, optional, later []*child
	for _, c := range s.active {
		if c.exit <= ye {
			natural = append(natural, c)
			if c.exit != birthday(c.dob, 18) {
				optional = append(optional, c)
			}
		} else {
			later = append(later, c)
		}
	}
	switch {
	case len(natural) > need:
		extra := min(len(natural)-need, len(optional))
		s.r.Shuffle(len(optional), func(i, j int) { optional[i], optional[j] = optional[j], optional[i] })
		for _, c := range optional[:extra] {
			e18 := birthday(c.dob, 18)
			c.exit = ye + 1 + day(s.r.IntN(400))
			if c.exit > e18 {
				c.exit = e18
			}
			if c.exit <= ye { // cannot postpone past the 18th birthday
				continue
			}
			if c.adopt != nil && c.adopt.placed > c.exit-60 {
				c.adopt.placed = c.exit - 60
			}
		}
	case len(natural) < need:
		k := need - len(natural)
		// Bring forward the soonest planned ends, but not of young people
		// planned to stay until 18 (they leave at 18 if at all possible,
		// as in the published ages on ceasing).
		sort.SliceStable(later, func(i, j int) bool {
			a, b := later[i].exit == birthday(later[i].dob, 18), later[j].exit == birthday(later[j].dob, 18)
			if a != b {
				return !a
			}
			return later[i].exit < later[j].exit
		})
		pool := later[:min(len(later), 3*k)]
		s.r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		for _, c := range pool[:min(k, len(pool))] {
			lo := max(ys, c.spellStart+1)
			c.exit = between(s.r, lo, ye)
		}
	}
}
