package rules

import (
	"math"
	"sort"

	"sufficiency/ssda903"
)

// Missing and away-from-placement periods, alone and against the episodes.

func missingRules() []rule {
	return []rule{
		def("564", "A missing or away period must have a start date", "MISSING MIS_START", tMissing, func(v *run) {
			v.rows(ssda903.Missing, func(tb *tab, i int32) {
				if tb.val(i, mMISSING) != "" && tb.val(i, mSTART) == "" {
					v.flagCol(tb, i, mSTART, "The missing or away period has no start date. Enter MIS_START.")
				}
			})
		}),
		def("565", "A missing period with a start date must say whether the child was missing (M) or away (A)", "MISSING MIS_START", tMissing, func(v *run) {
			v.rows(ssda903.Missing, func(tb *tab, i int32) {
				if tb.val(i, mSTART) != "" && tb.val(i, mMISSING) == "" {
					v.flagCol(tb, i, mMISSING, "The period has a start date but MISSING is blank. Enter M (missing) or A (away without authorisation).")
				}
			})
		}),
		def("566", "A missing period with an end date must say whether the child was missing (M) or away (A)", "MISSING MIS_END", tMissing, func(v *run) {
			v.rows(ssda903.Missing, func(tb *tab, i int32) {
				if tb.val(i, mEND) != "" && tb.val(i, mMISSING) == "" {
					v.flagCol(tb, i, mMISSING, "The period has an end date but MISSING is blank. Enter M (missing) or A (away without authorisation).")
				}
			})
		}),
		def("574", "Missing or away periods of a child must not overlap, and only the latest may be open", "MIS_START MIS_END", tMissing, func(v *run) {
			// The DfE's tools order a child's periods by end date (an open
			// period at its start date, undated ones last), then by start,
			// and flag a period that follows an open one or starts before
			// the previous one ended: of two overlapping periods, the one
			// that ends later.
			tb := v.cur.tabs[ssda903.Missing]
			for _, child := range tb.order {
				rows := missingByEnd(tb, tb.rowsOf(child))
				for k := 1; k < len(rows); k++ {
					a, b := rows[k-1], rows[k]
					sa, sb, ea := tb.date(a, mSTART), tb.date(b, mSTART), tb.date(a, mEND)
					switch {
					case !ea.ok():
						from := "an unknown date"
						if sa.ok() {
							from = sa.String()
						}
						v.flag(tb, b, []string{"MIS_START", "MIS_END"}, tb.val(b, mSTART), "This missing period comes after the period from "+from+" (line "+itoa(tb.rows[a].Line)+"), which has no valid end date. Only the latest period may be open: close the other one, or correct the dates.")
					case sb.ok() && sb.ymd < ea.ymd:
						v.flag(tb, b, []string{"MIS_START", "MIS_END"}, sb.String(), "This missing period starts "+sb.String()+", before the period from line "+itoa(tb.rows[a].Line)+" ended ("+ea.String()+"). Periods must not overlap: correct the dates.")
					}
				}
			}
		}),
		def("577", "A missing period must lie within a period of care: not open after care ended, and not ending before care began or after it ended", "MIS_END", tables(ssda903.Missing, ssda903.Episodes), func(v *run) {
			outsideCare(v, v.cur.tabs[ssda903.Missing], mSTART, mEND, "missing period")
		}),
		def("578", "A missing period must start within a period of care: not before care began, nor after it ended", "MIS_START", tables(ssda903.Missing, ssda903.Episodes), func(v *run) {
			// DfE: the date the child started to be missing is after the
			// child ceased to be looked after. As the DfE's tools check it,
			// against the child's periods of care (577): flagged when the
			// start is, for every period of care, before it began or after
			// it ended. A child with no dated episode is not checked.
			tb := v.cur.tabs[ssda903.Missing]
			for _, child := range tb.order {
				spells := careSpells(v, v.cur.epsOf(child))
				if len(spells) == 0 {
					continue
				}
				for _, i := range tb.rowsOf(child) {
					s := tb.date(i, mSTART)
					if !s.ok() {
						continue
					}
					inside := false
					for _, p := range spells {
						if s.ymd >= p.from.ymd && (!p.to.ok() || s.ymd <= p.to.ymd) {
							inside = true
							break
						}
					}
					if !inside {
						v.flagCol(tb, i, mSTART, "This missing period starts "+s.String()+", outside the child's periods of care in the return (the child was not looked after then). Remove it, or check the dates.")
					}
				}
			}
		}),
		def("580", "A child missing when care ended must have reason ceased E8", "REC", tables(ssda903.Missing, ssda903.Episodes), func(v *run) {
			tb, ep := v.cur.tabs[ssda903.Missing], v.cur.ep
			for _, child := range tb.order {
				eps := v.cur.epsOf(child)
				if len(eps) == 0 {
					continue
				}
				last := eps[len(eps)-1]
				end, rec := ep.date(last, eDEC), ep.val(last, eREC)
				if !ceasedCare(rec) || rec == "E8" || !end.ok() {
					continue
				}
				for _, i := range tb.rowsOf(child) {
					s, e := tb.date(i, mSTART), tb.date(i, mEND)
					// Missing or away (M or A) on the day care ended: started by
					// then (or no start given) and not ended before it.
					if (!s.ok() && tb.val(i, mSTART) == "" || s.ok() && s.ymd <= end.ymd) && (tb.val(i, mEND) == "" || e.ok() && e.ymd >= end.ymd) {
						v.flagCol(ep, last, eREC, "The child was missing or away ("+tb.val(i, mMISSING)+") when care ended on "+end.String()+", so the reason ceased should be E8, not "+rec+".")
						break
					}
				}
			}
		}),
		def("581", "A child can only be missing or away from placement while looked after", "MIS_START", tables(ssda903.Missing, ssda903.Episodes), func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.Missing, func(tb *tab, i int32) {
				s := tb.date(i, mSTART)
				eps := v.cur.epsAt(tb, i)
				if !s.ok() || len(eps) == 0 {
					return
				}
				for _, e := range eps {
					a, b := ep.date(e, eDECOM), ep.date(e, eDEC)
					if a.ok() && a.ymd <= s.ymd && (ep.val(e, eDEC) == "" || b.ok() && s.ymd <= b.ymd) {
						return
					}
				}
				v.flagCol(tb, i, mSTART, "This missing period starts "+s.String()+", when the child was not looked after (no episode covers that day). Check the dates.")
			})
		}),
	}
}

