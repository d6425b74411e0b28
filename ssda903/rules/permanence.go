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

// permDate parses DATE_PERM, which may leave the day or the day and month
// unknown as ZZ (ZZ/MM/YYYY, ZZ/ZZ/YYYY). It returns the earliest date the
// value can mean, and false when it is not a date in any of these forms.
func permDate(s string) (date, bool) {
	if t, ok := ssda903.ParseDate(s); ok {
		return mkdate(t), true
	}
	if len(s) == 10 && s[2] == '/' && s[5] == '/' && s[0:2] == "ZZ" {
		y, ok := smallInt(s[6:])
		if !ok || y < 1900 {
			return date{}, false
		}
		if s[3:5] == "ZZ" {
			return ymd(y, 1, 1), true
		}
		m, ok := smallInt(s[3:5])
		if !ok || m < 1 || m > 12 {
			return date{}, false
		}
		return ymd(y, m, 1), true
	}
	return date{}, false
}

func permanenceRules() []rule {
	tPPEp := tables(ssda903.PrevPerm, ssda903.Episodes)
	return []rule{
		def("635", "No date or council for a previous permanence order when there was none (Z1)", "PREV_PERM DATE_PERM LA_PERM", tPP, func(v *run) {
			v.rows(ssda903.PrevPerm, func(tb *tab, i int32) {
				if tb.val(i, ppPERM) == "Z1" && anyFilled(tb, i, ppDATE, ppLA) {
					v.flag(tb, i, []string{"DATE_PERM", "LA_PERM"}, tb.val(i, ppDATE)+" "+tb.val(i, ppLA), "PREV_PERM is Z1 (no previous permanence option) but a date or council of the order is given. Remove them, or record the order's type.")
				}
			})
		}),
		def("632", "The date of a previous permanence order must be a valid date (ZZ for an unknown day or month) before the child started to be looked after", "DATE_PERM DECOM", tPPEp, func(v *run) {
			v.rows(ssda903.PrevPerm, func(tb *tab, i int32) {
				s := tb.val(i, ppDATE)
				if s == "" {
					return
				}
				d, ok := permDate(s)
				if !ok {
					v.flagCol(tb, i, ppDATE, "Date of the previous permanence order "+quote(s)+" is not a date. Write DD/MM/YYYY, with ZZ for an unknown day or month (ZZ/MM/YYYY, ZZ/ZZ/YYYY).")
					return
				}
				if st := v.startedCare(tb.val(i, 0)); st.ok() && d.ymd > st.ymd {
					v.flagCol(tb, i, ppDATE, "The previous permanence order ("+s+") is dated after the child started to be looked after ("+st.String()+"). It must come before this period of care: check the date.")
				}
			})
		}),
		def("634", "Previous permanence is only recorded for children who started to be looked after on or after 1 April 2016", "PREV_PERM DECOM", tPPEp, func(v *run) {
			v.rows(ssda903.PrevPerm, func(tb *tab, i int32) {
				if !anyFilled(tb, i, ppPERM, ppDATE, ppLA) {
					return
				}
				if st := v.startedCare(tb.val(i, 0)); st.ok() && st.ymd < 20160401 {
					v.flagCol(tb, i, ppPERM, "The child started to be looked after on "+st.String()+", before 1 April 2016, when previous permanence began to be collected. Remove the PrevPerm entries.")
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
					for _, r := range pp.rowsOf(child) {
						if pp.val(r, ppPERM) != "" {
							return
						}
					}
					v.flagCol(ep, i, eRNE, "The child started to be looked after this year ("+ep.val(i, eDECOM)+") but has no previous permanence option recorded. Add the child to PrevPerm (Z1 if there was none).")
					return
				}
			})
		}).since(2017), // collected for children starting from 1 April 2016 (see 634)
	}
}
