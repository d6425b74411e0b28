package rules

import "testing"

// Age and date limits of the DfE rules, each on the limit, one day (or one
// unit) below and one above, written from the rule text. Ages are whole years
// on the day (a birthday on the date counts), as the DfE's validator
// measures them; the fixture's collection year runs from 1 April 2024 to
// 31 March 2025.
//
//	387  independent living (E5, E6) at 14 or over when care ends
//	389  adult social care (E7) at 16 or over when care ends
//	460  staying put (E17) at 18 or over when care ends
//	620  a mother at least 11 at the start of the year
//	209  UN1 (not yet of school age) only for a child under 5 on 31 August before the year
//	180  the SDQ score 0 to 40
//	165, 393  mother status asked of a girl of 12 or over (at the end of the year; of the episode)
//	440  PN0 only for a child under 4 at the review
//	353  no episode before 14 October 1991
//	446  no placement order (E1) for an episode starting before 1 December 2005
//	217  adoption by the current foster carers (A3, A5) from 1 April 2015: reason for new episode S, T or U
//	347  no foyer (ACCOM T, T1, T2) for a care leaver under 18 at the start of the year
//	234  no custody (CUSTOD) placement change for a child under 10
//	188, 186  the SDQ: none for a child under 4; one (or a reason) for a child of 4 to 16
//	542, 543  conviction information from the age of 10 at 31 March
//	545, 546  the health (development) check under 5 at 31 March
//	230  an Ofsted URN for an H5 placement in England open after 28 October 2023

// withDOB sets child's date of birth in every table that has one.
func withDOB(child, dob string) func(t *testing.T, cur, prev *fixture) {
	return func(t *testing.T, cur, prev *fixture) {
		for _, rows := range cur.tabs {
			for _, r := range rows {
				if _, ok := r["DOB"]; ok && r["CHILD"] == child {
					r["DOB"] = dob
				}
			}
		}
	}
}

// ageCases are the three cases of a limit: the child a day short of the
// birthday, on it, and a day past it, with the rule firing as given.
func ageCases(child, short, on, past string, change func(t *testing.T, cur, prev *fixture), firesShort, firesFrom bool) []limitCase {
	if change == nil {
		change = func(t *testing.T, cur, prev *fixture) {}
	}
	return []limitCase{
		{"a day short of the birthday (" + short + ")", both(change, withDOB(child, short)), firesShort},
		{"on the birthday (" + on + ")", both(change, withDOB(child, on)), firesFrom},
		{"a day past the birthday (" + past + ")", both(change, withDOB(child, past)), firesFrom},
	}
}

func TestLeavingCareAgeLimits(t *testing.T) {
	// C2's care ends on 20 December 2024.
	runLimits(t, "387", ageCases("C2", "21/12/2010", "20/12/2010", "19/12/2010", c2("REC", "E5"), true, false))
	runLimits(t, "389", ageCases("C2", "21/12/2008", "20/12/2008", "19/12/2008", c2("REC", "E7"), true, false))
	runLimits(t, "460", ageCases("C2", "21/12/2006", "20/12/2006", "19/12/2006", c2("REC", "E17"), true, false))
}

func TestHeaderAgeLimits(t *testing.T) {
	// 620: 11 on 1 April 2024.
	runLimits(t, "620", ageCases("C4", "02/04/2013", "01/04/2013", "31/03/2013",
		set(H, "C4", 0, "SEX", "F", "MOTHER", "1", "MC_DOB", "01/01/2024"), true, false))
	// 209: 5 on 31 August 2024 (C4's UPN is UN1).
	runLimits(t, "209", ageCases("C4", "01/09/2019", "31/08/2019", "30/08/2019", nil, false, true))
	// 165 and 393: C1, a girl in care all year, 12 on 31 March 2025, mother status blank.
	for _, code := range []string{"165", "393"} {
		runLimits(t, code, ageCases("C1", "01/04/2013", "31/03/2013", "30/03/2013", set(H, "C1", 0, "MOTHER", ""), false, true))
	}
	runLimits(t, "180", []limitCase{
		{"SDQ score 39", set(O2, "C1", 0, "SDQ_SCORE", "39"), false},
		{"SDQ score 40", set(O2, "C1", 0, "SDQ_SCORE", "40"), false},
		{"SDQ score 41", set(O2, "C1", 0, "SDQ_SCORE", "41"), true},
		{"SDQ score 0", set(O2, "C1", 0, "SDQ_SCORE", "0"), false},
	})
}

