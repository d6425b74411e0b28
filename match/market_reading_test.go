package match

import (
	"strings"
	"testing"

	"sufficiency/care"
)

func outcome(mode string, placed, children int, cost float64, miles, wait float64, maxWait int, vacancies ...string) MarketOutcome {
	o := MarketOutcome{Mode: mode, Placed: placed, Children: children, Unplaced: children - placed, WeeklyCost: care.FromPounds(cost),
		MeanMiles: miles, MeanWaitDays: wait, MaxWaitDays: maxWait}
	for _, v := range vacancies {
		o.Placements = append(o.Placements, Placed{VacancyID: v})
	}
	return o
}

func TestReadMarket(t *testing.T) {
	tests := []struct {
		name      string
		out       []MarketOutcome
		vacancies int
		want      []string
		not       []string
	}{
		{
			name: "SupplyBoundSameVacancies",
			out: []MarketOutcome{
				outcome(ModeFirstCome, 2, 5, 9000, 17.7, 131, 140, "v1", "v2"),
				outcome(ModeWeekly, 2, 5, 9000, 3.7, 65, 179, "v2", "v1"),
			},
			vacancies: 3,
			want: []string{"Every way places 2 of the 5 children", "supply, not the way of allocating",
				"same (£9,000 a week) because the same 2 vacancies", "closer to home (mean 17.7 miles first come, 3.7 miles weekly batch",
				"placed children only", "longest wait 179 days against 140", "3 children are left unplaced"},
		},
		{
			name: "DifferentVacancies",
			out: []MarketOutcome{
				outcome(ModeFirstCome, 2, 2, 9000, 4, 0, 0, "v1", "v2"),
				outcome(ModeWeekly, 2, 2, 8000, 5, 2, 6, "v1", "v3"),
			},
			vacancies: 10,
			want:      []string{"Every way places 2 of the 2 children; what differs", "£9,000 a week first come and £8,000 a week weekly batch", "Batches make children wait"},
			not:       []string{"supply, not", "closer to home", "left unplaced"},
		},
		{
			name: "SameCostDifferentPlaces",
			out: []MarketOutcome{
				outcome(ModeFirstCome, 1, 1, 5000, 4, 0, 0, "v1"),
				outcome(ModeWeekly, 1, 1, 5000, 4, 0, 0, "v2"),
			},
			vacancies: 2,
			want:      []string{"although different vacancies are filled"},
		},
		{
			name: "JointPlacesMore",
			out: []MarketOutcome{
				outcome(ModeFirstCome, 1, 3, 5000, 4, 0, 0, "v1"),
				outcome(ModeWeekly, 2, 3, 9000, 4, 0, 0, "v1", "v2"),
			},
			vacancies: 2,
			want:      []string{"First come places 1 children and weekly batch 2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Join(ReadMarket(tt.out, tt.vacancies), "\n")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("reading lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("reading says %q although the outcomes do not show it:\n%s", w, text)
				}
			}
		})
	}
	if ReadMarket(nil, 0) != nil {
		t.Error("a reading of no outcomes")
	}
}
