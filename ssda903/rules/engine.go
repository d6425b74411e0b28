// Package rules validates SSDA903 returns against the DfE validation rules,
// keyed by the DfE rule codes ("101", "392c", "503D", ...), with this
// project's own messages.
//
// The engine prepares each return once (every date parsed once per row,
// rows grouped by child once, episodes ordered by start date once) and then
// runs each rule in effect for the collection year over the prepared data.
// Rules that need something the caller did not provide (a table that was not
// loaded, last year's return, or a reference-data hook such as a postcode
// lookup) are skipped and reported as skipped, never guessed.
package rules

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"sufficiency/ssda903"
)

// Options tunes a validation run. Every hook is optional: a rule that needs a
// missing hook is skipped and listed in Report.Skipped.
type Options struct {
	// Year overrides the collection year of the return (ending 31 March);
	// 0 uses cur.Year.
	Year int

	// PostcodeLA returns the code of the upper-tier council a postcode lies in
	// (e.g. "E10000002"; "" for a known postcode outside England), and false
	// when the postcode is not known. Needed by the placement-location rules
	// (392c, 1015).
	PostcodeLA func(postcode string) (la string, ok bool)

	// Provider returns what the Ofsted register says about a URN, and false
	// when the URN is not on it. Needed by the URN rules 1008, 219, 221, 224.
	Provider func(urn string) (ProviderInfo, bool)

	// CouncilKnown reports whether a council code (as used in LA_PERM) exists.
	CouncilKnown func(code string) bool

	// MaxPerRule is how many findings of one rule are listed per return;
	// the rest are counted in one summary finding (Finding.More), so memory
	// is bounded by what is kept, not by how bad the input is. 0 means
	// DefaultMaxPerRule; a negative value lists every finding.
	MaxPerRule int

	// Distance returns the DfE placement distance in miles (PL_DISTANCE,
	// rounded to 0.1) between a home and a placement postcode, and false when
	// either cannot be located. Needed by the distance rules (454, 503G).
	Distance func(home, placement string) (miles float64, ok bool)
}

// DefaultMaxPerRule is how many findings of one rule are listed per return
// unless Options.MaxPerRule says otherwise.
const DefaultMaxPerRule = 200

// ProviderInfo is what the Ofsted register holds about one provision.
type ProviderInfo struct {
	PlaceCodes    []string // SSDA903 PLACE codes the provision can be
	ProviderCodes []string // PLACE_PROVIDER codes it can be
	Postcode      string
	Registered    time.Time // zero when unknown; no rule reads it (227 uses Closed, the DfE's end of registration)
	Closed        time.Time // zero while open
}

// RuleInfo describes one rule.
type RuleInfo struct {
	Code        string              // DfE rule code
	Tables      []ssda903.TableName // tables the rule reads
	Fields      []string            // fields a finding points at
	Severity    ssda903.Severity    // error blocks import; warning does not
	Description string              // what the rule checks, in our words
	Since       int                 // first collection year the rule applies (0: always)
	Until       int                 // last collection year the rule applies (0: still in force)
	Needs       string              // "" or what must be supplied: "previous year", "postcodes", "providers", "councils"
}

// InEffect reports whether the rule applies to returns of the collection year.
func (r RuleInfo) InEffect(year int) bool {
	return (r.Since == 0 || year >= r.Since) && (r.Until == 0 || year <= r.Until)
}

// Skip records a rule that was in effect but could not run, and why.
type Skip struct {
	Code   string `json:"rule_code"`
	Reason string `json:"reason"`
}

// Report is the outcome of validating one return.
type Report struct {
	Council  string
	Year     int
	Findings []ssda903.Finding
	Skipped  []Skip
	Run      int // rules that ran
}

// Errors counts the error findings.
func (r Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == ssda903.SeverityError {
			n += f.Count()
		}
	}
	return n
}

