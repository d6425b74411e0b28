package rules

import (
	"sufficiency/care"
	"sufficiency/ssda903"
)

// codeRule checks that a field holds a code of its list for the collection
// year. blankOK says whether an empty cell passes (blank handling is then
// some other rule's business).
func codeRule(code string, t ssda903.TableName, field, list string, blankOK bool, what string) rule {
	return codeRuleThen(code, t, field, list, blankOK, what, nil)
}

// codeRuleThen is codeRule with a further check of a valid code (then),
// for rules whose DfE condition adds one ("must be a valid value and ...").
func codeRuleThen(code string, t ssda903.TableName, field, list string, blankOK bool, what string, then func(v *run, tb *tab, i int32, s string)) rule {
	desc := what + " must be a code of the " + list + " list for the collection year"
	if !blankOK {
		desc += " and must not be blank"
	}
	return codeRuleBlank(code, t, field, list, desc, what, func(*tab, int32) bool { return blankOK }, then)
}

// codeRuleBlank is codeRuleThen with the description given and a blank
// cell passing where blankOK says so for its row.
func codeRuleBlank(code string, t ssda903.TableName, field, list, desc, what string, blankOK func(tb *tab, i int32) bool, then func(v *run, tb *tab, i int32, s string)) rule {
	col := ssda903.Col(t, field)
	return def(code, desc, field, tables(t), func(v *run) {
		set := care.NewCodeSet(list, v.year)
		v.rows(t, func(tb *tab, i int32) {
			s := tb.val(i, col)
			if s == "" {
				if !blankOK(tb, i) {
					v.flag(tb, i, []string{field}, s, what+" is blank. Enter one of: "+set.List()+".")
				}
				return
			}
			if tb.rows[i].LowerCase(col) {
				v.flag(tb, i, []string{field}, s, what+" "+quote(s)+" was written in lower case in the file. Codes are upper case: write "+quote(s)+" in capitals.")
				return
			}
			if !set.Has(s) {
				msg := what + " " + quote(s) + " is not a valid code in " + care.YearLabel(v.year) + ". Use one of: " + set.List() + "."
				if c, ok := care.LookupCode(list, s); ok {
					msg = what + " " + quote(s) + " (" + orCode(c) + ") is not valid in " + care.YearLabel(v.year) + validity(c) + ". Use one of: " + set.List() + "."
				}
				v.flag(tb, i, []string{field}, s, msg)
				return
			}
			if then != nil {
				then(v, tb, i, s)
			}
		})
	})
}

// described is r with the description d.
func described(r rule, d string) rule {
	r.Description = d
	return r
}

func quote(s string) string { return "\"" + s + "\"" }

func orCode(c care.Code) string {
	if c.Meaning != "" {
		return c.Meaning
	}
	return c.Field + " code"
}

func validity(c care.Code) string {
	switch {
	case c.From != 0 && c.Until != 0:
		return "; it is valid from " + care.YearLabel(c.From) + " to " + care.YearLabel(c.Until)
	case c.From != 0:
		return "; it is valid from " + care.YearLabel(c.From)
	case c.Until != 0:
		return "; it was last valid in " + care.YearLabel(c.Until)
	}
	return ""
}

