package care

// NeedsTier is the complexity of a child's needs, used by matching, review and
// cost benchmarks. Tiers follow the common practice of commissioning
// frameworks (standard, enhanced, complex, highly complex).
type NeedsTier int

// Needs tiers.
const (
	TierUnknown  NeedsTier = 0
	TierStandard NeedsTier = 1 // needs that a mainstream foster family can meet
	TierEnhanced NeedsTier = 2 // additional support needed (e.g. enhanced fostering)
	TierComplex  NeedsTier = 3 // severe or complex needs
	TierHighly   NeedsTier = 4 // highly complex needs: solo or specialist provision
)

// SevereOrComplex reports whether the tier counts as "severe or complex needs"
// in the sense of the CCN/IMPOWER 2024 finding that about half of children in
// residential care have no such needs.
func (t NeedsTier) SevereOrComplex() bool { return t >= TierComplex }

// Label names the tier in plain words, as pages and reports show it
// ("Not recorded" for TierUnknown or a value outside the tiers).
func (t NeedsTier) Label() string {
	switch t {
	case TierStandard:
		return "Standard"
	case TierEnhanced:
		return "Enhanced"
	case TierComplex:
		return "Complex"
	case TierHighly:
		return "Highly complex"
	}
	return "Not recorded"
}

// Risk is a risk flag of the Placements Data Standard v2 (risks to the child and
// risks to others or property).
type Risk string

// Risk flags from the Placements Data Standard v2.
const (
	RiskSelfHarm             Risk = "self_harm"                       // risk to child
	RiskSexualExploitation   Risk = "sexual_exploitation"             // risk to child
	RiskCriminalExploitation Risk = "criminal_exploitation"           // risk to child
	RiskSubstances           Risk = "substance_use"                   // risk to child: drugs and alcohol
	RiskEatingDisorder       Risk = "eating_disorder"                 // risk to child
	RiskMissing              Risk = "going_missing"                   // risk to child
	RiskPhysicalHarm         Risk = "physical_harm"                   // risk to others
	RiskSexualHarm           Risk = "sexual_harm"                     // risk to others
	RiskFireSetting          Risk = "fire_setting"                    // risk to others
	RiskHarmToAnimals        Risk = "harm_to_animals"                 // risk to others
	RiskExploitingOthers     Risk = "criminal_exploitation_of_others" // risk to others
)

// Risks lists every risk flag.
var Risks = []Risk{
	RiskSelfHarm, RiskSexualExploitation, RiskCriminalExploitation, RiskSubstances, RiskEatingDisorder,
	RiskMissing, RiskPhysicalHarm, RiskSexualHarm, RiskFireSetting, RiskHarmToAnimals, RiskExploitingOthers,
}

// NeedsProfile is what is known of a child's needs for placement purposes.
type NeedsProfile struct {
	Tier                 NeedsTier
	Risks                []Risk
	Disability           bool     // needs adaptation or disability-specific care
	MentalHealth         bool     // significant mental-health needs
	CommunicationNeeds   []string // ESOL, BSL, Makaton, Other
	SoloRecommended      bool     // "Solo placement recommended"
	DeprivationOfLiberty bool
}

// Has reports whether the profile carries risk r.
func (n NeedsProfile) Has(r Risk) bool {
	for _, x := range n.Risks {
		if x == r {
			return true
		}
	}
	return false
}