// Validate checks cur (one council-year) and returns its findings. prev is
// last year's return of the same council, or nil; the previous-year
// continuity rules need it and are skipped without it.
func Validate(cur, prev *ssda903.Return, opt Options) []ssda903.Finding {
	return Check(cur, prev, opt).Findings
}

// Check is Validate with the list of rules that were skipped and why.
func Check(cur, prev *ssda903.Return, opt Options) Report {
	year := opt.Year
	if year == 0 && cur != nil {
		year = cur.Year
	}
	rep := Report{Year: year}
	if cur == nil {
		return rep
	}
	rep.Council = cur.Council
	v := &run{opt: opt, year: year, limit: opt.MaxPerRule}
	if v.limit == 0 {
		v.limit = DefaultMaxPerRule
	}
	v.cur = prepare(cur, year)
	if prev != nil {
		v.prev = prepare(prev, year-1)
	}
	if v.prev != nil {
		// A child UASC last year (a row in last year's UASC table, or
		// last year's Header flag of 1) was UASC (rule 392b).
		for id, pk := range v.prev.kids {
			if v.prev.uascK[pk] {
				if k, ok := v.cur.kids[id]; ok {
					v.cur.uascK[k] = true
				}
			}
		}
	}
	var todo []*rule
	for i := range registry {
		r := &registry[i]
		if !r.InEffect(year) {
			continue
		}
		if reason := v.missing(r); reason != "" {
			rep.Skipped = append(rep.Skipped, Skip{Code: r.Code, Reason: reason})
			continue
		}
		todo = append(todo, r)
	}
	// Rules only read the prepared data, so they run in parallel, each into
	// its own list of findings; the lists are joined in rule order.
	out := make([][]ssda903.Finding, len(todo))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				rv := *v
				rv.rule, rv.findings, rv.more = todo[k], nil, 0
				todo[k].check(&rv)
				if rv.more > 0 {
					rv.findings = append(rv.findings, ssda903.Finding{Severity: rv.rule.Severity, RuleCode: rv.rule.Code,
						Council: v.cur.ret.Council, Year: year, More: rv.more,
						Message: fmt.Sprintf("%d more findings of rule %s are not listed (the first %d are)", rv.more, rv.rule.Code, v.limit)})
				}
				out[k] = rv.findings
			}
		}()
	}
	for k := range todo {
		next <- k
	}
	close(next)
	wg.Wait()
	rep.Run = len(todo)
	// Findings in rule-code order (a rule's findings all carry its code),
	// and within a code by file and line with the count of the rest last.
	// The rules are ordered once by code; each code's findings, already in
	// row order for most rules, are sorted only when they are not.
	order := make([]int, len(todo))
	total := 0
	for k := range order {
		order[k] = k
		total += len(out[k])
	}
	sort.SliceStable(order, func(a, b int) bool { return ruleLess(todo[order[a]].Code, todo[order[b]].Code) })
	v.findings = make([]ssda903.Finding, 0, total)
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && todo[order[j]].Code == todo[order[i]].Code {
			j++
		}
		start := len(v.findings)
		for _, k := range order[i:j] {
			v.findings = append(v.findings, out[k]...)
		}
		if seg := v.findings[start:]; !slices.IsSortedFunc(seg, findingOrder) {
			slices.SortStableFunc(seg, findingOrder)
		}
		i = j
	}
	rep.Findings = v.findings
	return rep
}

// List returns the rules in effect for a collection year (0: every rule we
// know), ordered by rule code.
func List(year int) []RuleInfo {
	var out []RuleInfo
	for _, r := range registry {
		if year == 0 || r.InEffect(year) {
			out = append(out, r.RuleInfo)
		}
	}
	sort.Slice(out, func(i, j int) bool { return ruleLess(out[i].Code, out[j].Code) })
	return out
}

// Lookup returns the rule with the given DfE code.
func Lookup(code string) (RuleInfo, bool) {
	for _, r := range registry {
		if strings.EqualFold(r.Code, code) {
			return r.RuleInfo, true
		}
	}
	return RuleInfo{}, false
}

