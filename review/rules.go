// Package review builds the needs-led review worklist: every current
// placement of a council or region is checked against review rules (a
// residential placement without severe or complex needs, far from home with
// no recorded reason, costly for the child's needs, in a home Ofsted rates
// poorly, unregistered, unstable, siblings apart, a statutory review
// overdue), and each flagged placement is listed with the rules that flagged
// it and a priority. Step-down candidates carry an estimated saving.
//
// The rules are data: an embedded JSON file (rules.json, see DefaultRules)
// that a council may replace with its own (ParseRules). Each rule names one
// of the checks this package implements (its Kind), its parameters and a
// priority weight.
package review

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"sufficiency/care"
)

// Rule kinds: the checks a rule can configure.
const (
	KindResidentialNotComplex = "residential_without_complex_needs"
	KindFarWithoutReason      = "far_without_reason"
	KindCostAbovePercentile   = "cost_above_percentile"
	KindHomeRating            = "home_rating"
	KindPlacementTypes        = "placement_types"
	KindPlacementsInYear      = "placements_in_year"
	KindSiblingsApart         = "siblings_apart"
	KindReviewOverdue         = "review_overdue"
	KindMissingInYear         = "missing_in_year"
)

// Kinds lists every rule kind with what it checks.
var Kinds = map[string]string{
	KindResidentialNotComplex: "placement in one of params.groups for at least params.min_weeks_in_placement weeks while the child's needs tier is not severe or complex (tier 3+; unknown tier counts when params.include_unknown_tier) and one of params.alternatives fits the child's age, needs tier and risks; the saving is priced at that alternative",
	KindFarWithoutReason:      "over params.miles from home with no recorded reason, unless the placement group is in params.exempt_groups",
	KindCostAbovePercentile:   "weekly cost above the params.percentile-th percentile of current placements of the same placement group for children with the same needs tier (at least params.min_peers of them)",
	KindHomeRating:            "placement URN rated one of params.ratings on the Ofsted register",
	KindPlacementTypes:        "PLACE code in params.placements, or in params.require_urn with no URN or a URN not on the register",
	KindPlacementsInYear:      "params.min_placements or more placements in the 12 months to the date (DfE counting)",
	KindSiblingsApart:         "in an inferred sibling group (same council, same period-of-care start, same home postcode) whose members live apart; children in params.exempt_groups (placed for adoption, with parents) are left out",
	KindReviewOverdue:         "next statutory review date (params.first_days after coming into care, params.second_days after the first review, then every params.later_days) has passed; needs review records",
	KindMissingInYear:         "missing from placement (SSDA903 MISSING = M; also away without authorisation, A, when params.include_absent) params.min_episodes or more times in the 12 months to the date; needs missing records",
}

// Params are a rule's condition parameters. Each kind reads the ones it needs.
type Params struct {
	Groups             []care.PlacementGroup `json:"groups,omitempty"`
	IncludeUnknownTier bool                  `json:"include_unknown_tier,omitempty"`
	StepDownGroups     []care.PlacementGroup `json:"step_down_groups,omitempty"`
	StepDownWeekly     float64               `json:"step_down_weekly_pounds,omitempty"`
	Miles              float64               `json:"miles,omitempty"`
	ExemptGroups       []care.PlacementGroup `json:"exempt_groups,omitempty"`
	Percentile         float64               `json:"percentile,omitempty"`
	MinPeers           int                   `json:"min_peers,omitempty"`
	Ratings            []care.Rating         `json:"ratings,omitempty"`
	Placements         []string              `json:"placements,omitempty"`
	RequireURN         []string              `json:"require_urn,omitempty"`
	MinPlacements      int                   `json:"min_placements,omitempty"`
	FirstDays          int                   `json:"first_days,omitempty"`
	SecondDays         int                   `json:"second_days,omitempty"`
	LaterDays          int                   `json:"later_days,omitempty"`
	MinEpisodes        int                   `json:"min_episodes,omitempty"`
	IncludeAbsent      bool                  `json:"include_absent,omitempty"`
	// Alternatives are the placements a step-down could move a child to, in
	// order of preference; the first that fits the child is chosen.
	Alternatives []Alternative `json:"alternatives,omitempty"`
	// MinWeeksInPlacement leaves out of the step-down children placed fewer
	// weeks ago than this (a new placement is not reviewed for a move).
	MinWeeksInPlacement int `json:"min_weeks_in_placement,omitempty"`
}

