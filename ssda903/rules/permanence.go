package rules

import (
	"sufficiency/ssda903"
)

// Previous permanence (PrevPerm): the permanence option a child had before
// this period of care (adoption, special guardianship, child arrangements).

// startedCare returns the start of the child's latest period of care in the
// year (the latest episode with RNE S), or a zero date.
func (v *run) startedCare(child string) date {
	ep := v.cur.ep
	var d date
	for _, i := range v.cur.epsOf(child) {
		if ep.val(i, eRNE) == "S" && ep.date(i, eDECOM).ok() {
			d = ep.date(i, eDECOM)
		}
	}
	return d
}

// permDate parses DATE_PERM, which may leave any part unknown as ZZ (day,
// month) or ZZZZ (year): ZZ/MM/YYYY, ZZ/ZZ/YYYY, ... It returns the date
// when every part is known (full is then true), and ok false when the value
// is not in one of these forms or a known part is out of range.
func permDate(s string) (d date, full, ok bool) {
	if t, good := ssda903.ParseDate(s); good {
		return mkdate(t), true, true
	}
	if len(s) != 10 || s[2] != '/' || s[5] != '/' {
		return date{}, false, false
	}
	dd, mm, yy := s[0:2], s[3:5], s[6:10]
	if dd == "ZZ" || mm == "ZZ" || yy == "ZZZZ" {
		day, okD := smallInt(dd)
		mon, okM := smallInt(mm)
		yr, okY := smallInt(yy)
		if (dd != "ZZ" && (!okD || day < 1 || day > 31)) || (mm != "ZZ" && (!okM || mon < 1 || mon > 12)) || (yy != "ZZZZ" && (!okY || yr < 1800)) {
			return date{}, false, false
		}
		return date{}, false, true
	}
	return date{}, false, false
}

// firstDated returns the child's earliest episode with a start date, or -1.
func (v *run) firstDated(child string) int32 {
	for _, i := range v.cur.epsOf(child) {
		if v.cur.ep.date(i, eDECOM).ok() {
			return i
		}
	}
	return -1
}

func permanenceRules() []rule {
	tPPEp := tables(ssda903.PrevPerm, ssda903.Episodes)
	return []rule{
		// 635 follows the DfE's condition: a date or council of the order
		// with no previous permanence code (the rule's message speaks of Z1;
		// see docs/VALIDATION.md).
		def("635", "A date or council of a previous permanence order needs a previous permanence code", "PREV_PERM DATE_PERM LA_PERM", tPP, func(v *run) {
			v.rows(ssda903.PrevPerm, func(tb *tab, i int32) {
				if tb.val(i, ppPERM) == "" && anyFilled(tb, i, ppDATE, ppLA) {
					v.flag(tb, i, []string{"PREV_PERM", "DATE_PERM", "LA_PERM"}, tb.val(i, ppDATE)+" "+tb.val(i, ppLA), "A date or council of a previous permanence order is given but PREV_PERM is blank. Record the order's type (Z1 if there was none, and then remove the date and council).")
				}
			})
		}),
		def("632", "The date of a previous permanence order must be a valid date (ZZ for an unknown day or month, ZZZZ for an unknown year) before the child started to be looked after", "DATE_PERM DECOM", tPPEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.PrevPerm, func(tb *tab, i int32) {
				s := tb.val(i, ppDATE)
				if s == "" {
					return
				}
				first := v.firstDated(tb.val(i, 0))
				d, full, ok := permDate(s)
				var msg string
				switch {
				case !ok:
					msg = "Date of the previous permanence order " + quote(s) + " is not a date. Write DD/MM/YYYY, with ZZ for an unknown day or month (ZZ/MM/YYYY, ZZ/ZZ/YYYY)."
				case full && first >= 0 && d.ymd >= ep.date(first, eDECOM).ymd:
					msg = "The previous permanence order (" + s + ") is not dated before the child started to be looked after (" + ep.val(first, eDECOM) + "). It must come before the care began: check the date."
				default:
					return
				}
				v.flagCol(tb, i, ppDATE, msg)
				if first >= 0 {
					v.flagCol(ep, first, eDECOM, msg)
				}
			})
		}),
		def("634", "Previous permanence is only recorded for children who started to be looked after on or after 1 April 2016", "PREV_PERM DECOM", tPPEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.PrevPerm, func(tb *tab, i int32) {
				if !anyFilled(tb, i, ppPERM, ppDATE, ppLA) {
					return
				}
				var dated []int32
				for _, e := range v.cur.epsAt(tb, i) {
					if d := ep.date(e, eDECOM); d.ok() {
						if d.ymd >= 20160401 {
							return
						}
						dated = append(dated, e)
					}
				}
				if len(dated) == 0 {
					return
				}
				msg := "Every episode of the child started before 1 April 2016 (latest " + ep.val(dated[len(dated)-1], eDECOM) + "), when previous permanence began to be collected. Remove the PrevPerm entries."
				v.flagCol(tb, i, ppPERM, msg)
				for _, e := range dated {
					v.flagCol(ep, e, eDECOM, msg)
				}
			})
		}),
		def("630", "A child who started to be looked after this year must have previous permanence information", "RNE PREV_PERM", tPPEp, func(v *run) {
			pp, ep := v.cur.tabs[ssda903.PrevPerm], v.cur.ep
			v.episodes(func(child string, eps []int32) {
				for _, i := range eps {
					if d := ep.date(i, eDECOM); ep.val(i, eRNE) != "S" || !d.ok() || d.ymd < v.cur.start.ymd {
						continue
					}
					// DfE: the child is in PrevPerm with PREV_PERM given,
					// and unless it is Z1 (none) with LA_PERM and DATE_PERM.
					// P4 (unknown) is not asked for them either: when the
					// option is not known, neither are its council and date.
					rows := pp.rowsOf(child)
					ok := len(rows) > 0
					for _, r := range rows {
						p := pp.val(r, ppPERM)
						if p == "" || (p != "Z1" && p != "P4" && (pp.val(r, ppLA) == "" || pp.val(r, ppDATE) == "")) {
							ok = false
						}
					}
					if !ok {
						v.flagCol(ep, i, eRNE, "The child started to be looked after this year ("+ep.val(i, eDECOM)+") but the previous permanence information is missing or incomplete. Add the child to PrevPerm (Z1 if there was none), with the council and date of any previous order.")
					}
					return
				}
			})
		}).since(2017), // collected for children starting from 1 April 2016 (see 634)
	}
}