// ruleLess orders rule codes numerically where they are numbers ("101" <
// "1000"), then by suffix, then the lettered codes (EPI, INT.., SW..).
func ruleLess(a, b string) bool {
	na, ra := leadingNumber(a)
	nb, rb := leadingNumber(b)
	if (na >= 0) != (nb >= 0) {
		return na >= 0
	}
	if na != nb {
		return na < nb
	}
	return strings.ToUpper(ra) < strings.ToUpper(rb) || (strings.EqualFold(ra, rb) && ra < rb)
}

func leadingNumber(s string) (int, string) {
	n, i := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 {
		return -1, s
	}
	return n, s[i:]
}

// rule is a RuleInfo with what it needs and its check.
type rule struct {
	RuleInfo
	needs []ssda903.TableName // tables that must be present in the current return
	prev  []ssda903.TableName // tables that must be present in last year's return (non-nil: needs prev)
	hook  string              // a reference-data hook needed as well as last year's return
	cols  []suppliedCol       // supplied columns (ssda903.SuppliedColumns) the current return's files must carry
	uasc  bool                // reads the UASC status: the UASC table or, in its place, the Header's UASC flag
	check func(v *run)
}

// findingOrder orders the findings of one rule code: by file and line, the
// summary counting the findings not listed last.
func findingOrder(a, b ssda903.Finding) int {
	if (a.More > 0) != (b.More > 0) {
		if a.More > 0 {
			return 1
		}
		return -1
	}
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	return a.Line - b.Line
}

// run is the state of one validation.
type run struct {
	opt      Options
	year     int
	cur      *data
	prev     *data
	rule     *rule
	findings []ssda903.Finding
	limit    int // findings listed per rule (< 0: all)
	more     int // findings of the running rule beyond limit, counted only
}

func (v *run) missing(r *rule) string {
	for _, t := range r.needs {
		if v.cur.tabs[t] == nil {
			return "no " + string(t) + " table was loaded"
		}
	}
	if r.prev != nil {
		if v.prev == nil {
			return "last year's return was not loaded"
		}
		for _, t := range r.prev {
			if v.prev.tabs[t] == nil {
				return "last year's " + string(t) + " table was not loaded"
			}
		}
	}
	if r.uasc && v.cur.tabs[ssda903.UASC] == nil && (v.cur.hd == nil || !v.cur.hd.src.HasSupplied("UASC")) {
		return "no UASC table was loaded and the Header has no UASC flag"
	}
	for _, c := range r.cols {
		if tb := v.cur.tabs[c.table]; tb == nil || !tb.src.HasSupplied(c.name) {
			return "the " + string(c.table) + " file has no " + c.name + " column, so there is nothing of it to check"
		}
	}
	what := r.Needs
	if r.hook != "" {
		what = r.hook
	}
	switch what {
	case needPostcodes:
		if v.opt.PostcodeLA == nil {
			return "no postcode reference data was supplied"
		}
	case needProviders:
		if v.opt.Provider == nil {
			return "no Ofsted provider register was supplied"
		}
	case needRegisterLA:
		if v.opt.Provider == nil {
			return "no Ofsted provider register was supplied"
		}
		if v.opt.PostcodeLA == nil {
			return "no postcode reference data was supplied"
		}
		if v.cur.ret.Council == "" {
			return "the return's council is not known (the files do not name it and none was given)"
		}
	case needCouncils:
		if v.opt.CouncilKnown == nil {
			return "no council code list was supplied"
		}
	case needDistance:
		if v.opt.Distance == nil {
			return "no postcode grid references were supplied for placement distances"
		}
	}
	return ""
}

// What a rule may need beyond the current return.
const (
	needPrev      = "previous year"
	needPostcodes = "postcodes"
	needProviders = "providers"
	needCouncils  = "councils"
	needDistance  = "distance"
	// needRegisterLA: the Ofsted register, postcodes (to place a provider in
	// a council) and the return's council.
	needRegisterLA = "providers and postcodes"
)

