package rules

import (
	"sufficiency/ssda903"
)

// dateRule checks that a date field holds a real date written DD/MM/YYYY.
func dateRule(code string, t ssda903.TableName, field string, blankOK bool, what string) rule {
	col := ssda903.Col(t, field)
	desc := what + " must be a valid date (DD/MM/YYYY)"
	if !blankOK {
		desc += " and must not be blank"
	}
	return def(code, desc, field, tables(t), func(v *run) {
		v.rows(t, func(tb *tab, i int32) {
			s := tb.val(i, col)
			if s == "" {
				if !blankOK {
					v.flag(tb, i, []string{field}, s, what+" is blank. Enter the date as DD/MM/YYYY.")
				}
				return
			}
			if !tb.date(i, col).ok() {
				v.flag(tb, i, []string{field}, s, what+" "+quote(s)+" is not a valid date. Write it as DD/MM/YYYY and check the day exists.")
			}
		})
	})
}

func dateRules() []rule {
	return []rule{
		dateRule("102", ssda903.Header, "DOB", false, "Date of birth"),
		dateRule("104", ssda903.UASC, "DUC", true, "Date UASC status ceased"),
		dateRule("112", ssda903.AD1, "DATE_INT", true, "Date the child should be placed for adoption"),
		dateRule("113", ssda903.AD1, "DATE_MATCH", true, "Date of matching child and adopters"),
		dateRule("115", ssda903.PlacedAdoption, "DATE_PLACED", true, "Date of the decision to place for adoption"),
		dateRule("116", ssda903.PlacedAdoption, "DATE_PLACED_CEASED", true, "Date of the decision that the child should no longer be placed for adoption"),
		dateRule("141", ssda903.Episodes, "DECOM", false, "Date episode started"),
		dateRule("147", ssda903.Episodes, "DEC", true, "Date episode ceased"),
		dateRule("166", ssda903.Reviews, "REVIEW", false, "Date of review"),
		dateRule("171", ssda903.Header, "MC_DOB", true, "Date of birth of the mother's child"),
		// A missing or away period always has a start: blank is not a valid date (as the DfE's tools read 1004).
		dateRule("1004", ssda903.Missing, "MIS_START", false, "Date the missing or away period started"),
		dateRule("1005", ssda903.Missing, "MIS_END", true, "Date the missing or away period ended"),
		dateRule("SW04STG1", ssda903.SWEpisodes, "SW_DECOM", true, "Date social worker episode began").since(2024),
		dateRule("SW05STG1", ssda903.SWEpisodes, "SW_DEC", true, "Date social worker episode ended").since(2024),

		def("301", "Date of birth must not be after the end of the collection year", "DOB", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if d := tb.date(i, hDOB); d.ok() && d.ymd > v.cur.end.ymd {
					v.flagCol(tb, i, hDOB, "Date of birth "+d.String()+" is after the end of the collection year ("+v.cur.end.String()+"). Correct the date of birth.")
				}
			})
		}),
		def("351", "A child must not be over 25 at the start of the collection year (25th birthday before 1 April)", "DOB", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				// Over 25: the 25th birthday fell before the year began (DfE:
				// DOB + 25 years < collection start), so 25 and a day is over.
				if dob := tb.date(i, hDOB); dob.ok() && birthday(dob, 25) < v.cur.start.ymd {
					a := age(dob, v.cur.start)
					v.flagCol(tb, i, hDOB, "The child was "+itoa(a)+" at the start of the collection year; no one over 25 belongs in the return. Check the date of birth.")
				}
			})
		}),
		def("353", "No episode may start before 14 October 1991", "DECOM", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if d := tb.date(i, eDECOM); d.ok() && d.ymd < 19911014 {
					v.flagCol(tb, i, eDECOM, "Episode start "+d.String()+" is before 14/10/1991, when the Children Act 1989 came into force. Check the date.")
				}
			})
		}),
		def("354", "An episode must not start after the end of the collection year", "DECOM", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if d := tb.date(i, eDECOM); d.ok() && d.ymd > v.cur.end.ymd {
					v.flagCol(tb, i, eDECOM, "Episode start "+d.String()+" is after the end of the collection year ("+v.cur.end.String()+"). Remove the episode or correct the date.")
				}
			})
		}),
		def("385", "An episode must not end after the end of the collection year", "DEC", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if d := tb.date(i, eDEC); d.ok() && d.ymd > v.cur.end.ymd {
					v.flagCol(tb, i, eDEC, "Episode end "+d.String()+" is after the end of the collection year ("+v.cur.end.String()+"). Leave the end date blank if the episode was still open on 31 March.")
				}
			})
		}),
		def("356", "An episode must not end before it started", "DECOM DEC", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				s, e := tb.date(i, eDECOM), tb.date(i, eDEC)
				if s.ok() && e.ok() && e.ymd < s.ymd {
					v.flag(tb, i, []string{"DECOM", "DEC"}, s.String()+" "+e.String(), "The episode ends ("+e.String()+") before it starts ("+s.String()+"). Correct one of the dates.")
				}
			})
		}),
		def("355", "An episode should last at least one day (start and end on different dates)", "DECOM DEC", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				s, e := tb.date(i, eDECOM), tb.date(i, eDEC)
				if s.ok() && e.ok() && e.ymd == s.ymd {
					v.flag(tb, i, []string{"DECOM", "DEC"}, s.String(), "The episode starts and ends on the same day ("+s.String()+"). Episodes of less than 24 hours are not recorded: remove it and let the next episode start on this date.")
				}
			})
		}).warn(),
		def("304", "The date UASC status ceased must be on or before the child's 18th birthday", "DUC", tables(ssda903.UASC), func(v *run) {
			v.rows(ssda903.UASC, func(tb *tab, i int32) {
				dob, duc := tb.date(i, uDOB), tb.date(i, uDUC)
				if !dob.ok() {
					dob = v.cur.dobAt(tb, i)
				}
				if dob.ok() && duc.ok() && duc.ymd > birthday(dob, 18) {
					v.flagCol(tb, i, uDUC, "UASC status is recorded as ceasing on "+duc.String()+", after the child's 18th birthday. UASC status ends at 18 at the latest: correct the date.")
				}
			})
		}),
		def("333", "The date a child should be placed for adoption must be on or before the date of matching", "DATE_INT DATE_MATCH", tAD1, func(v *run) {
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				a, b := tb.date(i, aINT), tb.date(i, aMATCH)
				if b.ok() && tb.val(i, aINT) == "" {
					v.flag(tb, i, []string{"DATE_INT", "DATE_MATCH"}, b.String(), "The child was matched with adopters ("+b.String()+") but the date of the decision that the child should be placed for adoption is blank. Enter it.")
					return
				}
				if a.ok() && b.ok() && a.ymd > b.ymd {
					v.flag(tb, i, []string{"DATE_INT", "DATE_MATCH"}, a.String()+" "+b.String(), "The decision that the child should be placed for adoption ("+a.String()+") is after the match with adopters ("+b.String()+"). Correct one of the dates.")
				}
			})
		}),
		def("522", "The decision to place for adoption must be on or before the decision that the child should no longer be placed", "DATE_PLACED DATE_PLACED_CEASED", tPA, func(v *run) {
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				a, b := tb.date(i, paPLACED), tb.date(i, paCEASED)
				if a.ok() && b.ok() && a.ymd > b.ymd {
					v.flag(tb, i, []string{"DATE_PLACED", "DATE_PLACED_CEASED"}, a.String()+" "+b.String(), "The adoption decision was reversed ("+b.String()+") before it was made ("+a.String()+"). Correct one of the dates.")
				}
			})
		}),
		def("567", "A missing or away period must not end before it started", "MIS_START MIS_END", tMissing, func(v *run) {
			v.rows(ssda903.Missing, func(tb *tab, i int32) {
				a, b := tb.date(i, mSTART), tb.date(i, mEND)
				if a.ok() && b.ok() && b.ymd < a.ymd {
					v.flag(tb, i, []string{"MIS_START", "MIS_END"}, a.String()+" "+b.String(), "The missing period ends ("+b.String()+") before it starts ("+a.String()+"). Correct one of the dates.")
				}
			})
		}),
		def("570", "A missing or away period must not start after the end of the collection year", "MIS_START", tMissing, func(v *run) {
			v.rows(ssda903.Missing, func(tb *tab, i int32) {
				if a := tb.date(i, mSTART); a.ok() && a.ymd > v.cur.end.ymd {
					v.flagCol(tb, i, mSTART, "The missing period starts on "+a.String()+", after the collection year ends ("+v.cur.end.String()+"). Remove it from this year's return.")
				}
			})
		}),
		def("571", "A missing or away period must end within the collection year, or be left open", "MIS_END", tMissing, func(v *run) {
			v.rows(ssda903.Missing, func(tb *tab, i int32) {
				if b := tb.date(i, mEND); b.ok() && (b.ymd > v.cur.end.ymd || b.ymd < v.cur.start.ymd) {
					v.flagCol(tb, i, mEND, "The missing period ends on "+b.String()+", outside the collection year ("+v.cur.start.String()+" to "+v.cur.end.String()+"). Leave it blank if the child was still missing on 31 March.")
				}
			})
		}),
		def("586", "A missing or away period must not start before the child was born", "MIS_START", tMissing, func(v *run) {
			v.rows(ssda903.Missing, func(tb *tab, i int32) {
				dob := tb.date(i, mDOB)
				if !dob.ok() {
					dob = v.cur.dobAt(tb, i)
				}
				if a := tb.date(i, mSTART); a.ok() && dob.ok() && a.ymd < dob.ymd {
					v.flagCol(tb, i, mSTART, "The missing period starts on "+a.String()+", before the child's date of birth ("+dob.String()+"). Correct the date.")
				}
			})
		}),
		def("184", "The decision to place for adoption must not be before the child was born", "DATE_PLACED DOB", tPA, func(v *run) {
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				dob := v.cur.dobAt(tb, i)
				if !dob.ok() {
					dob = tb.date(i, paDOB)
				}
				if a := tb.date(i, paPLACED); a.ok() && dob.ok() && a.ymd < dob.ymd {
					v.flagCol(tb, i, paPLACED, "The decision to place for adoption ("+a.String()+") is before the child's date of birth ("+dob.String()+"). Correct the date.")
				}
			})
		}),
	}
}
