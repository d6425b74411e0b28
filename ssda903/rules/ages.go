package rules

import (
	"strings"

	"sufficiency/ssda903"
)

// Age rules: a child's age (from the Header date of birth) at the start or
// end of an episode against what the placement, legal status or reason
// ceased allows.

// ageAtStart flags episodes with a placement or legal status that needs the
// child to be at least min years old when the episode starts.
func ageAtStart(code, desc string, col int, field string, codes []string, min int, why string) rule {
	return ageAtStartDOB(code, desc, col, field, codes, min, why, false)
}

// ageAtStartDOB is ageAtStart; with header, the child's Header row (the date
// of birth) is flagged with the episode, for a rule whose DfE fields include
// DOB (358).
func ageAtStartDOB(code, desc string, col int, field string, codes []string, min int, why string, header bool) rule {
	fields := "DECOM " + field
	if header {
		fields += " DOB"
	}
	return def(code, desc, fields, tEpHd, func(v *run) {
		ep := v.cur.ep
		// under flags episode i when its code needs an older child; it
		// reports whether it did.
		under := func(i int32) bool {
			c := ep.val(i, col)
			if !in(c, codes...) {
				return false
			}
			dob, d := v.cur.dobAt(ep, i), ep.date(i, eDECOM)
			if !dob.ok() || !d.ok() {
				return false
			}
			// An episode starting before the child was born is under age too.
			a := age(dob, d)
			if a >= min {
				return false
			}
			v.flag(ep, i, []string{"DECOM", field}, c, "The child was "+itoa(a)+" when this "+c+" episode started; "+why+" (at least "+itoa(min)+"). Check the "+field+" code and the date of birth.")
			return true
		}
		v.episodesAndDOB(header, under, "The child's date of birth makes them younger than "+itoa(min)+" when an episode with "+field+" "+strings.Join(codes, ", ")+" started. Check the date of birth and the "+field+" codes.")
	})
}

// ageAtEnd flags ceased episodes whose reason needs an age condition on the
// day care ended: minAge ≤ age < maxAge (use -1 / 200 for no bound).
func ageAtEnd(code, desc string, recs []string, minAge, maxAge int, why string) rule {
	return ageAtEndDOB(code, desc, recs, minAge, maxAge, why, false)
}

// ageAtEndDOB is ageAtEnd; with header, the child's Header row is flagged
// once with its episodes, for a rule whose DfE fields include DOB (407).
func ageAtEndDOB(code, desc string, recs []string, minAge, maxAge int, why string, header bool) rule {
	fields := "REC DEC"
	if header {
		fields += " DOB"
	}
	return def(code, desc, fields, tEpHd, func(v *run) {
		ep := v.cur.ep
		bad := func(i int32) bool {
			r := ep.val(i, eREC)
			if !in(r, recs...) {
				return false
			}
			a := age(v.cur.dobAt(ep, i), ep.date(i, eDEC))
			if a < 0 || (a >= minAge && a < maxAge) {
				return false
			}
			v.flag(ep, i, []string{"REC", "DEC"}, r, "The child was "+itoa(a)+" when care ended with "+r+"; "+why+". Check the reason ceased and the date of birth.")
			return true
		}
		v.episodesAndDOB(header, bad, "The child's date of birth does not fit the reason care ended ("+strings.Join(recs, ", ")+"): "+why+". Check the date of birth and the reason ceased.")
	})
}

