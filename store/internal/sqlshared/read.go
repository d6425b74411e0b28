package sqlshared

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// Rows is what both drivers' result sets offer (*sql.Rows, pgx.Rows). The
// helpers reading from one never close it: the caller does.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Row is one row of a result (*sql.Row, pgx.Row, or Rows at a row).
type Row interface {
	Scan(dest ...any) error
}

// ReadAll scans every row with scan (nil when there is none).
func ReadAll[T any](rows Rows, scan func(Row) (T, error)) ([]T, error) {
	var out Collector[T]
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out.Add(v)
	}
	return out.Slice(), rows.Err()
}

// Collector gathers the values read from rows, in chunks that grow to a
// fixed size, and gives them back as one slice of exactly their number:
// each value is copied once more, where appending to a growing slice copies
// it about twice and leaves the old arrays to the collector (for large rows
// such as episodes that cost as much as the query). The zero value is
// empty and ready.
type Collector[T any] struct {
	full [][]T
	cur  []T
	n    int
}

// collectorChunk is the largest chunk a Collector allocates.
const collectorChunk = 4096

// Add appends v.
func (c *Collector[T]) Add(v T) {
	if len(c.cur) == cap(c.cur) {
		size := 2 * cap(c.cur)
		if c.cur != nil {
			c.full = append(c.full, c.cur)
		}
		size = min(max(size, 16), collectorChunk)
		c.cur = make([]T, 0, size)
	}
	c.cur = append(c.cur, v)
	c.n++
}

// Len is the number of values added.
func (c *Collector[T]) Len() int { return c.n }

// Slice returns the values in the order added (nil when none).
func (c *Collector[T]) Slice() []T {
	if c.n == 0 {
		return nil
	}
	if len(c.full) == 0 {
		return c.cur
	}
	out := make([]T, 0, c.n)
	for _, ch := range c.full {
		out = append(out, ch...)
	}
	return append(out, c.cur...)
}

// Int scans a row of one integer column.
func Int(r Row) (int, error) {
	var n int
	err := r.Scan(&n)
	return n, err
}

// String scans a row of one text column.
func String(r Row) (string, error) {
	var s string
	err := r.Scan(&s)
	return s, err
}

// Time is a scan destination for a time column and the time scanned.
type Time interface {
	// Dest is the destination to give Scan.
	Dest() any
	// Value is the time scanned: zero for NULL (or ""), UTC; a date is a
	// civil date (care.Date).
	Value() (time.Time, error)
}

// Codec maps a dialect's time and boolean columns to domain values and back.
type Codec interface {
	// Instant and Date are scan destinations for a timestamp and a date.
	Instant() Time
	Date() Time
	// EncodeInstant, EncodeDate and EncodeBool are the column values of
	// a time (NULL when zero), a date (NULL when zero) and a boolean.
	EncodeInstant(time.Time) any
	EncodeDate(time.Time) any
	EncodeBool(bool) any
}

// Text is SQLite's codec: times stored as text (store.TimeString and
// store.DateString), "" or NULL for none; booleans as 0 and 1.
var Text Codec = textTimes{}

// Native is PostgreSQL's codec: times the driver takes and returns as
// time.Time (timestamptz and date), NULL for none; booleans as booleans.
var Native Codec = nativeTimes{}

type textTimes struct{}

func (textTimes) Instant() Time { return &textTime{parse: store.ParseTimeString} }
func (textTimes) Date() Time    { return &textTime{parse: store.ParseDateString} }

func (textTimes) EncodeInstant(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.TimeString(t)
}

func (textTimes) EncodeDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.DateString(t)
}

func (textTimes) EncodeBool(b bool) any {
	if b {
		return 1
	}
	return 0
}

type textTime struct {
	s     string
	parse func(string) (time.Time, error)
}

func (t *textTime) Dest() any                 { return &t.s }
func (t *textTime) Value() (time.Time, error) { return t.parse(t.s) }

type nativeTimes struct{}

func (nativeTimes) Instant() Time { return &nativeTime{} }
func (nativeTimes) Date() Time    { return &nativeTime{date: true} }

