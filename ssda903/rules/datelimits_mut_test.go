package rules

import "testing"

// Limits between two dates of the DfE rules, each on the day, the day before
// and the day after, written from the rule text (the fixture's collection
// year runs from 1 April 2024 to 31 March 2025; C4 is placed for adoption
// (A6) on 1 June 2024):
//
//	301  a date of birth not after the end of the year
//	356  an episode not ending before it starts (ending the day it starts is allowed)
//	304  UASC status ceasing on or before the 18th birthday
//	601  a child adopted (E11, E12) during the year, 1 April to 31 March inclusive, has the AD1 items
//	521  the decision to place for adoption (AD1 DATE_INT) on or before the adoption placement
//	552  the same for PlacedAdoption's DATE_PLACED
//	621  a mother's child born after the mother (not on the same day)
//	210  UN4 with the latest episode starting in the last week of the year (from 24 March)
//	625  a mother's child born by the end of the year

func TestDateOrderLimits(t *testing.T) {
	runLimits(t, "301", []limitCase{
		{"born 31 March 2025", set(H, "C4", 0, "DOB", "31/03/2025"), false},
		{"born 1 April 2025", set(H, "C4", 0, "DOB", "01/04/2025"), true},
	})
	runLimits(t, "356", []limitCase{
		{"ends the day before it starts", c2("DEC", "09/05/2024"), true},
		{"ends the day it starts", c2("DEC", "10/05/2024"), false},
		{"ends the day after it starts", c2("DEC", "11/05/2024"), false},
	})
	// C2 was born 15/02/2008: 18 on 15 February 2026.
	uasc := func(duc string) func(t *testing.T, cur, prev *fixture) {
		return addRow(U, "CHILD=C2", "SEX=M", "DOB=15/02/2008", "DUC="+duc)
	}
	runLimits(t, "304", []limitCase{
		{"ceased the day before the 18th birthday", uasc("14/02/2026"), false},
		{"ceased on the 18th birthday", uasc("15/02/2026"), false},
		{"ceased the day after", uasc("16/02/2026"), true},
	})
	adopted := func(dec string) func(t *testing.T, cur, prev *fixture) {
		return both(set(E, "C4", 1, "DEC", dec), func(t *testing.T, cur, prev *fixture) { cur.drop(A1, "C4") })
	}
	runLimits(t, "601", []limitCase{
		{"adopted 31 March 2024, before the year", adopted("31/03/2024"), false},
		{"adopted 1 April 2024", adopted("01/04/2024"), true},
		{"adopted 31 March 2025", adopted("31/03/2025"), true},
		{"adopted 1 April 2025, after the year", adopted("01/04/2025"), false},
	})
	runLimits(t, "521", []limitCase{
		{"decision the day before the placement", set(A1, "C4", 0, "DATE_INT", "31/05/2024"), false},
		{"decision the day of the placement", set(A1, "C4", 0, "DATE_INT", "01/06/2024"), false},
		{"decision the day after the placement", set(A1, "C4", 0, "DATE_INT", "02/06/2024"), true},
	})
	runLimits(t, "552", []limitCase{
		{"decision the day before the placement", set(PA, "C4", 0, "DATE_PLACED", "31/05/2024"), false},
		{"decision the day of the placement", set(PA, "C4", 0, "DATE_PLACED", "01/06/2024"), false},
		{"decision the day after the placement", set(PA, "C4", 0, "DATE_PLACED", "02/06/2024"), true},
	})
	mother := func(mc string) func(t *testing.T, cur, prev *fixture) {
		return set(H, "C1", 0, "MOTHER", "1", "MC_DOB", mc)
	}
	runLimits(t, "621", []limitCase{
		{"child born the day before the mother", mother("31/05/2010"), true},
		{"child born the mother's birthday", mother("01/06/2010"), true},
		{"child born the day after", mother("02/06/2010"), false},
	})
	// C1's episode is open at the end of the year.
	runLimits(t, "625", []limitCase{
		{"child born 31 March 2025", mother("31/03/2025"), false},
		{"child born 1 April 2025", mother("01/04/2025"), true},
	})
	un4 := func(decom string) func(t *testing.T, cur, prev *fixture) {
		return both(set(H, "C2", 0, "UPN", "UN4"),
			addRow(E, "CHILD=C2", "DECOM="+decom, "RNE=S", "LS=V2", "CIN=N1", "PLACE=U1", "PLACE_PROVIDER=PR1"))
	}
	runLimits(t, "210", []limitCase{
		{"latest episode from 23 March 2025", un4("23/03/2025"), false},
		{"latest episode from 24 March 2025", un4("24/03/2025"), true},
		{"latest episode from 31 March 2025", un4("31/03/2025"), true},
	})
}

