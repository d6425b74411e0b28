package rules

import (
	"sufficiency/ssda903"
)

// Episode structure: continuity, overlaps, open episodes, reasons for new
// episodes and for ceasing, and legal-status durations.

// pair calls fn for each pair of consecutive episodes (by start date) of
// every child whose start dates are both valid.
func (v *run) pairs(fn func(child string, prev, next int32)) {
	ep := v.cur.ep
	v.episodes(func(child string, eps []int32) {
		for k := 1; k < len(eps); k++ {
			if ep.date(eps[k-1], eDECOM).ok() && ep.date(eps[k], eDECOM).ok() {
				fn(child, eps[k-1], eps[k])
			}
		}
	})
}

// placementSame reports whether two episodes have the same placement
// (type, provider, postcode and URN).
func placementSame(ep *tab, a, b int32) bool {
	return ep.val(a, ePLACE) == ep.val(b, ePLACE) && ep.val(a, ePROV) == ep.val(b, ePROV) &&
		ep.val(a, ePLPOST) == ep.val(b, ePLPOST) && ep.val(a, eURN) == ep.val(b, eURN)
}

func episodeRules() []rule {
	return []rule{
		def("142", "Every episode except a child's latest must have an end date and a reason it ceased", "DEC REC", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				for k := 0; k+1 < len(eps); k++ {
					i := eps[k]
					if ep.val(i, eDEC) == "" || ep.val(i, eREC) == "" {
						v.flag(ep, i, []string{"DEC", "REC"}, ep.val(i, eDEC), "A later episode starts on "+ep.val(eps[k+1], eDECOM)+" but this episode has no end date or reason ceased. Close it (usually DEC = the next start date, REC = X1).")
					}
				}
			})
		}),
		def("148", "The date an episode ceased and the reason it ceased must both be given or both be blank", "DEC REC", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				d, r := tb.val(i, eDEC), tb.val(i, eREC)
				if (d == "") != (r == "") {
					msg := "The episode has an end date but no reason it ceased. Add REC (X1 when a new episode follows)."
					if d == "" {
						msg = "The episode has a reason it ceased (" + r + ") but no end date. Add DEC, or remove REC if the episode is still open."
					}
					v.flag(tb, i, []string{"DEC", "REC"}, d+" "+r, msg)
				}
			})
		}),
		def("501", "A new episode must not start before the previous episode ended", "DECOM DEC", tEp, func(v *run) {
			ep := v.cur.ep
			v.pairs(func(child string, a, b int32) {
				end := ep.date(a, eDEC)
				if end.ok() && ep.date(b, eDECOM).ymd < end.ymd {
					v.flag(ep, b, []string{"DECOM"}, ep.val(b, eDECOM), "This episode starts on "+ep.val(b, eDECOM)+", before the previous episode (line "+itoa(ep.rows[a].Line)+") ends on "+end.String()+". Episodes must not overlap: correct the dates.")
				}
			})
		}),
		def("388", "An episode that ceased with X1 (new episode begins) must be followed by an episode starting the same day, and an episode followed by one starting the day it ended must have ceased with X1", "REC", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				for k, i := range eps {
					end := ep.date(i, eDEC)
					if !end.ok() {
						continue
					}
					next := k+1 < len(eps) && ep.date(eps[k+1], eDECOM).ymd == end.ymd
					switch rec := ep.val(i, eREC); {
					case rec == "X1" && !next:
						v.flag(ep, i, []string{"REC"}, "X1", "The episode ceased with X1 (a new episode begins) on "+ep.val(i, eDEC)+" but no episode starts that day. Add the next episode, or use the E code for why the child left care.")
					case rec != "X1" && next:
						v.flag(ep, i, []string{"REC"}, rec, "A new episode starts the day this one ended ("+ep.val(i, eDEC)+"), so care continued: the reason this episode ceased should be X1, not "+quote(rec)+".")
					}
				}
			})
		}),
		def("357", "A child's first episode of care must have reason for new episode S", "RNE", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				i := eps[0]
				d := ep.date(i, eDECOM)
				if !d.ok() || d.ymd < v.cur.start.ymd || v.everInCareBefore(child, d) {
					return
				}
				if r := ep.val(i, eRNE); r != "S" {
					v.flagCol(ep, i, eRNE, "This is the child's first episode but its reason for new episode is "+quote(r)+", not S. Add the missing earlier episode, or set RNE to S.")
				}
			})
		}),
		def("431", "An episode with reason S (started to be looked after) must not start the day the previous episode ended", "RNE DECOM", tEp, func(v *run) {
			ep := v.cur.ep
			v.pairs(func(child string, a, b int32) {
				if ep.val(b, eRNE) == "S" && ep.date(a, eDEC).ok() && ep.date(a, eDEC).ymd == ep.date(b, eDECOM).ymd {
					v.flag(ep, b, []string{"RNE", "DECOM"}, "S", "The child's previous episode ended the day this one starts, so care did not start afresh. Use the reason for new episode that says what changed (L, P, T, B or U).")
				}
			})
		}),
		def("432", "After an episode that ended the child's care, the next episode must have reason S", "RNE", tEp, func(v *run) {
			ep := v.cur.ep
			v.pairs(func(child string, a, b int32) {
				if ceasedCare(ep.val(a, eREC)) && ep.val(b, eRNE) != "S" && ep.val(b, eRNE) != "" {
					v.flagCol(ep, b, eRNE, "The previous episode ended the child's care (REC "+ep.val(a, eREC)+") so this one starts a new period of care: its reason for new episode should be S, not "+quote(ep.val(b, eRNE))+".")
				}
			})
		}),
		def("433", "An episode continuing a period of care (reason L, P, T, B or U) must start the day the previous one ended", "RNE DECOM", tEp, func(v *run) {
			ep := v.cur.ep
			v.pairs(func(child string, a, b int32) {
				if !in(ep.val(b, eRNE), "L", "P", "T", "B", "U") {
					return
				}
				if end := ep.date(a, eDEC); end.ok() && end.ymd != ep.date(b, eDECOM).ymd {
					v.flag(ep, b, []string{"RNE", "DECOM"}, ep.val(b, eDECOM), "Reason for new episode "+ep.val(b, eRNE)+" says care continued, but this episode starts "+ep.val(b, eDECOM)+" and the previous one ended "+end.String()+". Correct the dates, or use S if care started afresh.")
				}
			})
		}),
		def("434", "Reason L (legal status change only) requires a new legal status and the same placement", "RNE LS PLACE PLACE_PROVIDER PL_POST URN", tEp, func(v *run) {
			ep := v.cur.ep
			v.pairs(func(child string, a, b int32) {
				if ep.val(b, eRNE) != "L" {
					return
				}
				if ep.val(a, eLS) == ep.val(b, eLS) || !placementSame(ep, a, b) {
					v.flagCol(ep, b, eRNE, "Reason for new episode is L (legal status changed, placement did not), but the episode data "+changes(ep, a, b)+". Use the RNE code that matches what changed.")
				}
			})
		}),
		def("435", "Reason P or T (placement change only) requires a new placement and the same legal status", "RNE LS PLACE PLACE_PROVIDER PL_POST URN", tEp, func(v *run) {
			ep := v.cur.ep
			v.pairs(func(child string, a, b int32) {
				if !in(ep.val(b, eRNE), "P", "T") {
					return
				}
				if ep.val(a, eLS) != ep.val(b, eLS) || placementSame(ep, a, b) {
					v.flagCol(ep, b, eRNE, "Reason for new episode is "+ep.val(b, eRNE)+" (placement changed, legal status did not), but the episode data "+changes(ep, a, b)+". Use the RNE code that matches what changed.")
				}
			})
		}),
		def("436", "Reason B or U (legal status and placement change) requires both to change", "RNE LS PLACE PLACE_PROVIDER PL_POST URN", tEp, func(v *run) {
			ep := v.cur.ep
			v.pairs(func(child string, a, b int32) {
				if !in(ep.val(b, eRNE), "B", "U") {
					return
				}
				if ep.val(a, eLS) == ep.val(b, eLS) || placementSame(ep, a, b) {
					v.flagCol(ep, b, eRNE, "Reason for new episode is "+ep.val(b, eRNE)+" (legal status and placement changed), but the episode data "+changes(ep, a, b)+". Use the RNE code that matches what changed.")
				}
			})
		}),
		def("437", "No episode may follow one that ceased because the child died (E2) or was assessed as 18 or over (E15)", "REC", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				for k := 0; k+1 < len(eps); k++ {
					if r := ep.val(eps[k], eREC); r == "E2" || r == "E15" {
						v.flagCol(ep, eps[k], eREC, "The episode ceased with "+r+" but the child has later episodes. Check the reason ceased, or remove the later episodes.")
					}
				}
			})
		}),
		def("504", "The category of need stays the same through a period of care: an episode following one that ceased X1 the day it starts keeps that episode's category of need", "CIN", tEp, func(v *run) {
			// DfE: the category of need differs from that reported at the
			// start of the current period of care. As the DfE's tools check
			// it, episode by episode: where the previous episode ceased X1
			// on the day this one starts, CIN must be the previous one's, so
			// only the episode where it changes is flagged.
			ep := v.cur.ep
			v.pairs(func(child string, a, b int32) {
				if ep.val(a, eREC) != "X1" {
					return
				}
				if e := ep.date(a, eDEC); !e.ok() || e.ymd != ep.date(b, eDECOM).ymd {
					return
				}
				if ep.val(b, eCIN) != ep.val(a, eCIN) {
					v.flagCol(ep, b, eCIN, "Category of need "+quote(ep.val(b, eCIN))+" differs from "+quote(ep.val(a, eCIN))+" on the previous episode (line "+itoa(ep.rows[a].Line)+"), which ceased X1 the day this one started. The category of need recorded at the start of care stays for the whole period of care.")
				}
			})
		}),
		def("302", "No episode may start before the child was born", "DECOM DOB", tEpHd, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				i := eps[0]
				dob := v.cur.dobAt(ep, i)
				if d := ep.date(i, eDECOM); d.ok() && dob.ok() && d.ymd < dob.ymd {
					msg := "The first episode starts " + d.String() + ", before the child's date of birth (" + dob.String() + "). Correct the episode start or the date of birth."
					v.flagCol(ep, i, eDECOM, msg)
					if h, ok := v.cur.headerRow(child); ok {
						v.flagCol(v.cur.hd, h, hDOB, msg)
					}
				}
			})
		}),
		def("380", "A period of care must not start with a temporary placement: a T0–T4 placement needs reason for new episode P or B", "PLACE RNE", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				// DfE: if PL is T0–T4 then RNE must be P (change of
				// placement) or B (placement and legal status): a temporary
				// placement is never how care starts (S) or a change of legal
				// status alone (L), and blank says nothing.
				if r := tb.val(i, eRNE); isTemp(tb.val(i, ePLACE)) && r != "P" && r != "B" {
					v.flag(tb, i, []string{"PLACE", "RNE"}, r, "Temporary placement "+tb.val(i, ePLACE)+" has reason for new episode "+quote(r)+": a temporary placement is a change of placement (P, or B with a change of legal status). A period of care cannot start in a temporary placement: record the child's normal placement, or set RNE to P or B.")
				}
			})
		}),
		def("381", "A period of care must not end in a temporary placement (T0–T4)", "PLACE REC", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if ceasedCare(tb.val(i, eREC)) && isTemp(tb.val(i, ePLACE)) {
					v.flagCol(tb, i, ePLACE, "Care ends (REC "+tb.val(i, eREC)+") in temporary placement "+tb.val(i, ePLACE)+". Record the child's normal placement for the last episode.")
				}
			})
		}),
		def("383", "After a temporary placement (T0–T4) the next episode must have reason P and return to the placement before it (same placement type and postcode)", "RNE PLACE PL_POST", tEp, func(v *run) {
			// DfE: if the previous episode's PL is T0–T4, this episode's RNE
			// must be P and its PL and PL_POST those of the episode before
			// that. Episodes in start order, joined or not; blank postcodes
			// are equal (a return to the same placement without a postcode).
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				for k := 1; k+1 < len(eps); k++ {
					before, tmp, after := eps[k-1], eps[k], eps[k+1]
					if !isTemp(ep.val(tmp, ePLACE)) {
						continue
					}
					rne := ep.val(after, eRNE)
					samePlace := ep.val(after, ePLACE) == ep.val(before, ePLACE) && ep.val(after, ePLPOST) == ep.val(before, ePLPOST)
					switch {
					case !samePlace:
						v.flag(ep, after, []string{"PLACE", "PL_POST"}, ep.val(after, ePLACE)+" "+ep.val(after, ePLPOST), "After temporary placement "+ep.val(tmp, ePLACE)+" the child should return to the previous placement ("+ep.val(before, ePLACE)+" at "+orNone(ep.val(before, ePLPOST))+"). If the child moved, the temporary placement code is wrong.")
					case rne != "P":
						v.flagCol(ep, after, eRNE, "After temporary placement "+ep.val(tmp, ePLACE)+" the child returned to the previous placement, so the reason for new episode should be P (a change of placement), not "+quote(rne)+".")
					}
				}
			})
		}),
		def("225", "A reason for placement change must be given when an episode ends with a change of placement", "REASON_PLACE_CHANGE", tEp, func(v *run) {
			ep := v.cur.ep
			v.pairs(func(child string, a, b int32) {
				if ep.val(a, eREC) != "X1" || !in(ep.val(b, eRNE), "P", "B", "T", "U") || isTemp(ep.val(a, ePLACE)) || isTemp(ep.val(b, ePLACE)) {
					return
				}
				if ep.val(a, eRPC) == "" {
					v.flagCol(ep, a, eRPC, "The child's placement changed after this episode (next RNE "+ep.val(b, eRNE)+") but no reason for placement change is recorded. Add REASON_PLACE_CHANGE.")
				}
			})
		}).since(2016),
		def("226", "No reason for placement change is recorded for a temporary placement (T0–T4), nor on the episode before it", "PLACE REASON_PLACE_CHANGE", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				for k, i := range eps {
					if !isTemp(ep.val(i, ePLACE)) {
						continue
					}
					if r := ep.val(i, eRPC); r != "" {
						v.flagCol(ep, i, eRPC, "Temporary placement "+ep.val(i, ePLACE)+" has a reason for placement change ("+r+"). Leave it blank for temporary placements.")
					} else if k > 0 && ep.val(eps[k-1], eRPC) != "" {
						v.flagCol(ep, i, eRPC, "The episode before temporary placement "+ep.val(i, ePLACE)+" has a reason for placement change ("+ep.val(eps[k-1], eRPC)+"), but a move to a temporary placement is not a placement change. Leave the reason blank.")
					}
				}
			})
		}),
		lsDuration("361", "L1", 3, true, "Police protection lasts at most 72 hours"),
		lsDuration("362", "L2", 21, true, "An emergency protection order lasts at most 21 days"),
		lsDuration("363", "L3", 7, true, "A child assessment order lasts at most 7 days"),
		lsDuration("364", "J2", 21, true, "Detention under PACE 1984 in council accommodation is limited: at most 21 days"),
		lsDuration("365", "V3", 17, false, "A single short break lasts at most 17 days"),
		def("366", "A child on a short break (V3) cannot change placement during the break", "RNE LS", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if tb.val(i, eLS) == "V3" && tb.val(i, eRNE) != "S" {
					v.flagCol(tb, i, eRNE, "Each short break (V3) is a period of care of its own and starts with RNE S; this one has "+quote(tb.val(i, eRNE))+". Record each break as a new period of care.")
				}
			})
		}),
		def("367", "Short breaks (V3) must not add up to more than 75 days in the collection year", "DECOM DEC LS", tEp, func(v *run) {
			ep := v.cur.ep
			// As the DfE's validator: an episode's short-break days are
			// DEC − DECOM, each episode cut to the collection year (open:
			// to 31 March); 0 for an episode that is not V3 or has no start.
			days := func(i int32) int {
				if ep.val(i, eLS) != "V3" {
					return 0
				}
				s, e := ep.date(i, eDECOM), ep.date(i, eDEC)
				if !s.ok() {
					return 0
				}
				if !e.ok() || e.days > v.cur.end.days {
					e = v.cur.end
				}
				if s.days < v.cur.start.days {
					s = v.cur.start
				}
				return max(int(e.days-s.days), 0)
			}
			v.episodes(func(child string, eps []int32) {
				// Every V3 episode that counts towards the total is flagged
				// (the DfE's tools flag the group).
				total, first := 0, -1
				for k, i := range eps {
					if d := days(i); d > 0 {
						total += d
						if first < 0 {
							first = k
						}
					}
				}
				if total <= 75 {
					return
				}
				for _, i := range eps[first:] {
					if days(i) > 0 {
						v.flagCol(ep, i, eLS, "Short breaks (V3) add up to "+itoa(total)+" days in the year; at most 75 are allowed. Check the dates, or whether the child is in fact accommodated (V2).")
					}
				}
			})
		}),
		def("426", "A child cannot have both V3 and V4 short-break legal statuses in the same year", "LS", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				var v3, v4 bool
				for _, i := range eps {
					switch ep.val(i, eLS) {
					case "V3":
						v3 = true
					case "V4":
						v4 = true
					}
				}
				if !v3 || !v4 {
					return
				}
				for _, i := range eps {
					if isRespite(ep.val(i, eLS)) {
						v.flagCol(ep, i, eLS, "The child has both V3 (short breaks recorded one by one) and V4 (short-break agreements) this year. Use one way of recording short breaks.")
					}
				}
			})
		}),
		def("445", "Legal status D1 (freeing order) is not valid for episodes starting after December 2005", "LS DECOM", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				// DfE: not valid for episodes starting after December 2005,
				// so from 1 January 2006 (the DfE's date, though the Act
				// brought placement orders in on 30/12/2005).
				if d := tb.date(i, eDECOM); tb.val(i, eLS) == "D1" && d.ok() && d.ymd > 20051231 {
					v.flagCol(tb, i, eLS, "Freeing orders (D1) were replaced by placement orders (E1) at the end of 2005; this episode starts "+d.String()+". Use E1.")
				}
			})
		}),
		def("446", "Legal status E1 (placement order) is not valid for episodes starting before December 2005", "LS DECOM", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if d := tb.date(i, eDECOM); tb.val(i, eLS) == "E1" && d.ok() && d.ymd < 20051201 {
					v.flagCol(tb, i, eLS, "Placement orders (E1) exist from December 2005; this episode starts "+d.String()+". Use D1 or correct the date.")
				}
			})
		}),
		def("451", "A child cannot still be freed for adoption (D1) at the end of the year", "LS DEC REC", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				i := eps[len(eps)-1]
				if ep.val(i, eLS) == "D1" && ep.val(i, eDEC) == "" && ep.val(i, eREC) == "" {
					v.flagCol(ep, i, eLS, "The child's open episode still has legal status D1 (freeing order), which cannot have been granted since 30/12/2005. Record the current legal status.")
				}
			})
		}),
		def("408", "A child placed for adoption under a placement order (A5, A6) must have legal status E1 or D1", "PLACE LS", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if p := tb.val(i, ePLACE); (p == "A5" || p == "A6") && !in(tb.val(i, eLS), "E1", "D1") {
					v.flagCol(tb, i, eLS, "Placement "+p+" means placed for adoption under a placement order, but the legal status is "+quote(tb.val(i, eLS))+". Record E1 (placement order) or correct the placement type.")
				}
			})
		}),
		def("217", "A child placed for adoption with current foster carers (A3, A5) must have reason for new episode S, T or U", "PLACE RNE DECOM", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				p, d := tb.val(i, ePLACE), tb.date(i, eDECOM)
				if (p == "A3" || p == "A5") && d.ok() && d.ymd >= 20150401 && !in(tb.val(i, eRNE), "S", "T", "U") {
					v.flagCol(tb, i, eRNE, "Placement "+p+" is adoption by the current foster carers, so the carer did not change; reason for new episode must be S, T or U, not "+quote(tb.val(i, eRNE))+".")
				}
			})
		}),
		def("378", "A child placed with parents (P1) cannot be accommodated under a single period of section 20 (V2)", "PLACE LS", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if tb.val(i, ePLACE) == "P1" && tb.val(i, eLS) == "V2" {
					v.flagCol(tb, i, eLS, "A child accommodated under section 20 (V2) cannot be placed with parents (P1). Check the legal status or the placement type.")
				}
			})
		}),
		def("382", "A child on short breaks (V3, V4) cannot be in a temporary placement", "LS PLACE", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if isRespite(tb.val(i, eLS)) && isTemp(tb.val(i, ePLACE)) {
					v.flagCol(tb, i, ePLACE, "Short-break care ("+tb.val(i, eLS)+") cannot be in temporary placement "+tb.val(i, ePLACE)+". Record where the break took place.")
				}
			})
		}),
		def("384", "A child on short breaks (V3, V4) cannot be in a long-term foster placement (U1, U4)", "LS PLACE", tEp, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if isRespite(tb.val(i, eLS)) && in(tb.val(i, ePLACE), "U1", "U4") {
					v.flagCol(tb, i, ePLACE, "Short-break care ("+tb.val(i, eLS)+") cannot be long-term fostering ("+tb.val(i, ePLACE)+"). Use U3 or U6.")
				}
			})
		}),
		def("375", "A temporary stay in hospital (T1) must not exceed six weeks", "PLACE DECOM DEC", tEp, tempDuration("T1", 42, "a temporary stay in hospital")),
		def("376", "Temporary care while the foster carer is on holiday (T3) must not exceed three weeks", "PLACE DECOM DEC", tEp, tempDuration("T3", 21, "care while the usual foster carer is on holiday")),
		def("379", "A temporary placement for any other reason (T4) must not exceed seven days", "PLACE DECOM DEC", tEp, tempDuration("T4", 7, "a temporary placement (T4)")),
		def("377", "At most two temporary placements for a foster carer's holiday (T3) in the year", "PLACE", tEp, func(v *run) {
			ep := v.cur.ep
			v.episodes(func(child string, eps []int32) {
				var t3 []int32
				for _, i := range eps {
					if ep.val(i, ePLACE) == "T3" {
						t3 = append(t3, i)
					}
				}
				if len(t3) <= 2 {
					return
				}
				for _, i := range t3 {
					v.flagCol(ep, i, ePLACE, "The child has "+itoa(len(t3))+" T3 placements (foster carer on holiday) this year; at most two are allowed. Check the placement codes.")
				}
			})
		}),
	}
}

