package match

import (
	"bufio"
	_ "embed"
	"io"
	"strconv"
	"strings"

	"sufficiency/care"
)

//go:embed policy.conf
var defaultPolicyText string

// DefaultPolicyText returns the embedded default policy file, with the
// documentation of every weight.
func DefaultPolicyText() string { return defaultPolicyText }

// Policy holds the weights of the ranking score and the cost benchmarks. The
// score is a sum of penalty points; lower is better. See policy.conf for the
// meaning and the default of each field.
type Policy struct {
	DistancePerMile float64
	OutOfArea       float64
	MaxMiles        float64

	SchoolReachMiles float64
	SchoolMove       float64
	SchoolPerMile    float64

	NotPreferredType         float64
	ResidentialForLowerNeeds float64
	FosterWithoutSpecialism  float64

	CostPer10PctOver  float64
	CostPer10PctUnder float64
	// Benchmark is the weekly benchmark price in pence by placement type
	// (care.TypeFoster, TypeResidential, TypeSupported) and needs tier (index
	// 1–4; index 0, unknown, uses the standard figure).
	Benchmark map[string][5]care.Pence

	RatingOutstanding float64
	RatingGood        float64
	RatingRI          float64
	RatingNone        float64
	ExcludeInadequate bool
	RatingInadequate  float64

	SiblingsTogether float64

	NewHomeYears     float64
	NewHome          float64
	StaleVacancyDays float64
	StaleVacancy     float64
}

// DefaultPolicy returns the documented default policy (policy.conf).
func DefaultPolicy() Policy {
	p, err := ParsePolicy(strings.NewReader(defaultPolicyText), nil)
	if err != nil {
		panic("match: embedded policy.conf is invalid: " + err.Error()) // checked by the tests
	}
	return p
}

// fields maps the policy file's names to the Policy's fields.
func (p *Policy) fields() map[string]*float64 {
	return map[string]*float64{
		"distance_per_mile": &p.DistancePerMile, "out_of_area": &p.OutOfArea, "max_miles": &p.MaxMiles,
		"school_reach_miles": &p.SchoolReachMiles, "school_move": &p.SchoolMove, "school_per_mile": &p.SchoolPerMile,
		"not_preferred_type": &p.NotPreferredType, "residential_for_lower_needs": &p.ResidentialForLowerNeeds,
		"foster_without_specialism": &p.FosterWithoutSpecialism,
		"cost_per_10pct_over":       &p.CostPer10PctOver, "cost_per_10pct_under": &p.CostPer10PctUnder,
		"rating_outstanding": &p.RatingOutstanding, "rating_good": &p.RatingGood,
		"rating_requires_improvement": &p.RatingRI, "rating_not_inspected": &p.RatingNone,
		"rating_inadequate": &p.RatingInadequate,
		"siblings_together": &p.SiblingsTogether,
		"new_home_years":    &p.NewHomeYears, "new_home": &p.NewHome,
		"stale_vacancy_days": &p.StaleVacancyDays, "stale_vacancy": &p.StaleVacancy,
	}
}

var tierNames = []string{"standard", "enhanced", "complex", "highly_complex"}

// ParsePolicy reads a policy file ("name = value" lines, "#" comments) over
// base (nil: the defaults), so a file need only list what it changes.
// Unknown names, repeated names and values that are not numbers give
// EINVALID naming the line.
func ParsePolicy(r io.Reader, base *Policy) (Policy, error) {
	var p Policy
	if base != nil {
		p = *base
		p.Benchmark = map[string][5]care.Pence{}
		for k, v := range base.Benchmark {
			p.Benchmark[k] = v
		}
	} else {
		p.Benchmark = map[string][5]care.Pence{}
	}
	fields := p.fields()
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if k := strings.IndexByte(text, '#'); k >= 0 {
			text = text[:k]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		name, val, ok := strings.Cut(text, "=")
		if !ok {
			return p, care.Errorf(care.EINVALID, "policy line %d: %q is not \"name = value\"", line, text)
		}
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		if prev, dup := seen[name]; dup {
			return p, care.Errorf(care.EINVALID, "policy line %d: %s is already set on line %d; keep one", line, name, prev)
		}
		seen[name] = line
		x, err := strconv.ParseFloat(val, 64)
		if err != nil || x != x {
			return p, care.Errorf(care.EINVALID, "policy line %d: %s = %q is not a number", line, name, val)
		}
		switch {
		case name == "exclude_inadequate":
			p.ExcludeInadequate = x != 0
		case strings.HasPrefix(name, "benchmark_"):
			typ, tier, ok := benchmarkName(name)
			if !ok {
				return p, care.Errorf(care.EINVALID, "policy line %d: unknown benchmark %q; use benchmark_{foster,residential,supported}_{%s}",
					line, name, strings.Join(tierNames, ","))
			}
			if x < 0 {
				return p, care.Errorf(care.EINVALID, "policy line %d: %s is negative; give pounds per week", line, name)
			}
			b := p.Benchmark[typ]
			b[tier] = care.FromPounds(x)
			if tier == 1 {
				b[0] = b[1]
			}
			p.Benchmark[typ] = b
		default:
			f, ok := fields[name]
			if !ok {
				return p, care.Errorf(care.EINVALID, "policy line %d: unknown weight %q; the default policy names every weight", line, name)
			}
			*f = x
		}
	}
	if err := sc.Err(); err != nil {
		return p, care.WrapError(care.EUNUSABLE, err, "read policy")
	}
	if p.MaxMiles < 0 || p.SchoolReachMiles < 0 || p.NewHomeYears < 0 || p.StaleVacancyDays < 0 {
		return p, care.Errorf(care.EINVALID, "policy: max_miles, school_reach_miles, new_home_years and stale_vacancy_days cannot be negative")
	}
	return p, nil
}

func benchmarkName(name string) (string, int, bool) {
	rest := strings.TrimPrefix(name, "benchmark_")
	for _, typ := range []string{care.TypeFoster, care.TypeResidential, care.TypeSupported} {
		if t, ok := strings.CutPrefix(rest, typ+"_"); ok {
			for k, tn := range tierNames {
				if t == tn {
					return typ, k + 1, true
				}
			}
		}
	}
	return "", 0, false
}

// BenchmarkFor returns the weekly benchmark price for a placement type and
// needs tier.
func (p Policy) BenchmarkFor(placementType string, tier care.NeedsTier) care.Pence {
	b := p.Benchmark[placementType]
	if tier < 0 || int(tier) >= len(b) {
		return b[0]
	}
	return b[tier]
}