func (nativeTimes) EncodeInstant(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func (nativeTimes) EncodeDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func (nativeTimes) EncodeBool(b bool) any { return b }

type nativeTime struct {
	t    *time.Time
	date bool
}

func (t *nativeTime) Dest() any { return &t.t }
func (t *nativeTime) Value() (time.Time, error) {
	switch {
	case t.t == nil:
		return time.Time{}, nil
	case t.date:
		return FromDate(t.t), nil
	}
	return t.t.UTC(), nil
}

// FromDate turns a scanned nullable DATE into a civil date (zero for NULL).
func FromDate(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	y, m, d := t.Date()
	return care.Date(y, m, d)
}

// UTC returns a scanned nullable instant in UTC (zero for NULL).
func UTC(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// YearsText lists years for an audit detail: "2023, 2024", or "none".
func YearsText(ys []int) string {
	parts := make([]string, len(ys))
	for i, y := range ys {
		parts[i] = fmt.Sprint(y)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// ReturnsDetail is the audit detail of a read of the stored returns of
// years (all when none).
func ReturnsDetail(years []int, tables []ssda903.TableName) string {
	d := "all years"
	if len(years) > 0 {
		d = "years " + YearsText(years)
	}
	if len(tables) > 0 {
		names := make([]string, len(tables))
		for i, t := range tables {
			names[i] = string(t)
		}
		d += ", tables " + strings.Join(names, ", ")
	}
	return d
}

// WantYear reports whether year is among years (all when none).
func WantYear(years []int, year int) bool {
	return len(years) == 0 || slices.Contains(years, year)
}

// ErrCouncilNotLoaded is the error for a read of a council with nothing
// loaded.
func ErrCouncilNotLoaded(council string) error {
	return care.Errorf(care.ENOTFOUND, "nothing is loaded for council %q: import its SSDA903 returns first", council)
}

// ErrNoImport is the error for an import id not stored.
func ErrNoImport(id int64) error {
	return care.Errorf(care.ENOTFOUND, "there is no import %d", id)
}

// FindingsDetail is the audit detail of a read of an import's findings.
func FindingsDetail(id int64) string { return fmt.Sprintf("findings of import %d", id) }

// Needs is a child's needs profile from its columns.
func Needs(tier int, risks, comm string, disability, mentalHealth, solo, dolo bool) care.NeedsProfile {
	return care.NeedsProfile{
		Tier: care.NeedsTier(tier), Risks: store.SplitList[care.Risk](risks), Disability: disability, MentalHealth: mentalHealth,
		CommunicationNeeds: store.SplitList[string](comm), SoloRecommended: solo, DeprivationOfLiberty: dolo,
	}
}

// EpisodeValues sets an episode's placement and provider codes, cost and
// funding from their columns.
func EpisodeValues(e *care.Episode, place, provider string, cost, socialCare, education, health int64) {
	e.Placement, e.Provider = care.PlacementType(place), care.ProviderType(provider)
	e.WeeklyCost = care.Pence(cost)
	e.Funding = care.Funding{SocialCare: care.Pence(socialCare), Education: care.Pence(education), Health: care.Pence(health)}
}

// ReadFiles reads an import's files (path, sha256, size) into r.
func ReadFiles(rows Rows, r *store.ImportRecord) error {
	for rows.Next() {
		var f store.File
		if err := rows.Scan(&f.Path, &f.SHA256, &f.Size); err != nil {
			return err
		}
		r.Files = append(r.Files, f)
	}
	return rows.Err()
}

// ReadTableCounts reads an import's rows per table (year, table, rows)
// into r, sorted.
func ReadTableCounts(rows Rows, r *store.ImportRecord) error {
	for rows.Next() {
		var c store.TableCount
		var name string
		if err := rows.Scan(&c.Year, &name, &c.Rows); err != nil {
			return err
		}
		c.Table = ssda903.TableName(name)
		r.Rows = append(r.Rows, c)
	}
	store.SortTableCounts(r.Rows)
	return rows.Err()
}

// ReadLeftOut reads an import's rows left out (table, reason, rows) into
// r, sorted.
func ReadLeftOut(rows Rows, r *store.ImportRecord) error {
	for rows.Next() {
		var l store.LeftOut
		var name string
		if err := rows.Scan(&name, &l.Reason, &l.Rows); err != nil {
			return err
		}
		l.Table = ssda903.TableName(name)
		r.LeftOut = append(r.LeftOut, l)
	}
	store.SortLeftOut(r.LeftOut)
	return rows.Err()
}

// ReadStitchRules reads how often each stitching rule applied (rule,
// applied) into r.
func ReadStitchRules(rows Rows, r *store.ImportRecord) error {
	for rows.Next() {
		var rule string
		var n int
		if err := rows.Scan(&rule, &n); err != nil {
			return err
		}
		if r.StitchRules == nil {
			r.StitchRules = map[string]int{}
		}
		r.StitchRules[rule] = n
	}
	return rows.Err()
}

// Finding scans a finding (severity, rule_code, council, year, child,
// table_name, file, line, columns, value, message).
func Finding(r Row) (ssda903.Finding, error) {
	var f ssda903.Finding
	var sev, table, cols string
	if err := r.Scan(&sev, &f.RuleCode, &f.Council, &f.Year, &f.Child, &table, &f.File, &f.Line, &cols, &f.Value, &f.Message); err != nil {
		return f, err
	}
	f.Severity, f.Table, f.Columns = ssda903.Severity(sev), ssda903.TableName(table), store.SplitList[string](cols)
	return f, nil
}

// ReadReturnTables reads a stored return's tables (table_name, file,
// layout, present, extra, data) into ret.
func ReadReturnTables(rows Rows, ret *ssda903.Return) error {
	for rows.Next() {
		var name, file, layout, present, extra string
		var data []byte
		if err := rows.Scan(&name, &file, &layout, &present, &extra, &data); err != nil {
			return err
		}
		t := &ssda903.Table{Name: ssda903.TableName(name), File: file, Layout: ssda903.Layout(layout), Extra: store.SplitList[string](extra)}
		t.Present = make([]bool, len(present))
		for i := range t.Present {
			t.Present[i] = present[i] == '1'
		}
		var err error
		if t.Rows, err = store.DecodeRows(data); err != nil {
			return fmt.Errorf("table %s of %s %d: %w", name, ret.Council, ret.Year, err)
		}
		ret.Tables[t.Name] = t
	}
	return rows.Err()
}

// NewReturn is an empty return of a council's year, to read tables into.
func NewReturn(council string, year int) *ssda903.Return {
	return &ssda903.Return{Council: council, Year: year, Tables: map[ssda903.TableName]*ssda903.Table{}}
}

// ScanForecast scans a saved forecast's columns (id, saved_at, actor,
// mode, scope, origin, years, sims, seed, reference_start, reference_end,
// model_version, inputs_sha256) and then extra.
func ScanForecast(row Row, times Codec, extra ...any) (store.SavedForecast, error) {
	var f store.SavedForecast
	at, origin, refStart, refEnd := times.Instant(), times.Date(), times.Date(), times.Date()
	dest := append([]any{&f.ID, at.Dest(), &f.Actor, &f.Mode, &f.Scope, origin.Dest(), &f.Years, &f.Sims, &f.Seed,
		refStart.Dest(), refEnd.Dest(), &f.ModelVersion, &f.InputsDigest}, extra...)
	if err := row.Scan(dest...); err != nil {
		return f, err
	}
	var err error
	for _, t := range []struct {
		into *time.Time
		from Time
	}{{&f.At, at}, {&f.Origin, origin}, {&f.ReferenceStart, refStart}, {&f.ReferenceEnd, refEnd}} {
		if *t.into, err = t.from.Value(); err != nil {
			return f, err
		}
	}
	return f, nil
}

// ErrNoForecast is the error for a forecast id not stored.
func ErrNoForecast(id int64) error {
	return care.Errorf(care.ENOTFOUND, "no forecast %d", id)
}

// ForecastRecord is a stored forecast's record, never nil.
func ForecastRecord(rec []byte) []byte {
	if rec == nil {
		return []byte{}
	}
	return rec
}
