package refdata

import (
	"strings"
	"sync"
)

// CouncilSpend is a council's revenue outturn on children's social care in 2024–25
// (MHCLG RO3), in pounds sterling (the published £ thousand × 1,000). Each line
// is a Figure: "[x]" (return not received: Birmingham, Slough, Cumberland)
// gives Known false.
type CouncilSpend struct {
	Council string // ONS code; "E92000001" for the England estimate
	Name    string
	Year    string // "2024-25"

	// Children looked after: total expenditure (gross) and net current
	// expenditure (after income such as sales, fees and charges).
	CLATotal, CLANet                     Figure
	ResidentialTotal, ResidentialNet     Figure // CLA residential care
	FosteringTotal, FosteringNet         Figure // CLA fostering services
	UASCTotal, UASCNet                   Figure // CLA unaccompanied asylum-seeking children
	CLAOtherTotal, CLAOtherNet           Figure // other CLA services
	SafeguardingTotal, SafeguardingNet   Figure
	FamilySupportTotal, FamilySupportNet Figure
	YouthJusticeTotal, YouthJusticeNet   Figure
	CSCTotal, CSCNet                     Figure // all children's social care
}

var spendOnce struct {
	sync.Once
	m map[string]CouncilSpend // ONS code → spend
}

func loadSpend() map[string]CouncilSpend {
	spendOnce.Do(func() {
		t := mustTable("mhclg_ro3_childrens_social_care_2024_25.csv", "la_code", "csc_cla_all_total_exp_gbp000")
		spendOnce.m = map[string]CouncilSpend{}
		for _, r := range t.rows {
			k := func(stem string) (Figure, Figure) {
				return pounds(t.get(r, "csc_"+stem+"_total_exp_gbp000")), pounds(t.get(r, "csc_"+stem+"_net_exp_gbp000"))
			}
			s := CouncilSpend{Council: t.get(r, "la_code"), Name: t.get(r, "la_name"), Year: "2024-25"}
			s.CLATotal, s.CLANet = k("cla_all")
			s.ResidentialTotal, s.ResidentialNet = k("cla_residential_care")
			s.FosteringTotal, s.FosteringNet = k("cla_fostering_services")
			s.UASCTotal, s.UASCNet = k("cla_uasc")
			s.CLAOtherTotal, s.CLAOtherNet = k("cla_other")
			s.SafeguardingTotal, s.SafeguardingNet = k("safeguarding_children_and_young_people_s_services")
			s.FamilySupportTotal, s.FamilySupportNet = k("family_support_services")
			s.YouthJusticeTotal, s.YouthJusticeNet = k("youth_justice")
			s.CSCTotal, s.CSCNet = k("total")
			if strings.HasPrefix(s.Council, "E92") {
				s.Name = "England"
			}
			spendOnce.m[s.Council] = s
		}
	})
	return spendOnce.m
}

// pounds reads a £ thousand cell as pounds.
func pounds(s string) Figure {
	f := parseFigure(s)
	if f.Known {
		f.Value *= 1000
	}
	return f
}

// Spend returns a council's RO3 spend for 2024–25 (council: ONS code, DfE code
// or name), reporting false for an unknown council.
func Spend(council string) (CouncilSpend, bool) {
	c, ok := CouncilByCode(council)
	if !ok {
		return CouncilSpend{}, false
	}
	s, ok := loadSpend()[c.Code]
	return s, ok
}

// EnglandSpend returns MHCLG's England estimate for 2024–25, which includes
// imputed figures for councils that made no return.
func EnglandSpend() CouncilSpend {
	return loadSpend()["E92000001"]
}