// flag records a finding of the running rule against row i of table t.
func (v *run) flag(t *tab, i int32, cols []string, value, msg string) {
	if v.limit >= 0 && len(v.findings) >= v.limit {
		v.more++
		return
	}
	r := &t.rows[i]
	v.findings = append(v.findings, ssda903.Finding{
		Severity: v.rule.Severity,
		RuleCode: v.rule.Code,
		Council:  v.cur.ret.Council,
		Year:     v.year,
		Child:    get(r, 0),
		Table:    t.name,
		File:     t.src.File,
		Line:     r.Line,
		Columns:  cols,
		Value:    value,
		Message:  msg,
	})
}

// flagCol records a finding of the running rule against one column of row
// i of t, with that cell as the value.
func (v *run) flagCol(t *tab, i int32, col int, msg string) {
	if v.limit >= 0 && len(v.findings) >= v.limit {
		v.more++ // counted only: nothing is built for a finding not listed
		return
	}
	name := ssda903.Columns[t.name][col]
	v.flag(t, i, []string{name}, t.val(i, col), msg)
}

// date is a parsed date: ymd is YYYYMMDD (ordered like the dates, so ages
// are (ymd2-ymd1)/10000), days counts days since 1970-01-01. ymd is 0 when
// the cell was blank or not a valid date.
type date struct {
	ymd  int32
	days int32
}

func (d date) ok() bool { return d.ymd != 0 }

func mkdate(t time.Time) date {
	return date{ymd: int32(t.Year()*10000 + int(t.Month())*100 + t.Day()), days: int32(t.Unix() / 86400)}
}

func ymd(y, m, d int) date { return mkdate(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)) }

// String writes the date as DD/MM/YYYY.
func (d date) String() string {
	if !d.ok() {
		return ""
	}
	y, m, dd := d.ymd/10000, d.ymd/100%100, d.ymd%100
	b := []byte("00/00/0000")
	b[0], b[1] = byte('0'+dd/10), byte('0'+dd%10)
	b[3], b[4] = byte('0'+m/10), byte('0'+m%10)
	b[6], b[7], b[8], b[9] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	return string(b)
}

// age returns the age in whole years on date d of someone born on dob, or
// -1 when either date is unknown or d is before dob.
func age(dob, d date) int {
	if !dob.ok() || !d.ok() || d.ymd < dob.ymd {
		return -1
	}
	return int((d.ymd - dob.ymd) / 10000)
}

// birthday returns the n-th birthday as a ymd-ordered value (29 February
// birthdays fall between 28 February and 1 March in non-leap years).
func birthday(dob date, n int) int32 { return dob.ymd + int32(n)*10000 }

// parseDay parses a date cell as ssda903.ParseDate does, returning the
// zero date when it is not a valid date. The two shapes real files use
// (DD/MM/YYYY and YYYY-MM-DD) are decoded here without time.Time; any other
// shape goes to ssda903.ParseDate.
func parseDay(s string) date {
	var y, m, d int
	switch {
	case len(s) == 10 && s[2] == '/' && s[5] == '/':
		d, m, y = dig2(s[0], s[1]), dig2(s[3], s[4]), dig2(s[6], s[7])*100+dig2(s[8], s[9])
		if d < 0 || m < 0 || y < 0 {
			return date{}
		}
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, m, d = dig2(s[0], s[1])*100+dig2(s[2], s[3]), dig2(s[5], s[6]), dig2(s[8], s[9])
		if d < 0 || m < 0 || y < 0 || dig2(s[0], s[1]) < 0 {
			return date{}
		}
	default:
		if t, ok := ssda903.ParseDate(s); ok {
			return mkdate(t)
		}
		return date{}
	}
	if y < 1800 || y > 2100 || m < 1 || m > 12 || d < 1 || d > monthDays(y, m) {
		return date{}
	}
	return date{ymd: int32(y*10000 + m*100 + d), days: daysFromCivil(y, m, d)}
}

