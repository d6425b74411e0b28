package rules

import (
	"strings"

	"sufficiency/ssda903"
)

// Previous-year continuity: this year's return against last year's for the
// same council. All these rules are skipped when last year is not loaded.

// openLastYear returns last year's open episode of the child (latest by
// start date, no end date), or -1.
func (v *run) openLastYear(child string) int32 {
	eps := v.prev.epsOf(child)
	if len(eps) == 0 {
		return -1
	}
	i := eps[len(eps)-1]
	if v.prev.ep.val(i, eDEC) != "" {
		return -1
	}
	return i
}

// carried calls fn for each child whose first episode this year started
// before the year and who had an open episode at the end of last year.
func (v *run) carried(fn func(child string, first, last int32)) {
	ep := v.cur.ep
	v.episodes(func(child string, eps []int32) {
		first := eps[0]
		if d := ep.date(first, eDECOM); !d.ok() || d.ymd >= v.cur.start.ymd {
			return
		}
		if last := v.openLastYear(child); last >= 0 {
			fn(child, first, last)
		}
	})
}

// continuity builds a 503x rule comparing one field of the carried-over episode.
func continuity(code, field, what string, col int) rule {
	return def(code, "The first episode this year must have the same "+what+" as last year's open episode", field, tEp, func(v *run) {
		ep, pe := v.cur.ep, v.prev.ep
		v.carried(func(child string, first, last int32) {
			a, b := ep.val(first, col), pe.val(last, col)
			if a == b {
				return
			}
			if code == "503D" && recoded(b, a, v.year) {
				return
			}
			v.flagCol(ep, first, col, "The "+what+" of the first episode ("+quote(a)+") differs from last year's open episode ("+quote(b)+", "+pe.src.File+" line "+itoa(pe.rows[last].Line)+"). The episode carried over must be recorded the same way in both years.")
		})
	}).withPrev(ssda903.Episodes)
}

// recoded reports whether a placement open across the change of code lists
// may be recorded as prev last year and as cur this year: supported
// accommodation recorded as H5 became K3 (registered supported accommodation,
// from 2024/25, H5 removed in 2025/26), and "other" placements recorded as Z1
// are recorded under one of Z11–Z14, which replaced Z1 in 2025/26.
func recoded(prev, cur string, year int) bool {
	switch {
	case prev == "H5" && cur == "K3":
		return year == 2025 || year == 2026
	case prev == "Z1":
		return year == 2026 && (cur == "Z11" || cur == "Z12" || cur == "Z13" || cur == "Z14")
	}
	return false
}

// headerSame builds a rule comparing a Header field with last year's.
// blanks says whether a blank on one side only is a difference.
func headerSame(code, what string, col int, blanks bool, differ func(cur, prev string) bool) rule {
	field := ssda903.Columns[ssda903.Header][col]
	return def(code, "The "+what+" must agree with last year's return", field, tHeader, func(v *run) {
		ph := v.prev.hd
		v.rows(ssda903.Header, func(tb *tab, i int32) {
			j, ok := v.prev.headerRow(tb.val(i, 0))
			if !ok {
				return
			}
			a, b := tb.val(i, col), ph.val(j, col)
			if (a != "" && b != "" || blanks && a != b) && differ(a, b) {
				v.flagCol(tb, i, col, "The "+what+" "+quote(a)+" differs from last year's ("+quote(b)+"). Correct whichever is wrong; a child's "+what+" does not change between returns.")
			}
		})
	}).withPrev(ssda903.Header)
}