// TestDateOrderLimitsAdoptionMissingDoLo: the same for adoption, missing
// periods and deprivation of liberty orders:
//
//	333  the decision to place for adoption on or before the match (C4: 1 May 2024)
//	522  the decision on or before the decision that the child should no longer be placed
//	184  the decision not before the child was born (C4: 1 January 2020)
//	567  a missing period may end the day it starts
//	570, 571  a missing period starts by, and ends within, the year
//	586  a missing period not starting before the child was born (C1: 1 June 2010)
//	702  a deprivation of liberty order ends after it starts (not the same day); from the 2026/27 return
//	705  an order may start the day the previous one ends
//	710  an order and a K1, P1, R5 or K3 placement overlap when one starts the day the other ends
func TestDateOrderLimitsAdoptionMissingDoLo(t *testing.T) {
	runLimits(t, "333", []limitCase{
		{"decision the day before the match", set(A1, "C4", 0, "DATE_INT", "30/04/2024"), false},
		{"decision the day of the match", set(A1, "C4", 0, "DATE_INT", "01/05/2024"), false},
		{"decision the day after the match", set(A1, "C4", 0, "DATE_INT", "02/05/2024"), true},
	})
	ceased := func(d string) func(t *testing.T, cur, prev *fixture) {
		return set(PA, "C4", 0, "DATE_PLACED_CEASED", d, "REASON_PLACED_CEASED", "RD1")
	}
	runLimits(t, "522", []limitCase{
		{"ceased the day before the decision", ceased("31/01/2022"), true},
		{"ceased the day of the decision", ceased("01/02/2022"), false},
	})
	runLimits(t, "184", []limitCase{
		{"decision the day before birth", set(PA, "C4", 0, "DATE_PLACED", "31/12/2019"), true},
		{"decision the day of birth", set(PA, "C4", 0, "DATE_PLACED", "01/01/2020"), false},
	})
	missing := func(start, end string) func(t *testing.T, cur, prev *fixture) {
		return set(M, "C1", 0, "MIS_START", start, "MIS_END", end)
	}
	runLimits(t, "567", []limitCase{
		{"ends the day before it starts", missing("01/10/2024", "30/09/2024"), true},
		{"ends the day it starts", missing("01/10/2024", "01/10/2024"), false},
	})
	runLimits(t, "570", []limitCase{
		{"starts 31 March 2025", missing("31/03/2025", ""), false},
		{"starts 1 April 2025", missing("01/04/2025", ""), true},
	})
	runLimits(t, "571", []limitCase{
		{"ends 31 March 2024, before the year", missing("01/03/2024", "31/03/2024"), true},
		{"ends 1 April 2024", missing("01/03/2024", "01/04/2024"), false},
		{"ends 31 March 2025", missing("01/10/2024", "31/03/2025"), false},
		{"ends 1 April 2025, after the year", missing("01/10/2024", "01/04/2025"), true},
	})
	runLimits(t, "586", []limitCase{
		{"starts the day before birth", missing("31/05/2010", ""), true},
		{"starts the day of birth", missing("01/06/2010", ""), false},
	})
	// C1's order runs from 1 October to 1 December 2024.
	runLimitsIn(t, 2027, "702", []limitCase{
		{"ends the day it starts", set(DL, "C1", 0, "DOLO_END", "01/10/2024"), true},
		{"ends the day after", set(DL, "C1", 0, "DOLO_END", "02/10/2024"), false},
	})
	next := func(start string) func(t *testing.T, cur, prev *fixture) {
		return addRow(DL, "CHILD=C1", "DOB=01/06/2010", "DOLO_START="+start)
	}
	runLimitsIn(t, 2027, "705", []limitCase{
		{"the next starts the day before the previous ends", next("30/11/2024"), true},
		{"the next starts the day the previous ends", next("01/12/2024"), false},
	})
	// C1's first placement (DECOM 1 January 2023, DEC 1 September 2024) made
	// P1; its second (from 1 September 2024, open) left U6.
	order := func(start, end string) func(t *testing.T, cur, prev *fixture) {
		return both(set(E, "C1", 0, "PLACE", "P1"), set(DL, "C1", 0, "DOLO_START", start, "DOLO_END", end))
	}
	runLimitsIn(t, 2027, "710", []limitCase{
		{"the order starts the day the placement ends", order("01/09/2024", "01/12/2024"), true},
		{"the order starts the day after", order("02/09/2024", "01/12/2024"), false},
		{"the order ends the day the placement starts", order("01/06/2022", "01/01/2023"), true},
		{"the order ends the day before", order("01/06/2022", "31/12/2022"), false},
	})
}

