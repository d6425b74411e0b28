package sqlshared

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// Dialect is how a database writes what EpisodeQuerySQL needs.
type Dialect int

const (
	// SQLite binds ? parameters, dates as text, lists as a JSON array read
	// with json_each.
	SQLite Dialect = iota
	// Postgres binds $n parameters, dates as dates, lists as text arrays.
	Postgres
)

// EpisodeColumns are the columns EpisodeQuerySQL selects, in order: the
// council, then Store.Episodes' columns.
const EpisodeColumns = `e.council, e.child_id, e.start_date, e.end_date, e.rne, e.ls, e.cin, e.place, e.provider, e.rec,
	e.reason_place_change, e.home_post, e.pl_post, e.urn, e.weekly_cost, e.funding_social_care, e.funding_education, e.funding_health`

type query struct {
	d    Dialect
	args []any
}

func (q *query) param(v any) string {
	q.args = append(q.args, v)
	if q.d == Postgres {
		return "$" + strconv.Itoa(len(q.args))
	}
	return "?"
}

// in is "col IN list" (or NOT IN with not) with the list bound as one
// parameter, so any number of values takes one.
func (q *query) in(col string, list []string, not bool) string {
	if q.d == Postgres {
		p := q.param(list)
		if not {
			return "NOT (" + col + " = ANY(" + p + "::text[]))"
		}
		return col + " = ANY(" + p + "::text[])"
	}
	b, _ := json.Marshal(list)
	p := q.param(string(b))
	op := " IN "
	if not {
		op = " NOT IN "
	}
	return col + op + "(SELECT value FROM json_each(" + p + "))"
}

// EpisodeQuerySQL is the statement answering q (see store.EpisodeQuery),
// with its arguments; dateArg turns a date into the dialect's argument.
// EINVALID when q.At is zero.
func EpisodeQuerySQL(d Dialect, q store.EpisodeQuery, dateArg func(time.Time) any) (string, []any, error) {
	sel, args, err := selectedSQL(d, q, dateArg)
	if err != nil {
		return "", nil, err
	}
	var join string
	if q.Runs {
		join = "JOIN (SELECT DISTINCT council, child_id FROM sel) s ON s.council = e.council AND s.child_id = e.child_id"
	} else {
		join = "JOIN sel s ON s.council = e.council AND s.child_id = e.child_id AND s.seq = e.seq"
	}
	return fmt.Sprintf("WITH sel AS (\n%s\n)\nSELECT %s FROM episodes e %s ORDER BY e.council, e.child_id, e.seq", sel, EpisodeColumns, join), args, nil
}

// EpisodeQuerySQLInPlanOrder is EpisodeQuerySQL without its ORDER BY and
// with e.seq after EpisodeColumns, for SQLite: its plan finds the selected
// children in (council, child_id) order and reads each one's episodes by
// primary key, so the rows come in the order wanted without being sorted
// again in a temporary b-tree (about a third of the statement for a
// region's year). SQL does not promise that order: the reader checks it on
// (council, child_id, seq) and reads with EpisodeQuerySQL when a row breaks
// it.
func EpisodeQuerySQLInPlanOrder(d Dialect, q store.EpisodeQuery, dateArg func(time.Time) any) (string, []any, error) {
	text, args, err := EpisodeQuerySQL(d, q, dateArg)
	if err != nil {
		return "", nil, err
	}
	i := strings.LastIndex(text, " ORDER BY ")
	from := strings.Index(text, " FROM episodes e ")
	return text[:from] + ", e.seq" + text[from:i], args, nil
}

// ChildrenQuerySQL is the statement reading the children of the episodes q
// selects (Store.ChildrenWhere; q.Runs makes no difference), with their
// needs, ordered by council then id: c.council, then columns, a list of
// the dialect's expressions over children c and needs n (as the store's
// Children reads them). EINVALID when q.At is zero.
func ChildrenQuerySQL(d Dialect, q store.EpisodeQuery, dateArg func(time.Time) any, columns string) (string, []any, error) {
	sel, args, err := selectedSQL(d, q, dateArg)
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf(`WITH sel AS (
%s
)
SELECT c.council, %s FROM children c
	JOIN (SELECT DISTINCT council, child_id FROM sel) s ON s.council = c.council AND s.child_id = c.child_id
	LEFT JOIN needs n ON n.council = c.council AND n.child_id = c.child_id
	ORDER BY c.council, c.child_id`, sel, columns), args, nil
}

