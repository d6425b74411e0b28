package rules

import (
	"sort"

	"sufficiency/ssda903"
)

// Social worker rules added in 2025/26, from the DfE rule text.

// swOrdered returns the child's social worker episodes ordered by start
// date then end date (invalid dates last), file order among equals.
func swOrdered(tb *tab, k int32) []int32 {
	rows := append([]int32(nil), tb.rowsOfKid(k)...)
	key := func(d date) int32 {
		if d.ok() {
			return d.ymd
		}
		return 1 << 30
	}
	sort.SliceStable(rows, func(a, b int) bool {
		x, y := rows[a], rows[b]
		if kx, ky := key(tb.date(x, swDECOM)), key(tb.date(y, swDECOM)); kx != ky {
			return kx < ky
		}
		return key(tb.date(x, swDEC)) < key(tb.date(y, swDEC))
	})
	return rows
}

// swStartsNearPreviousEnd flags a social worker episode that does not start
// within 7 days either side of the end of the child's previous one (by
// start, then end date), or follows one with no end date (SW10STG2,
// SW10aSTG2). With fconta, an episode whose reason is FCONTA is exempt.
func swStartsNearPreviousEnd(v *run, fconta bool) {
	tb := v.cur.tabs[ssda903.SWEpisodes]
	for _, k := range tb.orderK {
		rows := swOrdered(tb, k)
		for x := 1; x < len(rows); x++ {
			p, i := rows[x-1], rows[x]
			if fconta && tb.val(i, swREASON) == "FCONTA" {
				continue
			}
			s, e := tb.date(i, swDECOM), tb.date(p, swDEC)
			if s.ok() && e.ok() && s.days >= e.days-7 && s.days <= e.days+7 {
				continue
			}
			prevEnd := "no end date"
			if e.ok() {
				prevEnd = "ended " + e.String()
			}
			fix := "Check the dates."
			if fconta {
				fix = "Check the dates, or give reason FCONTA."
			}
			v.flagCol(tb, i, swDECOM, "This social worker episode starts "+orNone(tb.val(i, swDECOM))+", not within 7 days of the end of the child's previous one ("+prevEnd+"). "+fix)
		}
	}
}

func socialWorker2026Rules() []rule {
	return []rule{
		def("SW10aSTG2", "A new social worker episode must start within 7 days either side of the end of the previous one (unless the reason is FCONTA)", "SW_DECOM", tSW, func(v *run) {
			swStartsNearPreviousEnd(v, true)
		}).since(2026),
		def("SW17STG2", "The child's latest social worker episode (by start date) must be open at 31 March", "SW_DEC", tSW, func(v *run) {
			tb := v.cur.tabs[ssda903.SWEpisodes]
			for _, k := range tb.orderK {
				rows := tb.rowsOfKid(k)
				last, best := int32(-1), int32(-1)
				for _, i := range rows {
					if d := tb.date(i, swDECOM); d.ok() && d.ymd > best {
						last, best = i, d.ymd
					}
				}
				if last >= 0 && tb.val(last, swDEC) != "" {
					v.flagCol(tb, last, swDEC, "The child's latest social worker episode ended "+tb.val(last, swDEC)+"; no social worker episode is open at 31 March. Add the current social worker's episode, or clear the end date.")
				}
			}
		}).warn().since(2026),
	}
}

// moreGapRules holds rules written late for issue 16 from the DfE rule text.
func moreGapRules() []rule {
	return []rule{
		def("SW14STG2", "Every social worker episode but the child's latest must have an end date", "SW_DEC", tSW, func(v *run) {
			tb := v.cur.tabs[ssda903.SWEpisodes]
			for _, k := range tb.orderK {
				rows := swOrdered(tb, k)
				for _, i := range rows[:len(rows)-1] {
					if !tb.date(i, swDEC).ok() {
						v.flagCol(tb, i, swDEC, "This social worker episode has no (valid) end date, but a later one starts after it. Enter SW_DEC: only the latest episode may be open.")
					}
				}
			}
		}).since(2024),
		def("197B", "A child looked after for 12 months who turned 4 or 17 during the year should have an SDQ score or a reason for none", "SDQ_REASON DOB", tables(ssda903.OC2, ssda903.Episodes), func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				if tb.val(i, o2SDQ) != "" || tb.val(i, o2SDQR) != "" || !v.lookedAfter12(v.cur.epsAt(tb, i)) {
					return
				}
				dob := tb.date(i, o2DOB)
				if !dob.ok() {
					return
				}
				// A 17th birthday on 1 April itself makes the young person
				// 17 at the start of the year, when 189 says no SDQ is
				// collected: the error rule decides that day.
				for _, n := range []int{4, 17} {
					if b := birthday(dob, n); b >= v.cur.start.ymd && b <= v.cur.end.ymd && (n == 4 || b > v.cur.start.ymd) {
						v.flagCol(tb, i, o2SDQR, "The child turned "+itoa(n)+" during the year and was looked after for 12 months, but has neither an SDQ score nor a reason for none. Enter the score or the reason (SDQ1–SDQ5).")
						return
					}
				}
			})
		}).warn(),
	}
}
