package rules

import (
	"strconv"
	"strings"

	"sufficiency/ssda903"
)

// Rules on the supplied columns (ssda903.SuppliedColumns): the Header's UASC
// flag, which the XML return carries (and a CSV Header may), and the
// placement fields the DfE's tools derive from the postcodes (PL_LA,
// PL_LOCATION, PL_DISTANCE), which some councils' extracts include. Each
// rule is skipped when the file does not carry its column: there is then
// nothing the council wrote to check (our own derivations are checked by
// 392c, 454, 503G and 1015 from the postcodes).

// Positions in ssda903.SuppliedColumns.
var (
	sHdrUASC  = ssda903.SuppliedCol(ssda903.Header, "UASC")
	sPLLA     = ssda903.SuppliedCol(ssda903.Episodes, "PL_LA")
	sPLLOC    = ssda903.SuppliedCol(ssda903.Episodes, "PL_LOCATION")
	sDISTANCE = ssda903.SuppliedCol(ssda903.Episodes, "PL_DISTANCE")
)

// sup returns the supplied column k of row i.
func (t *tab) sup(i int32, k int) string { return t.rows[i].SuppliedValue(k) }

// uascOf says what return d records of the child's UASC status, as the DfE's
// tools read it: the Header's UASC flag as written when the Header file
// supplies one; otherwise "1" when the child has a UASC row with a value
// besides CHILD and DOB (how the tools infer the flag for a CSV return) and
// "0" when not. known is false when d has no row of the child in the table
// the status is read from (the Header when it was loaded, else UASC).
func uascOf(d *data, child string) (flag string, known bool) {
	if d == nil {
		return "", false
	}
	if hd := d.hd; hd != nil && hd.src.HasSupplied("UASC") {
		rows := hd.rowsOf(child)
		if len(rows) == 0 {
			return "", false
		}
		return hd.sup(rows[0], sHdrUASC), true
	}
	u := d.tabs[ssda903.UASC]
	var rows []int32
	if u != nil {
		rows = u.rowsOf(child)
	}
	if d.hd == nil && len(rows) == 0 {
		return "", false
	}
	if d.hd != nil && len(d.hd.rowsOf(child)) == 0 && len(rows) == 0 {
		return "", false
	}
	for _, i := range rows {
		if u.val(i, uSEX) != "" || u.val(i, uDUC) != "" {
			return "1", true
		}
	}
	return "0", true
}

// isOne reports whether a UASC flag says UASC ("1", or "1.0" as a
// spreadsheet may write it).
func isOne(flag string) bool { return flag == "1" || flag == "1.0" }

