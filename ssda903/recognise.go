package ssda903

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// requiredColumns are the columns a file must have to be recognised as each
// table. The other columns of the table (see Columns) are optional: a file
// without them is still read, and they are "" in every row. Recognition is by
// column set only, never by file name, because file names vary by council and
// by case-management system.
var requiredColumns = map[TableName][]string{
	Header:         {"CHILD", "SEX", "DOB", "ETHNIC"},
	Episodes:       {"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC"},
	UASC:           {"CHILD", "DUC"},
	Missing:        {"CHILD", "MISSING", "MIS_START"},
	Reviews:        {"CHILD", "REVIEW", "REVIEW_CODE"},
	OC2:            {"CHILD", "SDQ_SCORE", "CONVICTED", "HEALTH_CHECK"},
	OC3:            {"CHILD", "IN_TOUCH", "ACTIV", "ACCOM"},
	AD1:            {"CHILD", "DATE_INT", "DATE_MATCH"},
	PlacedAdoption: {"CHILD", "DATE_PLACED"},
	PrevPerm:       {"CHILD", "PREV_PERM"},
	SWEpisodes:     {"CHILD", "SW_ID", "SW_DECOM"},
	DoLo:           {"CHILD", "DOLO_START"},
	PlacementCosts: {"CHILD", "DECOM", "WEEKLY_COST"},
	Needs:          {"CHILD", "NEEDS_TIER"},
}

// Columns of the regional platform layout that are not part of any table.
const (
	colLA   = "LA"
	colYear = "YEAR"
)

// headerAliases are other names for canonical columns: the XML element names
// (CHILDID, PL) are accepted in CSV files too.
var headerAliases = map[string]string{
	"CHILDID": "CHILD",
	"PL":      "PLACE",
}

// colKind says how a column's values are normalised on read.
type colKind uint8

const (
	kindCode     colKind = iota // codes: trimmed and upper-cased (ASCII letters only)
	kindID                      // identifiers as given by the council: trimmed only
	kindDate                    // dates: trimmed, otherwise as written (see ParseDate)
	kindPostcode                // postcodes: trimmed, upper-cased, inner spaces collapsed to one
	kindLower                   // lists of our own lower-case codes (Needs.RISKS): trimmed, lower-cased
	kindText                    // free text (the platform LA name): trimmed only
)

var columnKinds = map[string]colKind{
	"CHILD": kindID,
	// dates
	"DOB": kindDate, "MC_DOB": kindDate, "DECOM": kindDate, "DEC": kindDate, "DUC": kindDate,
	"MIS_START": kindDate, "MIS_END": kindDate, "REVIEW": kindDate, "DATE_INT": kindDate,
	"DATE_MATCH": kindDate, "DATE_PLACED": kindDate, "DATE_PLACED_CEASED": kindDate,
	"DATE_PERM": kindDate, "SW_DECOM": kindDate, "SW_DEC": kindDate, "DOLO_START": kindDate,
	"DOLO_END": kindDate,
	// postcodes
	"HOME_POST": kindPostcode, "PL_POST": kindPostcode,
	// our own lower-case codes
	"RISKS": kindLower,
	// platform columns
	colLA: kindText, colYear: kindCode,
}

func kindOf(col string) colKind {
	if k, ok := columnKinds[col]; ok {
		return k
	}
	return kindCode
}

// tableKinds caches the kind of every canonical column of every table.
var tableKinds = func() map[TableName][]colKind {
	m := make(map[TableName][]colKind, len(Columns))
	for t, cols := range Columns {
		ks := make([]colKind, len(cols))
		for i, c := range cols {
			ks[i] = kindOf(c)
		}
		m[t] = ks
	}
	return m
}()

// NormaliseColumnName turns a header cell as written into the canonical
// column name it stands for: surrounding spaces, quotes and byte-order marks
// removed, upper case, inner spaces and hyphens as underscores, and the XML
// names CHILDID and PL as CHILD and PLACE.
func NormaliseColumnName(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	s = strings.TrimFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '"' || r == '\'' || r == '\u00A0' || r == '\uFEFF'
	})
	if s == "" {
		return ""
	}
	b := make([]byte, 0, len(s))
	prevUnderscore := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c == ' ' || c == '-' || c == '\t':
			c = '_'
		}
		if c == '_' {
			if prevUnderscore {
				continue
			}
			prevUnderscore = true
		} else {
			prevUnderscore = false
		}
		b = append(b, c)
	}
	name := string(b)
	if a, ok := headerAliases[name]; ok {
		return a
	}
	return name
}

// Recognition is what a header row says about a file: which table it holds,
// in which layout, and where each canonical column is.
type Recognition struct {
	Table  TableName
	Layout Layout // LayoutDfECSV, or LayoutPlatform when the file has a YEAR column
	// Index[i] is the canonical column index (in Columns[Table]) of file
	// column i, or one of the negative markers colExtra, colIgnored,
	// colIsLA, colIsYear.
	Index   []int
	Present []bool   // per canonical column: is it in the file
	Extra   []string // file columns that are not part of the table, as written
	Missing []string // optional canonical columns absent from the file
	// Supplied[k] is true when SuppliedColumns[Table][k] is in the file
	// (its file column has Index colSupplied-k); nil when none is.
	Supplied []bool
}

