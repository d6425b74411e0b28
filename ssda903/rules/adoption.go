package rules

import (
	"sufficiency/ssda903"
)

// Adoption: AD1 (adoptions in the year), PlacedAdoption (decisions to place
// for adoption) and their consistency with the episodes.

// adopted returns the child's episode that ended with adoption (E11, E12), or -1.
func (v *run) adopted(child string) int32 {
	ep := v.cur.ep
	for _, i := range v.cur.epsOf(child) {
		if r := ep.val(i, eREC); r == "E11" || r == "E12" {
			return i
		}
	}
	return -1
}

// firstAdoptionPlacement returns the child's first episode placed for adoption (A3–A6), or -1.
func (v *run) firstAdoptionPlacement(child string) int32 {
	ep := v.cur.ep
	for _, i := range v.cur.epsOf(child) {
		if isAdoptionPlace(ep.val(i, ePLACE)) {
			return i
		}
	}
	return -1
}

func adoptersAre(tb *tab, i int32, ls string, sexes ...string) bool {
	return tb.val(i, aLS) == ls && tb.val(i, aSEX) != "" && !in(tb.val(i, aSEX), sexes...)
}

func adoptionRules() []rule {
	adFields := []int{aINT, aMATCH, aFOSTER, aNB, aSEX, aLS}
	tADEp := tables(ssda903.AD1, ssda903.Episodes)
	tPAEp := tables(ssda903.PlacedAdoption, ssda903.Episodes)
	return []rule{
		def("151", "All adoption items in AD1 are completed, or all left blank", "DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR", tAD1, func(v *run) {
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				if anyFilled(tb, i, adFields...) && anyBlank(tb, i, adFields...) {
					v.flag(tb, i, []string{"DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"}, "", "Some adoption items are blank. Complete all six (dates, former foster carer, number, sex and legal status of adopters) or none.")
				}
			})
		}),
		def("511", "Two adopters must be recorded as a couple (MM, FF or MF)", "NB_ADOPTR SEX_ADOPTR", tAD1, func(v *run) {
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				if tb.val(i, aNB) == "2" && tb.val(i, aSEX) != "" && !in(tb.val(i, aSEX), "MM", "FF", "MF") {
					v.flagCol(tb, i, aSEX, "Two adopters are recorded but their sex code is "+tb.val(i, aSEX)+", a single adopter. Use MM, FF or MF, or correct the number.")
				}
			})
		}),
		def("514", "A single adopter (L0) cannot be recorded as a couple", "LS_ADOPTR SEX_ADOPTR", tAD1, func(v *run) {
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				if tb.val(i, aLS) == "L0" && !in(tb.val(i, aSEX), "M1", "F1") {
					v.flagCol(tb, i, aSEX, "Legal status L0 is a single adopter but the sex code is "+quote(tb.val(i, aSEX))+", not a single adopter (M1 or F1). Correct one of them.")
				}
			})
		}),
		def("517", "Adopters with legal status L3 must be a male and female couple (MF)", "LS_ADOPTR SEX_ADOPTR", tAD1, func(v *run) {
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				if adoptersAre(tb, i, "L3", "MF") {
					v.flagCol(tb, i, aSEX, "Legal status L3 needs adopters of different sexes (MF), not "+tb.val(i, aSEX)+".")
				}
			})
		}),
		def("518", "Adopters with legal status L4 must be a same-sex couple (MM, FF)", "LS_ADOPTR SEX_ADOPTR", tAD1, func(v *run) {
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				if adoptersAre(tb, i, "L4", "MM", "FF") {
					v.flagCol(tb, i, aSEX, "Legal status L4 needs a same-sex couple (MM or FF), not "+tb.val(i, aSEX)+".")
				}
			})
		}),
		def("524", "Adopters with legal status L12 must be a same-sex couple (MM, FF)", "LS_ADOPTR SEX_ADOPTR", tAD1, func(v *run) {
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				if adoptersAre(tb, i, "L12", "MM", "FF") {
					v.flagCol(tb, i, aSEX, "Legal status L12 needs a same-sex couple (MM or FF), not "+tb.val(i, aSEX)+".")
				}
			})
		}),
		def("601", "A child adopted during the year must have the AD1 adoption items completed", "REC DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR", tADEp, func(v *run) {
			ad := v.cur.tabs[ssda903.AD1]
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				// Episodes ending in adoption (E11, E12) within the year.
				var adopted []int32
				for _, i := range eps {
					d := ep.date(i, eDEC)
					if r := ep.val(i, eREC); (r == "E11" || r == "E12") && d.ok() && d.ymd >= v.cur.start.ymd && d.ymd <= v.cur.end.ymd {
						adopted = append(adopted, i)
					}
				}
				if len(adopted) == 0 {
					return
				}
				rows := ad.rowsOf(child)
				if len(rows) > 0 && !anyBlank(ad, rows[0], adFields...) {
					return
				}
				msg := "The child was adopted this year but the AD1 adoption items are missing or incomplete. Add the child's row to AD1 with all six items."
				for _, i := range adopted {
					v.flagCol(ep, i, eREC, msg)
				}
				for _, r := range rows {
					v.flag(ad, r, []string{"DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"}, "", msg)
				}
			})
		}),
		def("602", "AD1 adoption items only for a child adopted during the year", "CHILD", tADEp, func(v *run) {
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				if anyFilled(tb, i, adFields...) && v.adopted(tb.val(i, 0)) < 0 {
					v.flag(tb, i, []string{"CHILD"}, tb.val(i, 0), "The child has AD1 adoption items but no episode ending in adoption (E11, E12) this year. Remove the AD1 row, or check the episodes.")
				}
			})
		}),
		def("521", "The decision that the child should be placed for adoption must be on or before the child was placed", "DATE_INT DECOM PLACE", tADEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				j := v.firstAdoptionPlacement(tb.val(i, 0))
				if d := tb.date(i, aINT); j >= 0 && d.ok() && ep.date(j, eDECOM).ok() && d.ymd > ep.date(j, eDECOM).ymd {
					msg := "The decision that the child should be placed for adoption (" + d.String() + ") is after the child was placed for adoption (" + ep.val(j, eDECOM) + "). Correct the dates."
					v.flagCol(tb, i, aINT, msg)
					v.flagCol(ep, j, eDECOM, msg)
				}
			})
		}),
		// DfE: where the child was adopted (REC E11 or E12), DATE_MATCH
		// must be on or before DECOM of that episode, the placement that
		// ended in the adoption. Both the AD1 row and the episode are
		// flagged.
		def("331", "The match with adopters must be on or before the start of the placement that ended in adoption (E11, E12)", "DATE_MATCH DECOM REC", tADEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				d := tb.date(i, aMATCH)
				if !d.ok() {
					return
				}
				hit := false
				for _, j := range v.cur.epsAt(tb, i) {
					s := ep.date(j, eDECOM)
					if r := ep.val(j, eREC); (r != "E11" && r != "E12") || !s.ok() || d.ymd <= s.ymd {
						continue
					}
					msg := "The child was matched with adopters (" + d.String() + ") after the placement that ended in adoption began (" + s.String() + "). Correct the dates."
					v.flag(ep, j, []string{"DECOM", "REC"}, ep.val(j, eDECOM), msg)
					if !hit {
						v.flagCol(tb, i, aMATCH, msg)
						hit = true
					}
				}
			})
		}),
		def("582", "The adoption date is usually later than the date of matching with adopters", "DATE_MATCH DEC", tADEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				j := v.adopted(tb.val(i, 0))
				if d := tb.date(i, aMATCH); j >= 0 && d.ok() && ep.date(j, eDEC).ymd == d.ymd {
					v.flagCol(ep, j, eDEC, "The child was adopted the same day as being matched with adopters ("+d.String()+"). Check the date of matching.")
				}
			})
		}).warn(),
		def("335", "'Adopted by former foster carer' must agree with the placement before adoption (0: not A2, A3, A5; 1: not A1, A4, A6)", "FOSTER_CARE PLACE", tADEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				// The episode that ended with the adoption, else the latest.
				j := v.adopted(tb.val(i, 0))
				if eps := v.cur.epsAt(tb, i); j < 0 && len(eps) > 0 {
					j = eps[len(eps)-1]
				}
				f := tb.val(i, aFOSTER)
				if j < 0 || f == "" {
					return
				}
				p := ep.val(j, ePLACE)
				if (f == "1" && in(p, "A1", "A4", "A6")) || (f == "0" && in(p, "A2", "A3", "A5")) {
					msg := "FOSTER_CARE is " + f + " but the child's last placement is " + p + ". A2/A3/A5 mean adoption by the current foster carers (1), A1/A4/A6 by others (0): correct one of them."
					v.flagCol(tb, i, aFOSTER, msg)
					v.flagCol(ep, j, ePLACE, msg)
				}
			})
		}),
		def("119", "When a decision to place for adoption is reversed, both its date and reason must be given", "DATE_PLACED_CEASED REASON_PLACED_CEASED", tPA, func(v *run) {
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				d, r := tb.val(i, paCEASED), tb.val(i, paREASON)
				if (d == "") != (r == "") {
					v.flag(tb, i, []string{"DATE_PLACED_CEASED", "REASON_PLACED_CEASED"}, d+" "+r, "Only one of the date and the reason the adoption decision was reversed is given. Enter both, or neither.")
				}
			})
		}),
		def("563", "A reversed adoption decision must have the date the decision was made", "DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED", tPA, func(v *run) {
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				if tb.val(i, paPLACED) == "" && anyFilled(tb, i, paCEASED, paREASON) {
					v.flagCol(tb, i, paPLACED, "The adoption decision is recorded as reversed but the date it was made is blank. Enter DATE_PLACED.")
				}
			})
		}),
		def("579", "A new decision to place for adoption cannot be made while an earlier one is still open", "DATE_PLACED DATE_PLACED_CEASED", tPA, func(v *run) {
			tb := v.cur.tabs[ssda903.PlacedAdoption]
			for _, child := range tb.order {
				rows := sortedBy(tb, tb.rowsOf(child), paPLACED)
				for k := 1; k < len(rows); k++ {
					a, b := rows[k-1], rows[k]
					end := tb.date(a, paCEASED)
					if !tb.date(b, paPLACED).ok() {
						continue
					}
					if !end.ok() || tb.date(b, paPLACED).ymd < end.ymd {
						v.flagCol(tb, b, paPLACED, "A new decision to place for adoption ("+tb.val(b, paPLACED)+") overlaps the earlier one from "+tb.val(a, paPLACED)+" (line "+itoa(tb.rows[a].Line)+"), which was not reversed before it. Record when the earlier decision ended.")
					}
				}
			}
		}),
		def("551", "A child placed for adoption must have a decision to place for adoption", "DATE_PLACED PLACE", tPAEp, func(v *run) {
			pa := v.cur.tabs[ssda903.PlacedAdoption]
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				j := v.firstAdoptionPlacement(child)
				if j < 0 {
					return
				}
				for _, r := range pa.rowsOf(child) {
					if pa.val(r, paPLACED) != "" {
						return
					}
				}
				v.flagCol(ep, j, ePLACE, "The child is placed for adoption ("+ep.val(j, ePLACE)+") but there is no date of the decision to place for adoption. Add the child's row to PlacedAdoption.")
			})
		}),
		def("552", "The decision to place for adoption must be on or before the child was placed for adoption", "DATE_PLACED DECOM", tPAEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				j := v.firstAdoptionPlacement(tb.val(i, 0))
				d := tb.date(i, paPLACED)
				if j >= 0 && d.ok() && ep.date(j, eDECOM).ok() && d.ymd > ep.date(j, eDECOM).ymd && !tb.date(i, paCEASED).ok() {
					msg := "The decision to place for adoption (" + d.String() + ") is after the child was placed for adoption (" + ep.val(j, eDECOM) + "). Correct the dates."
					v.flagCol(tb, i, paPLACED, msg)
					v.flagCol(ep, j, eDECOM, msg)
				}
			})
		}),
		def("558", "A child adopted this year (E11, E12) must have a decision to place for adoption that has not ceased: when every decision has a date it ceased, the adoption episode is flagged", "DATE_PLACED_CEASED REC", tPAEp, func(v *run) {
			// DfE: "If a child has been adopted, then the decision to place
			// them for adoption has not been disrupted and the date of the
			// decision that a child should no longer be placed for adoption
			// should be left blank." The decision that led to the adoption
			// is the one still open; earlier decisions reversed before it
			// are history, not an error. So a child whose decisions have all
			// ceased is flagged, on the adoption episode (REC), where the
			// DfE's tools point; a child with an open decision is not.
			pa := v.cur.tabs[ssda903.PlacedAdoption]
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				rows := pa.rowsOf(child)
				if len(rows) == 0 {
					return
				}
				for _, r := range rows {
					if pa.val(r, paCEASED) == "" {
						return
					}
				}
				for _, e := range eps {
					if r := ep.val(e, eREC); r == "E11" || r == "E12" {
						what := "every decision to place for adoption has a date it ceased"
						if len(rows) == 1 {
							what = "the decision to place for adoption has a date it ceased (" + pa.val(rows[0], paCEASED) + ")"
						}
						v.flagCol(ep, e, eREC, "The child was adopted ("+r+") but "+what+": the decision that led to the adoption was not reversed. Leave its DATE_PLACED_CEASED and reason blank.")
					}
				}
			})
		}),
		def("1003", "The decision to place for adoption must not be before the child started to be looked after", "DATE_PLACED DECOM RNE", tPAEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				d := tb.date(i, paPLACED)
				if !d.ok() {
					return
				}
				// The earliest episode that started a period of care (RNE S).
				first := int32(-1)
				for _, e := range v.cur.epsAt(tb, i) {
					if ep.val(e, eRNE) == "S" && ep.date(e, eDECOM).ok() {
						first = e
						break
					}
				}
				if first < 0 {
					return
				}
				if s := ep.date(first, eDECOM); d.ymd < s.ymd {
					msg := "The decision to place for adoption (" + d.String() + ") is before the child started to be looked after (" + s.String() + "). Check the date."
					v.flagCol(tb, i, paPLACED, msg)
					v.flagCol(ep, first, eDECOM, msg)
				}
			})
		}),
		def("553", "A child with a placement order (E1) must have a decision to place for adoption, not ceased while the order's episode is open", "LS DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED", tPAEp, decisionForOrder("E1", "a placement order")),
		def("555", "A child with a freeing order (D1) must have a decision to place for adoption, not ceased while the order's episode is open", "LS DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED", tPAEp, decisionForOrder("D1", "a freeing order")),
	}
}

