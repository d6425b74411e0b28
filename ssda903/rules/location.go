package rules

import (
	"strconv"
	"strings"

	"sufficiency/ssda903"
)

// Placement location and Ofsted register rules. They need reference data
// (Options.PostcodeLA, Options.Provider) and are skipped without it.

func normPostcode(s string) string { return strings.ReplaceAll(strings.ToUpper(s), " ", "") }

func locationRules() []rule {
	return []rule{
		def("392c", "Home and placement postcodes must be real postcodes", "HOME_POST PL_POST", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				for _, c := range []int{eHOME, ePLPOST} {
					s := tb.val(i, c)
					if s == "" {
						continue
					}
					if _, ok := v.opt.PostcodeLA(s); !ok {
						v.flagCol(tb, i, c, "Postcode "+quote(s)+" is not a known postcode. Check it; for a placement outside England give the full postcode where it has one.")
					}
				}
			})
		}).need(needPostcodes).warn(),
		def("1015", "Own-council provision (PR1), other than foster and adoption placements and short breaks, should be within the council's own area", "PLACE_PROVIDER PL_POST", tEp, func(v *run) {
			own := v.cur.ret.Council
			if own == "" {
				return
			}
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				// DfE: own provision (PR1), not a foster or adoption
				// placement (A3–A6, U1–U6) and not a short break, must be in
				// the council's own area (PL_LA = the council): the PL_LA
				// the file supplies, else the placement postcode's council.
				// From 2025/26 supported accommodation (K3) is left out
				// too (the DfE's list for that year).
				p, ls := tb.val(i, ePLACE), tb.val(i, eLS)
				if tb.val(i, ePROV) != "PR1" || p == "" || ls == "" || isRespite(ls) || in(p, "A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6") || (p == "K3" && v.year >= 2026) {
					return
				}
				if tb.src.HasSupplied("PL_LA") {
					if la := tb.sup(i, sPLLA); la != own {
						v.flag(tb, i, []string{"PLACE_PROVIDER", "PL_LA"}, la, "The provider is the council's own provision (PR1) but the placement's council (PL_LA) is "+quote(la)+", not "+own+". Check the provider code (PR2 for another council's provision) or PL_LA.")
					}
					return
				}
				if tb.val(i, ePLPOST) == "" {
					return
				}
				if la, ok := v.opt.PostcodeLA(tb.val(i, ePLPOST)); ok && la != "" && la != own {
					v.flagCol(tb, i, ePROV, "The provider is the council's own provision (PR1) but the placement postcode "+tb.val(i, ePLPOST)+" is in "+la+", outside "+own+". Check the provider code (PR2 for another council's provision) or the postcode.")
				}
			})
		}).need(needPostcodes).warn(),
		def("454", "A placement should not be more than 350 miles from the child's home", "HOME_POST PL_POST", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if tb.src.HasSupplied("PL_DISTANCE") {
					// The distance the council submitted; 999.9 is the DfE's
					// "not known" value.
					s := tb.sup(i, sDISTANCE)
					if d, err := strconv.ParseFloat(s, 64); err == nil && d > 350 && s != "999.9" {
						v.flag(tb, i, []string{"PL_DISTANCE"}, s, "The placement distance from home is "+miles(d)+", more than 350 miles. Check the home and placement postcodes.")
					}
					return
				}
				h, p := tb.val(i, eHOME), tb.val(i, ePLPOST)
				if h == "" || p == "" {
					return
				}
				if d, ok := v.opt.Distance(h, p); ok && d > 350 {
					v.flag(tb, i, []string{"HOME_POST", "PL_POST"}, h+" "+p, "The placement ("+p+") is "+miles(d)+" from the child's home ("+h+"), more than 350 miles. Check both postcodes.")
				}
			})
		}).need(needDistance).warn().since(2026),
		def("503G", "The placement distance of the first episode this year must match last year's open episode", "HOME_POST PL_POST", tEp, func(v *run) {
			ep, pe := v.cur.ep, v.prev.ep
			if ep.src.HasSupplied("PL_DISTANCE") && pe.src.HasSupplied("PL_DISTANCE") {
				// The distances the council submitted, both years.
				v.carried(func(child string, first, last int32) {
					if a, b := ep.sup(first, sDISTANCE), pe.sup(last, sDISTANCE); !sameNumber(a, b) {
						v.flag(ep, first, []string{"PL_DISTANCE"}, a, "The placement distance of the first episode ("+orNone(a)+") differs from last year's open episode ("+orNone(b)+"). The episode carried over must be recorded the same way in both years.")
					}
				})
				return
			}
			v.carried(func(child string, first, last int32) {
				a, okA := v.opt.Distance(ep.val(first, eHOME), ep.val(first, ePLPOST))
				b, okB := v.opt.Distance(pe.val(last, eHOME), pe.val(last, ePLPOST))
				if okA && okB && a != b {
					v.flag(ep, first, []string{"HOME_POST", "PL_POST"}, ep.val(first, eHOME)+" "+ep.val(first, ePLPOST), "The placement distance of the first episode ("+miles(a)+") differs from last year's open episode ("+miles(b)+"): the home or placement postcode changed. The episode carried over must be recorded the same way in both years.")
				}
			})
		}).withPrev(ssda903.Episodes).need(needDistance),
		def("503H", "The placement's council in the first episode this year must match last year's open episode", "PL_POST", tEp, func(v *run) {
			ep, pe := v.cur.ep, v.prev.ep
			if ep.src.HasSupplied("PL_LA") && pe.src.HasSupplied("PL_LA") {
				// The placement councils the council submitted, both years.
				v.carried(func(child string, first, last int32) {
					if a, b := ep.sup(first, sPLLA), pe.sup(last, sPLLA); a != b {
						v.flag(ep, first, []string{"PL_LA"}, a, "The placement's council of the first episode ("+orNone(a)+") differs from last year's open episode ("+orNone(b)+"). The episode carried over must be recorded the same way in both years.")
					}
				})
				return
			}
			v.carried(func(child string, first, last int32) {
				a, okA := v.opt.PostcodeLA(ep.val(first, ePLPOST))
				b, okB := v.opt.PostcodeLA(pe.val(last, ePLPOST))
				if okA && okB && a != b {
					v.flagCol(ep, first, ePLPOST, "The placement postcode puts the first episode in "+orBlank(a)+", but last year's open episode was in "+orBlank(b)+". The episode carried over must be recorded the same way in both years.")
				}
			})
		}).withPrev(ssda903.Episodes).need(needPostcodes),
		def("219", "The Ofsted URN must be registered for the recorded placement type", "URN PLACE", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				p, ok := v.provider(tb, i)
				if ok && len(p.PlaceCodes) > 0 && !in(tb.val(i, ePLACE), p.PlaceCodes...) {
					v.flag(tb, i, []string{"URN", "PLACE"}, tb.val(i, eURN)+" "+tb.val(i, ePLACE), "URN "+tb.val(i, eURN)+" is registered for placement types "+joinCodes(p.PlaceCodes)+", not "+tb.val(i, ePLACE)+". Check the URN and placement type.")
				}
			})
		}).need(needProviders),
		def("221", "The placement postcode must match the Ofsted URN's postcode", "URN PL_POST", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				p, ok := v.provider(tb, i)
				pc := tb.val(i, ePLPOST)
				if ok && p.Postcode != "" && pc != "" && normPostcode(p.Postcode) != normPostcode(pc) {
					v.flag(tb, i, []string{"URN", "PL_POST"}, pc, "The placement postcode "+pc+" differs from the registered postcode of URN "+tb.val(i, eURN)+" ("+p.Postcode+"). Check both.")
				}
			})
		}).need(needProviders),
		def("224", "The placement provider must match the Ofsted URN's provider type", "URN PLACE_PROVIDER", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				p, ok := v.provider(tb, i)
				if ok && len(p.ProviderCodes) > 0 && tb.val(i, ePROV) != "" && !in(tb.val(i, ePROV), p.ProviderCodes...) {
					v.flag(tb, i, []string{"URN", "PLACE_PROVIDER"}, tb.val(i, ePROV), "URN "+tb.val(i, eURN)+" is run by a "+joinCodes(p.ProviderCodes)+" provider, not "+tb.val(i, ePROV)+". Check the provider code.")
				}
			})
		}).need(needProviders),
		// DfE: if URN is given (not XXXXXXX) and the register gives the
		// date its registration ended, DECOM must be before that date: an
		// episode may not start at a provision that has closed.
		def("227", "The Ofsted URN must still have been registered when the episode started (it starts before the registration ended)", "URN DECOM", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				p, ok := v.provider(tb, i)
				d := tb.date(i, eDECOM)
				if ok && !p.Closed.IsZero() && d.ok() && d.ymd >= mkdate(p.Closed).ymd {
					v.flagCol(tb, i, eURN, "URN "+tb.val(i, eURN)+" stopped being registered on "+mkdate(p.Closed).String()+", on or before the day this episode started ("+d.String()+"). Check the URN.")
				}
			})
		}).need(needProviders),
		def("228", "The Ofsted URN must not have closed before the episode ended", "URN DEC", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				p, ok := v.provider(tb, i)
				d := tb.date(i, eDEC)
				if ok && !p.Closed.IsZero() && d.ok() && d.ymd > mkdate(p.Closed).ymd {
					v.flagCol(tb, i, eURN, "URN "+tb.val(i, eURN)+" closed on "+mkdate(p.Closed).String()+", before this episode ended ("+d.String()+"). Check the URN and dates.")
				}
			})
		}).need(needProviders).warn(),
	}
}

// provider looks up the episode's URN on the Ofsted register.
func (v *run) provider(tb *tab, i int32) (ProviderInfo, bool) {
	u := tb.val(i, eURN)
	if u == "" || u == "XXXXXXX" {
		return ProviderInfo{}, false
	}
	return v.opt.Provider(u)
}

func miles(d float64) string { return strconv.FormatFloat(d, 'f', 1, 64) + " miles" }

// sameNumber reports whether two cells hold the same value, as numbers
// when both are ("10" and "10.0"), else as written.
func sameNumber(a, b string) bool {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		return x == y
	}
	return a == b
}

func orNone(s string) string {
	if s == "" {
		return "blank"
	}
	return s
}

func orBlank(la string) string {
	if la == "" {
		return "a place outside England"
	}
	return la
}
