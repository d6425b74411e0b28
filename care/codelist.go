package care

import (
	_ "embed"
	"encoding/csv"
	"strconv"
	"strings"
	"sync"
)

// Code is one value of an SSDA903 code list with the collection years in
// which it is valid. Years are collection years ending 31 March (2025 =
// 2024/25). From 0 means "since before the first year we track" (2019/20);
// Until 0 means "still valid".
type Code struct {
	Field   string // SSDA903 field, e.g. "PLACE", "REC", "SEX"
	Code    string // the code as written in returns, upper case
	Meaning string // plain-English meaning; "" where no source gives one
	From    int    // first collection year the code is valid; 0 = always
	Until   int    // last collection year the code is valid; 0 = still valid
	Note    string // validity notes and caveats
}

// ValidIn reports whether the code is valid in the given collection year.
// Year 0 means "any year".
func (c Code) ValidIn(year int) bool {
	if year == 0 {
		return true
	}
	return (c.From == 0 || year >= c.From) && (c.Until == 0 || year <= c.Until)
}

// Code list field names that are not SSDA903 column names. The OC2 yes/no
// items (CONVICTED, HEALTH_CHECK, IMMUNISATIONS, ...) share one list.
const (
	FieldOC2Flag = "OC2_FLAG"
)

//go:embed codelists.csv
var codelistsCSV string

type codeIndex struct {
	byField map[string][]Code
}

var (
	codesOnce sync.Once
	codes     codeIndex
)

func loadCodes() {
	codes.byField = map[string][]Code{}
	r := csv.NewReader(strings.NewReader(codelistsCSV))
	recs, err := r.ReadAll()
	if err != nil {
		// The file is embedded and checked by the tests; a broken build is a bug.
		panic("care: embedded codelists.csv is malformed: " + err.Error())
	}
	for _, rec := range recs[1:] {
		from, _ := strconv.Atoi(rec[3])
		until, _ := strconv.Atoi(rec[4])
		c := Code{Field: rec[0], Code: rec[1], Meaning: rec[2], From: from, Until: until, Note: rec[5]}
		codes.byField[c.Field] = append(codes.byField[c.Field], c)
	}
}

func fieldCodes(field string) []Code {
	codesOnce.Do(loadCodes)
	return codes.byField[strings.ToUpper(field)]
}

// CodeFields lists the fields that have a code list, in file order.
func CodeFields() []string {
	codesOnce.Do(loadCodes)
	seen := map[string]bool{}
	var out []string
	r := csv.NewReader(strings.NewReader(codelistsCSV))
	recs, _ := r.ReadAll()
	for _, rec := range recs[1:] {
		if !seen[rec[0]] {
			seen[rec[0]] = true
			out = append(out, rec[0])
		}
	}
	return out
}

// Codes returns the codes of field valid in the collection year (0: every
// code ever valid), in the order of the DfE guidance. It returns nil for a
// field without a code list.
func Codes(field string, year int) []Code {
	var out []Code
	for _, c := range fieldCodes(field) {
		if c.ValidIn(year) {
			out = append(out, c)
		}
	}
	return out
}

// LookupCode returns the code list entry for field and code (case-insensitive,
// surrounding spaces ignored), whatever its years of validity.
func LookupCode(field, code string) (Code, bool) {
	code = strings.TrimSpace(code)
	for _, c := range fieldCodes(field) {
		if strings.EqualFold(c.Code, code) {
			return c, true
		}
	}
	return Code{}, false
}

// CodeValid reports whether code is a valid value of field in the collection
// year (year 0: valid in any year). Codes are compared case-insensitively.
// It reports false for fields without a code list.
func CodeValid(field, code string, year int) bool {
	c, ok := LookupCode(field, code)
	return ok && c.ValidIn(year)
}

// CodeMeaning returns the plain-English meaning of a code, or "" when the code
// is unknown or no source gives its meaning.
func CodeMeaning(field, code string) string {
	c, _ := LookupCode(field, code)
	return c.Meaning
}

// CodeSet is a fast membership test for one field's codes in one collection
// year, for validation loops over many rows. The zero value contains nothing.
type CodeSet struct {
	Field string
	Year  int
	set   map[string]struct{}
}

// NewCodeSet returns the set of field's codes valid in year.
func NewCodeSet(field string, year int) CodeSet {
	s := CodeSet{Field: field, Year: year, set: map[string]struct{}{}}
	for _, c := range Codes(field, year) {
		s.set[c.Code] = struct{}{}
	}
	return s
}

// Has reports whether code (already upper case and trimmed, as the readers
// deliver it) is in the set.
func (s CodeSet) Has(code string) bool {
	_, ok := s.set[code]
	return ok
}

// List returns the codes of the set joined with ", " in code-list order, for messages.
func (s CodeSet) List() string {
	var b strings.Builder
	for _, c := range Codes(s.Field, s.Year) {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Code)
	}
	return b.String()
}

// YearLabel writes a collection year ending 31 March as the DfE does: 2025 → "2024/25".
func YearLabel(year int) string {
	if year <= 0 {
		return ""
	}
	return strconv.Itoa(year-1) + "/" + strconv.Itoa(year%100 + 100)[1:]
}