func ageRules() []rule {
	return []rule{
		ageAtStartDOB("358", "A child with legal status J1, J2 or J3 must be at least 10", eLS, "LS", []string{"J1", "J2", "J3"}, 10, "remand, PACE detention and youth rehabilitation orders apply from the age of criminal responsibility", true),
		ageAtStart("371", "A child in supported accommodation (H5, K3) must be at least 16", ePLACE, "PLACE", []string{"H5", "K3"}, 16, "supported accommodation is only for young people aged 16 or over"),
		ageAtStart("372", "A child in a young offender institution or prison (R5) must be at least 10", ePLACE, "PLACE", []string{"R5"}, 10, "custody applies from the age of criminal responsibility"),
		ageAtStart("373", "A child placed in a residential school (S1) must be at least 4", ePLACE, "PLACE", []string{"S1"}, 4, "a school placement needs a child of school age"),
		ageAtStart("374", "A child in residential employment (P3) must be at least 14", ePLACE, "PLACE", []string{"P3"}, 14, "residential employment is only for young people"),
		def("352", "A child who starts to be looked after must be under 18", "DECOM RNE", tEpHd, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				if tb.val(i, eRNE) != "S" {
					return
				}
				if a := age(v.cur.dobAt(tb, i), tb.date(i, eDECOM)); a >= 18 {
					v.flag(tb, i, []string{"DECOM", "RNE"}, tb.val(i, eDECOM), "The child was "+itoa(a)+" when this period of care started; only children under 18 can start to be looked after. Check the date of birth and start date.")
				}
			})
		}),
		def("359", "A young person looked after past their 18th birthday must be accommodated under section 20 (V2) in a children's home", "DEC LS PLACE", tEpHd, func(v *run) {
			v.rows(ssda903.Episodes, func(tb *tab, i int32) {
				dob := v.cur.dobAt(tb, i)
				if !dob.ok() {
					return
				}
				b18 := birthday(dob, 18)
				e := tb.date(i, eDEC)
				open := tb.val(i, eDEC) == ""
				if !(open && v.cur.end.ymd >= b18) && !(e.ok() && e.ymd > b18) {
					return
				}
				if tb.val(i, eLS) != "V2" || !in(tb.val(i, ePLACE), "K2", "R1", "H5", "K3", "P2") {
					v.flag(tb, i, []string{"DEC", "LS", "PLACE"}, tb.val(i, eLS)+" "+tb.val(i, ePLACE), "The young person is still looked after after their 18th birthday; care ends the day before the 18th birthday unless they stay under section 20(5) (V2) in a children's home. End the episode, or correct the legal status and placement.")
				}
			})
		}),
		ageAtEnd("386", "A child adopted (E11, E12) must be under 18 on the date of adoption", []string{"E11", "E12"}, -1, 18, "adoption orders are made only for children under 18"),
		ageAtEnd("387", "A child who moves to independent living (E5, E6) must be at least 14", []string{"E5", "E6"}, 14, 200, "independent living is not for a child under 14"),
		ageAtEnd("389", "A child transferred to adult social care (E7) must be at least 16", []string{"E7"}, 16, 200, "adult social care residential placement is not for a child under 16"),
		ageAtEndDOB("407", "A special guardianship order (E45–E48) must be made before the child's 18th birthday", []string{"E45", "E46", "E47", "E48"}, -1, 18, "special guardianship orders are made only for children under 18", true),
		ageAtEnd("460", "A young person who stays with their carers at 18 (E17) must be 18 or over when care ends", []string{"E17"}, 18, 200, "E17 records staying with current carers from the 18th birthday"),
		def("620", "A child recorded as a mother must be at least 11 at the start of the collection year", "DOB MOTHER", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if tb.val(i, hMOTHER) != "1" {
					return
				}
				if a := age(tb.date(i, hDOB), v.cur.start); a >= 0 && a < 11 {
					v.flagCol(tb, i, hMOTHER, "The child is recorded as a mother but was "+itoa(a)+" at the start of the year. Check the mother status and date of birth.")
				}
			})
		}),
		def("621", "A mother's child must be born after the mother", "DOB MC_DOB", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				d, m := tb.date(i, hDOB), tb.date(i, hMCDOB)
				if d.ok() && m.ok() && m.ymd <= d.ymd {
					v.flagCol(tb, i, hMCDOB, "The date of birth of the mother's child ("+m.String()+") is not after the mother's own ("+d.String()+"). Correct one of the dates.")
				}
			})
		}),
		def("174", "A child's date of birth (MC_DOB) can only be recorded for a mother, not for a male child", "SEX MC_DOB", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if isMale(tb.val(i, hSEX)) && tb.val(i, hMCDOB) != "" {
					v.flagCol(tb, i, hMCDOB, "A date of birth of the mother's child is recorded for a male child. Remove it, or correct the sex.")
				}
			})
		}),
		def("611", "A mother (MOTHER 1) must have the date of birth of her child", "MOTHER MC_DOB", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if tb.val(i, hMOTHER) == "1" && tb.val(i, hMCDOB) == "" {
					v.flagCol(tb, i, hMCDOB, "The child is recorded as a mother but the date of birth of her child is blank. Enter MC_DOB.")
				}
			})
		}),
		def("612", "A date of birth of a mother's child needs mother status 1, not 0 or blank", "MOTHER MC_DOB SEX", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if isFemale(tb.val(i, hSEX)) && tb.val(i, hMCDOB) != "" && (tb.val(i, hMOTHER) == "0" || tb.val(i, hMOTHER) == "") {
					v.flagCol(tb, i, hMOTHER, "A date of birth of the mother's child is recorded, but mother status is "+quote(tb.val(i, hMOTHER))+". Set MOTHER to 1, or remove MC_DOB.")
				}
			})
		}),
		def("209", "A child of school age should not have unknown UPN code UN1 (not yet of school age)", "UPN DOB", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				if tb.val(i, hUPN) != "UN1" {
					return
				}
				// School age: 5 by 31 August before the collection year's start.
				if a := age(tb.date(i, hDOB), ymd(v.year-1, 8, 31)); a >= 5 {
					v.flagCol(tb, i, hUPN, "UPN UN1 means not yet of school age, but the child was "+itoa(a)+" on 31/08/"+itoa(v.year-1)+". Enter the child's UPN, or another UN code.")
				}
			})
		}),
	}
}

// episodesAndDOB runs flag (which flags an episode and says whether it did)
// on every Episodes row; with header it goes child by child and flags the
// DOB of a child's Header row once, with msg, when any of the child's
// episodes was flagged (a rule whose DfE fields include DOB).
func (v *run) episodesAndDOB(header bool, flag func(i int32) bool, msg string) {
	if !header {
		v.rows(ssda903.Episodes, func(_ *tab, i int32) { flag(i) })
		return
	}
	v.episodes(func(child string, eps []int32) {
		hit := false
		for _, i := range eps {
			hit = flag(i) || hit
		}
		if hit {
			for _, h := range v.cur.hd.rowsOf(child) {
				v.flagCol(v.cur.hd, h, hDOB, msg)
			}
		}
	})
}