func suppliedRules() []rule {
	return []rule{
		def("105", "The UASC flag in the Header must be 0 (not UASC) or 1 (UASC) and must not be blank", "UASC", tHeader, func(v *run) {
			hd := v.cur.hd
			v.rows(ssda903.Header, func(_ *tab, i int32) {
				switch f := hd.sup(i, sHdrUASC); f {
				case "0", "1":
				case "":
					v.flag(hd, i, []string{"UASC"}, f, "The UASC flag is blank. Give 1 for an unaccompanied asylum-seeking child and 0 otherwise.")
				default:
					v.flag(hd, i, []string{"UASC"}, f, "The UASC flag "+quote(f)+" is not 0 or 1. Give 1 for an unaccompanied asylum-seeking child and 0 otherwise.")
				}
			})
		}).column(ssda903.Header, "UASC"),

		def("303", "When a date UASC status ceased is given, the child's UASC flag must be 1", "DUC UASC", tables(ssda903.UASC, ssda903.Header), func(v *run) {
			hd, u := v.cur.hd, v.cur.tabs[ssda903.UASC]
			v.rows(ssda903.Header, func(_ *tab, i int32) {
				f := hd.sup(i, sHdrUASC)
				if isOne(f) {
					return
				}
				child := hd.val(i, hCHILD)
				for _, j := range u.rowsOf(child) {
					if duc := u.val(j, uDUC); duc != "" {
						v.flag(u, j, []string{"DUC"}, duc, "A date UASC status ceased ("+duc+") is given but the child's UASC flag in the Header is "+quote(f)+". Set the flag to 1, or remove the date if the child was never UASC.")
						v.flag(hd, i, []string{"UASC"}, f, "The UASC flag is "+quote(f)+" but the UASC table gives a date UASC status ceased ("+duc+"). Set the flag to 1, or remove the date if the child was never UASC.")
					}
				}
			})
		}).column(ssda903.Header, "UASC"),

		def("205C", "A date UASC status ceased is given for a child not recorded as UASC this year or last year", "DUC UASC", tables(ssda903.UASC, ssda903.Header), func(v *run) {
			hd, u := v.cur.hd, v.cur.tabs[ssda903.UASC]
			pu := v.prev.tabs[ssda903.UASC]
			v.rows(ssda903.UASC, func(_ *tab, j int32) {
				child := u.val(j, 0)
				cur, _ := uascOf(v.cur, child)
				var last string
				var lastRows []int32
				if pu != nil {
					lastRows = pu.rowsOf(child)
				}
				if len(lastRows) > 0 {
					last, _ = uascOf(v.prev, child)
				}
				if isOne(cur) || isOne(last) {
					return
				}
				duc := u.date(j, uDUC).ok()
				for _, k := range lastRows {
					duc = duc || pu.date(k, uDUC).ok()
				}
				if !duc {
					return
				}
				msg := "A date UASC status ceased is given for this child, but the Header's UASC flag is not 1 this year or last year. Set the flag to 1 for the year the child was UASC, or remove the date."
				v.flag(u, j, []string{"DUC"}, u.val(j, uDUC), msg)
				for _, i := range hd.rowsOf(child) {
					v.flag(hd, i, []string{"UASC"}, hd.sup(i, sHdrUASC), msg)
				}
			})
		}).column(ssda903.Header, "UASC").withPrev(),

		def("205D", "A child recorded as UASC this year must have been recorded as UASC last year", "UASC CHILD", tables(), func(v *run) {
			// The status is the Header's UASC flag, or inferred from the UASC
			// table (uascOf); findings point at the Header row when the
			// Header was loaded, else at the UASC row.
			t := v.cur.hd
			if t == nil {
				t = v.cur.tabs[ssda903.UASC]
			}
			if t == nil || (v.prev.hd == nil && v.prev.tabs[ssda903.UASC] == nil) {
				return
			}
			for _, child := range t.order {
				cur, ok := uascOf(v.cur, child)
				if !ok || !isOne(cur) {
					continue
				}
				last, ok := uascOf(v.prev, child)
				if !ok || isOne(last) {
					continue
				}
				for _, i := range t.rowsOf(child) {
					if t.name == ssda903.Header {
						v.flag(t, i, []string{"UASC"}, cur, "The child is recorded as UASC this year but not last year ("+quote(last)+"). Check last year's UASC flag, or this year's.")
					} else {
						v.flag(t, i, []string{"DUC"}, t.val(i, uDUC), "The child is recorded as UASC this year but not last year. Check last year's UASC table, or this year's.")
					}
				}
			}
		}).withPrev(),

		def("406", "A child who is or was UASC must have a blank placement distance", "PL_DISTANCE", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				now, _ := uascOf(v.cur, child)
				last, _ := uascOf(v.prev, child)
				if !isOne(now) && !isOne(last) {
					return
				}
				for _, i := range eps {
					if d := ep.sup(i, sDISTANCE); d != "" {
						v.flag(ep, i, []string{"PL_DISTANCE"}, d, "The child is or was an unaccompanied asylum-seeking child, so the placement distance from home must be blank (the home postcode is not collected). Remove the distance.")
					}
				}
			})
		}).column(ssda903.Episodes, "PL_DISTANCE").warn(),

		def("411", "A placement located IN the council must be in the council's own area (PL_LA)", "PL_LOCATION", tEp, func(v *run) {
			ep, la := v.cur.ep, v.cur.ret.Council
			if la == "" {
				return
			}
			v.rows(ssda903.Episodes, func(_ *tab, i int32) {
				if ep.sup(i, sPLLOC) == "IN" && !strings.EqualFold(ep.sup(i, sPLLA), la) {
					v.flag(ep, i, []string{"PL_LOCATION"}, "IN", "The placement location is IN the council but the placement's council (PL_LA) is "+quote(ep.sup(i, sPLLA))+", not "+la+". Correct the location to OUT or the placement's council.")
				}
			})
		}).column(ssda903.Episodes, "PL_LOCATION").column(ssda903.Episodes, "PL_LA"),

		def("420", "The placement's council (PL_LA) must be blank for a short-break episode (legal status V3 or V4)", "PL_LA", tEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.Episodes, func(_ *tab, i int32) {
				if la := ep.sup(i, sPLLA); la != "" && isRespite(ep.val(i, eLS)) {
					v.flag(ep, i, []string{"PL_LA"}, la, "The placement's council is given ("+la+") for a short-break episode (legal status "+ep.val(i, eLS)+"); it is not collected for short breaks. Leave it blank.")
				}
			})
		}).column(ssda903.Episodes, "PL_LA"),

		def("229", "The placement provider code must agree with the council the Ofsted register places the provision in (PR1 own council, PR2 another council)", "URN PLACE_PROVIDER", tEp, func(v *run) {
			ep, la := v.cur.ep, v.cur.ret.Council
			v.rows(ssda903.Episodes, func(_ *tab, i int32) {
				urn, prov := ep.val(i, eURN), ep.val(i, ePROV)
				if urn == "" || urn == "XXXXXXX" || (prov != "PR1" && prov != "PR2") {
					return
				}
				where := ""
				if p, ok := v.opt.Provider(urn); ok {
					where, _ = v.opt.PostcodeLA(p.Postcode)
				}
				switch {
				case prov == "PR1" && where != la:
					in := "not on the register or cannot be placed in a council"
					if where != "" {
						in = "in " + where
					}
					v.flag(ep, i, []string{"PLACE_PROVIDER", "URN"}, prov, "The provider is recorded as the council's own (PR1) but the provision with URN "+urn+" is "+in+", not in "+la+". Check the URN and the provider code.")
				case prov == "PR2" && where == la:
					v.flag(ep, i, []string{"PLACE_PROVIDER", "URN"}, prov, "The provider is recorded as another council (PR2) but the provision with URN "+urn+" is in this council ("+la+"). Check the URN and the provider code.")
				}
			})
		}).need(needRegisterLA).warn(),
	}
}

