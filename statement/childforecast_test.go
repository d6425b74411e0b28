package statement

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

func handForecast(rows ...ForecastRow) *ChildForecast {
	return &ChildForecast{ModelVersion: "t", Origin: care.Date(2025, time.March, 31), Sims: 200, Seed: 1, Years: 2,
		Ends: []time.Time{care.Date(2026, time.March, 31), care.Date(2027, time.March, 31)}, Groups: rows,
		Total: ForecastRow{Label: "All children in care", Now: 100, Mean: []float64{100, 100}, P10: 90, P90: 110}}
}

// TestChildForecastSentence: the sentence names the type changing most,
// says rise or fall as the means do, claims a certain direction only when
// the whole interval lies on one side of today's number, and never names a
// type whose count publication suppresses.
func TestChildForecastSentence(t *testing.T) {
	w := words{suppress: true}
	homes := ForecastRow{Key: "childrens_home", Label: "Children's homes", Now: 20, Mean: []float64{24, 29.6}, P10: 25, P90: 36}
	agency := ForecastRow{Key: "foster_agency", Label: "Fostering, agency", Now: 40, Mean: []float64{38, 35.2}, P10: 28, P90: 42}
	check(t, "rise, sure", w.childForecastSentence(handForecast(homes, agency)),
		[]string{"31 March 2027", "a rise of about 10 in the number of children in children's homes, from 20 to about 30 (80% interval 25 to 36)", "whole interval"},
		[]string{"fall", "not certain", "agency"})
	agency.Mean[1], agency.P10, agency.P90 = 25.4, 18, 33
	check(t, "fall, sure", w.childForecastSentence(handForecast(homes, agency)),
		[]string{"a fall of about 15 in the number of children with agency foster carers, from 40 to about 25 (80% interval 18 to 33)", "whole interval"},
		[]string{"rise", "not certain"})
	agency.P90 = 41
	check(t, "fall, unsure", w.childForecastSentence(handForecast(homes, agency)),
		[]string{"a fall of about 15", "the interval includes today's number, so the direction is not certain"}, []string{"whole interval"})
	// a type of 1–4 children now is not named, even if it changes most
	secure := ForecastRow{Key: "secure_other", Label: "Secure", Now: 3, Mean: []float64{30, 60}, P10: 50, P90: 70}
	check(t, "suppressed", w.childForecastSentence(handForecast(homes, secure)), []string{"children's homes"}, []string{"secure", "60"})
	if s := (words{}).childForecastSentence(handForecast(homes, secure)); !strings.Contains(s, "secure and other placements, from 3 to about 60") {
		t.Errorf("unsuppressed: %q", s)
	}
	flat := ForecastRow{Key: "supported", Label: "Supported", Now: 10, Mean: []float64{10, 10.3}, P10: 6, P90: 14}
	check(t, "no change", w.childForecastSentence(handForecast(flat)),
		[]string{"no placement type to change in number", "young people in supported accommodation stays at about 10"}, []string{"rise", "fall"})
	if s := w.childForecastSentence(handForecast(secure)); s != "" {
		t.Errorf("only a suppressed type: %q", s)
	}
}

// TestChildForecastFromEpisodes: 30 children aged 12 with the council's
// own foster carers for a year and no one entering or leaving in the
// history (one new episode with the same carers, one child in care for
// nine days): the model projects the 30 staying there (none turns 18
// within five years of 12) and the rare entrant soon leaving, so five
// years on about 30 are in that type and none elsewhere, and 30 are aged
// 10 to 15 at first.
func TestChildForecastFromEpisodes(t *testing.T) {
	at := care.Date(2025, time.March, 31)
	var kids []care.Child
	var eps []care.Episode
	for i := 0; i < 30; i++ {
		id := fmt.Sprintf("C%02d", i)
		kids = append(kids, care.Child{Council: "E08000037", ID: id, Sex: care.Female, DOB: at.AddDate(-12, -i%6, 0)})
		e := care.Episode{Council: "E08000037", ChildID: id, Start: at.AddDate(-3, 0, 0), Placement: "U4", Provider: care.ProviderOwnLA, LegalStatus: "C2"}
		if i == 0 { // a new episode with the same carers a month ago: the returns reach the origin
			e2 := e
			e.End, e.ReasonEnded = at.AddDate(0, -1, 0), "X1"
			e2.Start = e.End
			eps = append(eps, e2)
		}
		eps = append(eps, e)
	}
	// one child came into care for nine days in the window: the model needs an entry to fit
	kids = append(kids, care.Child{Council: "E08000037", ID: "B1", Sex: care.Female, DOB: at.AddDate(-13, 0, 0)})
	eps = append(eps, care.Episode{Council: "E08000037", ChildID: "B1", Start: care.Date(2023, time.June, 1), End: care.Date(2023, time.June, 10),
		ReasonEnded: "E4A", Placement: "U4", Provider: care.ProviderOwnLA, LegalStatus: "V2"})
	f, err := childForecast(context.Background(), kids, eps, at, 5)
	if err != nil {
		t.Fatal(err)
	}
	if f.Unavailable != "" {
		t.Fatalf("unavailable: %s", f.Unavailable)
	}
	if len(f.Ends) != 5 || f.Total.Now != 30 {
		t.Fatalf("ends %d, now %d", len(f.Ends), f.Total.Now)
	}
	for _, g := range f.Groups {
		want := 0.0
		if g.Key == string(care.ForecastFosterInHouse) {
			want = 30
		}
		if g.Now != int(want) || g.Mean[4] < want-1 || g.Mean[4] > want+1 {
			t.Errorf("%s: now %d, in five years %.1f; want %v", g.Key, g.Now, g.Mean[4], want)
		}
	}
	var labels []string
	for _, b := range f.Bands {
		labels = append(labels, b.Label)
		if b.Label == "Aged 10 to 15" && b.Now != 30 {
			t.Errorf("aged 10 to 15 now: %d", b.Now)
		}
	}
	if fmt.Sprint(labels) != "[Under 1 Aged 1 to 4 Aged 5 to 9 Aged 10 to 15 Aged 16 and 17]" {
		t.Errorf("bands %v", labels)
	}
	// no children: said, not an error
	f, err = childForecast(context.Background(), nil, nil, at, 5)
	if err != nil || f.Unavailable == "" {
		t.Fatalf("no data: %v %+v", err, f)
	}
}
