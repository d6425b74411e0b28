package store

import (
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
)

// Kind is the stored type of a column of an SSDA903 table.
type Kind int

// Column kinds.
const (
	KindText  Kind = iota // code or free text, stored as given (after the reader's normalising)
	KindDate              // civil date; stored as a date, rendered DD/MM/YYYY
	KindInt               // whole number
	KindPence             // money in pounds in the file, stored as whole pence
)

// Column is one stored column of an SSDA903 table.
type Column struct {
	Name string // DfE column name, e.g. "DECOM"
	SQL  string // column name in the database, e.g. "decom"
	Kind Kind
}

// ReturnTable describes a typed table: one database table per SSDA903 table,
// keyed by council, collection year and row position, with one typed column
// per canonical column.
type ReturnTable struct {
	Name    ssda903.TableName
	SQL     string // database table name, e.g. "ssda903_missing"
	Columns []Column
}

var dateColumns = map[string]bool{
	"DOB": true, "MC_DOB": true, "DECOM": true, "DEC": true, "DUC": true, "MIS_START": true, "MIS_END": true,
	"REVIEW": true, "DATE_INT": true, "DATE_MATCH": true, "DATE_PLACED": true, "DATE_PLACED_CEASED": true,
	"DATE_PERM": true, "SW_DECOM": true, "SW_DEC": true, "DOLO_START": true, "DOLO_END": true,
}

var intColumns = map[string]bool{"SDQ_SCORE": true, "NEEDS_TIER": true}

var penceColumns = map[string]bool{"WEEKLY_COST": true, "SOCIAL_CARE": true, "EDUCATION": true, "HEALTH": true}

// TypedTableNames are the SSDA903 tables stored in typed tables of their own,
// row for row, for each council-year. Header, Episodes and the extension
// tables PlacementCosts and Needs are not among them: their content is
// stored in stitched form (children, episodes with costs, needs).
var TypedTableNames = []ssda903.TableName{
	ssda903.UASC, ssda903.Missing, ssda903.Reviews, ssda903.OC2, ssda903.OC3, ssda903.AD1,
	ssda903.PlacedAdoption, ssda903.PrevPerm, ssda903.SWEpisodes, ssda903.DoLo,
}

// ReturnTables describes the typed table of every name in TypedTableNames, in
// that order. It is derived from ssda903.Columns; the implementations'
// migrations must match it (their tests check).
var ReturnTables = returnTables()

func returnTables() []ReturnTable {
	out := make([]ReturnTable, 0, len(TypedTableNames))
	for _, name := range TypedTableNames {
		rt := ReturnTable{Name: name, SQL: sqlNames[name]}
		for _, c := range ssda903.Columns[name] {
			k := KindText
			switch {
			case dateColumns[c]:
				k = KindDate
			case intColumns[c]:
				k = KindInt
			case penceColumns[c]:
				k = KindPence
			}
			rt.Columns = append(rt.Columns, Column{Name: c, SQL: strings.ToLower(c), Kind: k})
		}
		out = append(out, rt)
	}
	return out
}

// ReturnTableOf returns the typed table of name, or false when the table is
// not stored in a typed table of its own.
func ReturnTableOf(name ssda903.TableName) (ReturnTable, bool) {
	for _, rt := range ReturnTables {
		if rt.Name == name {
			return rt, true
		}
	}
	return ReturnTable{}, false
}

// KnownTable reports whether name is one of ssda903.TableNames.
func KnownTable(name ssda903.TableName) bool {
	for _, n := range ssda903.TableNames {
		if n == name {
			return true
		}
	}
	return false
}

// sqlNames are the database names of the typed tables.
var sqlNames = map[ssda903.TableName]string{
	ssda903.UASC: "ssda903_uasc", ssda903.Missing: "ssda903_missing", ssda903.Reviews: "ssda903_reviews",
	ssda903.OC2: "ssda903_oc2", ssda903.OC3: "ssda903_oc3", ssda903.AD1: "ssda903_ad1",
	ssda903.PlacedAdoption: "ssda903_placed_adoption", ssda903.PrevPerm: "ssda903_prev_perm",
	ssda903.SWEpisodes: "ssda903_sw_episodes", ssda903.DoLo: "ssda903_dolo",
}

// ParseValue converts a value as read into its stored form for kind k:
// a time.Time for dates, int64 for whole numbers and pence, the string for
// text. It reports false when the value is blank or cannot be interpreted;
// such a value is stored as NULL.
func ParseValue(k Kind, s string) (any, bool) {
	if s == "" {
		return nil, false
	}
	switch k {
	case KindDate:
		d, ok := ssda903.ParseDate(s)
		if !ok {
			return nil, false
		}
		return d, true
	case KindInt:
		s = strings.TrimSuffix(s, ".0") // Excel writes whole numbers as 12.0
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, false
		}
		return n, true
	case KindPence:
		p, ok := ParsePounds(s)
		if !ok {
			return nil, false
		}
		return int64(p), true
	}
	return s, true
}

// ParsePounds reads an amount of money in pounds as councils write it
// ("1234.5", "£1,234.50", " 800 ") and returns it in pence.
func ParsePounds(s string) (care.Pence, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "£")
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f || f > 1e12 || f < -1e12 {
		return 0, false
	}
	return care.FromPounds(f), true
}

// FormatValue renders a stored value back as the DfE CSV format writes it.
func FormatValue(k Kind, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return ssda903.FormatDate(x)
	case int64:
		if k == KindPence {
			return formatPounds(care.Pence(x))
		}
		return strconv.FormatInt(x, 10)
	case string:
		return x
	}
	return ""
}

func formatPounds(p care.Pence) string {
	neg := p < 0
	if neg {
		p = -p
	}
	s := strconv.FormatInt(int64(p/100), 10)
	if c := p % 100; c != 0 {
		s += "." + strconv.FormatInt(int64(c/10), 10) + strconv.FormatInt(int64(c%10), 10)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// DateString renders a civil date as YYYY-MM-DD for storage ("" for zero).
func DateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	var b [10]byte
	y, m, d := t.Date()
	b[0] = byte('0' + y/1000%10)
	b[1] = byte('0' + y/100%10)
	b[2] = byte('0' + y/10%10)
	b[3] = byte('0' + y%10)
	b[4] = '-'
	b[5] = byte('0' + int(m)/10)
	b[6] = byte('0' + int(m)%10)
	b[7] = '-'
	b[8] = byte('0' + d/10)
	b[9] = byte('0' + d%10)
	return string(b[:])
}

// ParseDateString reads a stored YYYY-MM-DD date ("" is the zero time).
func ParseDateString(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) > 10 { // PostgreSQL or drivers may add a time part
		s = s[:10]
	}
	return time.Parse("2006-01-02", s)
}

// timeLayout is RFC 3339 in UTC with a fixed-width fraction, so stored
// instants sort as text in time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// TimeString renders an instant for storage: RFC 3339 in UTC with a fixed
// nine-digit fraction, so stored instants compare correctly as text.
func TimeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// ParseTimeString reads an instant written by TimeString.
func ParseTimeString(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}
