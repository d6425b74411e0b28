package care

import (
	"strings"
	"testing"
	"time"
)

// Boundary tests written from the SSDA903 guidance, not from the code.
//
// The census: "children looked after at 31 March" are those whose episode
// is still open at the end of 31 March. The DfE guidance for DEC says an
// episode still open on 31 March is left without an end date; a child whose
// episode ends (DEC) on 31 March ceased to be looked after that day and is
// counted among the children who ceased in the year, not among those looked
// after at 31 March. An episode that starts (DECOM) on a day covers that day.

// TestEpisodeCoversCensusDate pins Episode.Covers on the census date, the
// day before and the day after: DECOM on the day counts, DEC on the day does
// not, an open episode counts, DECOM on 1 April does not count for 31 March.
func TestEpisodeCoversCensusDate(t *testing.T) {
	census := Date(2025, time.March, 31)
	for _, tc := range []struct {
		name       string
		start, end time.Time
		want       bool
	}{
		{"open episode started before the census date", Date(2024, time.June, 1), time.Time{}, true},
		{"open episode started on the census date", census, time.Time{}, true},
		{"open episode started on 1 April, the day after", Date(2025, time.April, 1), time.Time{}, false},
		{"ended on 30 March, the day before", Date(2024, time.June, 1), Date(2025, time.March, 30), false},
		{"ended on the census date: ceased, not looked after at 31 March", Date(2024, time.June, 1), census, false},
		{"ended on 1 April, the day after", Date(2024, time.June, 1), Date(2025, time.April, 1), true},
		{"started and ended on the census date", census, census, false},
		{"started on the census date, ended on 1 April", census, Date(2025, time.April, 1), true},
		{"started 30 March, ended 31 March", Date(2025, time.March, 30), census, false},
	} {
		e := Episode{Start: tc.start, End: tc.end}
		if got := e.Covers(census); got != tc.want {
			t.Errorf("%s: Covers(31 March 2025) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestEpisodeCoversLeapDay: 29 February 2024 is a day like any other.
func TestEpisodeCoversLeapDay(t *testing.T) {
	leap := Date(2024, time.February, 29)
	e := Episode{Start: leap, End: Date(2024, time.March, 1)}
	if !e.Covers(leap) {
		t.Error("an episode from 29 February to 1 March must cover 29 February")
	}
	if e.Covers(Date(2024, time.March, 1)) {
		t.Error("an episode ending 1 March must not cover 1 March")
	}
	if e.Covers(Date(2024, time.February, 28)) {
		t.Error("an episode starting 29 February must not cover 28 February")
	}
	ended := Episode{Start: Date(2023, time.May, 1), End: leap}
	if ended.Covers(leap) || !ended.Covers(Date(2024, time.February, 28)) {
		t.Error("an episode ending 29 February covers 28 February and not 29 February")
	}
}

// TestEpisodeOpenAndLeftCare pins REC: X1 means "episode ceases and a new
// one begins" (care continues); any other REC on a closed episode is the
// child leaving care; an open episode has not left care.
func TestEpisodeOpenAndLeftCare(t *testing.T) {
	end := Date(2025, time.March, 31)
	for _, tc := range []struct {
		e          Episode
		open, left bool
	}{
		{Episode{Start: end}, true, false},
		{Episode{Start: end, ReasonEnded: "E11"}, true, false}, // no DEC: not left, whatever REC says
		{Episode{Start: end, End: end, ReasonEnded: "X1"}, false, false},
		{Episode{Start: end, End: end, ReasonEnded: "E11"}, false, true},
		{Episode{Start: end, End: end, ReasonEnded: "E4A"}, false, true},
		{Episode{Start: end, End: end}, false, false}, // closed, REC not recorded
	} {
		if got := tc.e.Open(); got != tc.open {
			t.Errorf("%+v: Open = %v, want %v", tc.e, got, tc.open)
		}
		if got := tc.e.LeftCare(); got != tc.left {
			t.Errorf("%+v: LeftCare = %v, want %v", tc.e, got, tc.left)
		}
	}
}

// TestAgeOnBirthdays pins age in whole years: a child is 16 on the 16th
// birthday, 15 the day before; a child born on 29 February is a year older
// on 1 March in a common year (not on 28 February); before birth, 0.
func TestAgeOnBirthdays(t *testing.T) {
	dob := Date(2009, time.April, 1)
	for _, tc := range []struct {
		on   time.Time
		want int
	}{
		{Date(2025, time.March, 31), 15}, // census date, the day before the 16th birthday
		{Date(2025, time.April, 1), 16},  // on the birthday
		{Date(2025, time.April, 2), 16},
		{Date(2009, time.April, 1), 0},
		{Date(2009, time.March, 31), 0}, // before birth
		{Date(2010, time.March, 31), 0},
		{Date(2010, time.April, 1), 1},
		{Date(2025, time.May, 1), 16},   // later month, same year
		{Date(2025, time.March, 1), 15}, // earlier month
	} {
		if got := AgeOn(dob, tc.on); got != tc.want {
			t.Errorf("AgeOn(1 April 2009, %s) = %d, want %d", tc.on.Format(time.DateOnly), got, tc.want)
		}
	}
	leap := Date(2008, time.February, 29)
	for _, tc := range []struct {
		on   time.Time
		want int
	}{
		{Date(2025, time.February, 28), 16},
		{Date(2025, time.March, 1), 17},
		{Date(2024, time.February, 28), 15},
		{Date(2024, time.February, 29), 16},
	} {
		if got := AgeOn(leap, tc.on); got != tc.want {
			t.Errorf("AgeOn(29 February 2008, %s) = %d, want %d", tc.on.Format(time.DateOnly), got, tc.want)
		}
	}
	if got := AgeOn(time.Time{}, Date(2025, time.March, 31)); got != 0 {
		t.Errorf("unknown date of birth: age %d, want 0", got)
	}
	c := Child{DOB: dob}
	if got := c.AgeOn(Date(2025, time.April, 1)); got != 16 {
		t.Errorf("Child.AgeOn = %d, want 16", got)
	}
}

// TestPenceRounding: pounds convert to pence to the nearest penny, halves
// away from zero, both signs.
func TestPenceRounding(t *testing.T) {
	for _, tc := range []struct {
		pounds float64
		want   Pence
	}{
		{0, 0}, {1, 100}, {1234.56, 123456}, {0.004, 0}, {0.005, 1}, {0.006, 1},
		{-0.004, 0}, {-0.005, -1}, {-0.006, -1}, {-12.34, -1234},
	} {
		if got := FromPounds(tc.pounds); got != tc.want {
			t.Errorf("FromPounds(%v) = %d, want %d", tc.pounds, got, tc.want)
		}
	}
	if got := Pence(123456).Pounds(); got != 1234.56 {
		t.Errorf("Pounds = %v", got)
	}
}

// TestNeedsTierSevereOrComplex pins "severe or complex needs": the complex
// and highly complex tiers, not standard or enhanced (or unknown).
func TestNeedsTierSevereOrComplex(t *testing.T) {
	for tier, want := range map[NeedsTier]bool{TierUnknown: false, TierStandard: false, TierEnhanced: false, TierComplex: true, TierHighly: true} {
		if got := tier.SevereOrComplex(); got != want {
			t.Errorf("tier %d: SevereOrComplex = %v, want %v", tier, got, want)
		}
	}
}

// TestProviderExternal pins PLACE_PROVIDER: PR4 (private) and PR5
// (voluntary/third sector) are outside the public sector; PR0–PR3 are not.
func TestProviderExternal(t *testing.T) {
	for p, want := range map[ProviderType]bool{"PR0": false, "PR1": false, "PR2": false, "PR3": false, "PR4": true, "PR5": true, "": false} {
		if got := p.External(); got != want {
			t.Errorf("%q: External = %v, want %v", p, got, want)
		}
	}
}

// TestPlacementKinds pins the PLACE code groups: fostering is U1–U6,
// residential (Ofsted-registered homes) is K2 children's homes and K1 secure
// children's homes (and R1 residential care homes, grouped with them),
// temporary is T0–T4.
func TestPlacementKinds(t *testing.T) {
	for _, tc := range []struct {
		code                       PlacementType
		foster, residential, temps bool
	}{
		{"U1", true, false, false}, {"U3", true, false, false}, {"U4", true, false, false}, {"U6", true, false, false},
		{"K2", false, true, false}, {"K1", false, true, false},
		{"T0", false, false, true}, {"T4", false, false, true},
		{"H5", false, false, false}, {"P1", false, false, false}, {"A4", false, false, false}, {"R2", false, false, false}, {"Z1", false, false, false},
		{"R1", false, true, false}, // residential care home: a children's home in this product's groups (see GroupChildrensHome)
	} {
		if got := tc.code.IsFostering(); got != tc.foster {
			t.Errorf("%s: IsFostering = %v", tc.code, got)
		}
		if got := tc.code.IsResidential(); got != tc.residential {
			t.Errorf("%s: IsResidential = %v", tc.code, got)
		}
		if got := tc.code.IsTemporary(); got != tc.temps {
			t.Errorf("%s: IsTemporary = %v", tc.code, got)
		}
	}
}

// TestReadReferralsMalformedJSON: a syntax error names the byte where the
// JSON goes wrong; an array that stops early says so.
func TestReadReferralsMalformedJSON(t *testing.T) {
	_, err := ReadReferrals(strings.NewReader(`[{"id": "a",}]`))
	if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "malformed JSON at byte") {
		t.Errorf("syntax error: %v", err)
	}
	_, err = ReadReferrals(strings.NewReader(`[{"id": "a"}`))
	if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "malformed JSON") {
		t.Errorf("truncated array: %v", err)
	}
}

// TestCurrentOnCensusDate pins Current (the episode of a child's run current
// at the end of a day) on 31 March: an episode ending that day is not
// current (the child ceased), one starting that day is; a series of short
// breaks (V3, V4) is not being in care, as in the DfE statistics; V2 is.
func TestCurrentOnCensusDate(t *testing.T) {
	census := Date(2025, time.March, 31)
	ep := func(start, end time.Time, ls string) Episode { return Episode{Start: start, End: end, LegalStatus: ls} }
	open := time.Time{}
	for _, tc := range []struct {
		name string
		run  []Episode
		want int
	}{
		{"open", []Episode{ep(Date(2024, 1, 1), open, "C2")}, 0},
		{"ended on the census date", []Episode{ep(Date(2024, 1, 1), census, "C2")}, -1},
		{"ended on 1 April", []Episode{ep(Date(2024, 1, 1), Date(2025, 4, 1), "C2")}, 0},
		{"started on the census date", []Episode{ep(census, open, "C2")}, 0},
		{"started on 1 April", []Episode{ep(Date(2025, 4, 1), open, "C2")}, -1},
		{"X1 on the census date: the new episode", []Episode{ep(Date(2024, 1, 1), census, "C2"), ep(census, open, "C1")}, 1},
		{"V3", []Episode{ep(Date(2025, 3, 30), open, "V3")}, -1},
		{"V4", []Episode{ep(Date(2024, 1, 1), open, "V4")}, -1},
		{"V2", []Episode{ep(Date(2024, 1, 1), open, "V2")}, 0},
		{"none", nil, -1},
	} {
		if got := Current(tc.run, census); got != tc.want {
			t.Errorf("%s: Current = %d, want %d", tc.name, got, tc.want)
		}
	}
	for ls, want := range map[string]bool{"V3": true, "V4": true, "V2": false, "C2": false, "": false} {
		if IsShortBreak(ls) != want {
			t.Errorf("IsShortBreak(%q) != %v", ls, want)
		}
	}
}

// TestPeriodStart pins the period of care: consecutive episodes, each
// starting the day the previous one ended (REC X1), are one period; a gap of
// a day, or an episode still open before a new one, starts a new period.
func TestPeriodStart(t *testing.T) {
	ep := func(start, end time.Time) Episode { return Episode{Start: start, End: end} }
	run := []Episode{
		ep(Date(2022, 1, 1), Date(2022, 6, 1)),
		ep(Date(2022, 6, 1), Date(2023, 1, 1)), // contiguous: same period
		ep(Date(2023, 1, 2), Date(2023, 6, 1)), // a day's gap: a new period
		ep(Date(2023, 6, 1), time.Time{}),
	}
	for i, want := range []time.Time{Date(2022, 1, 1), Date(2022, 1, 1), Date(2023, 1, 2), Date(2023, 1, 2)} {
		if got := PeriodStart(run, i); !got.Equal(want) {
			t.Errorf("episode %d: period starts %s, want %s", i, got.Format(time.DateOnly), want.Format(time.DateOnly))
		}
	}
	open := []Episode{ep(Date(2022, 1, 1), time.Time{}), ep(Date(2022, 6, 1), time.Time{})}
	if got := PeriodStart(open, 1); !got.Equal(Date(2022, 6, 1)) {
		t.Errorf("after an open episode: %s", got.Format(time.DateOnly))
	}
}

// TestPlacementKeyParts: a URN identifies the placement; without one, the
// type (fostering U1–U6 as one), provider and postcode do.
func TestPlacementKeyParts(t *testing.T) {
	if got := PlacementKey(Episode{URN: "SC1", Placement: "K2"}); got != "URN SC1" {
		t.Errorf("with URN: %q", got)
	}
	if got := PlacementKey(Episode{Placement: "K2", Provider: "PR4", PlacementPostcode: "m1 1aa"}); got != "K2|PR4|M11AA" {
		t.Errorf("without URN: %q", got)
	}
	if PlacementKey(Episode{Placement: "U1", Provider: "PR1"}) != PlacementKey(Episode{Placement: "U6", Provider: "PR1"}) {
		t.Error("foster codes U1 and U6 are one type here")
	}
}

// TestSettingURN: an agency's URN (foster, adoption) and XXXXXXX do not name
// where the child lives, so two foster households of one agency, or two
// council foster carers, are different placements; a home's URN does.
func TestSettingURN(t *testing.T) {
	a := Episode{URN: "SC100", Placement: "U6", Provider: "PR4", PlacementPostcode: "M1 1"}
	b := Episode{URN: "SC100", Placement: "U6", Provider: "PR4", PlacementPostcode: "M2 2"}
	if SamePlacement(a, b) || PlacementKey(a) == PlacementKey(b) {
		t.Errorf("two households of one fostering agency are one placement: %q", PlacementKey(a))
	}
	x := Episode{URN: "XXXXXXX", Placement: "U4", Provider: "PR1", PlacementPostcode: "M1 1"}
	y := Episode{URN: "XXXXXXX", Placement: "U4", Provider: "PR1", PlacementPostcode: "M3 3"}
	if SamePlacement(x, y) {
		t.Error("XXXXXXX made two council foster carers one placement")
	}
	ad := Episode{URN: "SC200", Placement: "A6", Provider: "PR5", PlacementPostcode: "M1 1"}
	if SettingURN(ad) != "" || SettingURN(x) != "" || SettingURN(Episode{URN: "XXXXXXX", Placement: "K2"}) != "" {
		t.Error("an agency URN or XXXXXXX taken as a setting")
	}
	h1, h2 := Episode{URN: "SC1", Placement: "K2", PlacementPostcode: "M1 1"}, Episode{URN: "SC1", Placement: "K2", PlacementPostcode: "M9 9"}
	if !SamePlacement(h1, h2) || SettingURN(h1) != "SC1" {
		t.Error("one children's home's URN is not one placement")
	}
}
