package rules

import (
	"sufficiency/ssda903"
)

// Care leavers (OC3) against the rest of the return and last year's, and
// children previously adopted.

// oc3Filled reports whether the child has care leaver information: a row
// in OC3 (the row itself is the information, as in the DfE's tools, even
// when its cells are blank).
func (v *run) oc3Filled(child string) bool {
	oc3 := v.cur.tabs[ssda903.OC3]
	return oc3 != nil && len(oc3.rowsOf(child)) > 0
}

// inCareThisYear reports whether one of the child's episodes overlaps the
// collection year: it started on or before 31 March and ended on or after
// 1 April, or is open.
func (v *run) inCareThisYear(child string) bool {
	ep := v.cur.ep
	for _, e := range v.cur.epsOf(child) {
		s := ep.date(e, eDECOM)
		if !s.ok() || s.ymd > v.cur.end.ymd {
			continue
		}
		if ep.val(e, eDEC) == "" {
			return true
		}
		if d := ep.date(e, eDEC); d.ok() && d.ymd >= v.cur.start.ymd {
			return true
		}
	}
	return false
}

func leaverRules() []rule {
	tOC3Ep := tables(ssda903.OC3, ssda903.Episodes)
	return []rule{
		def("1012", "A child with no episodes this year should have no data in the other modules (Missing, Reviews, OC2, AD1, PlacedAdoption, PrevPerm)", "CHILD", tEp, func(v *run) {
			// As the DfE's tools read it: any child without episodes this
			// year, care leaver in OC3 or not.
			mods := []ssda903.TableName{ssda903.Missing, ssda903.Reviews, ssda903.OC2, ssda903.AD1, ssda903.PlacedAdoption, ssda903.PrevPerm}
			for _, m := range mods {
				t := v.cur.tabs[m]
				if t == nil {
					continue
				}
				for i := range t.rows {
					if len(v.cur.epsAt(t, int32(i))) == 0 {
						child := t.val(int32(i), 0)
						v.flag(t, int32(i), []string{"CHILD"}, child, "Child "+quote(child)+" has no episodes this year, so "+string(m)+" is not collected. Remove this row, or add the child's episodes.")
					}
				}
			}
		}),
		// DfE: if the young person is 17 or 18 at the end of the collection
		// year and an episode's DEC is present and after the birthday (the
		// 17th or 18th, in the year), IN_TOUCH, ACTIV and ACCOM are not
		// provided: they were still looked after on that birthday. Leaving
		// care on the birthday itself (most 18-year-olds) is not after it:
		// their care leaver information is collected.
		def("1016", "Care leaver information is not collected for a 17- or 18-year-old who ceased to be looked after after their birthday in the year", "IN_TOUCH ACTIV ACCOM", tOC3Ep, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				if !anyFilled(tb, i, o3INTOUCH, o3ACTIV, o3ACCOM) {
					return
				}
				dob := v.cur.dobAt(tb, i)
				if !dob.ok() {
					dob = tb.date(i, o3DOB)
				}
				a := age(dob, v.cur.end)
				if a != 17 && a != 18 {
					return
				}
				bday := birthday(dob, a)
				for _, j := range v.cur.epsAt(tb, i) {
					if e := ep.date(j, eDEC); e.ok() && e.ymd > bday {
						v.flagCol(tb, i, o3INTOUCH, "The young person turned "+itoa(a)+" before leaving care on "+e.String()+", so was looked after on that birthday and is not a care leaver this year. Remove the care leaver information (IN_TOUCH, ACTIV, ACCOM).")
						return
					}
				}
			})
		}),
		// DfE: care leaver information is for relevant and former relevant
		// children: looked after for at least 13 weeks (91 days) after the
		// 14th birthday, some of it after the 16th, and not adopted. Like
		// the DfE's tools we see only this year's and last year's episodes
		// (short breaks V3/V4 do not count; an open latest episode runs to
		// 31 March), so young people aged 20 or more at 31 March, whose care
		// may lie further back, are not checked, nor are those with no
		// episodes in either year (1002 asks about them); a query.
		def("1001", "The episodes of this year and last do not make this young person a relevant or former relevant child (13 weeks in care after their 14th birthday, some after their 16th, not adopted), yet care leaver information is given", "IN_TOUCH ACTIV ACCOM", tables(ssda903.OC3, ssda903.Episodes, ssda903.Header), func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				dob := v.cur.dobAt(tb, i)
				if !dob.ok() || birthday(dob, 20) <= v.cur.end.ymd {
					return
				}
				after14, after16, adopted, found := v.careAfter(tb.val(i, 0), dob)
				switch {
				case !found:
					// nothing to add up in these two years: 1002 asks about it
				case adopted:
					v.flagCol(tb, i, o3INTOUCH, "The young person's latest episode ended in adoption (E11, E12), so they are not a care leaver. Remove the care leaver information.")
				case after14 < 91 || after16 < 1:
					v.flagCol(tb, i, o3INTOUCH, "This year's and last year's episodes give "+itoa(int(after14))+" days in care after the 14th birthday and "+itoa(int(after16))+" after the 16th; a care leaver was looked after at least 13 weeks after turning 14, some of it after 16. Check the episodes (earlier ones may be missing from these two years) or remove the care leaver information.")
				}
			})
		}).withPrev(ssda903.Episodes).warn(),
		// DfE: UASC information is not required for care leavers: a child
		// with care leaver information (IN_TOUCH, ACTIV or ACCOM given) who
		// was not looked after during the collection year (no episode in
		// the file overlaps it, or none at all) has no UASC row. Both the
		// UASC rows and the OC3 rows with information are flagged, as the
		// DfE's tools do.
		def("1014", "UASC information is not collected for care leavers who were not looked after this year", "DUC IN_TOUCH ACTIV ACCOM", tables(ssda903.OC3, ssda903.Episodes, ssda903.UASC), func(v *run) {
			u, oc3 := v.cur.tabs[ssda903.UASC], v.cur.tabs[ssda903.OC3]
			for _, child := range u.order {
				if v.inCareThisYear(child) {
					continue
				}
				var info []int32
				for _, j := range oc3.rowsOf(child) {
					if anyFilled(oc3, j, o3INTOUCH, o3ACTIV, o3ACCOM) {
						info = append(info, j)
					}
				}
				if len(info) == 0 {
					continue
				}
				msg := "The child is a care leaver with care leaver information who was not looked after this year, so UASC information is not collected. Remove the UASC row, or check the episodes."
				for _, i := range u.rowsOf(child) {
					v.flag(u, i, []string{"DUC"}, u.val(i, uDUC), msg)
				}
				for _, j := range info {
					v.flag(oc3, j, []string{"IN_TOUCH", "ACTIV", "ACCOM"}, oc3.val(j, o3INTOUCH)+" "+oc3.val(j, o3ACTIV)+" "+oc3.val(j, o3ACCOM), msg)
				}
			}
		}),
		def("1010", "A child with an open episode at the end of last year needs episodes this year, not care leaver information", "IN_TOUCH", tOC3Ep, func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				child := tb.val(i, 0)
				if len(v.cur.epsAt(tb, i)) == 0 && v.openLastYear(child) >= 0 {
					v.flagCol(tb, i, o3INTOUCH, "Last year's return ends with the child in care, but this year has no episodes and gives care leaver information. Add this year's episodes, including the one that ended care.")
				}
			})
		}).withPrev(ssda903.Episodes),
		def("1002", "A care leaver should have been looked after before (episodes this year or last)", "IN_TOUCH", tOC3Ep, func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				child := tb.val(i, 0)
				if len(v.cur.epsAt(tb, i)) == 0 && len(v.prev.epsOf(child)) == 0 {
					v.flagCol(tb, i, o3INTOUCH, "Neither this year's nor last year's return has episodes for this care leaver. Check the child's identifier; care leaver information is for children who were looked after (this check sees only two years).")
				}
			})
		}).withPrev(ssda903.Episodes).warn(),
		def("187", "A child looked after continuously for 12 months cannot also have adoption or care leaver information", "IN_TOUCH DATE_INT", tEp, func(v *run) {
			oc3, ad := v.cur.tabs[ssda903.OC3], v.cur.tabs[ssda903.AD1]
			v.episodes(func(child string, eps []int32) {
				if !v.lookedAfter12(eps) {
					return
				}
				if oc3 != nil {
					for _, i := range oc3.rowsOf(child) {
						if anyFilled(oc3, i, o3INTOUCH, o3ACTIV, o3ACCOM) {
							v.flagCol(oc3, i, o3INTOUCH, "The child was looked after for 12 months at 31 March, so is not a care leaver. Remove the OC3 information.")
						}
					}
				}
				if ad != nil {
					for _, i := range ad.rowsOf(child) {
						if anyFilled(ad, i, aINT, aMATCH, aFOSTER, aNB, aSEX, aLS) {
							v.flagCol(ad, i, aINT, "The child was looked after for 12 months at 31 March, so was not adopted this year. Remove the AD1 information.")
						}
					}
				}
			})
		}),
		def("199", "A child adopted from care (this year, or last year when that return is loaded) who is looked after again should be checked", "CHILD", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				// The earliest adoption (E11, E12) with an end date.
				var adoptedOn date
				for _, d := range []*data{v.prev, v.cur} {
					if d == nil || d.ep == nil {
						continue
					}
					for _, j := range d.epsOf(child) {
						if r := d.ep.val(j, eREC); (r == "E11" || r == "E12") && d.ep.date(j, eDEC).ok() {
							if e := d.ep.date(j, eDEC); !adoptedOn.ok() || e.ymd < adoptedOn.ymd {
								adoptedOn = e
							}
						}
					}
				}
				if !adoptedOn.ok() {
					return
				}
				for _, i := range eps {
					if s := ep.date(i, eDECOM); s.ok() && s.ymd >= adoptedOn.ymd {
						v.flagCol(ep, i, 0, "The child was adopted ("+adoptedOn.String()+"), yet an episode starts "+s.String()+". Check the child's identifier; a child adopted and back in care usually gets a new identifier.")
					}
				}
			})
		}).warn(),
		// The DfE condition: ACCOM 'T' (a foyer, T1 or T2 with the
		// suitability suffix) needs DOB at least 18 years before the
		// collection start, so the age is taken on 1 April.
		def("347", "A care leaver under 18 at the start of the year cannot be living in a foyer (ACCOM T, T1, T2)", "ACCOM DOB", tOC3, func(v *run) {
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				if !in(tb.val(i, o3ACCOM), "T", "T1", "T2") {
					return
				}
				if a := v.childAge(tb, i, o3DOB, v.cur.start); a >= 0 && a < 18 {
					v.flagCol(tb, i, o3ACCOM, "The young person was "+itoa(a)+" on 1 April, the start of the year, and foyers (T) are not for under-18s. Record where they live.")
				}
			})
		}),
	}
}

