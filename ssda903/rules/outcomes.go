package rules

import (
	"sufficiency/ssda903"
)

// Outcome modules: OC2 (children looked after for 12 months) and OC3 (care
// leavers), against ages and the episodes.

// lookedAfter12 reports whether the child had been looked after continuously
// for at least 12 months on 31 March: the latest episode is open and the run
// of back-to-back episodes ending in it started on or before 1 April.
func (v *run) lookedAfter12(eps []int32) bool {
	ep := v.cur.ep
	if len(eps) == 0 {
		return false
	}
	// The latest episode is open on 31 March when it has no end, ends after
	// the year, or ceased with X1 (care continues, as the DfE tools read
	// it). Short breaks (V3, V4) are not continuous care.
	last := eps[len(eps)-1]
	end := ep.date(last, eDEC)
	open := ep.val(last, eDEC) == "" || (end.ok() && end.ymd > v.cur.end.ymd) || ep.val(last, eREC) == "X1"
	if !open || isRespite(ep.val(last, eLS)) {
		return false
	}
	k := len(eps) - 1
	for k > 0 && contiguous(ep, eps[k-1], eps[k]) && ep.val(eps[k], eRNE) != "S" && ep.val(eps[k-1], eREC) == "X1" {
		k--
	}
	d := ep.date(eps[k], eDECOM)
	return d.ok() && d.ymd <= v.cur.start.ymd
}

// childAge returns the child's age on d, from the Header or else the table's own DOB.
func (v *run) childAge(tb *tab, i int32, dobCol int, d date) int {
	dob := v.cur.dobAt(tb, i)
	if !dob.ok() {
		dob = tb.date(i, dobCol)
	}
	return age(dob, d)
}

func anyFilled(tb *tab, i int32, cols ...int) bool {
	for _, c := range cols {
		if tb.val(i, c) != "" {
			return true
		}
	}
	return false
}

func anyBlank(tb *tab, i int32, cols ...int) bool {
	for _, c := range cols {
		if tb.val(i, c) == "" {
			return true
		}
	}
	return false
}

var (
	oc2All  = []int{o2CONV, o2HCHK, o2IMM, o2TEETH, o2HASS, o2SUB, o2IREC, o2IOFF}
	oc2Core = []int{o2IMM, o2TEETH, o2HASS, o2SUB}
)

