package ssda903

// TableName names one SSDA903 table.
type TableName string

// The SSDA903 tables.
const (
	Header         TableName = "Header"
	Episodes       TableName = "Episodes"
	UASC           TableName = "UASC"
	Missing        TableName = "Missing"
	Reviews        TableName = "Reviews"
	OC2            TableName = "OC2"
	OC3            TableName = "OC3"
	AD1            TableName = "AD1"
	PlacedAdoption TableName = "PlacedAdoption"
	PrevPerm       TableName = "PrevPerm"
	SWEpisodes     TableName = "SWEpisodes"
	DoLo           TableName = "DoLo"

	// PlacementCosts and Needs are not DfE tables. They are this product's
	// extension tables for what councils hold outside the return: the weekly
	// cost of each placement with its funding split (keyed by CHILD and DECOM
	// of the episode), and each child's needs profile. Costs are in pounds;
	// RISKS is a ";"-separated list of care.Risk codes; flags are Y or N.
	PlacementCosts TableName = "PlacementCosts"
	Needs          TableName = "Needs"
)

// TableNames lists every table in the order they are usually presented.
var TableNames = []TableName{
	Header, Episodes, UASC, Missing, Reviews, OC2, OC3, AD1, PlacedAdoption, PrevPerm, SWEpisodes, DoLo,
	PlacementCosts, Needs,
}

// Columns gives each table's columns in the DfE CSV loading format, in
// canonical order. Row.Values are indexed by position in this list.
var Columns = map[TableName][]string{
	Header:         {"CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"},
	Episodes:       {"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"},
	UASC:           {"CHILD", "SEX", "DOB", "DUC"},
	Missing:        {"CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"},
	Reviews:        {"CHILD", "DOB", "REVIEW", "REVIEW_CODE"},
	OC2:            {"CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"},
	OC3:            {"CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"},
	AD1:            {"CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"},
	PlacedAdoption: {"CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"},
	PrevPerm:       {"CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"},
	SWEpisodes:     {"CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"},
	DoLo:           {"CHILD", "DOB", "DOLO_START", "DOLO_END"},
	PlacementCosts: {"CHILD", "DECOM", "WEEKLY_COST", "SOCIAL_CARE", "EDUCATION", "HEALTH"},
	Needs:          {"CHILD", "NEEDS_TIER", "RISKS", "DISABILITY", "MENTAL_HEALTH", "SOLO", "DOLO"},
}

// SuppliedColumns lists, per table, the optional columns a file may carry
// that are not part of the stored table: the placement fields the DfE's
// tools derive from the postcodes (PL_LA, PL_LOCATION, PL_DISTANCE), which
// some councils' extracts include, and the XML Header's UASC flag (0 or 1),
// which a CSV Header may carry too. The readers keep them on each row
// (Row.Supplied) so the validation rules can check what the council
// submitted (105, 303, 205C, 205D, 406, 411, 420); analysis and storage
// work from the postcodes and the UASC table instead.
var SuppliedColumns = map[TableName][]string{
	Header:   {"UASC"},
	Episodes: {"PL_LA", "PL_LOCATION", "PL_DISTANCE"},
}

// SuppliedCol returns the index of name in SuppliedColumns[t], or -1.
func SuppliedCol(t TableName, name string) int {
	for i, c := range SuppliedColumns[t] {
		if c == name {
			return i
		}
	}
	return -1
}

// Col returns the index of column name in table t, or -1.
func Col(t TableName, name string) int {
	for i, c := range Columns[t] {
		if c == name {
			return i
		}
	}
	return -1
}

// Row is one record of a table as read. Values are in the canonical column
// order of the table (see Columns): surrounding spaces trimmed; code fields
// upper-cased; dates left as written (see ParseDate). A column absent from the
// file is "" in every row.
type Row struct {
	Line   int      // 1-based line (CSV) or element line (XML) in the source file
	Values []string // canonical column order
	LA     string   // platform layout only: the LA column as written
	Year   int      // platform layout only: the YEAR column; 0 otherwise
	// Lower marks (bit i = column i) the code columns the reader upper-cased
	// because the file wrote them in lower case ("c1" for C1). Analysis reads
	// the code as meant; the validation rules flag it as not a valid code,
	// as the DfE's tools do. CSV readers set it; 0 otherwise.
	Lower uint64
	// Supplied holds the values of SuppliedColumns[table] in that order,
	// nil when the file has none of those columns.
	Supplied []string
}