// Alternative is a family-based or supported placement a child in
// residential care could step down to, with who it suits and how it is
// priced. A child fits when their age is within [MinAge, MaxAge], their needs
// tier is one of Tiers (an unknown tier is treated as enhanced, tier 2) and
// they carry none of ExcludeRisks.
type Alternative struct {
	Label        string           `json:"label"`
	MinAge       int              `json:"min_age"`
	MaxAge       int              `json:"max_age"`
	Tiers        []care.NeedsTier `json:"tiers"`
	ExcludeRisks []care.Risk      `json:"exclude_risks,omitempty"`
	// PriceGroups are the placement groups whose current placements, for
	// children of these ages and tiers, price the alternative (their median
	// weekly cost); MinWeeklyPounds is the floor, and the price when no
	// such placements are held.
	PriceGroups     []care.PlacementGroup `json:"price_groups"`
	MinWeeklyPounds float64               `json:"min_weekly_pounds"`
}

// fits reports whether the alternative suits a child of this age, tier and
// needs profile.
func (a Alternative) fits(age int, tier care.NeedsTier, needs care.NeedsProfile) bool {
	if age < a.MinAge || age > a.MaxAge {
		return false
	}
	if tier == care.TierUnknown {
		tier = care.TierEnhanced
	}
	ok := false
	for _, t := range a.Tiers {
		ok = ok || t == tier
	}
	if !ok {
		return false
	}
	for _, r := range a.ExcludeRisks {
		if needs.Has(r) {
			return false
		}
	}
	return true
}

// Rule is one review rule.
type Rule struct {
	ID          string  `json:"id"`
	Kind        string  `json:"kind"`
	Description string  `json:"description"`
	Weight      float64 `json:"weight"` // added to an item's priority when the rule flags it
	Params      Params  `json:"params"`
}

//go:embed rules.json
var defaultRules []byte

// DefaultRules returns the rules embedded in the program (rules.json).
func DefaultRules() []Rule {
	rules, err := ParseRules(bytes.NewReader(defaultRules))
	if err != nil {
		// The file is embedded and checked by the tests.
		panic("review: embedded rules.json is invalid: " + err.Error())
	}
	return rules
}