func previousYearRules() []rule {
	return []rule{
		def("502", "The first episode this year must start on the same date as last year's open episode", "DECOM", tEp, func(v *run) {
			ep, pe := v.cur.ep, v.prev.ep
			v.episodes(func(child string, eps []int32) {
				last := v.openLastYear(child)
				if last < 0 {
					return
				}
				a, b := ep.date(eps[0], eDECOM), pe.date(last, eDECOM)
				if a.ok() && b.ok() && a.ymd != b.ymd {
					v.flagCol(ep, eps[0], eDECOM, "Last year's return ended with an episode open since "+b.String()+", but this year's first episode starts "+a.String()+". Include the open episode with its original start date.")
				}
			})
		}).withPrev(ssda903.Episodes),
		continuity("503A", "RNE", "reason for new episode", eRNE),
		continuity("503B", "LS", "legal status", eLS),
		continuity("503C", "CIN", "category of need", eCIN),
		continuity("503D", "PLACE", "placement type", ePLACE),
		continuity("503E", "PLACE_PROVIDER", "placement provider", ePROV),
		continuity("503F", "URN", "Ofsted URN", eURN),
		def("562", "An episode that started before this year must be in last year's return", "DECOM", tEp, func(v *run) {
			ep, pe := v.cur.ep, v.prev.ep
			v.episodes(func(child string, eps []int32) {
				first := eps[0]
				d := ep.date(first, eDECOM)
				prev := v.prev.epsOf(child)
				if !d.ok() || d.ymd >= v.cur.start.ymd || len(prev) == 0 {
					return
				}
				for _, j := range prev {
					if pe.date(j, eDECOM).ymd == d.ymd {
						return
					}
				}
				v.flagCol(ep, first, eDECOM, "This episode started "+d.String()+", before this collection year, but last year's return has no episode starting then. Check the start date against last year's return.")
			})
		}).withPrev(ssda903.Episodes),
		def("NoE", "A child whose care started before this year should have episodes in last year's return", "DECOM", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				d := ep.date(eps[0], eDECOM)
				if d.ok() && d.ymd < v.cur.start.ymd && len(v.prev.epsOf(child)) == 0 {
					v.flagCol(ep, eps[0], eDECOM, "The child's episode started "+d.String()+", before this year, but the child has no episodes in last year's return. Check the child's identifier and last year's return.")
				}
			})
		}).withPrev(ssda903.Episodes).warn(),
		headerSame("202", "sex", hSEX, true, func(a, b string) bool { return !sameSex(a, b) }),
		headerSame("203", "date of birth", hDOB, true, func(a, b string) bool {
			// Dates compare as dates; a blank or unreadable date on either
			// side differs unless both are written the same.
			x, ok1 := ssda903.ParseDate(a)
			y, ok2 := ssda903.ParseDate(b)
			if ok1 && ok2 {
				return !x.Equal(y)
			}
			return a != b
		}),
		headerSame("204", "ethnicity", hETHNIC, true, func(a, b string) bool { return a != b }),
		// 202 and 204, like 203: a blank on one side only disagrees (the
		// DfE tools compare the values as given; a blank this year is also
		// 101's or 103's). 208 allows the changes the DfE expects of an
		// unknown UPN: from blank or UN1 to UN1–UN5, and from blank or any
		// UN code to a real UPN; any other change, a real UPN dropped
		// (blank or UN) or one UN code swapped for another (UN4 to UN3),
		// disagrees.
		headerSame("208", "UPN", hUPN, true, upnChanged),
		// DfE: where last year's return gives MC_DOB, this year's must be
		// the same. A blank this year contradicts it too when the young
		// woman is looked after this year (episodes in the return); a care
		// leaver not looked after leaves motherhood blank (628). A blank
		// last year contradicts nothing; an invalid date is 171's.
		def("624", "The date of birth of the mother's child must agree with last year's return", "MC_DOB", tHeader, func(v *run) {
			ph := v.prev.hd
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				j, ok := v.prev.headerRow(tb.val(i, 0))
				if !ok {
					return
				}
				b := ph.date(j, hMCDOB)
				if !b.ok() {
					return
				}
				a := tb.val(i, hMCDOB)
				switch {
				case a == "":
					if v.cur.ep != nil && len(v.cur.epsAt(tb, i)) == 0 {
						return // not looked after this year (without an Episodes table the DfE condition applies as written)
					}
				case !tb.date(i, hMCDOB).ok() || tb.date(i, hMCDOB).ymd == b.ymd:
					return
				}
				v.flagCol(tb, i, hMCDOB, "The date of birth of the mother's child "+quote(a)+" differs from last year's ("+quote(ph.val(j, hMCDOB))+"). Correct whichever is wrong; it does not change between returns.")
			})
		}).withPrev(ssda903.Header),
		def("207", "A child recorded as a mother last year cannot be recorded as not a mother this year", "MOTHER", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				j, ok := v.prev.headerRow(tb.val(i, 0))
				if ok && tb.val(i, hMOTHER) != "1" && v.prev.hd.val(j, hMOTHER) == "1" && (v.cur.ep == nil || len(v.cur.epsAt(tb, i)) > 0) {
					v.flagCol(tb, i, hMOTHER, "Last year's return records the young woman as a mother (1); this year says "+quote(tb.val(i, hMOTHER))+". Once a mother, always a mother: correct whichever is wrong.")
				}
			})
		}).withPrev(ssda903.Header),
		def("626", "A mother whose child was born before this year must have been recorded as a mother last year", "MOTHER MC_DOB", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				j, ok := v.prev.headerRow(tb.val(i, 0))
				m := tb.date(i, hMCDOB)
				if ok && tb.val(i, hMOTHER) == "1" && m.ok() && m.ymd < v.cur.start.ymd && v.prev.hd.val(j, hMOTHER) == "0" {
					v.flagCol(tb, i, hMCDOB, "Her child was born "+m.String()+", before this year, but last year's return says she was not a mother. Correct the date or last year's mother status.")
				}
			})
		}).withPrev(ssda903.Header),
		def("576", "A missing period open at the end of last year must appear at the start of this year", "CHILD MIS_START", tMissing, func(v *run) {
			pm, cm := v.prev.tabs[ssda903.Missing], v.cur.tabs[ssda903.Missing]
			for _, child := range pm.order {
				for _, j := range pm.rowsOf(child) {
					s := pm.date(j, mSTART)
					if pm.val(j, mEND) != "" || !s.ok() {
						continue
					}
					found := false
					for _, i := range cm.rowsOf(child) {
						if cm.date(i, mSTART).ymd == s.ymd {
							found = true
							break
						}
					}
					if !found {
						v.flag(pm, j, []string{"MIS_START"}, s.String(), "Last year's return has this missing period (from "+s.String()+") still open, but this year's Missing table does not continue it. Add it to this year with its end date.")
					}
				}
			}
		}).withPrev(ssda903.Missing),
	}
}

// upnChanged reports whether this year's UPN cur contradicts last year's
// prev (rule 208); see previousYearRules.
func upnChanged(cur, prev string) bool {
	cur, prev = strings.ToUpper(cur), strings.ToUpper(prev)
	if cur == prev {
		return false
	}
	unknown := func(s string) bool { return in(s, "UN1", "UN2", "UN3", "UN4", "UN5") }
	switch {
	case (prev == "" || prev == "UN1") && unknown(cur):
		return false
	case (prev == "" || unknown(prev)) && cur != "" && !unknown(cur):
		return false
	}
	return true
}
