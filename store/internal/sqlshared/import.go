package sqlshared

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// ImportActor is the import's actor, else the context's.
func ImportActor(ctx context.Context, imp store.Import) string {
	if imp.Actor != "" {
		return imp.Actor
	}
	return store.ActorFrom(ctx)
}

// ErrImportedMeanwhile is the error for an import prepared against a base
// import that is no longer the council's last (import last is).
func ErrImportedMeanwhile(council string, last int64) error {
	return care.Errorf(care.ECONFLICT, "council %s was imported again (import %d) while this import was being prepared: run the import again", council, last)
}

// OrphanChildSQL is an import's one set-based foreign key check, in both
// stores: the first child named by an episode or needs row of the council
// (the only parameter, $1, which SQLite also reads as its first) who is not
// among the council's children. No row when every row has its child.
const OrphanChildSQL = `SELECT x.child_id FROM (
		SELECT child_id FROM episodes WHERE council = $1
		UNION ALL SELECT child_id FROM needs WHERE council = $1) x
	WHERE NOT EXISTS (SELECT 1 FROM children c WHERE c.council = $1 AND c.child_id = x.child_id) LIMIT 1`

// ErrOrphanChild is the error for an import of council whose episode or needs
// row names child, who is not among the import's children.
func ErrOrphanChild(council, child string) error {
	return care.Errorf(care.EINVALID, "import returns for %s: an episode or needs row names child %q, who is not among the import's children: every episode's CHILD must have a child record", council, child)
}

// Replaced lists the stored years the import of years (sorted) replaces.
func Replaced[T int | int64](stored []T, years []int) []int {
	var out []int
	for _, y := range stored {
		if _, ok := slices.BinarySearch(years, int(y)); ok {
			out = append(out, int(y))
		}
	}
	return out
}

// CountFindings counts errors and warnings (every finding not an error).
func CountFindings(fs []ssda903.Finding) (errors, warnings int) {
	for _, f := range fs {
		if f.Severity == ssda903.SeverityError {
			errors += f.Count()
		} else {
			warnings += f.Count()
		}
	}
	return errors, warnings
}

// Severity is a finding's severity as stored: error, else warning.
func Severity(s ssda903.Severity) string {
	if s != ssda903.SeverityError {
		s = ssda903.SeverityWarning
	}
	return string(s)
}

// LeftOutTotals adds up the rows left out by table and reason.
func LeftOutTotals(l []store.LeftOut) map[[2]string]int {
	out := map[[2]string]int{}
	for _, x := range l {
		out[[2]string{string(x.Table), x.Reason}] += x.Rows
	}
	return out
}

// ImportDetail is the audit detail of import id.
func ImportDetail(id int64, imp store.Import) string {
	return fmt.Sprintf("import %d: years %s; %d children, %d episodes, %d findings", id, YearsText(imp.Years), len(imp.Children), len(imp.Episodes), len(imp.Findings))
}

// EachTable calls write for every table of the returns, by year then in
// ssda903.TableNames order, and counts the rows written.
func EachTable(returns []*ssda903.Return, write func(year int, name ssda903.TableName, t *ssda903.Table) error) ([]store.TableCount, error) {
	returns = slices.Clone(returns)
	sort.SliceStable(returns, func(i, j int) bool { return returns[i].Year < returns[j].Year })
	var out []store.TableCount
	for _, ret := range returns {
		if ret == nil {
			continue
		}
		for _, name := range ssda903.TableNames {
			t := ret.Tables[name]
			if t == nil {
				continue
			}
			if err := write(ret.Year, name, t); err != nil {
				return out, fmt.Errorf("store %s %d: %w", name, ret.Year, err)
			}
			out = append(out, store.TableCount{Year: ret.Year, Table: name, Rows: len(t.Rows)})
		}
	}
	return out, nil
}

// Present is a table's present columns as stored: '1' or '0' for each of
// the table's columns.
func Present(name ssda903.TableName, t *ssda903.Table) string {
	present := make([]byte, len(ssda903.Columns[name]))
	for i := range present {
		present[i] = '0'
		if i < len(t.Present) && t.Present[i] {
			present[i] = '1'
		}
	}
	return string(present)
}
