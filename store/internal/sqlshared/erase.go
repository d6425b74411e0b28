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
	return care.Errorf(care.ENOTFOUND, "council %s holds no child %q: check the CHILD id (sufficiency children --la %s lists them)", council, child, council)
}

// EraseDetail is the audit detail of an erasure.
func EraseDetail(child, reason string, e store.Erasure) string {
	return fmt.Sprintf("erased child %s on request (%s): %d episodes, %d rows of stored returns, %d findings, %d referral drafts",
		child, reason, e.Episodes, e.ReturnRows, e.Findings, e.Drafts)
}