func decisionForOrder(ls, what string) func(v *run) {
	// DfE: a child with legal status ls (E1 placement order, D1 freeing
	// order) has a record in PlacedAdoption: each such episode of a child
	// without one is flagged. And while the order's episode is open, the
	// decision has not ceased: each of the child's PlacedAdoption rows with
	// DATE_PLACED_CEASED or REASON_PLACED_CEASED is flagged.
	return func(v *run) {
		pa := v.cur.tabs[ssda903.PlacedAdoption]
		ep := v.cur.ep
		v.episodes(func(child string, eps []int32) {
			rows := pa.rowsOf(child)
			open := false
			for _, i := range eps {
				if ep.val(i, eLS) != ls {
					continue
				}
				if len(rows) == 0 {
					v.flagCol(ep, i, eLS, "The child has "+what+" ("+ls+") but no decision to place for adoption. Add the child's row to PlacedAdoption.")
				}
				open = open || ep.val(i, eDEC) == ""
			}
			if !open {
				return
			}
			for _, r := range rows {
				if pa.val(r, paCEASED) != "" || pa.val(r, paREASON) != "" {
					v.flag(pa, r, []string{"DATE_PLACED_CEASED", "REASON_PLACED_CEASED"}, pa.val(r, paCEASED)+" "+pa.val(r, paREASON), "The child's "+what+" ("+ls+") is still open, so the decision to place for adoption has not ceased. Leave DATE_PLACED_CEASED and REASON_PLACED_CEASED blank, or end the episode.")
				}
			}
		})
	}
}
