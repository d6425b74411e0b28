package rules

import (
	"testing"
	"time"
)

// Limits of the duration rules, each on the limit, one day below and one day
// above, written from the DfE rule text and the DfE's reference validator
// (lac_validator), which measures a duration as DEC minus DECOM in days
// ("DEC > DECOM + N days" is the error), an open episode running to the end
// of the collection year (31 March):
//
//	361  police protection (L1) lasts at most 72 hours: 3 days; consecutive L1 episodes count as one spell
//	362  emergency protection order (L2): at most 21 days
//	363  child assessment order (L3): at most 7 days
//	364  PACE detention (J2) in council accommodation: at most 21 days
//	365  a single short break (V3): at most 17 days
//	367  short breaks (V3) add up to at most 75 days in the collection year (each episode's DEC − DECOM,
//	     DECOM before 1 April counted from 1 April, an open episode to 31 March)
//	375  temporary stay in hospital (T1): at most six weeks, 42 days
//	376  temporary care while the foster carer is on holiday (T3): at most three weeks, 21 days
//	379  temporary placement for any other reason (T4): at most seven days

// limitCase is one boundary case: the fixture change and whether the rule
// must fire.
type limitCase struct {
	name   string
	mutate func(t *testing.T, cur, prev *fixture)
	fires  bool
}

func runLimits(t *testing.T, code string, cases []limitCase) {
	t.Helper()
	runLimitsIn(t, 2025, code, cases)
}

// runLimitsIn is runLimits for the return of another collection year (the
// base fixture's dates unchanged), for a rule in force only in some years.
func runLimitsIn(t *testing.T, year int, code string, cases []limitCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(code+"/"+c.name, func(t *testing.T) {
			cur := parseFixture(year, baseCurrent)
			prev := parseFixture(year-1, basePrevious)
			c.mutate(t, cur, prev)
			rep := Check(cur.build(), prev.build(), testOptions())
			if n := count(rep, code); (n > 0) != c.fires {
				t.Errorf("rule %s: %d findings, want firing %v (%s)", code, n, c.fires, first(rep, code))
			}
		})
	}
}

// dmy writes a date as the return does.
func dmy(t time.Time) string { return t.Format("02/01/2006") }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// c2Lasting makes C2's episode (DECOM 10 May 2024) last n days with the
// given PLACE and LS.
func c2Lasting(place, ls string, n int) func(t *testing.T, cur, prev *fixture) {
	start := day(2024, time.May, 10)
	kv := []string{"DEC", dmy(start.AddDate(0, 0, n)), "LS", ls, "PLACE", place}
	if place[0] == 'T' {
		kv = append(kv, "PLACE_PROVIDER", "", "URN", "")
	}
	return c2(kv...)
}

func TestTemporaryPlacementLimits(t *testing.T) {
	for _, r := range []struct {
		code, place string
		max         int
	}{{"375", "T1", 42}, {"376", "T3", 21}, {"379", "T4", 7}} {
		runLimits(t, r.code, []limitCase{
			{"one day below the limit", c2Lasting(r.place, "V2", r.max-1), false},
			{"on the limit", c2Lasting(r.place, "V2", r.max), false},
			{"one day above the limit", c2Lasting(r.place, "V2", r.max+1), true},
			{"other temporary placement above the limit", c2Lasting("T0", "V2", r.max+1), false},
		})
	}
}

