package rules

import (
	"strings"

	"sufficiency/ssda903"
)

// Placement type, provider, URN and postcode rules on single episodes.

// providerNotWith flags episodes whose provider is prov and placement one of places.
func providerNotWith(code, prov string, places []string, why string) rule {
	return def(code, "Placement provider "+prov+" cannot go with placement "+joinCodes(places), "PLACE PLACE_PROVIDER", tEp, func(v *run) {
		v.rows(ssda903.Episodes, func(tb *tab, i int32) {
			if tb.val(i, ePROV) == prov && in(tb.val(i, ePLACE), places...) {
				v.flag(tb, i, []string{"PLACE", "PLACE_PROVIDER"}, tb.val(i, ePLACE)+" "+prov, "Provider "+prov+" with placement "+tb.val(i, ePLACE)+": "+why+" Correct the provider or the placement type.")
			}
		})
	})
}

func joinCodes(cs []string) string {
	s := ""
	for k, c := range cs {
		if k > 0 {
			s += ", "
		}
		s += c
	}
	return s
}

func placementRules() []rule {
	return []rule{
		// DfE: PLACE_PROVIDER is not required, and must be blank, for
		// temporary placements (T0–T4) and, from 2025/26, Z11–Z14. Z1
		// ("other placement", to 2024/25) may give one: 526 does not ask
		// for it, and 213 does not forbid it.
		def("213", "The placement provider must be blank for temporary (T0–T4) and other (Z11–Z14) placements", "PLACE_PROVIDER", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				p := tb.val(i, ePLACE)
				if (isTemp(p) || (isOtherZ(p) && p != "Z1")) && tb.val(i, ePROV) != "" {
					v.flagCol(tb, i, ePROV, "Placement "+p+" takes no placement provider, but "+tb.val(i, ePROV)+" is recorded. Leave PLACE_PROVIDER blank.")
				}
			})
		}),
		def("526", "Every placement other than temporary (T0–T4) and other (Z1, Z11–Z14) must have a placement provider", "PLACE PLACE_PROVIDER", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				p := tb.val(i, ePLACE)
				// Z1 is exempt while it is a code (to 2024/25); Z11–Z14 replace it.
				other := isOtherZ(p) && (p != "Z1" || v.year < 2026)
				if p != "" && !isTemp(p) && !other && tb.val(i, ePROV) == "" {
					v.flagCol(tb, i, ePROV, "Placement "+p+" has no placement provider. Enter PR0–PR5 (who provides the placement).")
				}
			})
		}),
		providerNotWith("527", "PR1", []string{"P1", "R2", "R5"}, "the council does not provide placements with parents, NHS placements or custody."),
		providerNotWith("528", "PR2", []string{"P1", "R2", "R5"}, "another council does not provide placements with parents, NHS placements or custody."),
		providerNotWith("529", "PR3", []string{"P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6"}, "other public bodies do not provide adoption, fostering, children's home or placements with parents."),
		providerNotWith("530", "PR4", []string{"P1"}, "a placement with parents is not private provision."),
		providerNotWith("531", "PR5", []string{"P1"}, "a placement with parents is not voluntary provision."),
		def("550", "Placement provider PR0 (parents) goes only with placement P1", "PLACE PLACE_PROVIDER", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if p := tb.val(i, ePLACE); tb.val(i, ePROV) == "PR0" && p != "P1" {
					v.flag(tb, i, []string{"PLACE", "PLACE_PROVIDER"}, p+" PR0", "Provider PR0 (parents or person with parental responsibility) is only for placements with parents (P1), not "+p+". Correct the provider.")
				}
			})
		}),
		def("214", "Placement postcode and URN are not recorded for short breaks (V3, V4)", "PL_POST URN", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if isRespite(tb.val(i, eLS)) && (tb.val(i, ePLPOST) != "" || tb.val(i, eURN) != "") {
					v.flag(tb, i, []string{"PL_POST", "URN"}, tb.val(i, ePLPOST)+" "+tb.val(i, eURN), "Short-break episodes ("+tb.val(i, eLS)+") carry no placement postcode or URN. Leave them blank.")
				}
			})
		}),
		def("218", "An Ofsted URN is required for a placement in England that ended on or after 1 April or is open, except placement types Ofsted does not register", "URN PLACE", tEp, func(v *run) {
			// DfE: URN must be given unless PL is P1, P3, R1, R2, R5, T0–T4
			// or Z1 (and, until 2023/24, H5 and P2; from 2025/26 Z11–Z14,
			// which replace Z1), for an episode ending on or after the
			// collection start or still open, placed in England (see
			// placedInEngland). Short breaks (V3, V4) carry no URN (214).
			exempt := []string{"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4"}
			if v.year <= 2024 {
				exempt = append(exempt, "H5", "P2")
			}
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				p := tb.val(i, ePLACE)
				if tb.val(i, eURN) != "" || in(p, exempt...) || isOtherZ(p) || isRespite(tb.val(i, eLS)) {
					return
				}
				if e := tb.date(i, eDEC); tb.val(i, eDEC) != "" && (!e.ok() || e.ymd < v.cur.start.ymd) {
					return
				}
				if !placedInEngland(v, tb, i) {
					return
				}
				v.flagCol(tb, i, eURN, "Placement "+orBlank(p)+" in England needs the provider's Ofsted URN (the home, or the fostering or adoption agency). Enter it.")
			})
		}),
		// DfE: an H5 placement in England that ended after 28 October 2023
		// (as 217t) or is open needs a real URN: XXXXXXX (a council's own
		// carers, an adoption agency) is not one. England as for 218.
		def("230", "An Ofsted URN is required for H5 placements in England open after 28 October 2023", "URN PLACE", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				e := tb.date(i, eDEC)
				if u := tb.val(i, eURN); tb.val(i, ePLACE) == "H5" && (u == "" || u == "XXXXXXX") && (!e.ok() || e.ymd > 20231028) && placedInEngland(v, tb, i) {
					v.flagCol(tb, i, eURN, "Supported accommodation (H5) in England open after 28/10/2023 must be registered with Ofsted: enter its URN (XXXXXXX is not one).")
				}
			})
		}).since(2024).until(2024),
		def("222", "No Ofsted URN for placement types that Ofsted does not register", "URN PLACE", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				p, u := tb.val(i, ePLACE), tb.val(i, eURN)
				if u == "" || u == "XXXXXXX" {
					return
				}
				// Supported accommodation (P2) is registered by Ofsted from 2024/25.
				if in(p, "P1", "P3", "R1", "R2", "R5") || (p == "P2" && v.year < 2025) || isTemp(p) || isOtherZ(p) || (p == "H5" && v.year < 2024) {
					v.flagCol(tb, i, eURN, "Placement "+p+" is not registered by Ofsted, so no URN should be recorded (found "+u+"). Leave URN blank.")
				}
			})
		}),
		def("217t", "Independent living (P2) is not valid for placements open on or after 28 October 2023", "PLACE DEC", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				e := tb.date(i, eDEC)
				if tb.val(i, ePLACE) == "P2" && (!e.ok() || e.ymd > 20231028) {
					v.flagCol(tb, i, ePLACE, "P2 (independent living) cannot be used for a child looked after after 28/10/2023, when unregulated placements for under-16s ended. Record the registered placement type (e.g. K3 from 2024/25).")
				}
			})
		}).since(2024).until(2024),
		def("392b", "Home and placement postcodes should be recorded for a child looked after (not on short breaks)", "HOME_POST PL_POST", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if isRespite(tb.val(i, eLS)) || v.cur.uascK[tb.kid[i]] {
					return
				}
				if tb.val(i, eHOME) == "" || tb.val(i, ePLPOST) == "" {
					v.flag(tb, i, []string{"HOME_POST", "PL_POST"}, tb.val(i, eHOME)+" "+tb.val(i, ePLPOST), "The home or placement postcode is missing. Enter both so the distance from home can be worked out.")
				}
			})
		}).warn(),
		def("392d", "Home and placement postcodes should differ unless the child is placed with parents (P1)", "HOME_POST PL_POST PLACE", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				h := tb.val(i, eHOME)
				if h != "" && h == tb.val(i, ePLPOST) && tb.val(i, ePLACE) != "P1" {
					v.flag(tb, i, []string{"HOME_POST", "PL_POST"}, h, "Home and placement postcode are the same ("+h+") but the child is not placed with parents. Check both postcodes.")
				}
			})
		}).warn(),
		def("398", "Postcodes are not recorded for short breaks (V3, V4)", "HOME_POST PL_POST LS", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if isRespite(tb.val(i, eLS)) && (tb.val(i, eHOME) != "" || tb.val(i, ePLPOST) != "") {
					v.flag(tb, i, []string{"HOME_POST", "PL_POST"}, tb.val(i, eHOME)+" "+tb.val(i, ePLPOST), "Short-break episodes ("+tb.val(i, eLS)+") carry no postcodes, so no distance is worked out. Leave HOME_POST and PL_POST blank.")
				}
			})
		}),
		def("390", "A child adopted (E11, E12) must have been placed for adoption (A3–A6) in the ceasing episode", "PLACE REC", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if r := tb.val(i, eREC); (r == "E11" || r == "E12") && !isAdoptionPlace(tb.val(i, ePLACE)) {
					v.flagCol(tb, i, ePLACE, "The child was adopted ("+r+") but the last placement is "+quote(tb.val(i, ePLACE))+", not a placement for adoption (A3–A6). Check the placement and reason ceased.")
				}
			})
		}),
		def("336", "A child placed for adoption should come from a foster placement or be placed with current foster carers", "PLACE", tEp, func(v *run) {
			ep := v.cur.ep
			v.pairs(func(child string, a, b int32) {
				pb := ep.val(b, ePLACE)
				if !isAdoptionPlace(pb) || isAdoptionPlace(ep.val(a, ePLACE)) {
					return
				}
				if pa := ep.val(a, ePLACE); !in(pa, "U1", "U2", "U3", "U4", "U5", "U6") {
					v.flagCol(ep, b, ePLACE, "The child was placed for adoption ("+pb+") straight from placement "+pa+" rather than from a foster placement. Check the placement types.")
				}
			})
		}).warn(),
	}
}

