package rules

import (
	"sufficiency/ssda903"
)

// Cross-table rules: every child in a module must be in the Header with the
// same date of birth, children appear once where only one row is allowed,
// and Header items that depend on the episodes.

// inHeader flags rows of t whose child is not in the Header.
func inHeader(code string, t ssda903.TableName) rule {
	return def(code, "Every child in "+string(t)+" must also be in the Header", "CHILD", tables(t, ssda903.Header), func(v *run) {
		tb, hd := v.cur.tabs[t], v.cur.hd
		for j, child := range tb.order {
			k := tb.orderK[j]
			if len(hd.rowsOfKid(k)) == 0 {
				i := tb.rowsOfKid(k)[0]
				v.flag(tb, i, []string{"CHILD"}, child, "Child "+quote(child)+" is in the "+string(t)+" table but not in the Header. Add the child to the Header, or check the child's identifier.")
			}
		}
	})
}

// sameDOB flags rows of t whose DOB differs from the Header's.
func sameDOB(code string, t ssda903.TableName) rule {
	col := ssda903.Col(t, "DOB")
	return def(code, "The date of birth in "+string(t)+" must match the Header", "DOB", tables(t, ssda903.Header), func(v *run) {
		v.rows(t, func(tb *tab, i int32) {
			d := tb.date(i, col)
			h := v.cur.dobAt(tb, i)
			if d.ok() && h.ok() && d.ymd != h.ymd {
				v.flagCol(tb, i, col, "Date of birth "+d.String()+" differs from the Header's ("+h.String()+"). Use the same date of birth in every table.")
			}
		})
	})
}

// once flags children that appear more than once in t.
func once(code string, t ssda903.TableName) rule {
	return def(code, "A child must appear only once in "+string(t), "CHILD", tables(t), func(v *run) {
		tb := v.cur.tabs[t]
		for j, child := range tb.order {
			rows := tb.rowsOfKid(tb.orderK[j])
			if len(rows) < 2 {
				continue
			}
			// Every row of the child is flagged, as the DfE's tools do: the
			// council decides which of them to keep.
			for _, i := range rows {
				v.flag(tb, i, []string{"CHILD"}, child, "Child "+quote(child)+" appears "+itoa(len(rows))+" times in "+string(t)+" (first at line "+itoa(tb.rows[rows[0]].Line)+"); only one row per child is allowed. Remove or merge the duplicates.")
			}
		}
	})
}