// contiguous reports whether episode b starts the day episode a ends.
func contiguous(ep *tab, a, b int32) bool {
	e := ep.date(a, eDEC)
	return e.ok() && e.ymd == ep.date(b, eDECOM).ymd
}

// changes describes what changed between two consecutive episodes.
func changes(ep *tab, a, b int32) string {
	var s []byte
	add := func(what string) {
		if len(s) > 0 {
			s = append(s, ", "...)
		}
		s = append(s, what...)
	}
	if ep.val(a, eLS) != ep.val(b, eLS) {
		add("legal status " + ep.val(a, eLS) + "→" + ep.val(b, eLS))
	}
	if ep.val(a, ePLACE) != ep.val(b, ePLACE) {
		add("placement type " + ep.val(a, ePLACE) + "→" + ep.val(b, ePLACE))
	}
	if ep.val(a, ePROV) != ep.val(b, ePROV) {
		add("provider " + ep.val(a, ePROV) + "→" + ep.val(b, ePROV))
	}
	if ep.val(a, ePLPOST) != ep.val(b, ePLPOST) {
		add("placement postcode")
	}
	if ep.val(a, eURN) != ep.val(b, eURN) {
		add("URN")
	}
	if len(s) == 0 {
		return "show no change from the previous episode"
	}
	return "show these changes: " + string(s)
}

