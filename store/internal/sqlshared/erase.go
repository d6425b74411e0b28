package sqlshared

import (
	"fmt"
	"strings"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// WithoutChild returns a raw table's packed rows (store.EncodeRows) without
// the rows whose CHILD is child, and how many were removed.
func WithoutChild(table string, data []byte, child string) ([]byte, int, error) {
	rows, err := store.DecodeRows(data)
	if err != nil {
		return nil, 0, err
	}
	kept := rows[:0]
	for _, r := range rows {
		if strings.TrimSpace(r.Get(ssda903.TableName(table), "CHILD")) == child {
			continue
		}
		kept = append(kept, r)
	}
	removed := len(rows) - len(kept)
	if removed == 0 {
		return data, 0, nil
	}
	return store.EncodeRows(kept), removed, nil
}

// ErrNoChild is the error for erasing a child the council does not hold.
func ErrNoChild(council, child string) error {
	return care.Errorf(care.ENOTFOUND, "council %s holds no child %q: check the CHILD id", council, child)
}

// CheckErasure refuses an erasure without a reason (EINVALID): the audit
// log keeps it with the erasure.
func CheckErasure(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return care.Errorf(care.EINVALID, "an erasure needs a reason (e.g. the request's reference)")
	}
	return nil
}

// EraseDetail is the audit detail of an erasure.
func EraseDetail(child, reason string, e store.Erasure) string {
	return fmt.Sprintf("erased child %s on request (%s): %d episodes, %d rows of stored returns, %d findings, %d referral drafts",
		child, reason, e.Episodes, e.ReturnRows, e.Findings, e.Drafts)
}

// ReturnTable is one stored raw table of a council's return (a row of
// return_tables).
type ReturnTable struct {
	Year  int
	Table string
	Data  []byte
}

// ScanReturnTable scans a row of `SELECT year, table_name, data FROM
// return_tables`.
func ScanReturnTable(r Row) (ReturnTable, error) {
	var t ReturnTable
	err := r.Scan(&t.Year, &t.Table, &t.Data)
	return t, err
}

// EraseFromReturnTables removes child's rows from each of a council's stored
// return tables (read whole, before any is written), calling update with the
// rewritten data of each table that held some, and returns how many rows
// were removed in all.
func EraseFromReturnTables(tables []ReturnTable, child string, update func(t ReturnTable, data []byte, removed int) error) (int, error) {
	total := 0
	for _, t := range tables {
		data, removed, err := WithoutChild(t.Table, t.Data, child)
		if err != nil {
			return total, err
		}
		if removed == 0 {
			continue
		}
		total += removed
		if err := update(t, data, removed); err != nil {
			return total, err
		}
	}
	return total, nil
}