// TestEpisodeStartLimits:
//
//	302  no episode starts before the child was born (it may start on the day)
//	357  a child's first episode starting in the year (from 1 April) has reason S
//	709  an order overlaps a placement that ends the day it starts or starts the day it ends
//	188  a child born on 31 March is 0 that day, under 4 (an age on the day of birth)
func TestEpisodeStartLimits(t *testing.T) {
	runLimits(t, "302", []limitCase{
		{"starts the day before birth", c2("DECOM", "14/02/2008"), true},
		{"starts the day of birth", c2("DECOM", "15/02/2008"), false},
	})
	runLimits(t, "357", []limitCase{
		{"first episode from 31 March 2024, before the year", c2("RNE", "P", "DECOM", "31/03/2024"), false},
		{"first episode from 1 April 2024", c2("RNE", "P", "DECOM", "01/04/2024"), true},
	})
	// C1: U4 to 1 September 2024, then K2 (a DoLO placement), open.
	order := func(start, end string) func(t *testing.T, cur, prev *fixture) {
		return both(set(E, "C1", 1, "PLACE", "K2"), set(DL, "C1", 0, "DOLO_START", start, "DOLO_END", end))
	}
	runLimitsIn(t, 2027, "709", []limitCase{
		{"the order starts the day the U4 placement ends", order("01/09/2024", "01/12/2024"), true},
		{"the order starts the day after", order("02/09/2024", "01/12/2024"), false},
		{"the order ends the day the U4 placement starts", order("01/06/2022", "01/01/2023"), true},
		{"the order ends the day before", order("01/06/2022", "31/12/2022"), false},
	})
	runLimits(t, "188", []limitCase{
		{"born 31 March 2025, with an SDQ score", withDOB("C1", "31/03/2025"), true},
	})
}