// selectedSQL is the query of the (council, child_id, seq) of the episodes
// q selects by themselves (without Runs), with its arguments.
func selectedSQL(d Dialect, q store.EpisodeQuery, dateArg func(time.Time) any) (string, []any, error) {
	if q.At.IsZero() {
		return "", nil, care.Errorf(care.EINVALID, "episodes on which date? the query names none")
	}
	b := &query{d: d}
	at := dateArg(q.At)
	endAfter := at // an episode must end after this to be selected
	if !q.Since.IsZero() {
		endAfter = dateArg(q.Since)
	}
	councils := func() []string {
		var w []string
		if len(q.Councils) > 0 {
			w = append(w, b.in("council", q.Councils, false))
		}
		if len(q.Except) > 0 {
			w = append(w, b.in("council", q.Except, true))
		}
		return w
	}
	// covering's extra conditions are made inside, after the councils', so
	// that ? parameters are bound in the order they appear.
	covering := func(extra func() []string) string {
		w := councils()
		if extra != nil {
			w = append(w, extra()...)
		}
		w = append(w, "start_date <= "+b.param(at))
		w = append(w, "(end_date IS NULL OR end_date > "+b.param(endAfter)+")")
		return "SELECT council, child_id, seq FROM episodes WHERE " + strings.Join(w, " AND ")
	}
	// placed is the branches of the episodes placed in an area (extra: by
	// postcode district or URN). In SQLite they are two, the open episodes
	// and those ended after endAfter, each a range of the index on (district
	// or URN, end_date, start_date) (migration 0610): the episodes current at
	// a date, not every episode ever placed there (for a region's
	// in-placers, some 18,000 index entries rather than 257,000).
	placed := func(extra func() []string) []string {
		if d != SQLite {
			return []string{covering(extra)}
		}
		open := append(append(councils(), extra()...), "end_date IS NULL", "start_date <= "+b.param(at))
		ended := append(append(councils(), extra()...), "end_date > "+b.param(endAfter), "start_date <= "+b.param(at))
		return []string{
			"SELECT council, child_id, seq FROM episodes WHERE " + strings.Join(open, " AND "),
			"SELECT council, child_id, seq FROM episodes WHERE " + strings.Join(ended, " AND "),
		}
	}
	var branches []string
	switch {
	case len(q.Districts) > 0 || len(q.URNs) > 0:
		if len(q.Districts) > 0 {
			branches = append(branches, placed(func() []string { return []string{b.in("pl_district", q.Districts, false)} })...)
		}
		if len(q.URNs) > 0 {
			branches = append(branches, placed(func() []string { return []string{"urn <> ''", b.in("urn", q.URNs, false)} })...)
		}
	case len(q.Councils) > 0:
		branches = append(branches, covering(nil))
	default:
		// Every council: through the end-date index, open episodes and
		// those ending after At apart.
		w := councils()
		open := append(append([]string(nil), w...), "end_date IS NULL", "start_date <= "+b.param(at))
		ended := councils()
		ended = append(ended, "end_date > "+b.param(endAfter))
		ended = append(ended, "start_date <= "+b.param(at))
		branches = append(branches,
			"SELECT council, child_id, seq FROM episodes WHERE "+strings.Join(open, " AND "),
			"SELECT council, child_id, seq FROM episodes WHERE "+strings.Join(ended, " AND "))
	}
	if !q.CostedSince.IsZero() && len(q.CostedCouncils) > 0 {
		w := councils()
		w = append(w, b.in("council", q.CostedCouncils, false), "weekly_cost > 0")
		w = append(w, "start_date > "+b.param(dateArg(q.CostedSince)))
		w = append(w, "start_date <= "+b.param(at))
		branches = append(branches, "SELECT council, child_id, seq FROM episodes WHERE "+strings.Join(w, " AND "))
	}
	return strings.Join(branches, "\nUNION\n"), b.args, nil
}

// CountByCouncil counts episodes by council, in the order councils first
// appear.
func CountByCouncil(eps []care.Episode) ([]string, map[string]int) {
	var order []string
	n := map[string]int{}
	for _, e := range eps {
		if n[e.Council] == 0 {
			order = append(order, e.Council)
		}
		n[e.Council]++
	}
	return order, n
}

// EpisodesWhereDetail is the audit detail of an EpisodesWhere read of n of
// a council's episodes.
func EpisodesWhereDetail(q store.EpisodeQuery, n int) string {
	why := q.Purpose
	if why == "" {
		why = "episodes on " + store.DateString(q.At)
	}
	return fmt.Sprintf("%s: %d episodes", why, n)
}

// ChildrenWhereDetail is the audit detail of a ChildrenWhere read of n of a
// council's children.
func ChildrenWhereDetail(q store.EpisodeQuery, n int) string {
	why := q.Purpose
	if why == "" {
		why = "children in care on " + store.DateString(q.At)
	}
	return fmt.Sprintf("%s: %d children", why, n)
}

// CountChildrenByCouncil counts children by council, in the order councils
// first appear.
func CountChildrenByCouncil(cs []care.Child) ([]string, map[string]int) {
	var order []string
	n := map[string]int{}
	for _, c := range cs {
		if n[c.Council] == 0 {
			order = append(order, c.Council)
		}
		n[c.Council]++
	}
	return order, n
}

// ReturnTablesSQL is the query of the raw tables stored for one
// council-year (store.Store.Returns), only those named in tables when there
// are any, with its arguments; its rows go to ReadReturnTables.
func ReturnTablesSQL(d Dialect, council string, year int, tables []ssda903.TableName) (string, []any) {
	q := &query{d: d}
	text := `SELECT table_name, file, layout, present, extra, data FROM return_tables WHERE council = ` + q.param(council) + ` AND year = ` + q.param(year)
	if len(tables) > 0 {
		names := make([]string, len(tables))
		for i, t := range tables {
			names[i] = string(t)
		}
		text += " AND " + q.in("table_name", names, false)
	}
	return text, q.args
}
