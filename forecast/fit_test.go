package forecast

import (
	"math"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

// handMade is a small history with known answers (see TestFitHandMade).
func handMade() ([]care.Child, []care.Episode, Config) {
	const la = "E09000001"
	d := care.Date
	children := []care.Child{
		{Council: la, ID: "A", Sex: care.Female, DOB: d(2010, 1, 1)},
		{Council: la, ID: "B", Sex: care.Male, DOB: d(2020, 6, 1)},
		{Council: la, ID: "C", Sex: care.Male, DOB: d(2005, 10, 1), UASC: true},
		{Council: la, ID: "D", Sex: care.Male}, // no date of birth
	}
	episodes := []care.Episode{
		{Council: la, ChildID: "A", Start: d(2023, 4, 1), End: d(2023, 7, 10), Placement: "U4", Provider: care.ProviderOwnLA, ReasonEnded: "X1"},
		{Council: la, ChildID: "A", Start: d(2023, 7, 10), Placement: "K2", Provider: care.ProviderPrivate},
		{Council: la, ChildID: "B", Start: d(2023, 5, 1), End: d(2023, 6, 30), Placement: "U1", Provider: care.ProviderOwnLA, ReasonEnded: "E11"},
		{Council: la, ChildID: "C", Start: d(2022, 1, 1), End: d(2022, 8, 1), Placement: "H5", Provider: care.ProviderPrivate, ReasonEnded: "X1", LegalStatus: "V2"},
		{Council: la, ChildID: "C", Start: d(2022, 8, 1), End: d(2023, 10, 1), Placement: "H5", Provider: care.ProviderPrivate, ReasonEnded: "E17", LegalStatus: "C2"},
		{Council: la, ChildID: "D", Start: d(2023, 5, 1), Placement: "U4", Provider: care.ProviderOwnLA},
	}
	cfg := Config{RefStart: d(2023, 4, 1), RefEnd: d(2023, 10, 1), Origin: d(2023, 10, 1), PriorDays: -1}
	return children, episodes, cfg
}

func TestFitHandMade(t *testing.T) {
	children, episodes, cfg := handMade()
	m, err := Fit(children, episodes, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if m.Skipped != 1 {
		t.Errorf("skipped %d, want 1 (D has no date of birth)", m.Skipped)
	}
	cm := m.Councils[0]
	inhouse, ch, rel, sup := groupIndex(care.ForecastFosterInHouse), groupIndex(care.ForecastChildrensHome), groupIndex(care.ForecastFosterRelative), groupIndex(care.ForecastSupported)
	ng := m.NumGroups()
	exposure := []struct {
		name         string
		band, g, dur int
		want         float64
	}{
		{"A in-house fostering, first 91 days", 3, inhouse, 0, 91},
		{"A in-house fostering, days 91-100", 3, inhouse, 1, 9},
		{"A children's home to the window end", 3, ch, 0, 83},
		{"B with relatives", 1, rel, 0, 60},
		{"C supported, a year and more in the group (episodes merged)", 4, sup, 2, 183},
	}
	total := 0.0
	for _, e := range exposure {
		if got := cm.Exposure[m.Cell(e.band, e.g, e.dur)]; got != e.want {
			t.Errorf("%s: exposure %v days, want %v", e.name, got, e.want)
		}
		total += e.want
	}
	sum := 0.0
	for _, v := range cm.Exposure {
		sum += v
	}
	if sum != total {
		t.Errorf("total exposure %v, want %v", sum, total)
	}
	if got := cm.Move[m.Cell(3, inhouse, 1)*ng+ch]; math.Abs(got-1.0/9) > 1e-12 {
		t.Errorf("move hazard in-house → children's home %v, want 1/9 a day", got)
	}
	if got := cm.Exit[m.Cell(1, rel, 0)*len(ExitReasons)+reasonIndex(ExitAdoption)]; math.Abs(got-1.0/60) > 1e-12 {
		t.Errorf("adoption hazard %v, want 1/60 a day", got)
	}
	if cm.AgeOuts != 1 {
		t.Errorf("age-outs %d, want 1 (C left on the 18th birthday: forced, not a hazard)", cm.AgeOuts)
	}
	events := 0.0
	for _, v := range cm.ExitCount {
		events += v
	}
	if events != 1 {
		t.Errorf("%v exits counted, want 1 (B's adoption)", events)
	}
	if len(cm.Entries) != 2 {
		t.Fatalf("entries %+v", cm.Entries)
	}
	for _, e := range cm.Entries {
		if math.Abs(e.PerDay-1.0/183) > 1e-12 || !(e.Age == 13 && e.Sex == care.Female || e.Age == 2 && e.Sex == care.Male) {
			t.Errorf("entry cell %+v, want ages 13 (F) and 2 (M) at 1/183 a day", e)
		}
	}
	if got := cm.FirstGroup[3][inhouse]; got != 1 {
		t.Errorf("first group of 10-16 entrants: in-house share %v, want 1", got)
	}
	if len(cm.Current) != 1 || cm.Current[0].ID != "A" || cm.Current[0].Group != ch || !cm.Current[0].InGroupSince.Equal(care.Date(2023, 7, 10)) {
		t.Errorf("children in care at the origin %+v, want A in a children's home since 2023-07-10", cm.Current)
	}
}

// An origin after the last recorded event but within its collection year is
// accepted: the return says who was in care on every day to 31 March.
func TestFitOriginWithinCollectionYear(t *testing.T) {
	children, episodes, _ := handMade()
	for _, origin := range []time.Time{care.Date(2023, 10, 2), care.Date(2024, 3, 31)} {
		m, err := Fit(children, episodes, Config{RefStart: care.Date(2023, 4, 1), RefEnd: care.Date(2023, 10, 1), Origin: origin, PriorDays: -1})
		if err != nil {
			t.Fatalf("origin %s: %v", origin.Format(time.DateOnly), err)
		}
		if !m.Config.Origin.Equal(origin) {
			t.Errorf("origin %s kept as %s", origin.Format(time.DateOnly), m.Config.Origin.Format(time.DateOnly))
		}
	}
}

func TestFitBadInput(t *testing.T) {
	children, episodes, cfg := handMade()
	d := care.Date
	cases := []struct {
		name string
		cfg  Config
		eps  []care.Episode
		says string
	}{
		{"ErrWindowTooShort", Config{RefStart: d(2023, 6, 1), RefEnd: d(2023, 10, 1)}, episodes, "at least 180 days"},
		{"ErrWindowOutsideData", Config{RefStart: d(2019, 1, 1), RefEnd: d(2023, 10, 1)}, episodes, "outside the data"},
		{"ErrOriginOutsideData", Config{Origin: d(2030, 1, 1)}, episodes, "outside the data"},
		// The last event is 1 October 2023, so the return covers days up to
		// 31 March 2024: one day after that is outside the data.
		{"ErrOriginDayAfterCollectionYear", Config{Origin: d(2024, 4, 1)}, episodes, "outside the data"},
		{"ErrNoEntries", Config{RefStart: d(2022, 1, 2), RefEnd: d(2022, 12, 31), Origin: d(2023, 1, 1)}, episodes, "no child entered care"},
		{"ErrNoEpisodes", cfg, nil, "no episodes"},
		{"ErrBands", Config{AgeBands: []int{0, 5, 5, 18}}, episodes, "rise strictly"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Fit(children, c.eps, c.cfg)
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("got %v, want EINVALID saying %q", err, c.says)
			}
		})
	}
}