// TestOpenOnFirstAprilLimits: what counts as open on 1 April or in the year:
//
//	579  a new decision to place for adoption may be made the day the earlier one ended
//	359  past the 18th birthday: care ending after it, or open at the end of a year that reaches it
//	SW13STG1  the first social worker episode of the year (reason may be blank) is one open on 1 April: ending that day counts
//	165  a girl looked after during the year: care ending on 1 April counts
//	1014  a care leaver with an episode starting on 31 March, or ending on 1 April, was looked after this year
func TestOpenOnFirstAprilLimits(t *testing.T) {
	decisions := func(second string) func(t *testing.T, cur, prev *fixture) {
		return both(set(PA, "C4", 0, "DATE_PLACED_CEASED", "01/06/2023", "REASON_PLACED_CEASED", "RD1"),
			addRow(PA, "CHILD=C4", "DOB=01/01/2020", "DATE_PLACED="+second))
	}
	runLimits(t, "579", []limitCase{
		{"the next decision the day before the earlier ended", decisions("31/05/2023"), true},
		{"the next decision the day the earlier ended", decisions("01/06/2023"), false},
	})
	// C2's care ends on 20 December 2024, fostered (U1).
	fostered := c2("PLACE", "U1", "PLACE_PROVIDER", "PR1", "URN", "SC100001")
	runLimits(t, "359", ageCases("C2", "21/12/2006", "20/12/2006", "19/12/2006", fostered, false, false)[:2])
	runLimits(t, "359", []limitCase{
		{"care ends the day after the 18th birthday", both(fostered, withDOB("C2", "19/12/2006")), true},
		{"open, 18 on 31 March 2025", both(fostered, c2("DEC", "", "REC", ""), withDOB("C2", "31/03/2007")), true},
		{"open, 18 on 1 April 2025", both(fostered, c2("DEC", "", "REC", ""), withDOB("C2", "01/04/2007")), false},
	})
	sw := func(firstEnds string) func(t *testing.T, cur, prev *fixture) {
		return both(set(SW, "C1", 0, "SW_DECOM", "01/01/2024", "SW_DEC", firstEnds, "SW_REASON", ""),
			addRow(SW, "CHILD=C1", "DOB=01/06/2010", "SW_ID=SW654321", "SW_DECOM="+firstEnds, "SW_DEC=", "SW_REASON=FCONTA"))
	}
	runLimits(t, "SW13STG1", []limitCase{
		{"the first ends 31 March 2024: the second is the year's first", sw("31/03/2024"), true},
		{"the first ends 1 April 2024: it is the year's first", sw("01/04/2024"), false},
	})
	// 165: C1, a girl of 14 with mother status blank, left care on dec (her
	// second episode taken out).
	leftOn := func(dec string) func(t *testing.T, cur, prev *fixture) {
		return func(t *testing.T, cur, prev *fixture) {
			set(H, "C1", 0, "MOTHER", "")(t, cur, prev)
			set(E, "C1", 0, "DEC", dec, "REC", "E4A")(t, cur, prev)
			rows := cur.tabs[E][:0:0]
			for _, r := range cur.tabs[E] {
				if r["CHILD"] != "C1" || r["RNE"] == "S" {
					rows = append(rows, r)
				}
			}
			cur.tabs[E] = rows
		}
	}
	runLimits(t, "165", []limitCase{
		{"left care 31 March 2024", leftOn("31/03/2024"), false},
		{"left care 1 April 2024", leftOn("01/04/2024"), true},
	})
	leaver := func(decom, dec string) func(t *testing.T, cur, prev *fixture) {
		return both(addRow(U, "CHILD=C3", "SEX=M", "DOB=10/10/2006", "DUC=01/01/2024"),
			addRow(E, "CHILD=C3", "DECOM="+decom, "RNE=S", "LS=V2", "CIN=N1", "PLACE=K2", "PLACE_PROVIDER=PR4", "DEC="+dec, "REC=E4A", "URN=1234567"))
	}
	runLimits(t, "1014", []limitCase{
		{"an episode from 31 March 2025", leaver("31/03/2025", ""), false},
		{"an episode from 1 April 2025", leaver("01/04/2025", ""), true},
		{"an episode ending 1 April 2024", leaver("01/03/2024", "01/04/2024"), false},
		{"an episode ending 31 March 2024", leaver("01/03/2024", "31/03/2024"), true},
	})
}

// TestAfterLeavingCareLimits: C4 was adopted (E11) on 1 December 2024; C1's
// missing periods.
//
//	199  an episode starting on the day of the adoption or later is "looked after again"
//	117  an adoption decision date on the day the child left care is allowed; the day after is not
//	575  a missing period left open that started within a placement that has ended, its first and last day included
func TestAfterLeavingCareLimits(t *testing.T) {
	// C1's first placement runs from 1 January 2023 to 1 September 2024; the second is open.
	open := func(start string) func(t *testing.T, cur, prev *fixture) {
		return set(M, "C1", 0, "MIS_START", start, "MIS_END", "")
	}
	runLimits(t, "575", []limitCase{
		{"missing from 31 December 2022", open("31/12/2022"), false},
		{"missing from 1 January 2023, the placement's first day", open("01/01/2023"), true},
		{"missing from 1 September 2024, its last day", open("01/09/2024"), true},
		{"missing from 2 September 2024, in the open placement", open("02/09/2024"), false},
	})
	again := func(decom string) func(t *testing.T, cur, prev *fixture) {
		return addRow(E, "CHILD=C4", "DECOM="+decom, "RNE=S", "LS=V2", "CIN=N1", "PLACE=U1", "PLACE_PROVIDER=PR1", "URN=SC100002")
	}
	runLimits(t, "199", []limitCase{
		{"an episode from the day before the adoption", again("30/11/2024"), false},
		{"an episode from the day of the adoption", again("01/12/2024"), true},
	})
	ceased := func(d string) func(t *testing.T, cur, prev *fixture) {
		return set(PA, "C4", 0, "DATE_PLACED_CEASED", d, "REASON_PLACED_CEASED", "RD1")
	}
	runLimits(t, "117", []limitCase{
		{"decision reversed the day the child left care", ceased("01/12/2024"), false},
		{"decision reversed the day after", ceased("02/12/2024"), true},
	})
}

