package rules

import "testing"

// Missing periods and social worker episodes against the day care ended or
// began, on the day and the day either side. C2 is looked after from
// 10 May to 20 December 2024 (E4A); C1 is looked after on 31 March 2025.
//
//	580  missing or away on the day care ended (started by then, not ended before it): the reason ceased should be E8
//	581  a missing period starts on a day some episode covers, its first and last day included
//	SW11STG2  a child looked after on 31 March whose last social worker episode ended before 31 March
func TestMissingAndSocialWorkerDayLimits(t *testing.T) {
	missing := func(start, end string) func(t *testing.T, cur, prev *fixture) {
		return addRow(M, "CHILD=C2", "DOB=15/02/2008", "MISSING=M", "MIS_START="+start, "MIS_END="+end)
	}
	runLimits(t, "580", []limitCase{
		{"missing from the day care ended", missing("20/12/2024", "21/12/2024"), true},
		{"missing from the day after", missing("21/12/2024", "22/12/2024"), false},
		{"back on the day care ended", missing("01/12/2024", "20/12/2024"), true},
		{"back the day before", missing("01/12/2024", "19/12/2024"), false},
	})
	runLimits(t, "581", []limitCase{
		{"missing from the day before care began", missing("09/05/2024", "10/05/2024"), true},
		{"missing from the day care began", missing("10/05/2024", "11/05/2024"), false},
		{"missing from the day care ended", missing("20/12/2024", "20/12/2024"), false},
		{"missing from the day after", missing("21/12/2024", "22/12/2024"), true},
	})
	runLimits(t, "SW11STG2", []limitCase{
		{"the last social worker episode ends 30 March 2025", set(SW, "C1", 0, "SW_DEC", "30/03/2025"), true},
		{"it ends 31 March 2025", set(SW, "C1", 0, "SW_DEC", "31/03/2025"), false},
	})
}

// TestStillLookedAfterOnBirthdayLimits: 1007, no care leaver information for
// a young person looked after on their 17th birthday: from the day care
// began (C2: 10 May 2024) to the day before it ended (20 December 2024).
func TestStillLookedAfterOnBirthdayLimits(t *testing.T) {
	leaver := func(dob string) func(t *testing.T, cur, prev *fixture) {
		return both(withDOB("C2", dob), addRow(O3, "CHILD=C2", "DOB="+dob, "IN_TOUCH=YES", "ACTIV=F2", "ACCOM=D1"))
	}
	runLimits(t, "1007", []limitCase{
		{"17 the day before care began", leaver("09/05/2007"), false},
		{"17 the day care began", leaver("10/05/2007"), true},
		{"17 the day before care ended", leaver("19/12/2007"), true},
		{"17 the day care ended", leaver("20/12/2007"), false},
	})
}

// TestSocialWorkerCoverLimits: SW12STG2, a child looked after on 31 March
// (C1, in care all year) has a social worker episode from 1 April: one
// starting on 1 April covers it; a child whose care ended on 31 March was
// not looked after on 31 March.
func TestSocialWorkerCoverLimits(t *testing.T) {
	runLimits(t, "SW12STG2", []limitCase{
		{"social worker from 1 April 2024", set(SW, "C1", 0, "SW_DECOM", "01/04/2024"), false},
		{"social worker from 2 April 2024", set(SW, "C1", 0, "SW_DECOM", "02/04/2024"), true},
		{"from 2 April, care ended 31 March 2025", both(set(SW, "C1", 0, "SW_DECOM", "02/04/2024"), set(E, "C1", 1, "DEC", "31/03/2025", "REC", "E4A")), false},
		{"from 2 April, care ended 1 April 2025", both(set(SW, "C1", 0, "SW_DECOM", "02/04/2024"), set(E, "C1", 1, "DEC", "01/04/2025", "REC", "E4A")), true},
	})
}

// TestLookedAfterTwelveMonthsLimits: 543 asks conviction information of a
// child of 10 or over looked after for 12 months at 31 March; C1's care
// ending on 31 March 2025 is not care at 31 March, ending on 1 April is.
func TestLookedAfterTwelveMonthsLimits(t *testing.T) {
	ended := func(dec string) func(t *testing.T, cur, prev *fixture) {
		return both(set(O2, "C1", 0, "CONVICTED", ""), set(E, "C1", 1, "DEC", dec, "REC", "E4A"))
	}
	runLimits(t, "543", []limitCase{
		{"care ended 31 March 2025", ended("31/03/2025"), false},
		{"care ended 1 April 2025", ended("01/04/2025"), true},
	})
}

// TestCarriedOverLimits: 503A compares the first episode of this year with
// last year's open one only when it started before this year (C1's reason
// for new episode differs between the years).
func TestCarriedOverLimits(t *testing.T) {
	first := func(decom string) func(t *testing.T, cur, prev *fixture) {
		return both(setPrev(E, "C1", 0, "RNE", "P"), set(E, "C1", 0, "DECOM", decom))
	}
	runLimits(t, "503A", []limitCase{
		{"first episode from 31 March 2024", first("31/03/2024"), true},
		{"first episode from 1 April 2024", first("01/04/2024"), false},
	})
}

// TestCareSpellJoinLimits: 577 reads a child's episodes as periods of care,
// one period while each episode starts the day the last ended (C1: 1
// September 2024); an open missing period from 1 August 2024 lies in it. A
// day's gap makes two periods, and the open missing period lies in neither.
func TestCareSpellJoinLimits(t *testing.T) {
	open := set(M, "C1", 0, "MIS_START", "01/08/2024", "MIS_END", "")
	runLimits(t, "577", []limitCase{
		{"episodes meeting on 1 September 2024", open, false},
		{"a day's gap between them", both(open, set(E, "C1", 1, "DECOM", "02/09/2024")), true},
	})
}

// TestUASCAcrossYearsLimits: 205A, a child UASC last year and not this year
// has last year's date UASC ceased within last year (1 April 2023 to
// 31 March 2024 inclusive); 205B, a child UASC both years has this year's
// date within this year (or last year's date, here the 18th birthday).
func TestUASCAcrossYearsLimits(t *testing.T) {
	lastYear := func(duc string) func(t *testing.T, cur, prev *fixture) {
		return both(addRow(U, "CHILD=C1", "SEX=F", "DOB=01/06/2010", "DUC="), func(t *testing.T, cur, prev *fixture) {
			prev.add(U, "CHILD=C1", "SEX=F", "DOB=01/06/2010", "DUC="+duc)
		})
	}
	runLimits(t, "205A", []limitCase{
		{"ceased 31 March 2023", lastYear("31/03/2023"), true},
		{"ceased 1 April 2023", lastYear("01/04/2023"), false},
		{"ceased 31 March 2024", lastYear("31/03/2024"), false},
		{"ceased 1 April 2024", lastYear("01/04/2024"), true},
	})
	bothYears := func(duc string) func(t *testing.T, cur, prev *fixture) {
		return both(set(H, "C1", 0, "UASC", "1"), addRow(U, "CHILD=C1", "SEX=F", "DOB=01/06/2010", "DUC="+duc), func(t *testing.T, cur, prev *fixture) {
			prev.add(U, "CHILD=C1", "SEX=F", "DOB=01/06/2010", "DUC=01/06/2028")
		})
	}
	runLimits(t, "205B", []limitCase{
		{"this year's date 31 March 2024", bothYears("31/03/2024"), true},
		{"this year's date 1 April 2024", bothYears("01/04/2024"), false},
		{"this year's date 31 March 2025", bothYears("31/03/2025"), false},
		{"this year's date 1 April 2025", bothYears("01/04/2025"), true},
	})
}