func codeRules() []rule {
	rs := []rule{
		codeRule("101", ssda903.Header, "SEX", "SEX", false, "Sex"),
		codeRule("103", ssda903.Header, "ETHNIC", "ETHNIC", false, "Ethnicity"),
		codeRule("143", ssda903.Episodes, "RNE", "RNE", false, "Reason for new episode"),
		codeRule("144", ssda903.Episodes, "LS", "LS", false, "Legal status"),
		codeRule("145", ssda903.Episodes, "CIN", "CIN", false, "Category of need"),
		codeRule("146", ssda903.Episodes, "PLACE", "PLACE", false, "Placement type"),
		codeRule("149", ssda903.Episodes, "REC", "REC", true, "Reason episode ceased"),
		// DfE: "If provided, PLACE_PROVIDER must be a valid value and should
		// not be provided if PL = T0–T4 or Z1" (Z11–Z14, which replace Z1,
		// from 2025/26): a valid provider on such a placement is 178's as
		// well as 213's.
		described(codeRuleThen("178", ssda903.Episodes, "PLACE_PROVIDER", "PLACE_PROVIDER", true, "Placement provider", func(v *run, tb *tab, i int32, s string) {
			// A placement type written in lower case ("z12") is not one of
			// the DfE's codes (146 flags it), so the condition does not hold.
			if p := tb.val(i, ePLACE); (isTemp(p) || isOtherZ(p)) && !tb.rows[i].LowerCase(ePLACE) {
				v.flagCol(tb, i, ePROV, "Placement "+p+" takes no placement provider, but "+s+" is recorded. Leave PLACE_PROVIDER blank.")
			}
		}), "Placement provider must be a code of the PLACE_PROVIDER list for the collection year, and is not given for temporary (T0–T4) and other (Z1, Z11–Z14) placements"),
		codeRule("1009", ssda903.Episodes, "REASON_PLACE_CHANGE", "REASON_PLACE_CHANGE", true, "Reason for placement change"),
		codeRule("1006", ssda903.Missing, "MISSING", "MISSING", true, "Missing type"),
		// The DfE tools pass a review row with neither a date nor a code
		// (an empty row, as 399); a review with a date needs a code.
		codeRuleBlank("167", ssda903.Reviews, "REVIEW_CODE", "REVIEW_CODE",
			"Participation code must be a code of the REVIEW_CODE list for the collection year and must not be blank for a review with a date",
			"Participation code", func(tb *tab, i int32) bool { return tb.val(i, rREVIEW) == "" }, nil),
		codeRule("131", ssda903.OC3, "IN_TOUCH", "IN_TOUCH", false, "In-touch code"),
		codeRule("132", ssda903.OC3, "ACTIV", "ACTIV", false, "Activity code"),
		codeRule("133", ssda903.OC3, "ACCOM", "ACCOM", false, "Accommodation code"),
		codeRule("114", ssda903.AD1, "FOSTER_CARE", "FOSTER_CARE", true, "Adopted by former foster carer"),
		codeRule("175", ssda903.AD1, "NB_ADOPTR", "NB_ADOPTR", true, "Number of adopters"),
		codeRule("176", ssda903.AD1, "SEX_ADOPTR", "SEX_ADOPTR", true, "Sex of adopters"),
		codeRule("177", ssda903.AD1, "LS_ADOPTR", "LS_ADOPTR", true, "Legal status of adopters"),
		codeRule("120", ssda903.PlacedAdoption, "REASON_PLACED_CEASED", "REASON_PLACED_CEASED", true, "Reason the adoption decision was reversed"),
		codeRule("196", ssda903.OC2, "SDQ_REASON", "SDQ_REASON", true, "Reason for no SDQ score"),
		codeRule("631", ssda903.PrevPerm, "PREV_PERM", "PREV_PERM", true, "Previous permanence option"),
		swReasonRule(),

		def("181", "The OC2 items for children looked after for 12 months (CONVICTED, HEALTH_CHECK, IMMUNISATIONS, TEETH_CHECK, HEALTH_ASSESSMENT, SUBSTANCE_MISUSE, INTERVENTION_RECEIVED, INTERVENTION_OFFERED) must be 0, 1 or blank",
			"CONVICTED HEALTH_CHECK IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT SUBSTANCE_MISUSE INTERVENTION_RECEIVED INTERVENTION_OFFERED", tOC2, func(v *run) {
				cols := []int{o2CONV, o2HCHK, o2IMM, o2TEETH, o2HASS, o2SUB, o2IREC, o2IOFF}
				v.rows(ssda903.OC2, func(tb *tab, i int32) {
					for _, c := range cols {
						if s := tb.val(i, c); s != "" && s != "0" && s != "1" {
							v.flagCol(tb, i, c, ssda903.Columns[ssda903.OC2][c]+" is "+quote(s)+"; it must be 0 (no), 1 (yes) or blank.")
						}
					}
				})
			}),
		def("180", "The SDQ score must be a whole number from 0 to 40, or blank", "SDQ_SCORE", tOC2, func(v *run) {
			v.rows(ssda903.OC2, func(tb *tab, i int32) {
				s := tb.val(i, o2SDQ)
				if s == "" {
					return
				}
				if n, ok := smallInt(s); !ok || n > 40 {
					v.flagCol(tb, i, o2SDQ, "SDQ score "+quote(s)+" is not a whole number from 0 to 40. Enter the total difficulties score, or leave it blank and give a reason for no score.")
				}
			})
		}),
		def("168", "UPN must be 13 characters (a letter, 11 digits, then a digit or letter) or one of the unknown codes UN1–UN5", "UPN", tHeader, func(v *run) {
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				s := tb.val(i, hUPN)
				if s == "" || validUPN(s) {
					return
				}
				v.flagCol(tb, i, hUPN, "UPN "+quote(s)+" is not a valid unique pupil number. Enter the 13-character UPN, or UN1–UN5 when it is not known.")
			})
		}),
		def("165", "Mother status must be 0 or 1 for a girl or young woman looked after during the year (not only on short breaks), and blank for a boy", "MOTHER SEX", tEpHd, func(v *run) {
			ep := v.cur.ep
			oc3 := v.cur.tabs[ssda903.OC3]
			v.rows(ssda903.Header, func(tb *tab, i int32) {
				m := tb.val(i, hMOTHER)
				var msg string
				switch {
				case isMale(tb.val(i, hSEX)) && m != "":
					msg = "Mother status is " + quote(m) + " for a boy or young man; leave it blank."
				case isFemale(tb.val(i, hSEX)) && m != "0" && m != "1":
					if a := age(tb.date(i, hDOB), v.cur.end); a >= 0 && a < 12 && m == "" {
						return // not asked of a girl under 12 (rule 393)
					}
					inYear := false
					for _, e := range v.cur.epsAt(tb, i) {
						d := ep.date(e, eDEC)
						if !isRespite(ep.val(e, eLS)) && (ep.val(e, eDEC) == "" || (d.ok() && d.ymd >= v.cur.start.ymd)) {
							inYear = true
							break
						}
					}
					if !inYear {
						return
					}
					msg = "Mother status is " + quote(m) + "; for a girl or young woman looked after this year it must be 1 (she is a mother) or 0 (she is not)."
				default:
					return
				}
				v.flagCol(tb, i, hMOTHER, msg)
				if oc3 != nil {
					for _, j := range oc3.rowsOfKid(tb.kid[i]) {
						v.flagCol(oc3, j, o3INTOUCH, msg)
					}
				}
			})
		}),
		def("633", "The council where a previous permanence option was arranged must be a valid council code", "LA_PERM", tPP, func(v *run) {
			v.rows(ssda903.PrevPerm, func(tb *tab, i int32) {
				s := tb.val(i, ppLA)
				if s == "" || in(s, "NIR", "SCO", "WAL", "NUK") || v.opt.CouncilKnown(s) {
					return
				}
				v.flagCol(tb, i, ppLA, "Council code "+quote(s)+" where the previous permanence order was arranged is not known. Use the council's code, or NIR, SCO, WAL or NUK outside England.")
			})
		}).need(needCouncils),
	}
	return rs
}

