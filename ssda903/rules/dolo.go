package rules

import (
	"sufficiency/ssda903"
)

// Rules added for issue 16 from the DfE rule text: deprivation of liberty
// orders (DoLo, from 2026/27), unknown sex, duplicate UPNs, adopters' legal
// status against their sexes, care leavers reported as having died, and the
// reason for placement change on an open episode.

var doDOB, doSTART, doEND, _, _, _, _ = cols7(ssda903.DoLo, "DOB", "DOLO_START", "DOLO_END", "", "", "", "")

var tDoLo = []ssda903.TableName{ssda903.DoLo}

func addedRules() []rule {
	return []rule{
		def("700", "The start date of a deprivation of liberty order must be a valid date", "DOLO_START", tDoLo, func(v *run) {
			v.rows(ssda903.DoLo, func(tb *tab, i int32) {
				if !tb.date(i, doSTART).ok() {
					v.flagCol(tb, i, doSTART, "The start date of the deprivation of liberty order "+quote(tb.val(i, doSTART))+" is blank or not a valid date. Enter it as DD/MM/YYYY.")
				}
			})
		}).since(2027),
		def("702", "A deprivation of liberty order must end after it started", "DOLO_START DOLO_END", tDoLo, func(v *run) {
			v.rows(ssda903.DoLo, func(tb *tab, i int32) {
				s, e := tb.date(i, doSTART), tb.date(i, doEND)
				if s.ok() && e.ok() && e.ymd <= s.ymd {
					v.flag(tb, i, []string{"DOLO_START", "DOLO_END"}, tb.val(i, doEND), "The deprivation of liberty order ends "+e.String()+", not after it started ("+s.String()+"). Correct the dates.")
				}
			})
		}).since(2027),
		def("705", "A deprivation of liberty order cannot start while the child's previous one is still open", "DOLO_START DOLO_END", tDoLo, func(v *run) {
			tb := v.cur.tabs[ssda903.DoLo]
			for _, k := range tb.orderK {
				rows := tb.rowsOfKid(k) // in file order
				for x := 1; x < len(rows); x++ {
					p, i := rows[x-1], rows[x]
					s := tb.date(i, doSTART)
					if !s.ok() || !tb.date(p, doSTART).ok() {
						continue
					}
					pe := tb.date(p, doEND)
					// An end that is blank or not a date leaves the order open.
					if !pe.ok() || s.ymd < pe.ymd {
						v.flag(tb, i, []string{"DOLO_START", "DOLO_END"}, tb.val(i, doSTART), "This deprivation of liberty order starts "+s.String()+" while the previous one (line "+itoa(tb.rows[p].Line)+") is still open. End the previous order first, or correct the dates.")
					}
				}
			}
		}).since(2027),
		def("708", "A deprivation of liberty order must start after the child was born", "DOLO_START DOB", tDoLo, func(v *run) {
			v.rows(ssda903.DoLo, func(tb *tab, i int32) {
				dob := tb.date(i, doDOB)
				if !dob.ok() {
					dob = v.cur.dobAt(tb, i)
				}
				if s := tb.date(i, doSTART); s.ok() && dob.ok() && s.ymd <= dob.ymd {
					v.flagCol(tb, i, doSTART, "The deprivation of liberty order starts "+s.String()+", before the child's date of birth ("+dob.String()+"). Correct the date.")
				}
			})
		}).since(2027),
		def("232", "The sex of the child should not be recorded as unknown (U)", "SEX", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if tb.val(i, hSEX) == "U" {
					v.flagCol(tb, i, hSEX, "Sex is recorded as unknown (U). Check the child's record and enter the sex if it is known.")
				}
			})
		}).warn().since(2025),
		def("444", "A UPN (other than the unknown codes UN1–UN5) must not be given to more than one child", "UPN", tHeader, func(v *run) {
			tb := v.cur.hd
			seen := map[string][]int32{}
			for i := range tb.rows {
				u := tb.val(int32(i), hUPN)
				if u != "" && !in(u, "UN1", "UN2", "UN3", "UN4", "UN5") {
					seen[u] = append(seen[u], int32(i))
				}
			}
			for i := range tb.rows {
				u := tb.val(int32(i), hUPN)
				if rows := seen[u]; len(rows) > 1 {
					v.flagCol(tb, int32(i), hUPN, "UPN "+quote(u)+" is given to "+itoa(len(rows))+" rows of the Header. Each child has a UPN of their own: correct the duplicates.")
				}
			}
		}).since(2026),
		def("519", "Adopters in a civil partnership (L2) must be recorded as a couple (MM, FF or MF)", "LS_ADOPTR SEX_ADOPTR", tAD1, func(v *run) {
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				if tb.val(i, aLS) == "L2" && !in(tb.val(i, aSEX), "MM", "FF", "MF") {
					v.flag(tb, i, []string{"LS_ADOPTR", "SEX_ADOPTR"}, tb.val(i, aSEX), "The adopters are recorded as a civil partnership (L2) but their sexes are "+quote(tb.val(i, aSEX))+", not a couple. Correct one of them.")
				}
			})
		}),
		def("520", "Adopters who are a married couple of different sexes (L11) cannot be recorded as a same-sex couple (MM, FF)", "LS_ADOPTR SEX_ADOPTR", tAD1, func(v *run) {
			v.rows(ssda903.AD1, func(tb *tab, i int32) {
				if tb.val(i, aLS) == "L11" && in(tb.val(i, aSEX), "MM", "FF") {
					v.flag(tb, i, []string{"LS_ADOPTR", "SEX_ADOPTR"}, tb.val(i, aSEX), "The adopters are recorded as a married couple of different sexes (L11) but their sexes are "+tb.val(i, aSEX)+". Correct one of them.")
				}
			})
		}),
		def("348", "A care leaver reported last year as having died (IN_TOUCH DIED) must be reported as DIED again", "IN_TOUCH", tOC3, func(v *run) {
			po := v.prev.tabs[ssda903.OC3]
			v.rows(ssda903.OC3, func(tb *tab, i int32) {
				if tb.val(i, o3INTOUCH) == "DIED" {
					return
				}
				for _, j := range po.rowsOf(tb.val(i, 0)) {
					if po.val(j, o3INTOUCH) == "DIED" {
						v.flagCol(tb, i, o3INTOUCH, "Last year's return reported this care leaver as having died, but this year IN_TOUCH is "+quote(tb.val(i, o3INTOUCH))+". Check the child's identifier and IN_TOUCH.")
						return
					}
				}
			})
		}).withPrev(ssda903.OC3).since(2026),
		def("233", "No reason for placement change on an episode that has not ceased", "DEC REASON_PLACE_CHANGE", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if tb.val(i, eDEC) == "" && tb.val(i, eRPC) != "" {
					v.flagCol(tb, i, eRPC, "The episode has not ceased but has a reason for placement change ("+tb.val(i, eRPC)+"). Record the reason only on the episode that ends with the change.")
				}
			})
		}).since(2026),
		def("710", "A child under a deprivation of liberty order cannot be placed in a secure children's home (K1), with parents (P1), in a young offender institution (R5) or in supported accommodation (K3)", "PLACE DOLO_START DOLO_END", tables(ssda903.DoLo, ssda903.Episodes), func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.DoLo, func(tb *tab, i int32) {
				s, e := tb.date(i, doSTART), tb.date(i, doEND)
				if !s.ok() {
					return
				}
				hit := false
				for _, j := range v.cur.epsAt(tb, i) {
					p := ep.val(j, ePLACE)
					if !in(p, "K1", "P1", "R5", "K3") {
						continue
					}
					// The episode and the order overlap (open ends run on).
					a, b := ep.date(j, eDECOM), ep.date(j, eDEC)
					if !a.ok() || (e.ok() && a.ymd > e.ymd) || (b.ok() && b.ymd < s.ymd) {
						continue
					}
					msg := "The child was placed in " + p + " while under a deprivation of liberty order (from " + s.String() + "). A DoLO placement cannot be K1, P1, R5 or K3: check the placement or the order's dates."
					v.flagCol(ep, j, ePLACE, msg)
					if !hit {
						v.flagCol(tb, i, doSTART, msg)
						hit = true
					}
				}
			})
		}).since(2027),
		// DfE: if UASC_STATUS = 1 then DOB should be more than 11 years
		// before the end of the collection year. The status is this year's:
		// the Header's UASC flag where the file carries it, otherwise
		// inferred from the UASC table as the DfE's tools do for a CSV
		// return (uascOf, as 205D reads it); last year's status does not
		// count.
		def("231", "An unaccompanied asylum-seeking child is usually older: check the date of birth of a UASC under 11 at 31 March", "DOB", tables(ssda903.Header, ssda903.UASC), func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if f, _ := uascOf(v.cur, tb.val(i, 0)); !isOne(f) {
					return
				}
				if a := age(tb.date(i, hDOB), v.cur.end); a >= 0 && a < 11 {
					v.flagCol(tb, i, hDOB, "The child is recorded as an unaccompanied asylum-seeking child but was "+itoa(a)+" on 31 March. Check the date of birth; if it is right, no change is needed.")
				}
			})
		}).warn().since(2025).uascStatus(),
		def("SW01aSTG1", "Every social worker episode needs a start date", "SW_DECOM SW_ID", tSW, func(v *run) {
			v.rows(ssda903.SWEpisodes, func(tb *tab, i int32) {
				if tb.val(i, swDECOM) == "" {
					v.flagCol(tb, i, swDECOM, "The social worker episode has no start date. Enter SW_DECOM.")
				}
			})
		}).since(2025),
		def("SW01bSTG1", "Every social worker episode needs a start date, and one starting on or after 1 April 2023 a social worker ID and a reason", "SW_DECOM SW_ID SW_REASON", tSW, func(v *run) {
			// DfE: if SW_DECOM >= 1 April 2023 then SW_ID, SW_DECOM and
			// SW_REASON are given; an episode without a (valid) start date
			// is flagged too, as the DfE's tools do.
			v.rows(ssda903.SWEpisodes, func(tb *tab, i int32) {
				d := tb.date(i, swDECOM)
				if d.ok() && (d.ymd < 20230401 || (tb.val(i, swID) != "" && tb.val(i, swREASON) != "")) {
					return
				}
				v.flag(tb, i, []string{"SW_ID", "SW_DECOM", "SW_REASON"}, tb.val(i, swID)+" "+tb.val(i, swDECOM)+" "+tb.val(i, swREASON), "The social worker episode needs a valid start date and, from 1 April 2023, the social worker ID and the reason for the change. Complete the blank ones.")
			})
		}).since(2025),
		def("707", "A deprivation of liberty order must lie within a period of care: not open after care ended, and not ending before care began or after it ended", "DOLO_END", tables(ssda903.DoLo, ssda903.Episodes), func(v *run) {
			outsideCare(v, v.cur.tabs[ssda903.DoLo], doSTART, doEND, "deprivation of liberty order")
		}).since(2027),
	}
}
