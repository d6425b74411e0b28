package rules

import (
	"sufficiency/ssda903"
)

// URN rules: 1008 (whether the URN is known), and those added in 2025/26,
// from the DfE rule text.

func urnRules() []rule {
	return []rule{
		// 1008: the DfE's text is "URN must be a valid Ofsted URN"; its
		// reference validator checks that the URN is in the provider list it
		// is given, nothing about dates. A provider that has closed is still
		// a valid URN (the list the DfE gives councils keeps it, with its
		// close date), so an episode at a home that closed is not a 1008
		// error, even one ending after the close date: that is rule 228's
		// (a warning). A URN the provider list does not know at all is.
		def("1008", "URN must be a provider the Ofsted provider list knows (open or closed), or XXXXXXX for a provision not registered in England", "URN", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				s := tb.val(i, eURN)
				if s == "" || s == "XXXXXXX" {
					return
				}
				if _, ok := v.opt.Provider(s); !ok {
					v.flagCol(tb, i, eURN, "URN "+quote(s)+" is not known to the Ofsted provider list (open or closed providers). Check the provider's Ofsted URN, or use XXXXXXX for a placement outside England.")
				}
			})
		}).need(needProviders),
		def("241", "A registered supported accommodation placement (K3) must be in a council where its provider has premises", "URN PL_LA", tEp, func(v *run) {
			// If the URN is given (not XXXXXXX) and PL is K3, PL_LA must be
			// the council the Ofsted register places the URN in.
			ep := v.cur.ep
			v.rows(ssda903.Episodes, func(_ *tab, i int32) {
				urn := ep.val(i, eURN)
				if urn == "" || urn == "XXXXXXX" || ep.val(i, ePLACE) != "K3" {
					return
				}
				p, ok := v.opt.Provider(urn)
				if !ok {
					return // not on the register: 1008's finding
				}
				where, ok := v.opt.PostcodeLA(p.Postcode)
				if la := ep.sup(i, sPLLA); ok && where != "" && la != where {
					v.flag(ep, i, []string{"URN", "PL_LA"}, la, "The placement's council ("+orNone(la)+") is not where the provider of URN "+urn+" has its premises ("+where+"). Check the URN and the placement postcode.")
				}
			})
		}).column(ssda903.Episodes, "PL_LA").need(needRegisterLA).since(2026),
		def("242", "URN XXXXXXX (outside Ofsted's register) is only for adoption and foster placements (A3–A6, U1–U6)", "URN PLACE", tEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.Episodes, func(_ *tab, i int32) {
				if p := ep.val(i, ePLACE); ep.val(i, eURN) == "XXXXXXX" && !in(p, "A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6") {
					v.flag(ep, i, []string{"URN", "PLACE"}, "XXXXXXX", "URN XXXXXXX is recorded for placement "+p+"; it may only be used for adoption (A3–A6) and foster (U1–U6) placements. Give the provision's Ofsted URN.")
				}
			})
		}).since(2026),
		def("243", "No URN for a placement outside England (PL_LA CON, NIR, SCO, WAL or NUK)", "URN PL_LA", tEp, func(v *run) {
			ep := v.cur.ep
			v.rows(ssda903.Episodes, func(_ *tab, i int32) {
				if la := ep.sup(i, sPLLA); in(la, "CON", "NIR", "SCO", "WAL", "NUK") && ep.val(i, eURN) != "" {
					v.flag(ep, i, []string{"URN", "PL_LA"}, ep.val(i, eURN), "The placement is outside England ("+la+"), where Ofsted does not register providers, so no URN should be reported. Leave URN blank.")
				}
			})
		}).column(ssda903.Episodes, "PL_LA").since(2026),
	}
}