func TestLegalStatusDurationLimits(t *testing.T) {
	for _, r := range []struct {
		code, ls string
		max      int
	}{{"361", "L1", 3}, {"362", "L2", 21}, {"363", "L3", 7}, {"364", "J2", 21}, {"365", "V3", 17}} {
		runLimits(t, r.code, []limitCase{
			{"one day below the limit", c2Lasting("K2", r.ls, r.max-1), false},
			{"on the limit", c2Lasting("K2", r.ls, r.max), false},
			{"one day above the limit", c2Lasting("K2", r.ls, r.max+1), true},
		})
	}
	// Consecutive episodes with the same order are one spell (361–364);
	// short breaks are not joined (365: each break on its own).
	spell := func(ls string, first, second int) func(t *testing.T, cur, prev *fixture) {
		return func(t *testing.T, cur, prev *fixture) {
			s := day(2024, time.June, 1)
			m := s.AddDate(0, 0, first)
			e := m.AddDate(0, 0, second)
			cur.add(E, "CHILD=C3", "DECOM="+dmy(s), "RNE=S", "LS="+ls, "CIN=N2", "PLACE=K2", "PLACE_PROVIDER=PR4", "DEC="+dmy(m), "REC=X1", "URN=1234567")
			cur.add(E, "CHILD=C3", "DECOM="+dmy(m), "RNE=P", "LS="+ls, "CIN=N2", "PLACE=K2", "PLACE_PROVIDER=PR4", "DEC="+dmy(e), "REC=E4A", "URN=1234567")
		}
	}
	runLimits(t, "361", []limitCase{
		{"two L1 episodes, 3 days together", spell("L1", 1, 2), false},
		{"two L1 episodes, 4 days together", spell("L1", 2, 2), true},
	})
	runLimits(t, "362", []limitCase{
		{"two L2 episodes, 21 days together", spell("L2", 10, 11), false},
		{"two L2 episodes, 22 days together", spell("L2", 11, 11), true},
	})
	runLimits(t, "365", []limitCase{
		{"two V3 episodes of 17 days back to back", spell("V3", 17, 17), false},
		{"two V3 episodes, the second 18 days", spell("V3", 17, 18), true},
	})
	// An open L1 episode lasts to 31 March 2025.
	runLimits(t, "361", []limitCase{
		{"open L1 from 28 March 2025 (3 days)", c2("DECOM", "28/03/2025", "DEC", "", "REC", "", "LS", "L1"), false},
		{"open L1 from 27 March 2025 (4 days)", c2("DECOM", "27/03/2025", "DEC", "", "REC", "", "LS", "L1"), true},
	})
}

// shortBreaks adds V3 episodes for C3 (a care leaver with no episodes in
// the base return), each [DECOM, DEC]; DEC "" is open.
func shortBreaks(ls string, periods ...[2]string) func(t *testing.T, cur, prev *fixture) {
	return func(t *testing.T, cur, prev *fixture) {
		for _, p := range periods {
			rec := "E4A"
			if p[1] == "" {
				rec = ""
			}
			cur.add(E, "CHILD=C3", "DECOM="+p[0], "RNE=S", "LS="+ls, "CIN=N2", "PLACE=K2", "PLACE_PROVIDER=PR1", "DEC="+p[1], "REC="+rec, "URN=1234567")
		}
	}
}

// fifteenDayBreaks are four short breaks of 15 days each (60 days), one a
// month from June 2024, and a fifth from 1 October 2024 lasting last days.
func fifteenDayBreaks(last int) [][2]string {
	var out [][2]string
	for m := time.June; m <= time.September; m++ {
		s := day(2024, m, 1)
		out = append(out, [2]string{dmy(s), dmy(s.AddDate(0, 0, 15))})
	}
	s := day(2024, time.October, 1)
	return append(out, [2]string{dmy(s), dmy(s.AddDate(0, 0, last))})
}

// TestShortBreakYearLimit pins DfE rule 367: "The maximum amount of respite
// care allowable is 75 days in any 12-month period."
func TestShortBreakYearLimit(t *testing.T) {
	runLimits(t, "367", []limitCase{
		{"74 days in five breaks", shortBreaks("V3", fifteenDayBreaks(14)...), false},
		{"75 days in five breaks: on the limit", shortBreaks("V3", fifteenDayBreaks(15)...), false},
		{"76 days in five breaks", shortBreaks("V3", fifteenDayBreaks(16)...), true},
		{"76 days of V4 (a series of short breaks) do not count", shortBreaks("V4", fifteenDayBreaks(16)...), false},
		{"76 days of V2 do not count", shortBreaks("V2", fifteenDayBreaks(16)...), false},
		// An open break runs to 31 March 2025.
		{"60 days, then open from 16 March 2025: 75", shortBreaks("V3", append(fifteenDayBreaks(0)[:4], [2]string{"16/03/2025", ""})...), false},
		{"60 days, then open from 15 March 2025: 76", shortBreaks("V3", append(fifteenDayBreaks(0)[:4], [2]string{"15/03/2025", ""})...), true},
		// A break that began before the collection year counts from 1 April 2024.
		{"60 days, then 20 March to 16 April 2024: 15 in the year", shortBreaks("V3", append(fifteenDayBreaks(0)[:4], [2]string{"20/03/2024", "16/04/2024"})...), false},
		{"60 days, then 20 March to 17 April 2024: 16 in the year", shortBreaks("V3", append(fifteenDayBreaks(0)[:4], [2]string{"20/03/2024", "17/04/2024"})...), true},
	})
}
