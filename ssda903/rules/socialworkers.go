package rules

import (
	"sufficiency/ssda903"
)

// Social worker episodes (SWEpisodes table, from 2023/24).

func socialWorkerRules() []rule {
	return []rule{
		// DfE: if the child is looked after on 31 March (latest episode open,
		// legal status not V3/V4), at least one instance of each of SW_ID,
		// SW_DECOM and SW_REASON is provided. The child's social worker
		// episodes are flagged, or the open episode when there are none.
		def("SW01STG1", "A child looked after on 31 March (not on short breaks) must have social worker episodes with a social worker ID, start date and reason", "DEC SW_ID SW_DECOM SW_REASON", tables(ssda903.Episodes, ssda903.SWEpisodes), func(v *run) {
			// DfE: if CLA at 31 March (the current episode has no DEC and LS
			// is not V3 or V4) then SW_ID, SW_DECOM and SW_REASON are given.
			// A child with no social worker episode is flagged on the open
			// episode; otherwise each of the child's social worker episodes
			// that lacks one of the three, as the DfE's tools do.
			sw, ep := v.cur.tabs[ssda903.SWEpisodes], v.cur.ep
			v.episodes(func(child string, eps []int32) {
				last := eps[len(eps)-1]
				if ep.val(last, eDEC) != "" || isRespite(ep.val(last, eLS)) {
					return
				}
				rows := sw.rowsOf(child)
				if len(rows) == 0 {
					v.flagCol(ep, last, eDEC, "The child was looked after on 31 March but has no social worker episodes. Add the child's social worker history to SWEpisodes.")
					return
				}
				for _, i := range rows {
					if sw.val(i, swID) == "" || sw.val(i, swDECOM) == "" || sw.val(i, swREASON) == "" {
						v.flag(sw, i, []string{"SW_ID", "SW_DECOM", "SW_REASON"}, sw.val(i, swID)+" "+sw.val(i, swDECOM)+" "+sw.val(i, swREASON), "The child was looked after on 31 March, so each social worker episode needs the social worker ID, the start date and the reason for the change. Complete the blank ones.")
					}
				}
			})
		}).since(2024),
		// The DfE: SW_ID begins with the characters 'SW' or 'XX', as
		// written (the reader upper-cases codes, so an ID written in lower
		// case is caught by its mark); from 2025/26 it is also at least 4
		// characters long (a prefix alone is no ID). A blank ID is
		// SW03STG1's.
		def("SW02STG1", "A social worker ID must begin with SW or XX in capitals (from 2025/26, and be at least 4 characters)", "SW_ID", tSW, func(v *run) {
			v.rows(ssda903.SWEpisodes, func(tb *tab, i int32) {
				id := tb.val(i, swID)
				if id != "" && (!(len(id) >= 2 && (id[:2] == "SW" || id[:2] == "XX")) || tb.rows[i].LowerCase(swID) || (v.year >= 2026 && len(id) < 4)) {
					v.flagCol(tb, i, swID, "Social worker ID "+quote(id)+" does not begin with SW (the Social Work England registration number) or XX (not registered). Correct it.")
				}
			})
		}).since(2024),
		// The DfE: "For each social worker episode, information should be
		// complete": SW_ID, SW_DECOM and SW_REASON.
		def("SW03STG1", "Every social worker episode needs a social worker ID, a start date and a reason", "SW_ID SW_DECOM SW_REASON", tSW, func(v *run) {
			v.rows(ssda903.SWEpisodes, func(tb *tab, i int32) {
				if tb.val(i, swID) == "" || tb.val(i, swDECOM) == "" || tb.val(i, swREASON) == "" {
					v.flag(tb, i, []string{"SW_ID", "SW_DECOM", "SW_REASON"}, tb.val(i, swID)+" "+tb.val(i, swDECOM)+" "+tb.val(i, swREASON), "The social worker episode is incomplete: enter the social worker ID, the date the episode began and the reason.")
				}
			})
		}).since(2024),
		def("SW06STG2", "A social worker episode must not start after the end of the collection year", "SW_DECOM", tSW, func(v *run) {
			v.rows(ssda903.SWEpisodes, func(tb *tab, i int32) {
				if d := tb.date(i, swDECOM); d.ok() && d.ymd > v.cur.end.ymd {
					v.flagCol(tb, i, swDECOM, "The social worker episode starts "+d.String()+", after the collection year ends ("+v.cur.end.String()+"). Remove it or correct the date.")
				}
			})
		}).since(2024),
		def("SW07STG2", "A social worker episode must end within the collection year, or be left open", "SW_DEC", tSW, func(v *run) {
			v.rows(ssda903.SWEpisodes, func(tb *tab, i int32) {
				if d := tb.date(i, swDEC); d.ok() && (d.ymd > v.cur.end.ymd || d.ymd < v.cur.start.ymd) {
					v.flagCol(tb, i, swDEC, "The social worker episode ends "+d.String()+", outside the collection year ("+v.cur.start.String()+" to "+v.cur.end.String()+"). Correct the date, or leave it blank if still open.")
				}
			})
		}).since(2024),
		// The DfE: to 2024/25 an episode may not start and end the same
		// day; from 2025/26 it must last at least 3 days (SW_DEC at least
		// SW_DECOM + 3 days; an end before the start falls short too).
		def("SW09STG2", "A social worker episode should last at least one day (from 2025/26, at least 3 days)", "SW_DECOM SW_DEC", tSW, func(v *run) {
			v.rows(ssda903.SWEpisodes, func(tb *tab, i int32) {
				a, b := tb.date(i, swDECOM), tb.date(i, swDEC)
				if !a.ok() || !b.ok() {
					return
				}
				if v.year >= 2026 && b.days-a.days < 3 {
					v.flag(tb, i, []string{"SW_DECOM", "SW_DEC"}, a.String()+" "+b.String(), "The social worker episode lasts less than 3 days ("+a.String()+" to "+b.String()+"). Remove it, or correct the dates.")
				} else if v.year < 2026 && a.ymd == b.ymd {
					v.flag(tb, i, []string{"SW_DECOM", "SW_DEC"}, a.String(), "The social worker episode starts and ends the same day. Remove it, or correct the dates.")
				}
			})
		}).since(2024),
		// The DfE's condition: SW_DECOM must be SW_DEC of the previous
		// episode ± 7 days (the message speaks only of starting before the
		// previous one ended; we follow the condition). From 2024/25 an
		// episode with reason FCONTA is exempt.
		def("SW10STG2", "A new social worker episode must start within 7 days either side of the end of the previous one (from 2024/25 unless the reason is FCONTA)", "SW_DECOM", tSW, func(v *run) {
			swStartsNearPreviousEnd(v, v.year >= 2025)
		}).since(2024),
		def("SW108STG2", "A new social worker episode cannot start while the previous one is open", "SW_DEC", tSW, func(v *run) {
			tb := v.cur.tabs[ssda903.SWEpisodes]
			for _, child := range tb.order {
				rows := sortedBy(tb, tb.rowsOf(child), swDECOM)
				for k := 0; k+1 < len(rows); k++ {
					if tb.val(rows[k], swDEC) == "" {
						v.flagCol(tb, rows[k], swDEC, "A later social worker episode starts "+tb.val(rows[k+1], swDECOM)+" but this one has no end date. Enter the date this social worker stopped.")
					}
				}
			}
		}).since(2024),
		def("SW11STG2", "A social worker episode that ended before 31 March must be followed by one starting that day; a child looked after on 31 March must have an open social worker episode", "SW_DEC SW_DECOM", tables(ssda903.SWEpisodes, ssda903.Episodes), func(v *run) {
			swNextStartsNear(v, 0, 0)
			swEndedBeforeMarch(v)
		}).since(2024),
		// The DfE's tools call the check SW11aSTG2 in 2023/24, with 5 days'
		// tolerance either side for an episode ending 5 days or more before
		// 31 March.
		def("SW11aSTG2", "A social worker episode that ended 5 days or more before 31 March must be followed by one starting within 5 days of its end; a child looked after on 31 March must have an open social worker episode (2023/24 code)", "SW_DEC SW_DECOM", tables(ssda903.SWEpisodes, ssda903.Episodes), func(v *run) {
			swNextStartsNear(v, 5, 5)
			swEndedBeforeMarch(v)
		}).since(2024).until(2024),
		def("SW12STG2", "A child looked after on 31 March must have social worker episodes for the whole year from 1 April, including while not looked after", "SW_DECOM", tables(ssda903.SWEpisodes, ssda903.Episodes), func(v *run) {
			sw, ep := v.cur.tabs[ssda903.SWEpisodes], v.cur.ep
			v.episodes(func(child string, eps []int32) {
				last := eps[len(eps)-1]
				end := ep.date(last, eDEC)
				if (ep.val(last, eDEC) != "" && !(end.ok() && end.ymd > v.cur.end.ymd)) || isRespite(ep.val(last, eLS)) {
					return // not looked after on 31 March
				}
				from := v.cur.start
				if dob := v.cur.dobAt(ep, last); dob.ok() && dob.ymd > from.ymd {
					from = dob // born during the year
				}
				for _, i := range sw.rowsOf(child) {
					if d := sw.date(i, swDECOM); d.ok() && d.ymd <= from.ymd {
						return
					}
				}
				v.flagCol(ep, last, eDECOM, "The child was looked after on 31 March but no social worker episode covers "+from.String()+": report every social worker episode of the year, including while the child was not looked after.")
			})
		}).warn().since(2024), // a query: social work before care may be held elsewhere
	}
}