// smallInt parses a non-negative decimal integer of up to 9 digits.
func smallInt(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func validUPN(s string) bool {
	if in(s, "UN1", "UN2", "UN3", "UN4", "UN5") {
		return true
	}
	// The first character is the check letter: A–Z without I, O and S.
	if len(s) != 13 || s[0] < 'A' || s[0] > 'Z' || s[0] == 'I' || s[0] == 'O' || s[0] == 'S' {
		return false
	}
	for i := 1; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	c := s[12]
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
}

// swReasonRule is SW13STG1: the reason for a social worker change is a code
// of the SW_REASON list; from 2024/25 (the DfE's condition as its tools read
// it) it must also be entered, except on the child's first social worker
// episode of the year: the latest that began before 1 April if it was still
// open then, else the first that began in the year (no change to give a
// reason for).
func swReasonRule() rule {
	r := codeRule("SW13STG1", ssda903.SWEpisodes, "SW_REASON", "SW_REASON", true, "Reason for social worker change").since(2024)
	r.Description = "Reason for social worker change must be a code of the SW_REASON list for the collection year, and from 2024/25 must be entered except on the child's first social worker episode of the year"
	codes := r.check
	r.check = func(v *run) {
		codes(v)
		if v.year < 2025 {
			return
		}
		tb := v.cur.tabs[ssda903.SWEpisodes]
		for _, k := range tb.orderK {
			rows := swOrdered(tb, k)
			first := int32(-1)
			for _, i := range rows {
				d := tb.date(i, swDECOM)
				if !d.ok() {
					continue
				}
				if d.ymd < v.cur.start.ymd {
					if e := tb.date(i, swDEC); tb.val(i, swDEC) == "" || (e.ok() && e.ymd >= v.cur.start.ymd) {
						first = i // open on 1 April
					} else {
						first = -1
					}
					continue
				}
				if first < 0 {
					first = i // the first that began in the year
				}
				break
			}
			for _, i := range rows {
				if i != first && tb.val(i, swREASON) == "" {
					v.flagCol(tb, i, swREASON, "The reason for the change of social worker is blank. Enter one of the SW_REASON codes (only the child's first social worker episode of the year may leave it blank).")
				}
			}
		}
	}
	return r
}