// lsDuration flags episodes with legal status ls that last more than max days.
func lsDuration(code, ls string, max int, join bool, what string) rule {
	return def(code, what, "LS DECOM DEC", tEp, func(v *run) {
		ep := v.cur.ep
		v.episodes(func(child string, eps []int32) {
			for k := 0; k < len(eps); k++ {
				i := eps[k]
				s := ep.date(i, eDECOM)
				if ep.val(i, eLS) != ls || !s.ok() {
					continue
				}
				// The legal status lasts over consecutive episodes with the
				// same status, each starting the day the previous one ended
				// (a change of placement does not end the order). An open
				// episode lasts to the end of the collection year.
				spell := []int32{i}
				for join && k+1 < len(eps) {
					n := eps[k+1]
					e := ep.date(spell[len(spell)-1], eDEC)
					if ep.val(n, eLS) != ls || !e.ok() || ep.date(n, eDECOM).ymd != e.ymd {
						break
					}
					spell = append(spell, n)
					k++
				}
				last := spell[len(spell)-1]
				e := ep.date(last, eDEC)
				if ep.val(last, eDEC) == "" {
					e = v.cur.end
				}
				if !e.ok() || int(e.days-s.days) <= max {
					continue
				}
				for _, j := range spell {
					v.flag(ep, j, []string{"LS", "DECOM", "DEC"}, ls, what+", but this "+ls+" legal status lasts "+plural(int(e.days-s.days), "day", "days")+" ("+s.String()+" to "+e.String()+"). Check the dates or the legal status.")
				}
			}
		})
	})
}

func tempDuration(place string, max int, what string) func(v *run) {
	return func(v *run) {
		v.rows(ssda903.Episodes, func(tb *tab, i int32) {
			if tb.val(i, ePLACE) != place {
				return
			}
			s, e := tb.date(i, eDECOM), tb.date(i, eDEC)
			if s.ok() && e.ok() && int(e.days-s.days) > max {
				v.flag(tb, i, []string{"PLACE", "DECOM", "DEC"}, place, "This is "+what+" lasting "+plural(int(e.days-s.days), "day", "days")+"; at most "+itoa(max)+" are allowed. Record a longer stay as a placement of its own.")
			}
		})
	}
}

// everInCareBefore reports whether last year's return (when loaded) shows
// the child in care up to d: an episode there that ends on d or is still open.
func (v *run) everInCareBefore(child string, d date) bool {
	if v.prev == nil || v.prev.ep == nil {
		return false
	}
	for _, i := range v.prev.epsOf(child) {
		if e := v.prev.ep.date(i, eDEC); !e.ok() || e.ymd == d.ymd {
			return true
		}
	}
	return false
}