// moreRules are further single-family rules added after the first families.
func moreRules() []rule {
	tADEp := tables(ssda903.AD1, ssda903.Episodes)
	tPAEp := tables(ssda903.PlacedAdoption, ssda903.Episodes)
	return []rule{
		def("334", "The decision that the child should be placed for adoption must be on or after the start of the latest period of care", "DATE_INT DECOM RNE", tADEp, func(v *run) {
			// The AD1 row and the episode that started the latest period of
			// care (the latest with RNE S) are both flagged.
			ep := v.cur.ep
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				d := tb.date(i, aINT)
				if !d.ok() {
					return
				}
				start := int32(-1)
				for _, e := range v.cur.epsAt(tb, i) {
					if ep.val(e, eRNE) == "S" && ep.date(e, eDECOM).ok() {
						start = e
					}
				}
				if start < 0 {
					return
				}
				if st := ep.date(start, eDECOM); d.ymd < st.ymd {
					msg := "The decision that the child should be placed for adoption (" + d.String() + ") is before the child's latest period of care started (" + st.String() + "). Check the date."
					v.flagCol(tb, i, aINT, msg)
					v.flag(ep, start, []string{"DECOM", "RNE"}, st.String(), msg)
				}
			})
		}),
		def("523", "The date the child should be placed for adoption (AD1) must equal the date of the decision to place (PlacedAdoption)", "DATE_INT DATE_PLACED", tables(ssda903.AD1, ssda903.PlacedAdoption), func(v *run) {
			pa := v.cur.tabs[ssda903.PlacedAdoption]
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				d := tb.date(i, aINT)
				rows := pa.rowsOf(tb.val(i, 0))
				if !d.ok() || len(rows) == 0 {
					return
				}
				var differ []int32
				for _, r := range rows {
					p := pa.date(r, paPLACED)
					if p.ymd == d.ymd {
						return
					}
					if p.ok() {
						differ = append(differ, r)
					}
				}
				if len(differ) == 0 {
					return // no date to compare with (blank or unreadable: other rules)
				}
				msg := "DATE_INT (" + d.String() + ") differs from the date of the decision to place for adoption in PlacedAdoption (" + pa.date(differ[0], paPLACED).String() + "). They record the same decision: make them equal."
				v.flagCol(tb, i, aINT, msg)
				for _, r := range differ {
					v.flagCol(pa, r, paPLACED, msg)
				}
			})
		}),
		// DfE: if DATE_PLACED_CEASED is given, then DATE_INT, DATE_MATCH,
		// FOSTER_CARE, NB_ADOPTR, SEX_ADOPTR and LS_ADOPTR should not be
		// provided. The decision and each AD1 row of the child that gives
		// one of them are flagged (an AD1 row with every cell blank gives
		// nothing).
		def("525", "A child whose adoption decision was reversed cannot be adopted this year", "DATE_PLACED_CEASED DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR", tables(ssda903.AD1, ssda903.PlacedAdoption), func(v *run) {
			ad := v.cur.tabs[ssda903.AD1]
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				if tb.val(i, paCEASED) == "" {
					return
				}
				msg := "The decision to place for adoption was reversed (" + tb.val(i, paCEASED) + "), yet AD1 records an adoption. Remove whichever is wrong."
				hit := false
				for _, j := range ad.rowsOfKid(tb.kid[i]) {
					if anyFilled(ad, j, aINT, aMATCH, aFOSTER, aNB, aSEX, aLS) {
						v.flag(ad, j, []string{"DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"}, ad.val(j, aINT), msg)
						hit = true
					}
				}
				if hit {
					v.flagCol(tb, i, paCEASED, msg)
				}
			})
		}),
		def("554", "The decision to place for adoption should be on or before the placement order (E1) was granted", "DATE_PLACED DECOM LS", tPAEp, orderDecision("E1", "placement order", true)).warn(),
		def("556", "The decision to place for adoption must be on or before the freeing order (D1) was granted", "DATE_PLACED DECOM LS", tPAEp, orderDecision("D1", "freeing order", false)),
		def("557", "A child placed for adoption (A3–A6, or placement order D1/E1) who left care without being adopted must have the decision to place for adoption recorded as ceased, with date and reason", "DATE_PLACED_CEASED REASON_PLACED_CEASED PLACE LS REC", tPAEp, func(v *run) {
			// DfE: if PL is A3–A6 or LS is D1 or E1, and REC is given and is
			// not E11, E12 (adopted) or X1 (care continues), then the child
			// needs a decision to place for adoption with DATE_PLACED_CEASED
			// and REASON_PLACED_CEASED. The episode is flagged, and each row
			// of the child's decisions that lacks the date or the reason.
			pa := v.cur.tabs[ssda903.PlacedAdoption]
			done := map[int32]bool{}
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				r := tb.val(i, eREC)
				if r == "" || in(r, "X1", "E11", "E12") || !(in(tb.val(i, ePLACE), "A3", "A4", "A5", "A6") || in(tb.val(i, eLS), "D1", "E1")) {
					return
				}
				rows := pa.rowsOf(tb.val(i, 0))
				if len(rows) == 0 {
					v.flag(tb, i, []string{"PLACE", "LS", "REC"}, r, "The child was placed for adoption and left care ("+r+") without being adopted, but has no decision to place for adoption. Add the decision with the date and reason it ceased.")
					return
				}
				hit := false
				for _, j := range rows {
					if pa.val(j, paCEASED) != "" && pa.val(j, paREASON) != "" {
						continue
					}
					hit = true
					if !done[j] {
						done[j] = true
						v.flag(pa, j, []string{"DATE_PLACED_CEASED", "REASON_PLACED_CEASED"}, pa.val(j, paCEASED)+" "+pa.val(j, paREASON), "The child left care ("+r+", line "+itoa(tb.rows[i].Line)+" of the episodes) without being adopted, so the decision to place for adoption has ceased: record the date and the reason.")
					}
				}
				if hit {
					v.flag(tb, i, []string{"PLACE", "LS", "REC"}, r, "The child was placed for adoption and left care ("+r+") without being adopted, but the decision to place for adoption has no date or reason it ceased. Complete DATE_PLACED_CEASED and REASON_PLACED_CEASED.")
				}
			})
		}),
		def("583", "A new decision to place for adoption needs the earlier one to have been reversed", "DATE_PLACED DATE_PLACED_CEASED", tPA, func(v *run) {
			tb := v.cur.tabs[ssda903.PlacedAdoption]
			for _, child := range tb.order {
				rows := sortedBy(tb, tb.rowsOf(child), paPLACED)
				for k := 0; k+1 < len(rows); k++ {
					if tb.val(rows[k], paCEASED) == "" && tb.val(rows[k], paPLACED) != "" {
						v.flagCol(tb, rows[k], paCEASED, "The child has a later decision to place for adoption ("+tb.val(rows[k+1], paPLACED)+") but this earlier one has no date it was reversed. Add it, or remove the duplicate.")
					}
				}
			}
		}),
		def("117", "Adoption decision dates must not be after the collection year or after the child left care", "DATE_PLACED DATE_PLACED_CEASED DEC REC", tPAEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				// The episode with the latest end among those that ended care.
				limit, left := v.cur.end, int32(-1)
				for _, e := range v.cur.epsAt(tb, i) {
					if d := ep.date(e, eDEC); ceasedCare(ep.val(e, eREC)) && d.ok() && (left < 0 || d.ymd >= ep.date(left, eDEC).ymd) {
						left = e
					}
				}
				if left >= 0 && ep.date(left, eDEC).ymd < limit.ymd {
					limit = ep.date(left, eDEC)
				}
				flagged := false
				for _, c := range []int{paPLACED, paCEASED} {
					if d := tb.date(i, c); d.ok() && d.ymd > limit.ymd {
						v.flagCol(tb, i, c, "The date "+d.String()+" is after the collection year ended or the child left care ("+limit.String()+"). Check it.")
						flagged = true
					}
				}
				if flagged && left >= 0 {
					v.flag(ep, left, []string{"DEC", "REC"}, ep.val(left, eDEC), "The child left care on "+ep.val(left, eDEC)+" ("+ep.val(left, eREC)+"), but the adoption decision dates are later or after the collection year. Check the dates.")
				}
			})
		}),
		def("118", "The date a decision to place for adoption ceased must not be before the collection year, nor before the start of the child's earliest episode (not a short break)", "DATE_PLACED_CEASED DECOM LS", tPAEp, func(v *run) {
			// DfE: if provided, DATE_PLACED_CEASED must not be before the
			// collection start or the DECOM of the earliest episode with LS
			// not V3 or V4. The decision is flagged, and that episode.
			ep := v.cur.ep
			done := map[int32]bool{}
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				d := tb.date(i, paCEASED)
				if !d.ok() {
					return
				}
				first := int32(-1)
				for _, e := range v.cur.epsAt(tb, i) {
					if !isRespite(ep.val(e, eLS)) && ep.date(e, eDECOM).ok() {
						first = e
						break
					}
				}
				var msg string
				switch {
				case d.ymd < v.cur.start.ymd:
					msg = "The decision to place for adoption ceased on " + d.String() + ", before this collection year; it belongs in an earlier return. Remove the row, or check the date."
				case first >= 0 && d.ymd < ep.date(first, eDECOM).ymd:
					msg = "The decision to place for adoption ceased on " + d.String() + ", before the child started to be looked after (" + ep.date(first, eDECOM).String() + "). Check the dates."
				default:
					return
				}
				v.flagCol(tb, i, paCEASED, msg)
				if first >= 0 && !done[first] {
					done[first] = true
					v.flagCol(ep, first, eDECOM, msg)
				}
			})
		}),
		def("575", "When the placement a child went missing from ends, the missing period must have ended", "MIS_END", tables(ssda903.Missing, ssda903.Episodes), func(v *run) {
			tb, ep := v.cur.tabs[ssda903.Missing], v.cur.ep
			for _, child := range tb.order {
				eps := v.cur.epsOf(child)
				for _, i := range tb.rowsOf(child) {
					s := tb.date(i, mSTART)
					if tb.val(i, mEND) != "" || !s.ok() {
						continue
					}
					for _, e := range eps {
						st, en := ep.date(e, eDECOM), ep.date(e, eDEC)
						if st.ok() && en.ok() && st.ymd <= s.ymd && s.ymd <= en.ymd {
							v.flagCol(tb, i, mEND, "The child went missing on "+s.String()+" from a placement that ended on "+en.String()+", but the missing period has no end date. Enter when the child was found or returned.")
							break
						}
					}
				}
			}
		}),
		// DfE: where any episode is present with LS not V3 or V4, UPN must
		// be provided: a child only on short breaks is not asked.
		def("442", "A child looked after (other than only on short breaks) must have a UPN or an unknown code (UN1–UN5)", "UPN", tEpHd, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if tb.val(i, hUPN) != "" {
					return
				}
				for _, e := range v.cur.epsAt(tb, i) {
					if !isRespite(ep.val(e, eLS)) {
						v.flagCol(tb, i, hUPN, "UPN is blank. Enter the child's unique pupil number, or UN1–UN5 for why it is not known.")
						return
					}
				}
			})
		}),
		def("516", "A special guardianship order to former foster carers (E45, E46) needs a foster placement (U1–U6) in the ceasing episode", "REC PLACE", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if r := tb.val(i, eREC); (r == "E45" || r == "E46") && !in(tb.val(i, ePLACE), "U1", "U2", "U3", "U4", "U5", "U6") {
					v.flagCol(tb, i, ePLACE, "Care ended with "+r+" (special guardianship to former foster carers) but the last placement is "+quote(tb.val(i, ePLACE))+", not fostering. Check the reason ceased or the placement.")
				}
			})
		}),
		def("234", "Reason for placement change CUSTOD (custody) is not possible for a child under 10", "REASON_PLACE_CHANGE DOB", tEpHd, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if tb.val(i, eRPC) != "CUSTOD" {
					return
				}
				if a := age(v.cur.dobAt(tb, i), tb.date(i, eDEC)); a >= 0 && a < 10 {
					v.flagCol(tb, i, eRPC, "The child was "+itoa(a)+" when the placement changed; custody (CUSTOD) is not possible under the age of criminal responsibility. Use the reason that applies.")
				}
			})
		}).since(2026),
		def("SW15STG2", "A social worker episode needs a reason for the change (except one that started before the previous collection year)", "SW_REASON", tSW, func(v *run) {
			// DfE: reason for social worker change is missing. As the DfE's
			// tools check it: every episode without SW_REASON, unless it
			// started more than a year before the collection start (before
			// 1 April of the previous collection year).
			from := ymd(v.year-2, 4, 1)
			v.rows(ssda903.SWEpisodes, func(tb *tab, i int32) {
				if tb.val(i, swREASON) != "" {
					return
				}
				if d := tb.date(i, swDECOM); d.ok() && d.ymd < from.ymd {
					return
				}
				v.flagCol(tb, i, swREASON, "The social worker episode has no reason for the change. Enter SW_REASON (FCONTA for the first contact).")
			})
		}).since(2025),
		ageAtStart("370", "A child in independent living (P2) must be at least 15", ePLACE, "PLACE", []string{"P2"}, 15, "independent living is only for young people aged 15 or over (the DfE limit)").until(2024),
		def("559", "A decision to place for adoption made before this year must be in last year's return", "DATE_PLACED", tPA, func(v *run) {
			prev := v.prev.tabs[ssda903.PlacedAdoption]
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				d := tb.date(i, paPLACED)
				if !d.ok() || d.ymd >= v.cur.start.ymd {
					return
				}
				for _, j := range prev.rowsOf(tb.val(i, 0)) {
					if prev.date(j, paPLACED).ymd == d.ymd {
						return
					}
				}
				v.flagCol(tb, i, paPLACED, "The decision to place for adoption ("+d.String()+") was made before this year, but last year's return does not record it. Check the date against last year's return.")
			})
		}).withPrev(ssda903.PlacedAdoption),
		def("560", "An adoption decision still open last year must keep its date this year", "DATE_PLACED DATE_PLACED_CEASED", tPA, func(v *run) {
			prev := v.prev.tabs[ssda903.PlacedAdoption]
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				d := tb.date(i, paPLACED)
				if !d.ok() || d.ymd >= v.cur.start.ymd {
					return
				}
				for _, j := range prev.rowsOf(tb.val(i, 0)) {
					if pd := prev.date(j, paPLACED); pd.ok() && prev.val(j, paCEASED) == "" && pd.ymd != d.ymd {
						v.flagCol(tb, i, paPLACED, "Last year's return has the decision to place for adoption open since "+pd.String()+", but this year records "+d.String()+". The same decision keeps its date: correct whichever is wrong.")
						return
					}
				}
			})
		}).withPrev(ssda903.PlacedAdoption),
		// DfE: if last year's DATE_PLACED was provided and its
		// DATE_PLACED_CEASED and/or REASON_PLACED_CEASED is given (the
		// decision was reversed), this year's DATE_PLACED must be later: a
		// decision recorded this year is a new one. A blank date this year
		// is not later.
		def("584", "After a decision to place for adoption was reversed last year, a decision recorded this year must be dated after it", "DATE_PLACED", tPA, func(v *run) {
			prev := v.prev.tabs[ssda903.PlacedAdoption]
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				d := tb.date(i, paPLACED)
				for _, j := range prev.rowsOf(tb.val(i, 0)) {
					pd := prev.date(j, paPLACED)
					if !pd.ok() || (prev.val(j, paCEASED) == "" && prev.val(j, paREASON) == "") || (d.ok() && d.ymd > pd.ymd) {
						continue
					}
					v.flagCol(tb, i, paPLACED, "Last year's return records the decision of "+pd.String()+" to place for adoption as reversed, so a decision this year must be a new one dated after it; this one is dated "+orNone(tb.val(i, paPLACED))+". Correct the date, or remove last year's decision from this year's return.")
					return
				}
			})
		}).withPrev(ssda903.PlacedAdoption),
		def("561", "An adoption decision reversed last year cannot be recorded again this year with the same date", "DATE_PLACED", tPA, func(v *run) {
			prev := v.prev.tabs[ssda903.PlacedAdoption]
			v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
				d := tb.date(i, paPLACED)
				if !d.ok() {
					return
				}
				// DfE: if this year's DATE_PLACED equals last year's, last
				// year's DATE_PLACED_CEASED and REASON_PLACED_CEASED should
				// be blank: a decision that ceased last year is not reported
				// again (a new decision has its own date).
				for _, j := range prev.rowsOf(tb.val(i, 0)) {
					if prev.date(j, paPLACED).ymd == d.ymd && (prev.val(j, paCEASED) != "" || prev.val(j, paREASON) != "") {
						v.flagCol(tb, i, paPLACED, "Last year's return says the decision of "+d.String()+" ceased ("+orNone(prev.val(j, paCEASED))+", "+orNone(prev.val(j, paREASON))+"), but this year reports it again. Remove it, or record the new decision with its own date.")
						return
					}
				}
			})
		}).withPrev(ssda903.PlacedAdoption),
		swContinuity("SW16aSTG2", "social worker ID", swID),
		swContinuity("SW16bSTG2", "start date", swDECOM),
		swContinuity("SW16cSTG2", "reason for change", swREASON),
	}
}