func crossRules() []rule {
	rs := []rule{
		inHeader("INT01", ssda903.AD1),
		inHeader("INT02", ssda903.PlacedAdoption),
		inHeader("INT03", ssda903.Episodes),
		inHeader("INT04", ssda903.Missing),
		inHeader("INT05", ssda903.OC2),
		inHeader("INT06", ssda903.OC3),
		inHeader("INT07", ssda903.PrevPerm),
		inHeader("INT08", ssda903.Reviews),
		inHeader("INT09", ssda903.UASC),
		sameDOB("INT11", ssda903.AD1),
		sameDOB("INT12", ssda903.PlacedAdoption),
		sameDOB("INT13", ssda903.Missing),
		sameDOB("INT14", ssda903.OC2),
		sameDOB("INT15", ssda903.OC3),
		sameDOB("INT16", ssda903.PrevPerm),
		sameDOB("INT17", ssda903.Reviews),
		sameDOB("INT18", ssda903.UASC),
		once("INT31", ssda903.AD1),
		once("INT32", ssda903.Header),
		once("INT33", ssda903.OC2),
		once("INT34", ssda903.OC3),
		once("INT35", ssda903.PrevPerm),
		once("INT36", ssda903.UASC),
		def("INT21", "The sex in the UASC table must match the Header", "SEX", tables(ssda903.UASC, ssda903.Header), func(v *run) {
			v.rows(ssda903.UASC, func(tb *tab, i int32) {
				s, h := tb.val(i, uSEX), v.cur.headerVal(tb.val(i, 0), hSEX)
				if s != "" && h != "" && !sameSex(s, h) {
					v.flagCol(tb, i, uSEX, "Sex "+quote(s)+" differs from the Header's ("+quote(h)+"). Use the same sex in both tables.")
				}
			})
		}),
		def("EPI", "A child in the Header should have episodes this year (or be a care leaver in OC3)", "CHILD", tEpHd, func(v *run) {
			oc3 := v.cur.tabs[ssda903.OC3]
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				child := tb.val(i, 0)
				if len(v.cur.epsAt(tb, i)) > 0 {
					return
				}
				if oc3 != nil && len(oc3.rowsOf(child)) > 0 {
					return
				}
				v.flag(tb, i, []string{"CHILD"}, child, "Child "+quote(child)+" is in the Header but has no episodes this year. Load the child's episodes, or remove the child from the Header.")
			})
		}).warn(),
		def("393", "Mother status must be given for a girl aged 12 or over who is looked after", "MOTHER", tEpHd, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if !isFemale(tb.val(i, hSEX)) || tb.val(i, hMOTHER) != "" {
					return
				}
				dob := tb.date(i, hDOB)
				for _, e := range v.cur.epsAt(tb, i) {
					if isRespite(ep.val(e, eLS)) {
						continue
					}
					end := ep.date(e, eDEC)
					if !end.ok() {
						end = v.cur.end
					}
					// With no date of birth the check applies (as the DfE's tools do).
					if a := age(dob, end); a >= 12 || !dob.ok() {
						v.flagCol(tb, i, hMOTHER, "The young woman was looked after aged 12 or over this year but mother status is blank. Enter 1 if she is a mother, 0 if not.")
						return
					}
				}
			})
		}),
		def("399", "Mother status and reviews are not recorded for a child only on short breaks (V3, V4)", "LS MOTHER REVIEW REVIEW_CODE", tEpHd, func(v *run) {
			ep := v.cur.ep
			reviews := v.cur.tabs[ssda903.Reviews]
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				child := tb.val(i, 0)
				eps := v.cur.epsAt(tb, i)
				if len(eps) == 0 {
					return
				}
				for _, e := range eps {
					if !isRespite(ep.val(e, eLS)) {
						return
					}
				}
				// The Header row with MOTHER, each review row that gives a
				// date or a code, and then the child's episodes (the DfE's
				// tools flag all three tables).
				hit := false
				if tb.val(i, hMOTHER) != "" {
					v.flagCol(tb, i, hMOTHER, "The child is looked after only on short breaks (V3/V4), so mother status is not collected. Leave MOTHER blank.")
					hit = true
				}
				if reviews != nil {
					for _, r := range reviews.rowsOf(child) {
						if anyFilled(reviews, r, rREVIEW, rCODE) {
							v.flag(reviews, r, []string{"REVIEW", "REVIEW_CODE"}, reviews.val(r, rREVIEW), "The child is looked after only on short breaks (V3/V4), so reviews are not collected. Remove this review.")
							hit = true
						}
					}
				}
				if hit {
					for _, e := range eps {
						v.flagCol(ep, e, eLS, "The child is looked after only on short breaks ("+ep.val(e, eLS)+"), yet mother status or a review is recorded. Remove them, or check the legal status.")
					}
				}
			})
		}),
		def("440", "Participation code PN0 (under 4) must match the child's age at the review", "REVIEW REVIEW_CODE DOB", tReviews, func(v *run) {
			v.rows(ssda903.Reviews, func(tb *tab, i int32) {
				if tb.val(i, rCODE) != "PN0" {
					return
				}
				if a := age(reviewDOB(v, tb, i), tb.date(i, rREVIEW)); a >= 4 {
					v.flagCol(tb, i, rCODE, "PN0 means the child was under 4 at the review, but the child was "+itoa(a)+". Use the participation code PN1–PN7 that applies.")
				}
			})
		}),
		def("441", "A child under 4 at the review must have participation code PN0", "REVIEW REVIEW_CODE DOB", tReviews, func(v *run) {
			v.rows(ssda903.Reviews, func(tb *tab, i int32) {
				c := tb.val(i, rCODE)
				if c == "" || c == "PN0" {
					return
				}
				if a := age(reviewDOB(v, tb, i), tb.date(i, rREVIEW)); a >= 0 && a < 4 {
					v.flagCol(tb, i, rCODE, "The child was "+itoa(a)+" at the review, so the participation code should be PN0 (under 4), not "+c+".")
				}
			})
		}),
		// 210 follows the DfE's condition, which flags UN4 for a child whose
		// latest episode started in the last week of the year (the rule's
		// message speaks of children looked after for more than a week; see
		// docs/VALIDATION.md).
		def("210", "UPN code UN4 with the child's latest episode starting in the last week of the year (the DfE's condition for 'looked after for more than a week at 31 March')", "UPN DECOM", tEpHd, func(v *run) {
			ep := v.cur.ep
			weekBefore := v.cur.end.days - 7
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if tb.val(i, hUPN) != "UN4" {
					return
				}
				latest := int32(-1)
				for _, e := range v.cur.epsAt(tb, i) {
					if d := ep.date(e, eDECOM); d.ok() && (latest < 0 || d.ymd >= ep.date(latest, eDECOM).ymd) {
						latest = e
					}
				}
				if latest < 0 {
					return
				}
				if d := ep.date(latest, eDECOM); d.days >= weekBefore && d.ymd <= v.cur.end.ymd {
					msg := "UPN is UN4 and the child's latest episode started " + d.String() + ", in the last week of the year. The DfE's check flags this: enter the child's UPN or another UN code."
					v.flagCol(tb, i, hUPN, msg)
					v.flagCol(ep, latest, eDECOM, msg)
				}
			})
		}),
		def("625", "The date of birth of a mother's child must not be after the end of the year or after the mother left care", "MC_DOB DEC", tEpHd, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				m := tb.date(i, hMCDOB)
				if !m.ok() {
					return
				}
				// The latest episode: the open one, else the one that
				// ended last. Both it and the Header row are flagged.
				limit, last := v.cur.end, int32(-1)
				for _, e := range v.cur.epsAt(tb, i) {
					if ep.val(e, eDEC) == "" {
						last = e
						break
					}
					if d := ep.date(e, eDEC); d.ok() && (last < 0 || d.ymd >= ep.date(last, eDEC).ymd) {
						last = e
					}
				}
				if last >= 0 {
					if e := ep.date(last, eDEC); e.ok() && e.ymd < limit.ymd {
						limit = e
					}
				}
				if m.ymd > limit.ymd {
					msg := "The mother's child was born " + m.String() + ", after the mother ceased to be looked after or the year ended (" + limit.String() + "). Check the date, and record motherhood only while she was looked after."
					v.flagCol(tb, i, hMCDOB, msg)
					if last >= 0 {
						v.flag(ep, last, []string{"DEC"}, ep.val(last, eDEC), msg)
					}
				}
			})
		}),
		// DfE: where the child ceased to be looked after (DEC given, REC
		// given and not X1), LS is not V3 or V4, DEC is in the collection
		// year and SEX is female, MOTHER should be provided. Each such
		// episode is flagged with the child's Header row (both tables, as
		// the DfE's tools do). As for 393, a girl under 12 when she left is
		// not asked, and an unknown date of birth does not exempt her.
		def("607", "Mother status must be given for a young woman aged 12 or over who ceased to be looked after this year", "MOTHER REC DEC", tEpHd, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if !isFemale(tb.val(i, hSEX)) || tb.val(i, hMOTHER) != "" {
					return
				}
				dob, hit := tb.date(i, hDOB), false
				for _, e := range v.cur.epsAt(tb, i) {
					d := ep.date(e, eDEC)
					if !d.ok() || d.ymd < v.cur.start.ymd || d.ymd > v.cur.end.ymd || !ceasedCare(ep.val(e, eREC)) || isRespite(ep.val(e, eLS)) {
						continue
					}
					if dob.ok() && age(dob, d) < 12 {
						continue
					}
					msg := "The young woman ceased to be looked after on " + d.String() + " (" + ep.val(e, eREC) + "), but mother status is blank. Enter 1 if she is a mother, 0 if not."
					v.flag(ep, e, []string{"DEC", "REC"}, d.String()+" "+ep.val(e, eREC), msg)
					if !hit {
						v.flagCol(tb, i, hMOTHER, msg)
						hit = true
					}
				}
			})
		}),
	}
	return rs
}

func reviewDOB(v *run, tb *tab, i int32) date {
	if d := v.cur.dobAt(tb, i); d.ok() {
		return d
	}
	return tb.date(i, rDOB)
}

// sameSex compares sex codes across the 2024/25 change (1 = M, 2 = F).
func sameSex(a, b string) bool {
	norm := func(s string) string {
		switch s {
		case "1":
			return "M"
		case "2":
			return "F"
		}
		return s
	}
	return norm(a) == norm(b)
}
