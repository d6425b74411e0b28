package rules

import (
	"strings"

	"sufficiency/ssda903"
)

// registry holds every rule we implement, in family order. It is built once
// from the family files; nothing else is registered at run time.
var registry = concat(
	codeRules(),
	dateRules(),
	episodeRules(),
	placementRules(),
	ageRules(),
	crossRules(),
	missingRules(),
	oc2Rules(),
	oc3Rules(),
	adoptionRules(),
	previousYearRules(),
	socialWorkerRules(),
	locationRules(),
	permanenceRules(),
	leaverRules(),
	moreRules(),
	addedRules(),
	suppliedRules(),
	suppliedPlacementRules(),
	uascContinuityRules(),
	doloRules(),
	urnRules(),
	socialWorker2026Rules(),
	moreGapRules(),
)

func concat(families ...[]rule) []rule {
	var out []rule
	for _, f := range families {
		out = append(out, f...)
	}
	return out
}

// def builds an error rule that needs the given tables in the current return.
// fields is a space-separated list of the fields findings point at.
func def(code, desc, fields string, needs []ssda903.TableName, check func(v *run)) rule {
	return rule{
		RuleInfo: RuleInfo{Code: code, Tables: needs, Fields: strings.Fields(fields), Severity: ssda903.SeverityError, Description: desc},
		needs:    needs,
		check:    check,
	}
}

func (r rule) warn() rule          { r.Severity = ssda903.SeverityWarning; return r }
func (r rule) since(year int) rule { r.Since = year; return r }
func (r rule) until(year int) rule { r.Until = year; return r }
func (r rule) need(what string) rule {
	if r.Needs == needPrev {
		r.hook = what // previous year and a hook
		return r
	}
	r.Needs = what
	return r
}

// suppliedCol names one of ssda903.SuppliedColumns of a table.
type suppliedCol struct {
	table ssda903.TableName
	name  string
}

// column marks the rule as checking a supplied column (ssda903.SuppliedColumns):
// it is skipped when the current return's file does not carry it.
func (r rule) column(t ssda903.TableName, name string) rule {
	r.cols = append(append([]suppliedCol(nil), r.cols...), suppliedCol{t, name})
	return r
}

// uascStatus marks a rule that reads the child's UASC status (uascOf): it
// needs the UASC table, or the Header's UASC flag in its place, and is
// skipped only when the return has neither.
func (r rule) uascStatus() rule {
	needs := make([]ssda903.TableName, 0, len(r.needs))
	for _, t := range r.needs {
		if t != ssda903.UASC {
			needs = append(needs, t)
		}
	}
	r.needs, r.uasc = needs, true
	return r
}

// withPrev marks the rule as needing last year's return with the given tables.
func (r rule) withPrev(tables ...ssda903.TableName) rule {
	r.prev = append([]ssda903.TableName{}, tables...)
	r.Needs = needPrev
	for _, t := range tables {
		r.Tables = append(r.Tables, ssda903.TableName(string(t)+" (last year)"))
	}
	return r
}

// Table sets used by rule definitions.
var (
	tHeader  = []ssda903.TableName{ssda903.Header}
	tEp      = []ssda903.TableName{ssda903.Episodes}
	tEpHd    = []ssda903.TableName{ssda903.Episodes, ssda903.Header}
	tUASC    = []ssda903.TableName{ssda903.UASC}
	tMissing = []ssda903.TableName{ssda903.Missing}
	tReviews = []ssda903.TableName{ssda903.Reviews}
	tOC2     = []ssda903.TableName{ssda903.OC2}
	tOC3     = []ssda903.TableName{ssda903.OC3}
	tAD1     = []ssda903.TableName{ssda903.AD1}
	tPA      = []ssda903.TableName{ssda903.PlacedAdoption}
	tPP      = []ssda903.TableName{ssda903.PrevPerm}
	tSW      = []ssda903.TableName{ssda903.SWEpisodes}
)

func tables(ts ...ssda903.TableName) []ssda903.TableName { return ts }

// episodes calls fn for every child's episodes in date order.
func (v *run) episodes(fn func(child string, eps []int32)) {
	for k, child := range v.cur.ep.order {
		fn(child, v.cur.epiList[k])
	}
}

// rows calls fn for every row of table t of the current return.
func (v *run) rows(t ssda903.TableName, fn func(tb *tab, i int32)) {
	tb := v.cur.tabs[t]
	if tb == nil {
		return
	}
	for i := range tb.rows {
		fn(tb, int32(i))
	}
}

// in reports whether s is one of the values.
func in(s string, values ...string) bool {
	for _, x := range values {
		if s == x {
			return true
		}
	}
	return false
}

// isTemp reports whether PLACE is a temporary placement (T0–T4).
func isTemp(place string) bool {
	return len(place) == 2 && place[0] == 'T' && place[1] >= '0' && place[1] <= '4'
}

// isOtherZ reports whether PLACE is "other placement" Z1 or Z11–Z14.
func isOtherZ(place string) bool {
	return place == "Z1" || (len(place) == 3 && place[0] == 'Z' && place[1] == '1')
}

// isAdoptionPlace reports whether PLACE is placed for adoption (A3–A6).
func isAdoptionPlace(place string) bool { return in(place, "A3", "A4", "A5", "A6") }

// isRespite reports whether LS is a short-break series (V3, V4).
func isRespite(ls string) bool { return ls == "V3" || ls == "V4" }

// ceasedCare reports whether REC ends the period of care (any code but X1 and blank).
func ceasedCare(rec string) bool { return rec != "" && rec != "X1" }

// isFemale reports whether SEX is female in either coding (2 or F).
func isFemale(sex string) bool { return sex == "2" || sex == "F" }

// isMale reports whether SEX is male in either coding (1 or M).
func isMale(sex string) bool { return sex == "1" || sex == "M" }

// plural writes a count with the singular or plural noun, for messages.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