// orderDecision flags decisions to place for adoption made after the first
// episode with the order's legal status started in this return.
// orderDecision flags a decision to place for adoption made after the
// child's first episode under the order's legal status began: the episode
// and, when flagPA is set (as the DfE's tools do for 554), the decision.
func orderDecision(ls, what string, flagPA bool) func(v *run) {
	return func(v *run) {
		ep := v.cur.ep
		v.rows(ssda903.PlacedAdoption, func(tb *tab, i int32) {
			d := tb.date(i, paPLACED)
			if !d.ok() {
				return
			}
			for _, e := range v.cur.epsAt(tb, i) {
				s := ep.date(e, eDECOM)
				if ep.val(e, eLS) != ls || !s.ok() {
					continue
				}
				if d.ymd > s.ymd {
					msg := "The decision to place for adoption (" + d.String() + ") is after the " + what + " (" + ls + ") began on " + s.String() + ". The decision comes first: check the dates."
					v.flagCol(ep, e, eDECOM, msg)
					if flagPA {
						v.flagCol(tb, i, paPLACED, msg)
					}
				}
				return
			}
		})
	}
}

// swContinuity compares last year's open social worker episode with the same
// episode (same start date) or the first episode this year.
func swContinuity(code, what string, col int) rule {
	field := ssda903.Columns[ssda903.SWEpisodes][col]
	return def(code, "The first social worker episode this year must have the same "+what+" as last year's open one", field, tSW, func(v *run) {
		cur, prev := v.cur.tabs[ssda903.SWEpisodes], v.prev.tabs[ssda903.SWEpisodes]
		for _, child := range prev.order {
			prows := sortedBy(prev, prev.rowsOf(child), swDECOM)
			last := prows[len(prows)-1]
			crows := cur.rowsOf(child)
			if prev.val(last, swDEC) != "" || len(crows) == 0 {
				continue
			}
			first := sortedBy(cur, crows, swDECOM)[0]
			a, b := cur.val(first, col), prev.val(last, col)
			if col == swREASON && b == "" {
				continue // the reason is given when the episode ends, so it may appear this year
			}
			if a != b {
				v.flagCol(cur, first, col, "The "+what+" of the first social worker episode ("+quote(a)+") differs from last year's open episode ("+quote(b)+"). The episode carried over must be recorded the same way in both years.")
			}
		}
	}).since(2025).withPrev(ssda903.SWEpisodes)
}