// dig2 decodes two ASCII digits, or returns a negative number.
func dig2(a, b byte) int {
	if a < '0' || a > '9' || b < '0' || b > '9' {
		return -1000
	}
	return int(a-'0')*10 + int(b-'0')
}

func monthDays(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days from 1970-01-01 to y-m-d (proleptic Gregorian;
// H. Hinnant's algorithm), for years from 1800.
func daysFromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// tab is one table prepared for validation.
type tab struct {
	name  ssda903.TableName
	src   *ssda903.Table
	rows  []ssda903.Row
	dates [][]date // by column; nil for columns that are not dates
	// cols holds the cells column by column. A rule reads one or two
	// columns of every row; scanning a column is far kinder to the memory
	// caches than visiting each row's own slice of values.
	cols   [][]string
	kids   map[string]int32 // the return's child numbers (shared by its tables)
	kid    []int32          // per row: the child's number
	order  []string         // children in order of first appearance in this table
	orderK []int32          // their numbers
	grp    []int32          // row indexes grouped by child number, file order within a child
	off    []int32          // child k's rows are grp[off[k]:off[k+1]]
}

// rowsOf returns the rows of child (file order; date order for Episodes).
func (t *tab) rowsOf(child string) []int32 {
	k, ok := t.kids[child]
	if !ok {
		return nil
	}
	return t.rowsOfKid(k)
}

// rowsOfKid returns the rows of the child numbered k.
func (t *tab) rowsOfKid(k int32) []int32 {
	if int(k)+1 >= len(t.off) {
		return nil
	}
	return t.grp[t.off[k]:t.off[k+1]]
}

func get(r *ssda903.Row, col int) string {
	if col < 0 || col >= len(r.Values) {
		return ""
	}
	return r.Values[col]
}

// val returns a cell.
func (t *tab) val(i int32, col int) string { return t.cols[col][i] }

func (t *tab) date(i int32, col int) date {
	if d := t.dates[col]; d != nil {
		return d[i]
	}
	return date{}
}

// dateCols lists the date columns of each table.
var dateCols = map[string]bool{
	"DOB": true, "MC_DOB": true, "DECOM": true, "DEC": true, "DUC": true, "MIS_START": true, "MIS_END": true,
	"REVIEW": true, "DATE_INT": true, "DATE_MATCH": true, "DATE_PLACED": true, "DATE_PLACED_CEASED": true,
	"DATE_PERM": true, "SW_DECOM": true, "SW_DEC": true, "DOLO_START": true, "DOLO_END": true,
}

func prepareTable(t *ssda903.Table, kids map[string]int32) *tab {
	cols := ssda903.Columns[t.Name]
	n := len(t.Rows)
	p := &tab{name: t.Name, src: t, rows: t.Rows, dates: make([][]date, len(cols)), kids: kids, kid: make([]int32, n)}
	// Columns are copied (and date columns parsed) in parallel: they are
	// independent, and this is most of the preparation's work.
	p.cols = make([][]string, len(cols))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for c, name := range cols {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			col := make([]string, n)
			for i := range t.Rows {
				if v := t.Rows[i].Values; c < len(v) {
					col[i] = v[c]
				}
			}
			p.cols[c] = col
			if dateCols[name] {
				ds := make([]date, n)
				for i, s := range col {
					if s != "" {
						ds[i] = parseDay(s)
					}
				}
				p.dates[c] = ds
			}
		}()
	}
	wg.Wait()
	var seen []bool // by child number: already in this table's order
	lastID, lastK := "", int32(-1)
	for i, id := range p.cols[0] {
		k := lastK
		if id != lastID || k < 0 { // files usually list a child's rows together
			var ok bool
			if k, ok = kids[id]; !ok {
				k = int32(len(kids))
				kids[id] = k
			}
			lastID, lastK = id, k
		}
		p.kid[i] = k
		for int(k) >= len(seen) {
			seen = append(seen, false)
		}
		if !seen[k] {
			seen[k] = true
			p.order = append(p.order, id)
			p.orderK = append(p.orderK, k)
		}
	}
	return p
}

// group builds grp and off (a counting sort by child number) once every
// table has numbered its children.
func (t *tab) group(children int) {
	t.off = make([]int32, children+1)
	for _, k := range t.kid {
		t.off[k+1]++
	}
	for k := 1; k <= children; k++ {
		t.off[k] += t.off[k-1]
	}
	next := append([]int32(nil), t.off[:children]...)
	t.grp = make([]int32, len(t.kid))
	for i, k := range t.kid {
		t.grp[next[k]] = int32(i)
		next[k]++
	}
}

// data is one return prepared for validation.
type data struct {
	ret        *ssda903.Return
	year       int
	start, end date // collection year: 1 April year-1 to 31 March year
	tabs       map[ssda903.TableName]*tab
	ep         *tab      // Episodes, or nil
	hd         *tab      // Header, or nil
	epiList    [][]int32 // episodes per child in date order, children in order of first appearance (ep.order)

	// Per-child arrays indexed by the child's number in the return, so that
	// row loops need no map lookups.
	kids  map[string]int32
	dobK  []date    // Header date of birth
	epiK  [][]int32 // episodes in date order
	uascK []bool    // UASC this year or (once set) last year: a row with a value in the UASC table or a Header UASC flag of 1
}

// dobAt returns the Header date of birth of the child of row i of t.
func (d *data) dobAt(t *tab, i int32) date { return d.dobK[t.kid[i]] }

// epsAt returns the episodes (in date order) of the child of row i of t.
func (d *data) epsAt(t *tab, i int32) []int32 { return d.epiK[t.kid[i]] }

func prepare(r *ssda903.Return, year int) *data {
	d := &data{ret: r, year: year, tabs: map[ssda903.TableName]*tab{}, start: ymd(year-1, 4, 1), end: ymd(year, 3, 31)}
	most := 0
	for _, t := range r.Tables {
		if t != nil {
			most = max(most, len(t.Rows))
		}
	}
	d.kids = make(map[string]int32, most)
	for _, name := range ssda903.TableNames {
		if t := r.Tables[name]; t != nil {
			d.tabs[name] = prepareTable(t, d.kids)
		}
	}
	n := len(d.kids)
	for _, t := range d.tabs {
		t.group(n)
	}
	d.dobK, d.epiK, d.uascK = make([]date, n), make([][]int32, n), make([]bool, n)
	d.ep, d.hd = d.tabs[ssda903.Episodes], d.tabs[ssda903.Header]
	if d.ep != nil {
		// Each child's episode rows, ordered by start date in place (stable:
		// file order among equal dates), so Episodes.rowsOf is in date order.
		// An episode without a valid start date sorts after the dated ones
		// (as the DfE's tools order them).
		dec := d.ep.dates[eDECOM]
		key := func(i int32) int32 {
			if y := dec[i].ymd; y != 0 {
				return y
			}
			return 1 << 30
		}
		d.epiList = make([][]int32, len(d.ep.orderK))
		for j, k := range d.ep.orderK {
			s := d.ep.rowsOfKid(k)
			sorted := true
			for x := 1; x < len(s); x++ {
				if key(s[x]) < key(s[x-1]) {
					sorted = false
					break
				}
			}
			if !sorted {
				sort.SliceStable(s, func(a, b int) bool { return key(s[a]) < key(s[b]) })
			}
			d.epiList[j] = s
			d.epiK[k] = s
		}
	}
	if d.hd != nil {
		for _, k := range d.hd.orderK {
			d.dobK[k] = d.hd.date(d.hd.rowsOfKid(k)[0], hDOB)
		}
	}
	if u := d.tabs[ssda903.UASC]; u != nil {
		// A UASC row counts when it holds a value besides CHILD, as the
		// DfE's tools read the table (392b).
		for i := range u.rows {
			if u.val(int32(i), uSEX) != "" || u.val(int32(i), uDOB) != "" || u.val(int32(i), uDUC) != "" {
				d.uascK[u.kid[i]] = true
			}
		}
	}
	if d.hd != nil && d.hd.src.HasSupplied("UASC") {
		for i := range d.hd.rows {
			if isOne(d.hd.sup(int32(i), sHdrUASC)) {
				d.uascK[d.hd.kid[i]] = true
			}
		}
	}
	return d
}

// epsOf returns the child's episodes in date order.
func (d *data) epsOf(child string) []int32 {
	k, ok := d.kids[child]
	if !ok || d.ep == nil {
		return nil
	}
	return d.epiK[k]
}

// headerRow returns the child's first Header row.
func (d *data) headerRow(child string) (int32, bool) {
	if d.hd == nil {
		return 0, false
	}
	rows := d.hd.rowsOf(child)
	if len(rows) == 0 {
		return 0, false
	}
	return rows[0], true
}

// dob returns the child's date of birth from the Header, if known.
func (d *data) dob(child string) date {
	if i, ok := d.headerRow(child); ok {
		return d.hd.date(i, hDOB)
	}
	return date{}
}

// headerVal returns a Header value for the child, or "".
func (d *data) headerVal(child string, col int) string {
	if i, ok := d.headerRow(child); ok {
		return d.hd.val(i, col)
	}
	return ""
}

// Column indexes, resolved once from the canonical column lists.
var (
	hCHILD, hSEX, hDOB, hETHNIC, hUPN, hMOTHER, hMCDOB = cols7(ssda903.Header, "CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")

	eDECOM, eRNE, eLS, eCIN, ePLACE, ePROV, eDEC = cols7(ssda903.Episodes, "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC")
	eREC, eRPC, eHOME, ePLPOST, eURN, _, _       = cols7(ssda903.Episodes, "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN", "", "")

	uSEX, uDOB, uDUC, _, _, _, _ = cols7(ssda903.UASC, "SEX", "DOB", "DUC", "", "", "", "")

	mDOB, mMISSING, mSTART, mEND, _, _, _ = cols7(ssda903.Missing, "DOB", "MISSING", "MIS_START", "MIS_END", "", "", "")

	rDOB, rREVIEW, rCODE, _, _, _, _ = cols7(ssda903.Reviews, "DOB", "REVIEW", "REVIEW_CODE", "", "", "", "")

	o3DOB, o3INTOUCH, o3ACTIV, o3ACCOM, _, _, _ = cols7(ssda903.OC3, "DOB", "IN_TOUCH", "ACTIV", "ACCOM", "", "", "")

	o2DOB, o2SDQ, o2SDQR, o2CONV, o2HCHK, o2IMM, o2TEETH = cols7(ssda903.OC2, "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK")
	o2HASS, o2SUB, o2IREC, o2IOFF, _, _, _               = cols7(ssda903.OC2, "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED", "", "", "")

	aDOB, aINT, aMATCH, aFOSTER, aNB, aSEX, aLS = cols7(ssda903.AD1, "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")

	paDOB, paPLACED, paCEASED, paREASON, _, _, _ = cols7(ssda903.PlacedAdoption, "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED", "", "", "")

	ppDOB, ppPERM, ppLA, ppDATE, _, _, _ = cols7(ssda903.PrevPerm, "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM", "", "", "")

	swDOB, swID, swDECOM, swDEC, swREASON, _, _ = cols7(ssda903.SWEpisodes, "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON", "", "")
)

func cols7(t ssda903.TableName, names ...string) (a, b, c, d, e, f, g int) {
	idx := make([]int, 7)
	for i := range idx {
		idx[i] = -1
		if i < len(names) && names[i] != "" {
			idx[i] = ssda903.Col(t, names[i])
		}
	}
	return idx[0], idx[1], idx[2], idx[3], idx[4], idx[5], idx[6]
}