func TestReviewAndEpisodeAgeLimits(t *testing.T) {
	// 440: C4's review is on 1 July 2024.
	runLimits(t, "440", ageCases("C4", "02/07/2020", "01/07/2020", "30/06/2020", set(R, "C4", 0, "REVIEW_CODE", "PN0"), false, true))
	// 234 (from the 2025/26 return): C1's first placement ends on 1 September 2024.
	runLimitsIn(t, 2026, "234", ageCases("C1", "02/09/2014", "01/09/2014", "31/08/2014", set(E, "C1", 0, "REASON_PLACE_CHANGE", "CUSTOD"), true, false))
	// 347: C3, a care leaver, 18 on 1 April 2024, the start of the year.
	runLimits(t, "347", ageCases("C3", "02/04/2006", "01/04/2006", "31/03/2006", set(O3, "C3", 0, "ACCOM", "T1"), true, false))
}

func TestOutcomeAgeLimits(t *testing.T) {
	// C1 has been looked after all year; ages at 31 March 2025 unless said.
	runLimits(t, "188", ageCases("C1", "01/04/2021", "31/03/2021", "30/03/2021", nil, true, false))
	noSDQ := set(O2, "C1", 0, "SDQ_SCORE", "", "SDQ_REASON", "")
	// 186: 4 at the start of the year (1 April 2024) ...
	runLimits(t, "186", ageCases("C1", "02/04/2020", "01/04/2020", "31/03/2020", noSDQ, false, true))
	// ... and under 17 at its end.
	runLimits(t, "186", ageCases("C1", "01/04/2008", "31/03/2008", "30/03/2008", noSDQ, true, false))
	runLimits(t, "542", ageCases("C1", "01/04/2015", "31/03/2015", "30/03/2015", set(O2, "C1", 0, "CONVICTED", "0"), true, false))
	runLimits(t, "543", ageCases("C1", "01/04/2015", "31/03/2015", "30/03/2015", set(O2, "C1", 0, "CONVICTED", ""), false, true))
	runLimits(t, "545", ageCases("C1", "01/04/2020", "31/03/2020", "30/03/2020", set(O2, "C1", 0, "HEALTH_CHECK", ""), true, false))
	runLimits(t, "546", ageCases("C1", "01/04/2020", "31/03/2020", "30/03/2020", set(O2, "C1", 0, "HEALTH_CHECK", "1"), false, true))
}

func TestEpisodeDateLimits(t *testing.T) {
	runLimits(t, "353", []limitCase{
		{"started 13 October 1991", c2("DECOM", "13/10/1991"), true},
		{"started 14 October 1991", c2("DECOM", "14/10/1991"), false},
		{"started 15 October 1991", c2("DECOM", "15/10/1991"), false},
	})
	runLimits(t, "446", []limitCase{
		{"E1 from 30 November 2005", set(E, "C4", 0, "DECOM", "30/11/2005"), true},
		{"E1 from 1 December 2005", set(E, "C4", 0, "DECOM", "01/12/2005"), false},
		{"E1 from 2 December 2005", set(E, "C4", 0, "DECOM", "02/12/2005"), false},
	})
	a3 := func(decom string) func(t *testing.T, cur, prev *fixture) {
		return c2("PLACE", "A3", "RNE", "P", "DECOM", decom)
	}
	runLimits(t, "217", []limitCase{
		{"A3 from 31 March 2015", a3("31/03/2015"), false},
		{"A3 from 1 April 2015", a3("01/04/2015"), true},
		{"A3 from 2 April 2015", a3("02/04/2015"), true},
	})
	// 230 (the 2023/24 return only).
	h5 := func(dec string) func(t *testing.T, cur, prev *fixture) {
		return c2("PLACE", "H5", "URN", "", "DECOM", "01/01/2023", "DEC", dec)
	}
	runLimitsIn(t, 2024, "230", []limitCase{
		{"H5 ended 27 October 2023", h5("27/10/2023"), false},
		{"H5 ended 28 October 2023", h5("28/10/2023"), false},
		{"H5 ended 29 October 2023", h5("29/10/2023"), true},
	})
}