// sortedBy returns rows ordered by the date column (stable; invalid dates first).
// careSpell is a period of care: episodes joined while each starts on or
// before the previous one's end (an open episode runs on).
type careSpell struct{ from, to date } // to: not ok while open

// careSpells lists a child's periods of care from its episodes in start
// order; episodes without a valid start are left out.
func careSpells(v *run, eps []int32) []careSpell {
	ep := v.cur.ep
	var out []careSpell
	var prevEnd date
	for _, j := range eps {
		s := ep.date(j, eDECOM)
		if !s.ok() {
			continue
		}
		if len(out) == 0 || (prevEnd.ok() && s.ymd > prevEnd.ymd) {
			out = append(out, careSpell{from: s})
		}
		prevEnd = ep.date(j, eDEC)
		out[len(out)-1].to = prevEnd
	}
	return out
}

// outsideCare flags a dated period (a missing period, 577; a deprivation of
// liberty order, 707) that lies in none of the child's periods of care, as the
// DfE's tools read "child ceased to be looked after but the period has no end
// date": against every period of care, the period is open though that care
// ended, open and began before that care, ends after that care ended, or ends
// before that care began. A period without a valid start, or of a child with
// no dated episodes, is left to other rules.
func outsideCare(v *run, tb *tab, cStart, cEnd int, what string) {
	for _, child := range tb.order {
		spells := careSpells(v, v.cur.epsOf(child))
		if len(spells) == 0 {
			continue
		}
		for _, i := range tb.rowsOf(child) {
			s, e := tb.date(i, cStart), tb.date(i, cEnd)
			if !s.ok() {
				continue
			}
			inside := false
			for _, p := range spells {
				out := (!e.ok() && (p.to.ok() || s.ymd < p.from.ymd)) ||
					(e.ok() && ((p.to.ok() && e.ymd > p.to.ymd) || e.ymd < p.from.ymd))
				if !out {
					inside = true
					break
				}
			}
			if inside {
				continue
			}
			last := spells[len(spells)-1]
			var msg string
			switch {
			case !e.ok() && last.to.ok():
				msg = "The child ceased to be looked after on " + last.to.String() + " but this " + what + " (from " + s.String() + ") has no end date. Enter the end date: at the latest the date care ended."
			case !e.ok():
				msg = "This " + what + " has no end date and started " + s.String() + ", before the child's period of care began. Check the dates."
			default:
				msg = "This " + what + " (" + s.String() + " to " + e.String() + ") does not end within any of the child's periods of care in the return. Check its dates against the episodes."
			}
			v.flagCol(tb, i, cEnd, msg)
		}
	}
}

// missingByEnd orders a child's missing periods by end date, an open
// period at its start date and undated ones last, then by start date
// (undated last), as the DfE's tools do for 574.
func missingByEnd(tb *tab, rows []int32) []int32 {
	out := append([]int32(nil), rows...)
	key := func(i int32) (int32, int32) {
		e, s := tb.date(i, mEND), tb.date(i, mSTART)
		if !e.ok() {
			e = s
		}
		ek, sk := e.ymd, s.ymd
		if !e.ok() {
			ek = math.MaxInt32
		}
		if !s.ok() {
			sk = math.MaxInt32
		}
		return ek, sk
	}
	sort.SliceStable(out, func(x, y int) bool {
		ex, sx := key(out[x])
		ey, sy := key(out[y])
		return ex < ey || (ex == ey && sx < sy)
	})
	return out
}

func sortedBy(tb *tab, rows []int32, col int) []int32 {
	out := append([]int32(nil), rows...)
	for a := 1; a < len(out); a++ {
		for b := a; b > 0 && tb.date(out[b], col).ymd < tb.date(out[b-1], col).ymd; b-- {
			out[b], out[b-1] = out[b-1], out[b]
		}
	}
	return out
}