func oc2Rules() []rule {
	tOC2Ep := tables(ssda903.OC2, ssda903.Episodes)
	return []rule{
		def("190", "OC2 items are only completed for children looked after continuously for 12 months at 31 March", "CONVICTED HEALTH_CHECK IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT SUBSTANCE_MISUSE", tOC2Ep, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if anyFilled(tb, i, oc2All...) && !v.lookedAfter12(v.cur.epsAt(tb, i)) {
					v.flag(tb, i, []string{"CHILD"}, tb.val(i, 0), "OC2 items are completed but the episodes do not show the child looked after continuously for 12 months at 31 March. Remove the OC2 row, or check the episodes.")
				}
			})
		}),
		def("185", "An SDQ score is only recorded for children looked after continuously for 12 months at 31 March", "SDQ_SCORE", tOC2Ep, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2SDQ) != "" && !v.lookedAfter12(v.cur.epsAt(tb, i)) {
					v.flagCol(tb, i, o2SDQ, "An SDQ score is recorded but the child was not looked after continuously for 12 months at 31 March. Remove the score.")
				}
			})
		}),
		def("198", "A reason for no SDQ score is only recorded for children looked after continuously for 12 months", "SDQ_REASON", tOC2Ep, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2SDQR) != "" && !v.lookedAfter12(v.cur.epsAt(tb, i)) {
					v.flagCol(tb, i, o2SDQR, "A reason for no SDQ score is recorded but the child was not looked after continuously for 12 months at 31 March. Remove it.")
				}
			})
		}),
		// DfE: a child looked after continuously for 12 months at 31 March
		// needs the four items; a child of that cohort with no OC2 row at
		// all has left them blank too, and is flagged on their first
		// episode of the year (as the DfE tools do).
		def("191", "Children looked after for 12 months must have immunisations, teeth check, health assessment and substance misuse completed (an OC2 row with all four)", "IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT SUBSTANCE_MISUSE CHILD", tOC2Ep, func(v *run) {
			oc2 := v.cur.tabs[ssda903.OC2]
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if v.lookedAfter12(v.cur.epsAt(tb, i)) && anyBlank(tb, i, oc2Core...) {
					v.flag(tb, i, []string{"IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"}, "", "The child was looked after for 12 months at 31 March but one of immunisations, teeth check, health assessment or substance misuse is blank. Enter 0 or 1 for each.")
				}
			})
			if oc2 == nil {
				return
			}
			v.episodes(func(child string, eps []int32) {
				if len(eps) > 0 && len(oc2.rowsOf(child)) == 0 && v.lookedAfter12(eps) {
					v.flagCol(v.cur.ep, eps[0], 0, "The child was looked after for 12 months at 31 March but has no OC2 row. Add one with immunisations, teeth check, health assessment and substance misuse (0 or 1).")
				}
			})
		}),
		def("182", "Once any OC2 item is completed, immunisations, teeth check, health assessment and substance misuse must all be completed", "IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT SUBSTANCE_MISUSE", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if anyFilled(tb, i, oc2All...) && anyBlank(tb, i, oc2Core...) {
					v.flag(tb, i, []string{"IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"}, "", "Some OC2 items are completed but one of immunisations, teeth check, health assessment or substance misuse is blank. Complete all four, or leave every OC2 item blank.")
				}
			})
		}),
		def("188", "No SDQ score or reason for a child under 4 at the end of the year", "SDQ_SCORE SDQ_REASON", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if a := v.childAge(tb, i, o2DOB, v.cur.end); a >= 0 && a < 4 && anyFilled(tb, i, o2SDQ, o2SDQR) {
					v.flag(tb, i, []string{"SDQ_SCORE", "SDQ_REASON"}, tb.val(i, o2SDQ)+tb.val(i, o2SDQR), "The child was under 4 at 31 March, so no SDQ score or reason is collected. Leave both blank.")
				}
			})
		}),
		def("189", "No SDQ score or reason for a young person 17 or over at the start of the year", "SDQ_SCORE SDQ_REASON DOB", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if a := v.childAge(tb, i, o2DOB, v.cur.start); a >= 17 && anyFilled(tb, i, o2SDQ, o2SDQR) {
					v.flag(tb, i, []string{"SDQ_SCORE", "SDQ_REASON"}, tb.val(i, o2SDQ)+tb.val(i, o2SDQR), "The young person was 17 or over on 1 April, so no SDQ score or reason is collected. Leave both blank.")
				}
			})
		}),
		def("197a", "Give an SDQ score or a reason for no score, not both", "SDQ_SCORE SDQ_REASON", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2SDQ) != "" && tb.val(i, o2SDQR) != "" {
					v.flagCol(tb, i, o2SDQR, "Both an SDQ score and a reason for no score are recorded. Keep the score and remove the reason.")
				}
			})
		}),
		def("186", "Children aged 4 to 16 looked after for 12 months should have an SDQ score or a reason for none", "SDQ_SCORE SDQ_REASON", tOC2Ep, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2SDQ) != "" || tb.val(i, o2SDQR) != "" || !v.lookedAfter12(v.cur.epsAt(tb, i)) {
					return
				}
				if a, b := v.childAge(tb, i, o2DOB, v.cur.start), v.childAge(tb, i, o2DOB, v.cur.end); a >= 4 && b >= 0 && b < 17 {
					v.flagCol(tb, i, o2SDQ, "The child was looked after for 12 months and aged 4 to 16, but has neither an SDQ score nor a reason for none. Enter the score (0–40) or SDQ1–SDQ5.")
				}
			})
		}).warn(),
		// DfE: a child looked after continuously for 12 months (the OC2
		// cohort), 4 or over at the start of the year and whose 16th
		// birthday is not before the end of the year, with no SDQ score and
		// reason SDQ1 (under 4 or over 16).
		def("157", "Reason SDQ1 (under 4 or over 16) does not fit a child looked after for 12 months aged 4 to 16 during the year", "SDQ_REASON DOB", tOC2Ep, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2SDQR) != "SDQ1" || tb.val(i, o2SDQ) != "" || !v.lookedAfter12(v.cur.epsAt(tb, i)) {
					return
				}
				dob := v.cur.dobAt(tb, i)
				if !dob.ok() {
					dob = tb.date(i, o2DOB)
				}
				if a, b := v.childAge(tb, i, o2DOB, v.cur.start), v.childAge(tb, i, o2DOB, v.cur.end); a >= 4 && b >= 0 && birthday(dob, 16) >= v.cur.end.ymd {
					v.flagCol(tb, i, o2SDQR, "SDQ1 means the child was under 4 or over 16 at the assessment, but the child was "+itoa(a)+"–"+itoa(b)+" this year. Use the reason that applies (SDQ2–SDQ5) or enter the score.")
				}
			})
		}).warn(),
		def("158", "If an intervention for substance misuse was received, leave 'intervention offered' blank", "INTERVENTION_RECEIVED INTERVENTION_OFFERED", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2IREC) == "1" && tb.val(i, o2IOFF) != "" {
					v.flagCol(tb, i, o2IOFF, "An intervention was received, so 'intervention offered' is not collected. Leave INTERVENTION_OFFERED blank.")
				}
			})
		}),
		def("159", "If an intervention for substance misuse was not received, say whether one was offered", "SUBSTANCE_MISUSE INTERVENTION_RECEIVED INTERVENTION_OFFERED", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2SUB) == "1" && tb.val(i, o2IREC) == "0" && tb.val(i, o2IOFF) == "" {
					v.flagCol(tb, i, o2IOFF, "No intervention was received for the substance misuse problem; record whether one was offered (0 or 1).")
				}
			})
		}),
		def("192", "A child with a substance misuse problem must have 'intervention received' completed", "SUBSTANCE_MISUSE INTERVENTION_RECEIVED", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2SUB) == "1" && tb.val(i, o2IREC) == "" {
					v.flagCol(tb, i, o2IREC, "A substance misuse problem is recorded; record whether an intervention was received (0 or 1).")
				}
			})
		}),
		def("193", "Without a substance misuse problem, the intervention items must be blank", "SUBSTANCE_MISUSE INTERVENTION_RECEIVED INTERVENTION_OFFERED", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2SUB) != "1" && anyFilled(tb, i, o2IREC, o2IOFF) {
					v.flag(tb, i, []string{"INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"}, tb.val(i, o2IREC)+tb.val(i, o2IOFF), "No substance misuse problem is recorded, so the intervention items are not collected. Leave them blank.")
				}
			})
		}),
		def("542", "No conviction information for a child under 10 at 31 March", "CONVICTED DOB", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if a := v.childAge(tb, i, o2DOB, v.cur.end); a >= 0 && a < 10 && tb.val(i, o2CONV) != "" {
					v.flagCol(tb, i, o2CONV, "The child was under 10 at 31 March, below the age of criminal responsibility. Leave CONVICTED blank.")
				}
			})
		}),
		def("543", "A child aged 10 or over looked after for 12 months must have conviction information", "CONVICTED DOB", tOC2Ep, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if a := v.childAge(tb, i, o2DOB, v.cur.end); a >= 10 && tb.val(i, o2CONV) == "" && v.lookedAfter12(v.cur.epsAt(tb, i)) {
					v.flagCol(tb, i, o2CONV, "The child was 10 or over and looked after for 12 months at 31 March; record whether they were convicted (0 or 1).")
				}
			})
		}),
		def("545", "A child under 5 looked after for 12 months must have health promotion (development check) information", "HEALTH_CHECK DOB", tOC2Ep, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if a := v.childAge(tb, i, o2DOB, v.cur.end); a >= 0 && a < 5 && tb.val(i, o2HCHK) == "" && v.lookedAfter12(v.cur.epsAt(tb, i)) {
					v.flagCol(tb, i, o2HCHK, "The child was under 5 and looked after for 12 months at 31 March; record whether development checks are up to date (0 or 1).")
				}
			})
		}),
		def("546", "No health promotion (development check) information for a child aged 5 or over at 31 March", "HEALTH_CHECK DOB", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if a := v.childAge(tb, i, o2DOB, v.cur.end); a >= 5 && tb.val(i, o2HCHK) != "" {
					v.flagCol(tb, i, o2HCHK, "The child was 5 or over at 31 March, so development checks are not collected. Leave HEALTH_CHECK blank.")
				}
			})
		}),
		def("544", "With conviction information, immunisations, teeth check, health assessment and substance misuse must be completed", "CONVICTED IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT SUBSTANCE_MISUSE", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2CONV) != "" && anyBlank(tb, i, oc2Core...) {
					v.flagCol(tb, i, o2CONV, "Conviction information is completed but one of immunisations, teeth check, health assessment or substance misuse is blank. Complete all four.")
				}
			})
		}),
		def("547", "With health promotion information given (HEALTH_CHECK 1), immunisations, teeth check, health assessment and substance misuse must be completed", "HEALTH_CHECK IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT SUBSTANCE_MISUSE", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2HCHK) == "1" && anyBlank(tb, i, oc2Core...) {
					v.flagCol(tb, i, o2HCHK, "Health promotion information is completed but one of immunisations, teeth check, health assessment or substance misuse is blank. Complete all four.")
				}
			})
		}),
	}
}