// ParseRules reads a rules file: {"rules": [{id, kind, description, weight,
// params}, ...]}. Returns EINVALID, naming the rule and what to fix, when the
// file is not JSON, a kind is unknown, ids repeat or a parameter the kind
// needs is missing or out of range.
func ParseRules(r io.Reader) ([]Rule, error) {
	var f struct {
		Rules []Rule `json:"rules"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, care.Errorf(care.EINVALID, "the review rules file is not valid: %s; it must be JSON of the form {\"rules\": [{\"id\", \"kind\", \"description\", \"weight\", \"params\"}]}", jsonProblem(err))
	}
	if len(f.Rules) == 0 {
		return nil, care.Errorf(care.EINVALID, "the review rules file has no rules: list at least one under \"rules\"")
	}
	seen := map[string]bool{}
	for i, rule := range f.Rules {
		if err := rule.check(); err != nil {
			return nil, care.Errorf(care.EINVALID, "review rule %d (%q): %s", i+1, rule.ID, err)
		}
		if seen[rule.ID] {
			return nil, care.Errorf(care.EINVALID, "review rule id %q is used twice: give each rule its own id", rule.ID)
		}
		seen[rule.ID] = true
	}
	return f.Rules, nil
}

func (r Rule) check() error {
	if strings.TrimSpace(r.ID) == "" {
		return fmt.Errorf("no id: give the rule a short id such as \"step-down\"")
	}
	if _, ok := Kinds[r.Kind]; !ok {
		kinds := make([]string, 0, len(Kinds))
		for _, k := range []string{KindResidentialNotComplex, KindFarWithoutReason, KindCostAbovePercentile, KindHomeRating,
			KindPlacementTypes, KindPlacementsInYear, KindSiblingsApart, KindReviewOverdue, KindMissingInYear} {
			kinds = append(kinds, k)
		}
		return fmt.Errorf("unknown kind %q: use one of %s", r.Kind, strings.Join(kinds, ", "))
	}
	if r.Weight < 0 {
		return fmt.Errorf("weight %v is negative: use 0 or more", r.Weight)
	}
	p := r.Params
	groups := append(append(append([]care.PlacementGroup(nil), p.Groups...), p.StepDownGroups...), p.ExemptGroups...)
	for _, a := range p.Alternatives {
		groups = append(groups, a.PriceGroups...)
	}
	for _, g := range groups {
		if !knownGroup(g) {
			return fmt.Errorf("unknown placement group %q: use one of %s", g, groupList())
		}
	}
	switch r.Kind {
	case KindResidentialNotComplex:
		if len(p.Groups) == 0 {
			return fmt.Errorf("params.groups is empty: list the residential groups to check, e.g. [\"childrens_home\"]")
		}
		if p.StepDownWeekly < 0 {
			return fmt.Errorf("params.step_down_weekly_pounds is negative")
		}
		if p.MinWeeksInPlacement < 0 {
			return fmt.Errorf("params.min_weeks_in_placement is negative: use 0 or more, e.g. 13")
		}
		for i, a := range p.Alternatives {
			if err := a.check(); err != nil {
				return fmt.Errorf("params.alternatives[%d] (%q): %s", i, a.Label, err)
			}
		}
	case KindFarWithoutReason:
		if p.Miles <= 0 {
			return fmt.Errorf("params.miles must be above 0, e.g. 20")
		}
	case KindCostAbovePercentile:
		if p.Percentile <= 0 || p.Percentile >= 100 {
			return fmt.Errorf("params.percentile must be between 0 and 100, e.g. 90")
		}
	case KindHomeRating:
		if len(p.Ratings) == 0 {
			return fmt.Errorf("params.ratings is empty: list the Ofsted ratings to flag, e.g. [\"Inadequate\"]")
		}
		for _, rt := range p.Ratings {
			switch rt {
			case care.RatingOutstanding, care.RatingGood, care.RatingRI, care.RatingInadequate:
			default:
				return fmt.Errorf("unknown rating %q: use Outstanding, Good, Requires improvement or Inadequate", rt)
			}
		}
	case KindPlacementTypes:
		if len(p.Placements) == 0 && len(p.RequireURN) == 0 {
			return fmt.Errorf("params.placements and params.require_urn are both empty: list PLACE codes to flag")
		}
	case KindPlacementsInYear:
		if p.MinPlacements < 2 {
			return fmt.Errorf("params.min_placements must be 2 or more, e.g. 3")
		}
	case KindMissingInYear:
		if p.MinEpisodes < 1 {
			return fmt.Errorf("params.min_episodes must be 1 or more, e.g. 3")
		}
	case KindReviewOverdue:
		if p.FirstDays <= 0 || p.SecondDays <= 0 || p.LaterDays <= 0 {
			return fmt.Errorf("params.first_days, second_days and later_days must all be above 0 (e.g. 28, 91, 183)")
		}
	}
	return nil
}

func (a Alternative) check() error {
	switch {
	case strings.TrimSpace(a.Label) == "":
		return fmt.Errorf("no label: name the alternative, e.g. \"Mainstream fostering\"")
	case a.MinAge < 0 || a.MaxAge > 25 || a.MinAge > a.MaxAge:
		return fmt.Errorf("ages %d to %d are not a range of ages 0 to 25: set min_age and max_age", a.MinAge, a.MaxAge)
	case len(a.Tiers) == 0:
		return fmt.Errorf("tiers is empty: list the needs tiers (1 to 4) it suits")
	case len(a.PriceGroups) == 0:
		return fmt.Errorf("price_groups is empty: list the placement groups that price it, e.g. [\"foster_other\"]")
	case a.MinWeeklyPounds < 0:
		return fmt.Errorf("min_weekly_pounds is negative")
	}
	for _, t := range a.Tiers {
		if t < care.TierStandard || t > care.TierHighly {
			return fmt.Errorf("needs tier %d is not 1 to 4", t)
		}
	}
	for _, r := range a.ExcludeRisks {
		if !knownRisk(r) {
			var all []string
			for _, x := range care.Risks {
				all = append(all, string(x))
			}
			return fmt.Errorf("unknown risk %q: use one of %s", r, strings.Join(all, ", "))
		}
	}
	return nil
}

func knownRisk(r care.Risk) bool {
	for _, x := range care.Risks {
		if x == r {
			return true
		}
	}
	return false
}

func knownGroup(g care.PlacementGroup) bool {
	for _, x := range care.PlacementGroups {
		if x == g {
			return true
		}
	}
	return false
}

func groupList() string {
	var s []string
	for _, g := range care.PlacementGroups {
		s = append(s, string(g))
	}
	return strings.Join(s, ", ")
}

// jsonProblem says in words what is wrong with a rules file that does not
// decode, rather than Go's decoder messages ("unexpected EOF").
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "the file is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the text ends too early (an unclosed bracket, brace or quote?)"
	case errors.As(err, &syn):
		return fmt.Sprintf("it is not JSON (error at byte %d)", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the top level"
		}
		return fmt.Sprintf("%s should be a JSON %s, not %s", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return strings.TrimPrefix(err.Error(), "json: unknown field ") + " is not a rule field"
	}
	return err.Error()
}

func jsonKind(k string) string {
	switch k {
	case "slice", "array":
		return "list"
	case "struct", "map":
		return "object"
	case "string":
		return "string"
	case "bool":
		return "true or false"
	}
	return "number"
}
