package synth

import (
	"math/rand/v2"

	"sufficiency/care"
)

// episode is one generated SSDA903 episode.
type episode struct {
	start, end day // end is noDay while open
	rne, ls    string
	place      string
	provider   string
	rec, rpc   string
	plPost     string
	plE, plN   float64
	urn        string
	kind       Kind
	temporary  bool
	home       int32 // 1 + index into World.Homes of a setting with bounded places; 0 for none
	cost       care.Pence
	fund       care.Funding
}

// adoptionPath is the plan of a child on the way to adoption.
type adoptionPath struct {
	decision day // decision that the child should be placed for adoption
	order    day // placement order (legal status E1)
	placed   day // placed for adoption
	matched  day
	carer    bool // adopted by the current foster carer
}

// child is one generated child, known to one council.
type child struct {
	id     string
	sex    care.Sex
	dob    day
	ethnic string
	upn    string
	uasc   bool
	cin    string

	home         string // HOME_POST: a postcode sector of the council
	homeE, homeN float64

	needs    care.NeedsProfile
	moveRate float64 // placement moves a year
	inHome   int32   // index into World.Homes of the bounded setting the child has a place in, or -1
	placedAt day     // start of the current placement (moves' hazard falls with time since)
	group    *sibGroup

	inCare     bool
	spellStart day
	exit       day // planned end of the current period of care
	legalAt    day // next planned legal-status change
	legalTo    string
	adopt      *adoptionPath
	eps        []episode // episodes not yet pruned (current and recent)
	prevPerm   string    // PREV_PERM for the current period's start
	reentry    bool
	startLS    string // legal status at the start of a period of care planned but not yet begun (see enter)

	life *lifeYear // the child's part of the year being simulated (see liveYear)

	mother day // date of the first child's birth, if any

	// After leaving care.
	left       day
	leftRec    string
	careLeaver bool // relevant or former relevant child (OC3 cohort from 17 to 21)
	since14    day  // days in care after the 14th birthday, for care-leaver status

	nextReview  day
	yearReviews []day
	yearMissing [][2]day
	swID        string
	swStart     day
	swSeq       int
}

// cur returns the open (last) episode.
func (c *child) cur() *episode { return &c.eps[len(c.eps)-1] }

// age returns the child's age on d.
func (c *child) age(d day) int { return ageOn(c.dob, d) }

// tierWeights are the needs tiers by age band (standard, enhanced, complex,
// highly complex).
var tierWeights = [nBands][4]float64{
	{0.75, 0.20, 0.04, 0.01},
	{0.75, 0.20, 0.04, 0.01},
	{0.60, 0.28, 0.09, 0.03},
	{0.44, 0.30, 0.18, 0.08},
	{0.50, 0.30, 0.14, 0.06},
}

type riskRule struct {
	risk   care.Risk
	minAge int
	sex    care.Sex // "" for both
	p      [4]float64
}

// riskRules give the probability of each Placements Data Standard risk flag
// by needs tier, for children old enough to carry it.
var riskRules = []riskRule{
	{care.RiskSelfHarm, 11, "", [4]float64{0.02, 0.08, 0.25, 0.45}},
	{care.RiskSexualExploitation, 10, care.Female, [4]float64{0.03, 0.08, 0.22, 0.35}},
	{care.RiskCriminalExploitation, 10, care.Male, [4]float64{0.03, 0.08, 0.22, 0.35}},
	{care.RiskSubstances, 13, "", [4]float64{0.03, 0.10, 0.25, 0.40}},
	{care.RiskEatingDisorder, 12, care.Female, [4]float64{0.005, 0.02, 0.05, 0.10}},
	{care.RiskMissing, 10, "", [4]float64{0.04, 0.12, 0.35, 0.55}},
	{care.RiskPhysicalHarm, 6, "", [4]float64{0.02, 0.08, 0.30, 0.60}},
	{care.RiskSexualHarm, 10, "", [4]float64{0.005, 0.01, 0.05, 0.12}},
	{care.RiskFireSetting, 8, "", [4]float64{0.003, 0.01, 0.04, 0.10}},
	{care.RiskHarmToAnimals, 5, "", [4]float64{0.003, 0.01, 0.03, 0.06}},
	{care.RiskExploitingOthers, 12, "", [4]float64{0.002, 0.01, 0.04, 0.10}},
}

// drawNeeds draws a needs profile for a child of the given age.
func drawNeeds(r *rand.Rand, age int, sex care.Sex, uasc bool, cin string) care.NeedsProfile {
	w := tierWeights[bandOf(age)]
	if uasc {
		w = [4]float64{0.6, 0.3, 0.08, 0.02}
	}
	t := pick(r, w[:])
	n := care.NeedsProfile{Tier: care.NeedsTier(t + 1)}
	for _, rr := range riskRules {
		if age < rr.minAge || (rr.sex != "" && rr.sex != sex) {
			continue
		}
		if r.Float64() < rr.p[t] {
			n.Risks = append(n.Risks, rr.risk)
		}
	}
	n.Disability = cin == "N2" || r.Float64() < [4]float64{0.02, 0.06, 0.10, 0.20}[t]
	if age >= 10 {
		n.MentalHealth = r.Float64() < [4]float64{0.03, 0.10, 0.30, 0.50}[t]
		n.DeprivationOfLiberty = t == 3 && r.Float64() < 0.15
	}
	n.SoloRecommended = r.Float64() < [4]float64{0, 0.01, 0.08, 0.5}[t]
	if uasc && r.Float64() < 0.7 {
		n.CommunicationNeeds = []string{"ESOL"}
	}
	return n
}

// drawMoveRate draws how often a child's placements change: most children
// are stable, a minority move often (about one child in ten has three or more
// placements in a year).
func drawMoveRate(r *rand.Rand, tier care.NeedsTier) float64 {
	base := [3]float64{0.25, 0.9, 2.0}[pick(r, []float64{0.64, 0.26, 0.10})]
	return base * [5]float64{1, 0.8, 1.0, 1.4, 1.8}[tier]
}

// upnLetters are the check letters of a Unique Pupil Number.
const upnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ"

// makeUPN builds a well-formed UPN: check letter, the council's DfE code,
// a school establishment number, a two-digit year and a serial.
func makeUPN(r *rand.Rand, dfe string, year int) string {
	b := make([]byte, 13)
	b[0] = 'A'
	for i := 0; i < 3; i++ {
		c := byte('0')
		if i < len(dfe) {
			c = dfe[i]
		}
		b[1+i] = c
	}
	for i := 4; i < 8; i++ {
		b[i] = byte('0' + r.IntN(10))
	}
	b[8] = byte('0' + (year/10)%10)
	b[9] = byte('0' + year%10)
	for i := 10; i < 13; i++ {
		b[i] = byte('0' + r.IntN(10))
	}
	sum := 0
	for i := 1; i < 13; i++ {
		sum += int(b[i]-'0') * (i + 1)
	}
	b[0] = upnLetters[sum%23]
	return string(b)
}
