package match

import (
	"strings"
	"testing"

	"sufficiency/care"
)

func TestExplain(t *testing.T) {
	parts := func(ps ...Part) []Part { return ps }
	good := &care.Provision{Rating: care.RatingGood}
	tests := []struct {
		name                    string
		c                       Candidate
		pv                      *care.Provision
		fits, concerns, unknown []string
	}{
		{"NearInAreaCheap", Candidate{Kind: "fostering", Miles: 5.6, InArea: true, WeeklyPrice: care.FromPounds(450),
			Parts: parts(Part{Name: "distance"}, Part{Name: "in_area"}, Part{Name: "needs_fit"}, Part{Name: "cost", Value: -30}, Part{Name: "rating"})}, good,
			[]string{"5.6 miles from the family home", "inside your council's area", "a fostering household is the preferred type", "£450 a week, at or below", "Ofsted: good"}, nil, nil},
		{"On20Miles", Candidate{Miles: 20, Parts: parts(Part{Name: "distance"})}, good, []string{"20.0 miles from the family home"}, nil, nil},
		{"Over20Miles", Candidate{Miles: 20.1, Council: "E08000007", Parts: parts(Part{Name: "distance"}, Part{Name: "in_area", Points: 10})}, good,
			nil, []string{"20.1 miles from the family home (more than 20 miles)", "outside your council's area (Stockport!)"}, nil},
		{"Unknowns", Candidate{Miles: -1, Parts: parts(Part{Name: "distance"}, Part{Name: "cost"}, Part{Name: "rating"})}, &care.Provision{},
			nil, nil, []string{"distance: the home's location is not known", "price: not published", "Ofsted: not yet inspected"}},
		{"NoBenchmark", Candidate{WeeklyPrice: care.FromPounds(6200), Parts: parts(Part{Name: "cost", Note: "no benchmark"})}, good,
			nil, nil, []string{"price £6,200 a week: no benchmark"}},
		{"Compromises", Candidate{WeeklyPrice: care.FromPounds(5500), Parts: parts(Part{Name: "needs_fit", Points: 35, Note: "residential care suitable but not preferred"},
			Part{Name: "cost", Value: 10, Points: 3}, Part{Name: "rating"}, Part{Name: "stability", Points: 3, Note: "vacancy not confirmed recently"})},
			&care.Provision{Rating: care.RatingRI}, nil,
			[]string{"residential care suitable but not preferred", "£5,500 a week, 10% above the benchmark", "Ofsted: requires improvement", "vacancy not confirmed recently"}, nil},
	}
	name := func(code string) string { return map[string]string{"E08000007": "Stockport!"}[code] }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Explain(care.Referral{}, tt.c, tt.pv, name)
			check := func(what string, got, want []string) {
				if len(got) != len(want) {
					t.Fatalf("%s %q, want %q", what, got, want)
				}
				for i := range want {
					if !strings.Contains(got[i], want[i]) {
						t.Errorf("%s[%d] %q, want it to contain %q", what, i, got[i], want[i])
					}
				}
			}
			check("fits", f.Fits, tt.fits)
			check("to weigh", f.Concerns, tt.concerns)
			check("not known", f.Unknown, tt.unknown)
		})
	}
	f := Explain(care.Referral{SiblingCount: 2, Needs: care.NeedsProfile{Risks: []care.Risk{care.RiskMissing}}}, Candidate{}, nil, nil)
	if len(f.Fits) != 2 || !strings.Contains(f.Fits[0], "2 sibling(s) together") {
		t.Errorf("siblings and risks %q", f.Fits)
	}
}

func TestPounds(t *testing.T) {
	for p, want := range map[care.Pence]string{0: "£0", care.FromPounds(5500): "£5,500", care.FromPounds(1234567.4): "£1,234,567", care.FromPounds(-450): "-£450"} {
		if got := Pounds(p); got != want {
			t.Errorf("Pounds(%d) = %q, want %q", p, got, want)
		}
	}
}
