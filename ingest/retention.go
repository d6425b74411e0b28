package ingest

import (
	"context"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// Eraser is what EraseLeftCare needs of a store: the council's episodes and
// erasing one child (store.Eraser), each erasure audited by the store.
type Eraser interface {
	Episodes(ctx context.Context, council string) ([]care.Episode, error)
	store.Eraser
}

// EraseLeftCare erases, one at a time, every child of council who left
// care before the date (care.LeftCareBefore: no open episode, the last one
// ended before it), each with reason and the retention rule recorded. It
// returns how many were erased, also when an erasure fails part way.
func EraseLeftCare(ctx context.Context, st Eraser, council string, before time.Time, reason string) (int, error) {
	eps, err := st.Episodes(ctx, council)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range care.LeftCareBefore(eps, before) {
		if _, err := st.EraseChild(ctx, council, c, reason+" (retention: left care before "+before.Format(time.DateOnly)+")"); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