// Markers in Recognition.Index.
const (
	colExtra   = -1 // a column not part of the table, kept out of the way (Table.Extra)
	colIgnored = -2 // a blank column name: ignored
	colIsLA    = -3 // the platform LA column
	colIsYear  = -4 // the platform YEAR column
	// colSupplied-k marks the file column of SuppliedColumns[Table][k]
	// (kept on the row, Row.Supplied).
	colSupplied = -10
)

// RecogniseError explains why a header row was not recognised. It is turned
// into a care.Error naming the file by the caller.
type RecogniseError struct {
	Reason string
}

func (e *RecogniseError) Error() string { return e.Reason }

// RecogniseTable decides which table a header row belongs to. A table matches
// when the header has all its required columns (requiredColumns); extra
// columns are allowed. When several tables match, the one with the most of
// its columns present wins, provided every other match is explained by the
// winner's columns; otherwise the header is ambiguous (for example a file
// that has both the Header and the UASC columns) and is rejected. Column names
// are compared after NormaliseColumnName. A YEAR column makes the file the
// regional platform layout (with an optional LA column). A canonical column
// named twice is rejected as ambiguous.
func RecogniseTable(header []string) (Recognition, error) {
	names := make([]string, len(header))
	seen := make(map[string]int, len(header))
	for i, h := range header {
		n := NormaliseColumnName(h)
		names[i] = n
		if n == "" {
			continue
		}
		if j, dup := seen[n]; dup && isKnownColumn(n) {
			return Recognition{}, &RecogniseError{fmt.Sprintf("column %s appears twice (columns %d and %d); remove one of them", n, j+1, i+1)}
		}
		seen[n] = i
	}
	type cand struct {
		t       TableName
		matched []string
	}
	var cands []cand
	for _, t := range TableNames {
		ok := true
		for _, c := range requiredColumns[t] {
			if _, has := seen[c]; !has {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		var m []string
		for _, c := range Columns[t] {
			if _, has := seen[c]; has {
				m = append(m, c)
			}
		}
		cands = append(cands, cand{t, m})
	}
	if len(cands) == 0 {
		return Recognition{}, &RecogniseError{noTableReason(names, seen)}
	}
	sort.SliceStable(cands, func(i, j int) bool { return len(cands[i].matched) > len(cands[j].matched) })
	best := cands[0]
	inBest := make(map[string]bool, len(best.matched))
	for _, c := range best.matched {
		inBest[c] = true
	}
	for _, c := range cands[1:] {
		if len(c.matched) == len(best.matched) {
			return Recognition{}, &RecogniseError{fmt.Sprintf("the columns match both the %s and the %s tables; split the file into one file per table", best.t, c.t)}
		}
		for _, col := range c.matched {
			if !inBest[col] {
				return Recognition{}, &RecogniseError{fmt.Sprintf("the columns match both the %s and the %s tables (it has %s); split the file into one file per table", best.t, c.t, col)}
			}
		}
	}
	t := best.t
	r := Recognition{Table: t, Layout: LayoutDfECSV, Index: make([]int, len(header)), Present: make([]bool, len(Columns[t]))}
	_, hasYear := seen[colYear]
	if hasYear {
		r.Layout = LayoutPlatform
	}
	for i, n := range names {
		switch {
		case n == "":
			r.Index[i] = colIgnored
		case hasYear && n == colYear && seen[n] == i:
			r.Index[i] = colIsYear
		case hasYear && n == colLA && seen[n] == i:
			r.Index[i] = colIsLA
		default:
			if c := Col(t, n); c >= 0 {
				r.Index[i] = c
				r.Present[c] = true
			} else if k := SuppliedCol(t, n); k >= 0 && seen[n] == i {
				if r.Supplied == nil {
					r.Supplied = make([]bool, len(SuppliedColumns[t]))
				}
				r.Index[i] = colSupplied - k
				r.Supplied[k] = true
			} else {
				r.Index[i] = colExtra
				r.Extra = append(r.Extra, strings.TrimSpace(header[i]))
			}
		}
	}
	for i, c := range Columns[t] {
		if !r.Present[i] {
			r.Missing = append(r.Missing, c)
		}
	}
	return r, nil
}

func isKnownColumn(n string) bool {
	if n == colLA || n == colYear {
		return true
	}
	for _, t := range TableNames {
		if Col(t, n) >= 0 {
			return true
		}
	}
	return false
}

// noTableReason describes the nearest table for a header that matches none.
func noTableReason(names []string, seen map[string]int) string {
	bestT, bestHave := TableName(""), 0
	var bestMissing []string
	for _, t := range TableNames {
		have := 0
		var missing []string
		for _, c := range requiredColumns[t] {
			if _, ok := seen[c]; ok {
				have++
			} else {
				missing = append(missing, c)
			}
		}
		if have > bestHave && have > 1 {
			bestT, bestHave, bestMissing = t, have, missing
		}
	}
	shown := append([]string(nil), names...)
	if len(shown) > 8 {
		shown = append(shown[:8], "…")
	}
	for i, s := range shown {
		if !utf8.ValidString(s) || len(s) > 40 {
			shown[i] = fmt.Sprintf("%.40q", s)
		}
	}
	msg := fmt.Sprintf("no SSDA903 table has these columns (%s)", strings.Join(shown, ", "))
	if bestT != "" {
		msg += fmt.Sprintf("; it looks most like %s but lacks %s", bestT, strings.Join(bestMissing, ", "))
	}
	return msg + "; the first row must be the DfE column names"
}