// placedInEngland says whether an episode's placement is in England (rule
// 218). With a supplied PL_LA: until 2024/25 the DfE's condition reads
// "PL_LA not starting N, W, S or C" and its tools leave PL_LA blank when
// they cannot place the postcode, which does not count as England; from
// 2025/26 the condition is "PL_LA not in CON, NIR, SCO, WAL, NUK", so any
// other value, blank included, is England, except an ONS code of another
// nation (W…, S…, N… and eight digits), which names a council outside it.
// Without a PL_LA column, the council of the placement postcode; a
// postcode we cannot place is not counted as England (our directory is by
// postcode sector). Without postcode data every placement counts as in
// England.
func placedInEngland(v *run, tb *tab, i int32) bool {
	if tb.src.HasSupplied("PL_LA") {
		la := strings.ToUpper(tb.sup(i, sPLLA))
		if v.year >= 2026 {
			return !in(la, "CON", "NIR", "SCO", "WAL", "NUK") && !otherNationONS(la)
		}
		return la != "" && !strings.ContainsAny(la[:1], "NWSC")
	}
	if v.opt.PostcodeLA == nil {
		return true
	}
	la, ok := v.opt.PostcodeLA(tb.val(i, ePLPOST))
	return ok && strings.HasPrefix(la, "E")
}

// otherNationONS reports whether la is an ONS area code of Wales (W…),
// Scotland (S…) or Northern Ireland (N…): a letter and eight digits.
func otherNationONS(la string) bool {
	if len(la) != 9 || !strings.ContainsAny(la[:1], "WSN") {
		return false
	}
	for _, c := range la[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