// careAfter adds up the days the child was looked after from the 14th and
// from the 16th birthday in this year's and last year's episodes (rule
// 1001): an episode in both returns (same start) counts once, this year's
// version first; short breaks (V3, V4) are left out; the latest episode, if
// open, runs to 31 March, and an earlier one without an end adds nothing.
// adopted is whether the latest episode ended with E11 or E12; found is false
// when neither year has a dated episode of the child.
func (v *run) careAfter(child string, dob date) (after14, after16 int32, adopted, found bool) {
	type span struct {
		start, end date
		ls, rec    string
	}
	var spans []span
	seen := map[int32]bool{}
	add := func(ep *tab, eps []int32) {
		for _, j := range eps {
			s := ep.date(j, eDECOM)
			if !s.ok() || seen[s.ymd] {
				continue
			}
			seen[s.ymd] = true
			spans = append(spans, span{s, ep.date(j, eDEC), ep.val(j, eLS), ep.val(j, eREC)})
		}
	}
	add(v.cur.ep, v.cur.epsOf(child))
	if v.prev != nil && v.prev.ep != nil {
		add(v.prev.ep, v.prev.epsOf(child))
	}
	if len(spans) == 0 {
		return 0, 0, false, false
	}
	latest := 0
	for k := range spans {
		if spans[k].start.ymd > spans[latest].start.ymd {
			latest = k
		}
	}
	if !spans[latest].end.ok() {
		spans[latest].end = v.cur.end
	}
	adopted = in(spans[latest].rec, "E11", "E12")
	y, m, d := int(dob.ymd/10000), int(dob.ymd/100%100), int(dob.ymd%100)
	if m == 2 && d == 29 {
		d = 28 // a 29 February birthday falls on 28 February in other years
	}
	b14, b16 := daysFromCivil(y+14, m, d), daysFromCivil(y+16, m, d)
	from := func(sp span, b int32) int32 {
		return max(0, sp.end.days-max(sp.start.days, b))
	}
	for _, sp := range spans {
		if isRespite(sp.ls) || !sp.end.ok() {
			continue
		}
		after14 += from(sp, b14)
		after16 += from(sp, b16)
	}
	return after14, after16, adopted, true
}
