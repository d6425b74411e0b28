package rules

import (
	"sufficiency/ssda903"
)

// More deprivation of liberty order (DoLo) rules of 2026/27, from the DfE
// rule text: the end date, the collection-year window, an order open at the
// end of last year, and the placement types during an order.

// dolPlaces are the placement types a child may be in during a DoLO.
var dolPlaces = []string{"K2", "Z12", "Z13"}

func doloRules() []rule {
	return []rule{
		def("701", "The end date of a deprivation of liberty order must be a valid date", "DOLO_END", tDoLo, func(v *run) {
			v.rows(ssda903.DoLo, func(tb *tab, i int32) {
				if tb.val(i, doEND) != "" && !tb.date(i, doEND).ok() {
					v.flagCol(tb, i, doEND, "The end date of the deprivation of liberty order "+quote(tb.val(i, doEND))+" is not a valid date. Enter it as DD/MM/YYYY.")
				}
			})
		}).since(2027),
		def("703", "A deprivation of liberty order must not start after the end of the collection year", "DOLO_START", tDoLo, func(v *run) {
			v.rows(ssda903.DoLo, func(tb *tab, i int32) {
				if s := tb.date(i, doSTART); s.ok() && s.ymd > v.cur.end.ymd {
					v.flagCol(tb, i, doSTART, "The deprivation of liberty order starts "+s.String()+", after the collection year ends ("+v.cur.end.String()+"). Correct the date.")
				}
			})
		}).since(2027),
		def("704", "The end date of a deprivation of liberty order must be within the collection year", "DOLO_END", tDoLo, func(v *run) {
			v.rows(ssda903.DoLo, func(tb *tab, i int32) {
				if e := tb.date(i, doEND); e.ok() && (e.ymd < v.cur.start.ymd || e.ymd > v.cur.end.ymd) {
					v.flagCol(tb, i, doEND, "The deprivation of liberty order ends "+e.String()+", outside the collection year ("+v.cur.start.String()+" to "+v.cur.end.String()+"). An order that ended before the year is not reported; correct the date.")
				}
			})
		}).since(2027),
		def("706", "A deprivation of liberty order open at the end of last year must be in this year's return with the same start date", "DOLO_START", tDoLo, func(v *run) {
			tb, pt := v.cur.tabs[ssda903.DoLo], v.prev.tabs[ssda903.DoLo]
			v.prevRows(pt, func(j int32) {
				if pt.val(j, doEND) != "" {
					return
				}
				start := pt.val(j, doSTART)
				for _, i := range tb.rowsOf(pt.val(j, 0)) {
					if tb.val(i, doSTART) == start {
						return
					}
				}
				v.flagCol(pt, j, doSTART, "Last year's return has this deprivation of liberty order open (started "+start+"), but this year's return has no order of the child starting that day. Carry the order over with the same start date.")
			})
		}).withPrev(ssda903.DoLo).since(2027),
		def("709", "During a deprivation of liberty order the child's placement should be K2, Z12 or Z13", "DOLO_START DOLO_END", tables(ssda903.DoLo, ssda903.Episodes), func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.DoLo, func(tb *tab, i int32) {
				s, e := tb.date(i, doSTART), tb.date(i, doEND)
				if !s.ok() || !e.ok() {
					return
				}
				for _, k := range v.cur.epsAt(tb, i) {
					from, to := ep.date(k, eDECOM), ep.date(k, eDEC)
					if !to.ok() && ep.val(k, eDEC) == "" {
						to = v.cur.end // an open episode runs to the end of the year
					}
					if from.ok() && to.ok() && s.ymd <= to.ymd && e.ymd >= from.ymd && !in(ep.val(k, ePLACE), dolPlaces...) {
						v.flag(tb, i, []string{"DOLO_START", "DOLO_END"}, tb.val(i, doSTART), "During this deprivation of liberty order the child was in placement "+ep.val(k, ePLACE)+" (episode from "+from.String()+"); a child under a DoLO is expected in K2, Z12 or Z13. Check the placement type and the order's dates.")
						return
					}
				}
			})
		}).warn().since(2027),
	}
}

// prevRows calls fn for every row of a table of last year's return.
func (v *run) prevRows(t *tab, fn func(j int32)) {
	if t == nil {
		return
	}
	for j := range t.rows {
		fn(int32(j))
	}
}