// formerUASC reports whether the child is UASC this year or was last year
// (uascOf on both returns).
func (v *run) formerUASC(child string) bool {
	now, _ := uascOf(v.cur, child)
	last, _ := uascOf(v.prev, child)
	return isOne(now) || isOne(last)
}

// acrossYears calls fn for each child whose latest episode last year is
// open and has the same reason for new episode as the child's first episode
// this year (the episode carried over), as 452 and 453 compare them.
func (v *run) acrossYears(fn func(first, last int32)) {
	ep, pe := v.cur.ep, v.prev.ep
	v.episodes(func(child string, eps []int32) {
		prev := v.prev.epsOf(child)
		if len(prev) == 0 {
			return
		}
		first, last := eps[0], prev[len(prev)-1]
		if pe.val(last, eDEC) == "" && ep.val(first, eRNE) == pe.val(last, eRNE) {
			fn(first, last)
		}
	})
}

func suppliedPlacementRules() []rule {
	return []rule{
		def("164", "The placement distance must be a number of miles from 0.0 to 999.9 (not for UASC or short breaks)", "PL_DISTANCE", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				if v.formerUASC(child) {
					return
				}
				for _, i := range eps {
					s := ep.sup(i, sDISTANCE)
					if s == "" || isRespite(ep.val(i, eLS)) {
						continue
					}
					if d, err := strconv.ParseFloat(s, 64); err != nil || d < 0 || d > 999.9 {
						v.flag(ep, i, []string{"PL_DISTANCE"}, s, "The placement distance "+quote(s)+" is not a number of miles from 0.0 to 999.9. Check the home and placement postcodes.")
					}
				}
			})
		}).column(ssda903.Episodes, "PL_DISTANCE"),

		def("392a", "A child looked after (not UASC, not on short breaks) needs a placement distance", "PL_DISTANCE", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				if v.formerUASC(child) {
					return
				}
				for _, i := range eps {
					if ep.sup(i, sDISTANCE) == "" && !isRespite(ep.val(i, eLS)) {
						v.flag(ep, i, []string{"PL_DISTANCE"}, "", "No placement distance is recorded. Give the home and placement postcodes so the distance can be worked out.")
					}
				}
			})
		}).column(ssda903.Episodes, "PL_DISTANCE").warn(),

		def("169", "The placement's council (PL_LA) must be given except for short breaks (V3, V4)", "PL_LA", tEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.Episodes, func(_ *tab, i int32) {
				if ep.sup(i, sPLLA) == "" && !isRespite(ep.val(i, eLS)) {
					v.flag(ep, i, []string{"PL_LA"}, "", "The placement's council is missing. Check a valid placement postcode has been entered.")
				}
			})
		}).column(ssda903.Episodes, "PL_LA"),

		def("179", "The placement location must be IN or OUT (of the council's area) except for short breaks (V3, V4)", "PL_LOCATION", tEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.Episodes, func(_ *tab, i int32) {
				if l := ep.sup(i, sPLLOC); l != "IN" && l != "OUT" && !isRespite(ep.val(i, eLS)) {
					v.flag(ep, i, []string{"PL_LOCATION"}, l, "The placement location "+quote(l)+" is not IN or OUT. Check a valid placement postcode has been entered.")
				}
			})
		}).column(ssda903.Episodes, "PL_LOCATION"),

		def("452", "The placement's council (PL_LA) of the first episode this year must match last year's open episode", "PL_LA", tEp, func(v *run) {
			if !v.prev.ep.src.HasSupplied("PL_LA") {
				return
			}
			ep, pe := v.cur.ep, v.prev.ep
			v.acrossYears(func(first, last int32) {
				if a, b := ep.sup(first, sPLLA), pe.sup(last, sPLLA); a != b {
					v.flag(ep, first, []string{"PL_LA"}, a, "The placement's council of the first episode ("+orNone(a)+") contradicts last year's open episode ("+orNone(b)+").")
				}
			})
		}).column(ssda903.Episodes, "PL_LA").withPrev(ssda903.Episodes),

		def("453", "The placement distance of the first episode this year must match last year's open episode", "PL_DISTANCE", tEp, func(v *run) {
			if !v.prev.ep.src.HasSupplied("PL_DISTANCE") {
				return
			}
			ep, pe := v.cur.ep, v.prev.ep
			v.acrossYears(func(first, last int32) {
				if a, b := ep.sup(first, sDISTANCE), pe.sup(last, sDISTANCE); !sameNumber(a, b) {
					v.flag(ep, first, []string{"PL_DISTANCE"}, a, "The placement distance of the first episode ("+orNone(a)+") contradicts last year's open episode ("+orNone(b)+").")
				}
			})
		}).column(ssda903.Episodes, "PL_DISTANCE").withPrev(ssda903.Episodes),

		def("503J", "The placement location (IN/OUT) of the first episode this year must match last year's open episode", "PL_LOCATION", tEp, func(v *run) {
			if !v.prev.ep.src.HasSupplied("PL_LOCATION") {
				return
			}
			ep, pe := v.cur.ep, v.prev.ep
			v.carried(func(child string, first, last int32) {
				if a, b := ep.sup(first, sPLLOC), pe.sup(last, sPLLOC); a != b {
					v.flag(ep, first, []string{"PL_LOCATION"}, a, "The placement location of the first episode ("+orNone(a)+") differs from last year's open episode ("+orNone(b)+"). The episode carried over must be recorded the same way in both years.")
				}
			})
		}).column(ssda903.Episodes, "PL_LOCATION").withPrev(ssda903.Episodes),
	}
}