func oc3Rules() []rule {
	tOC3Ep := tables(ssda903.OC3, ssda903.Episodes)
	// lastRec returns the child's latest episode row and its REC, or -1.
	lastRec := func(v *run, child string) (int32, string) {
		eps := v.cur.epsOf(child)
		if len(eps) == 0 {
			return -1, ""
		}
		i := eps[len(eps)-1]
		return i, v.cur.ep.val(i, eREC)
	}
	return []rule{
		def("153", "In touch, activity and accommodation after leaving care are completed together or left blank together", "IN_TOUCH ACTIV ACCOM", tOC3, func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				n := 0
				for _, c := range []int{o3INTOUCH, o3ACTIV, o3ACCOM} {
					if tb.val(i, c) != "" {
						n++
					}
				}
				if n > 0 && n < 3 {
					v.flag(tb, i, []string{"IN_TOUCH", "ACTIV", "ACCOM"}, tb.val(i, o3INTOUCH)+" "+tb.val(i, o3ACTIV)+" "+tb.val(i, o3ACCOM), "Some of in touch, activity and accommodation are blank. Complete all three (0 when not known), or leave all blank.")
				}
			})
		}),
		// DfE: "If <IN_TOUCH> = 'DIED' or 'RHOM' then <ACTIV> and <ACCOM>
		// should not be provided (0 for this)": both must be 0, the code for
		// not collected; any other value, or a blank, is flagged.
		def("344", "Activity and accommodation must be 0 (not collected) for a care leaver who died or returned home for 6 months or more", "IN_TOUCH ACTIV ACCOM", tOC3, func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				if t := tb.val(i, o3INTOUCH); in(t, "DIED", "RHOM") && (tb.val(i, o3ACTIV) != "0" || tb.val(i, o3ACCOM) != "0") {
					v.flag(tb, i, []string{"ACTIV", "ACCOM"}, tb.val(i, o3ACTIV)+" "+tb.val(i, o3ACCOM), "In touch is "+t+", so activity and accommodation are not collected: record 0 for both ACTIV and ACCOM.")
				}
			})
		}),
		def("345", "A care leaver the council is in touch with must have a known activity and accommodation (not 0)", "IN_TOUCH ACTIV ACCOM", tOC3, func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				if tb.val(i, o3INTOUCH) == "YES" && (tb.val(i, o3ACTIV) == "0" || tb.val(i, o3ACCOM) == "0") {
					v.flag(tb, i, []string{"ACTIV", "ACCOM"}, tb.val(i, o3ACTIV)+" "+tb.val(i, o3ACCOM), "The council is in touch with the young person, so activity and accommodation are known: replace 0 with the actual codes.")
				}
			})
		}),
		def("391", "Care leaver information is only for young people who turned 17 to 21 during the year", "DOB IN_TOUCH ACTIV ACCOM", tOC3, func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				dob := v.cur.dobAt(tb, i)
				if !dob.ok() {
					dob = tb.date(i, o3DOB)
				}
				if !dob.ok() || !anyFilled(tb, i, o3INTOUCH, o3ACTIV, o3ACCOM) {
					return
				}
				for n := 17; n <= 21; n++ {
					if b := birthday(dob, n); b >= v.cur.start.ymd && b <= v.cur.end.ymd {
						return
					}
				}
				v.flag(tb, i, []string{"DOB"}, dob.String(), "The young person did not have a 17th to 21st birthday this year, so is not in the care leaver cohort. Remove the OC3 row, or check the date of birth.")
			})
		}),
		def("1000", "No care leaver information for a child who died in care (E2)", "IN_TOUCH ACTIV ACCOM", tOC3Ep, func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				if v.diedInCare(tb.val(i, 0)) {
					v.flag(tb, i, []string{"IN_TOUCH"}, tb.val(i, o3INTOUCH), "An episode of the child (this year or last) ended with E2 (died), so no care leaver information is collected. Remove it.")
				}
			})
		}),
		def("1011", "No care leaver information when care was taken over by another council (E3)", "IN_TOUCH ACTIV ACCOM", tOC3Ep, func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				if _, r := lastRec(v, tb.val(i, 0)); r == "E3" && anyFilled(tb, i, o3INTOUCH, o3ACTIV, o3ACCOM) {
					v.flag(tb, i, []string{"IN_TOUCH"}, tb.val(i, o3INTOUCH), "The child's care passed to another council (E3), which reports the care leaver information. Remove it from this return.")
				}
			})
		}),
		// DfE: if the young person is 17 or 18 at the end of the year and
		// the episode open on that birthday had not ended (no DEC, or DEC
		// after it), IN_TOUCH, ACTIV and ACCOM should not be provided. The
		// date of birth is the Header's, or else OC3's own.
		def("1007", "No care leaver information for a young person still looked after on their 17th or 18th birthday", "IN_TOUCH ACTIV ACCOM", tables(ssda903.OC3, ssda903.Episodes), func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				dob := v.cur.dobAt(tb, i)
				if !dob.ok() {
					dob = tb.date(i, o3DOB)
				}
				if !dob.ok() || !anyFilled(tb, i, o3INTOUCH, o3ACTIV, o3ACCOM) {
					return
				}
				for _, n := range []int{17, 18} {
					b := birthday(dob, n)
					if b < v.cur.start.ymd || b > v.cur.end.ymd {
						continue
					}
					for _, e := range v.cur.epsAt(tb, i) {
						s, d := ep.date(e, eDECOM), ep.date(e, eDEC)
						if s.ok() && s.ymd <= b && (ep.val(e, eDEC) == "" || (d.ok() && d.ymd > b)) {
							v.flag(tb, i, []string{"IN_TOUCH"}, tb.val(i, o3INTOUCH), "The young person was still looked after on their "+itoa(n)+"th birthday, so care leaver information is not collected this year. Remove it.")
							return
						}
					}
				}
			})
		}),
		def("3001", "A care leaver around their 17th birthday cannot be living with former foster carers (ACCOM Z1, Z2)", "ACCOM", tables(ssda903.OC3, ssda903.Header), func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				dob := v.cur.dobAt(tb, i)
				if !dob.ok() || !in(tb.val(i, o3ACCOM), "Z1", "Z2") {
					return
				}
				if b := birthday(dob, 17); b >= v.cur.start.ymd && b <= v.cur.end.ymd {
					v.flagCol(tb, i, o3ACCOM, "Accommodation "+tb.val(i, o3ACCOM)+" (staying put with former foster carers) is only possible from 18, but this young person turned 17 this year. Record where they live.")
				}
			})
		}),
		def("215", "A care leaver in OC3 should not also have OC2 (looked after for 12 months) items", "IN_TOUCH CONVICTED HEALTH_CHECK IMMUNISATIONS", tables(ssda903.OC3, ssda903.OC2), func(v *run) {
			oc2 := v.cur.tabs[ssda903.OC2]
			const msg = "The child has care leaver information (OC3) and also OC2 items for children looked after for 12 months. A care leaver is not in the OC2 cohort: remove one of them."
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				if !anyFilled(tb, i, o3INTOUCH, o3ACTIV, o3ACCOM) {
					return
				}
				hit := false
				for _, j := range oc2.rowsOf(tb.val(i, 0)) {
					if anyFilled(oc2, j, oc2All...) {
						v.flag(oc2, j, []string{"CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS"}, "", msg)
						hit = true
					}
				}
				if hit {
					v.flagCol(tb, i, o3INTOUCH, msg)
				}
			})
		}),
		def("134", "Adoption information is not collected for a care leaver in OC3", "DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR", tables(ssda903.OC3, ssda903.AD1), func(v *run) {
			// Both rows must give something: an OC3 row with IN_TOUCH,
			// ACTIV or ACCOM, and an AD1 row with one of its items.
			ad := v.cur.tabs[ssda903.AD1]
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				if !anyFilled(tb, i, o3INTOUCH, o3ACTIV, o3ACCOM) {
					return
				}
				for _, j := range ad.rowsOf(tb.val(i, 0)) {
					if anyFilled(ad, j, aINT, aMATCH, aFOSTER, aNB, aSEX, aLS) {
						v.flag(ad, j, []string{"DATE_INT"}, ad.val(j, aINT), "The child has care leaver information (OC3) and also adoption information (AD1). Remove the one that does not apply.")
					}
				}
			})
		}),
		def("628", "Motherhood details are not collected for care leavers who were not looked after during the year", "MOTHER", tables(ssda903.OC3, ssda903.Episodes, ssda903.Header), func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				child := tb.val(i, 0)
				h, ok := v.cur.headerRow(child)
				if !ok || len(v.cur.epsAt(tb, i)) > 0 || v.cur.hd.val(h, hMOTHER) == "" || !anyFilled(tb, i, o3INTOUCH, o3ACTIV, o3ACCOM) {
					return
				}
				v.flagCol(v.cur.hd, h, hMOTHER, "The young person is a care leaver who was not looked after this year, so mother status is not collected. Leave MOTHER blank.")
			})
		}),
	}
}

// diedInCare reports whether an episode of the child this year, or last
// year when that return is loaded, ceased with E2 (died).
func (v *run) diedInCare(child string) bool {
	for _, d := range []*data{v.cur, v.prev} {
		if d == nil || d.ep == nil {
			continue
		}
		for _, i := range d.epsOf(child) {
			if d.ep.val(i, eREC) == "E2" {
				return true
			}
		}
	}
	return false
}