// LowerCase reports whether the reader upper-cased column col of the row.
func (r Row) LowerCase(col int) bool { return col >= 0 && col < 64 && r.Lower&(1<<uint(col)) != 0 }

// SuppliedValue returns the row's value of SuppliedColumns[t][i], or "".
func (r Row) SuppliedValue(i int) string {
	if i >= 0 && i < len(r.Supplied) {
		return r.Supplied[i]
	}
	return ""
}

// HasSupplied reports whether the file of t had the supplied column name.
func (t *Table) HasSupplied(name string) bool {
	i := SuppliedCol(t.Name, name)
	return t != nil && i >= 0 && i < len(t.Supplied) && t.Supplied[i]
}

// Get returns the value of the named column, or "" if the table has no such column.
func (r Row) Get(t TableName, name string) string {
	if i := Col(t, name); i >= 0 && i < len(r.Values) {
		return r.Values[i]
	}
	return ""
}

// Layout is the physical layout a table was read from.
type Layout string

// Layouts.
const (
	LayoutDfECSV   Layout = "dfe-csv"  // one CSV per table, dates DD/MM/YYYY
	LayoutXML      Layout = "dfe-xml"  // EXPSSDA903 XML return
	LayoutPlatform Layout = "platform" // regional platform CSV: ISO dates, LA and YEAR columns
)

// Table is one table read from one source file.
type Table struct {
	Name    TableName
	File    string // path as given by the user
	Layout  Layout
	Rows    []Row
	Present []bool   // Present[i] is true when canonical column i was in the file
	Extra   []string // columns in the file that are not part of the table (kept out of the way)
	// Supplied[i] is true when SuppliedColumns[Name][i] was in the file.
	Supplied []bool
	// BareYear is true for a platform-layout table whose YEAR column holds a
	// bare year ("2017"), which may name the year the collection starts or
	// the one it ends; "2017/18" is not bare.
	BareYear bool
}

// Return is the set of tables for one council and one collection year: what a
// council submits to the DfE once a year.
type Return struct {
	Council string // ONS code if known, else as given
	Year    int    // collection year ending 31 March Year (2025 = 2024/25)
	Tables  map[TableName]*Table
}

// Table returns the named table, or nil when the return does not include it.
func (r *Return) Table(name TableName) *Table {
	if r == nil || r.Tables == nil {
		return nil
	}
	return r.Tables[name]
}

// Severity of a validation finding.
type Severity string

// Severities. An error blocks a plain import; a warning does not.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Finding is one problem found in a return, pointing at the exact place.
type Finding struct {
	Severity Severity  `json:"severity"`
	RuleCode string    `json:"rule_code"` // DfE rule code, e.g. "103", "392c"; or our own READ-* codes for reading problems
	Council  string    `json:"council,omitempty"`
	Year     int       `json:"year,omitempty"`
	Child    string    `json:"child,omitempty"`
	Table    TableName `json:"table,omitempty"`
	File     string    `json:"file,omitempty"`
	Line     int       `json:"line,omitempty"`
	Columns  []string  `json:"columns,omitempty"`
	Value    string    `json:"value,omitempty"`
	Message  string    `json:"message"` // what is wrong and what to do about it
	// More, when not 0, makes this a summary: the rule (or reading check)
	// found More further rows that are not listed, because at most a fixed
	// number are kept per rule code (memory stays bounded however bad the
	// input). The summary itself points at no row.
	More int `json:"more,omitempty"`
}

// Count is how many findings f stands for: More for a summary, else 1.
func (f Finding) Count() int {
	if f.More > 0 {
		return f.More
	}
	return 1
}