// uascAcross calls fn for each UASC row this year with the child's UASC
// flag this year and last (uascOf; last is "" when the child has no UASC
// row last year) and last year's UASC rows, as 205A and 205B compare them.
func (v *run) uascAcross(fn func(j int32, cur, last string, lastRows []int32)) {
	u, pu := v.cur.tabs[ssda903.UASC], v.prev.tabs[ssda903.UASC]
	v.rows(ssda903.UASC, func(_ *tab, j int32) {
		child := u.val(j, 0)
		cur, _ := uascOf(v.cur, child)
		lastRows := pu.rowsOf(child)
		last := ""
		if len(lastRows) > 0 {
			last, _ = uascOf(v.prev, child)
		}
		fn(j, cur, last, lastRows)
	})
}

// flagUASC flags UASC row j and the child's Header rows.
func (v *run) flagUASC(j int32, msg string) {
	u, hd := v.cur.tabs[ssda903.UASC], v.cur.hd
	v.flag(u, j, []string{"DUC"}, u.val(j, uDUC), msg)
	if hd != nil {
		for _, i := range hd.rowsOf(u.val(j, 0)) {
			v.flag(hd, i, []string{"UASC"}, hd.sup(i, sHdrUASC), msg)
		}
	}
}

func uascContinuityRules() []rule {
	return []rule{
		def("205A", "A child UASC last year and not this year needs last year's date UASC ceased within last year, and none this year", "CHILD UASC DUC", tUASC, func(v *run) {
			pu := v.prev.tabs[ssda903.UASC]
			lastStart, lastEnd := ymd(v.year-2, 4, 1), ymd(v.year-1, 3, 31)
			v.uascAcross(func(j int32, cur, last string, lastRows []int32) {
				if isOne(cur) || !isOne(last) {
					return
				}
				inLast := false
				for _, k := range lastRows {
					if d := pu.date(k, uDUC); d.ok() && d.ymd >= lastStart.ymd && d.ymd <= lastEnd.ymd {
						inLast = true
					}
				}
				if v.cur.tabs[ssda903.UASC].val(j, uDUC) != "" || !inLast {
					v.flagUASC(j, "The child was UASC last year and is not this year, so the date UASC status ceased belongs in last year's return, within last year ("+lastStart.String()+" to "+lastEnd.String()+"), and not in this year's. Check both years' UASC records.")
				}
			})
		}).withPrev(ssda903.UASC),

		def("205B", "A child UASC both years: the date UASC ceased should be the 18th birthday, given last year and within this year or the same as last year's", "DUC UASC", tUASC, func(v *run) {
			u, pu := v.cur.tabs[ssda903.UASC], v.prev.tabs[ssda903.UASC]
			v.uascAcross(func(j int32, cur, last string, lastRows []int32) {
				if !isOne(cur) || !isOne(last) {
					return
				}
				dob := u.date(j, uDOB)
				if !dob.ok() {
					dob = v.cur.dobAt(u, j)
				}
				duc := u.date(j, uDUC)
				var ducLast date
				if len(lastRows) > 0 {
					ducLast = pu.date(lastRows[0], uDUC)
				}
				// A child still UASC with no date in either year is not
				// flagged (the reference flags it: its comparisons of
				// blanks are false); the dates given are checked.
				in := duc.ymd >= v.cur.start.ymd && duc.ymd <= v.cur.end.ymd
				if (duc.ok() && !in && duc != ducLast) || (ducLast.ok() && dob.ok() && ducLast.ymd != birthday(dob, 18)) {
					v.flagUASC(j, "The child was UASC last year and is this year: the date UASC status ceased should be the 18th birthday, given last year, and this year's date should be within this year or the same as last year's. Check both years' UASC records.")
				}
			})
		}).withPrev(ssda903.UASC),
	}
}