// swNextStartsNear flags, for each social worker episode that ended at least
// before days before 31 March, the child's next episode (by start date,
// undated starts last) when its start is blank or more than within days
// from that end (SW11STG2: the same day; SW11aSTG2: 5 days either side).
func swNextStartsNear(v *run, before, within int32) {
	tb := v.cur.tabs[ssda903.SWEpisodes]
	for _, k := range tb.orderK {
		rows := swOrdered(tb, k)
		for x := 1; x < len(rows); x++ {
			p, i := rows[x-1], rows[x]
			e := tb.date(p, swDEC)
			if !e.ok() || e.days > v.cur.end.days-before || (before == 0 && e.days >= v.cur.end.days) {
				continue
			}
			s := tb.date(i, swDECOM)
			if s.ok() && s.days >= e.days-within && s.days <= e.days+within {
				continue
			}
			when := "the day it ended"
			if within > 0 {
				when = "within " + itoa(int(within)) + " days of its end"
			}
			v.flagCol(tb, i, swDECOM, "The child's previous social worker episode ended "+e.String()+", before 31 March, so the next one should start "+when+"; this one starts "+orNone(tb.val(i, swDECOM))+". Check the dates.")
		}
	}
}

// swEndedBeforeMarch flags, for a child looked after on 31 March, a latest
// social worker episode that ended before 31 March (SW11STG2, SW11aSTG2).
func swEndedBeforeMarch(v *run) {
	tb, ep := v.cur.tabs[ssda903.SWEpisodes], v.cur.ep
	for _, child := range tb.order {
		eps := v.cur.epsOf(child)
		if len(eps) == 0 || ep.val(eps[len(eps)-1], eDEC) != "" {
			continue
		}
		rows := sortedBy(tb, tb.rowsOf(child), swDECOM)
		last := rows[len(rows)-1]
		if d := tb.date(last, swDEC); d.ok() && d.ymd < v.cur.end.ymd {
			v.flagCol(tb, last, swDEC, "The child was looked after on 31 March, but the last social worker episode ended "+d.String()+" with none after it. Add the current social worker's episode.")
		}
	}
}