// TestDecisionBeforeTheYearLimits: 559 and 560 ask last year's return about
// a decision to place for adoption made before this year (before 1 April
// 2024), not one made on 1 April.
func TestDecisionBeforeTheYearLimits(t *testing.T) {
	for _, code := range []string{"559", "560"} {
		runLimits(t, code, []limitCase{
			{"decision 31 March 2024", set(PA, "C4", 0, "DATE_PLACED", "31/03/2024"), true},
			{"decision 1 April 2024", set(PA, "C4", 0, "DATE_PLACED", "01/04/2024"), false},
		})
	}
}

// TestBeforeTheYearLimits: what started before this year (before 1 April
// 2024) or before a date in the rule:
//
//	634  previous permanence only for a child whose care started from 1 April 2016
//	562  an episode that started before this year is in last year's return
//	NoE  a child whose care started before this year has episodes last year
//	626  a mother whose child was born before this year was a mother last year
//	217t independent living (P2) not valid for placements open after 28 October 2023 (the 2023/24 return)
func TestBeforeTheYearLimits(t *testing.T) {
	perm := func(decom string) func(t *testing.T, cur, prev *fixture) {
		return both(set(E, "C1", 0, "DECOM", "01/01/2015"), set(E, "C1", 1, "DECOM", decom),
			addRow(PP, "CHILD=C1", "DOB=01/06/2010", "PREV_PERM=Z1"))
	}
	runLimits(t, "634", []limitCase{
		{"latest care from 31 March 2016", perm("31/03/2016"), true},
		{"latest care from 1 April 2016", perm("01/04/2016"), false},
	})
	moved := func(decom string) func(t *testing.T, cur, prev *fixture) {
		return both(setPrev(E, "C4", 0, "DECOM", "01/03/2022"), set(E, "C4", 0, "DECOM", decom))
	}
	runLimits(t, "562", []limitCase{
		{"started 31 March 2024, not in last year's return", moved("31/03/2024"), true},
		{"started 1 April 2024", moved("01/04/2024"), false},
	})
	runLimits(t, "NoE", []limitCase{
		{"C2 (not in last year's return) from 31 March 2024", c2("DECOM", "31/03/2024"), true},
		{"C2 from 1 April 2024", c2("DECOM", "01/04/2024"), false},
	})
	runLimits(t, "626", []limitCase{
		{"child born 31 March 2024", set(H, "C1", 0, "MOTHER", "1", "MC_DOB", "31/03/2024"), true},
		{"child born 1 April 2024", set(H, "C1", 0, "MOTHER", "1", "MC_DOB", "01/04/2024"), false},
	})
	p2 := func(dec string) func(t *testing.T, cur, prev *fixture) {
		return c2("PLACE", "P2", "DECOM", "01/01/2023", "DEC", dec)
	}
	runLimitsIn(t, 2024, "217t", []limitCase{
		{"P2 ended 28 October 2023", p2("28/10/2023"), false},
		{"P2 ended 29 October 2023", p2("29/10/2023"), true},
	})
}

// TestSocialWorkerYearLimits: C1's social worker episode from 1 April 2023.
//
//	SW06STG2  a social worker episode starting by 31 March 2025
//	SW07STG2  one ending within the year, 1 April 2024 to 31 March 2025 inclusive
func TestSocialWorkerYearLimits(t *testing.T) {
	runLimits(t, "SW06STG2", []limitCase{
		{"starts 31 March 2025", set(SW, "C1", 0, "SW_DECOM", "31/03/2025"), false},
		{"starts 1 April 2025", set(SW, "C1", 0, "SW_DECOM", "01/04/2025"), true},
	})
	runLimits(t, "SW07STG2", []limitCase{
		{"ends 31 March 2024", set(SW, "C1", 0, "SW_DEC", "31/03/2024"), true},
		{"ends 1 April 2024", set(SW, "C1", 0, "SW_DEC", "01/04/2024"), false},
		{"ends 31 March 2025", set(SW, "C1", 0, "SW_DEC", "31/03/2025"), false},
		{"ends 1 April 2025", set(SW, "C1", 0, "SW_DEC", "01/04/2025"), true},
	})
}