func TestFitPoolsTowardAllCouncils(t *testing.T) {
	children, episodes, cfg := handMade()
	n := len(children)
	for _, c := range children[:n] {
		c.Council = "E09000002"
		children = append(children, c)
	}
	for _, e := range episodes[:len(episodes)] {
		if e.ChildID == "B" {
			e.ReasonEnded = "E8" // council 2's B leaves for another reason
		}
		e.Council = "E09000002"
		episodes = append(episodes, e)
	}
	cfg.PriorDays = 60
	m, err := Fit(children, episodes, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := m.Cell(1, groupIndex(care.ForecastFosterRelative), 0)
	i := c*len(ExitReasons) + reasonIndex(ExitAdoption)
	// pooled: 1 adoption in 120 days; council 2: (0 + 60·(1/120)) / (60 + 60)
	if got := m.Pooled.Exit[i]; math.Abs(got-1.0/120) > 1e-12 {
		t.Errorf("pooled adoption hazard %v, want 1/120", got)
	}
	if got := m.Councils[1].Exit[i]; math.Abs(got-1.0/240) > 1e-12 {
		t.Errorf("council 2 adoption hazard %v, want 1/240 (shrunk toward the pooled rate)", got)
	}
	if got := m.Councils[0].Exit[i]; math.Abs(got-(1+0.5)/120) > 1e-12 {
		t.Errorf("council 1 adoption hazard %v, want 1.5/120", got)
	}
}
