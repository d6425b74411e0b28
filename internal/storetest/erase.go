package storetest

import (
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// RunErase checks a store's erasure of one child's records (store.Eraser).
func RunErase(t *testing.T, newStore func(t *testing.T) store.Store) {
	st := newStore(t)
	defer st.Close()
	er, ok := st.(store.Eraser)
	if !ok {
		t.Fatal("the store cannot erase a child")
	}
	const a, b = "E08000003", "E06000001"
	MustImport(t, st, Fixture(a, []int{2024, 2025}, 12, "x"))
	MustImport(t, st, Fixture(b, []int{2025}, 4, "x")) // the same CHILD ids in another council
	child := "100001x"
	before, _ := st.Councils(ctxAs("t"))
	var version int64
	if vs, ok := st.(store.Versioned); ok {
		version, _ = vs.DataVersion(ctxAs("t"))
	}
	if _, err := er.EraseChild(ctxAs("dpo"), a, child, " "); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("erase without a reason: %v, want EINVALID", err)
	}
	if _, err := er.EraseChild(ctxAs("dpo"), a, "nobody", "SAR-1"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("erase of no child: %v, want ENOTFOUND", err)
	}
	keptEps := 0
	for _, e := range mustEpisodes(t, st, a) {
		if e.ChildID != child {
			keptEps++
		}
	}
	got, err := er.EraseChild(ctxAs("dpo"), a, child, "request ER-17")
	if err != nil {
		t.Fatal(err)
	}
	if got.Episodes == 0 || got.ReturnRows == 0 {
		t.Errorf("erased %+v: nothing of the returns or episodes", got)
	}
	for _, c := range mustChildren(t, st, a) {
		if c.ID == child {
			t.Errorf("child %s still held", child)
		}
	}
	eps := mustEpisodes(t, st, a)
	for _, e := range eps {
		if e.ChildID == child {
			t.Errorf("an episode of %s is still held", child)
		}
	}
	if len(eps) != keptEps {
		t.Errorf("%d episodes left, want %d", len(eps), keptEps)
	}
	for _, r := range mustReturns(t, st, a) {
		for name, tb := range r.Tables {
			for _, row := range tb.Rows {
				if strings.TrimSpace(row.Get(name, "CHILD")) == child {
					t.Errorf("%s %d still holds a row of %s", name, r.Year, child)
				}
			}
		}
		if r.Table(ssda903.Episodes) == nil {
			t.Errorf("%d: the Episodes table is gone", r.Year)
		}
	}
	found := false
	for _, c := range mustChildren(t, st, b) {
		found = found || c.ID == child
	}
	if !found {
		t.Errorf("the other council's child %s was erased too", child)
	}
	after, _ := st.Councils(ctxAs("t"))
	if after[1].Children != before[1].Children-1 || after[1].Episodes != keptEps || after[0].Children != before[0].Children {
		t.Errorf("summaries %+v, were %+v", after, before)
	}
	ev, err := st.AuditLog(ctxAs("t"), store.AuditFilter{Action: store.ActionErase})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 1 || ev[0].Actor != "dpo" || ev[0].Council != a || !strings.Contains(ev[0].Detail, "request ER-17") || !strings.Contains(ev[0].Detail, child) {
		t.Errorf("audit %+v", ev)
	}
	if vs, ok := st.(store.Versioned); ok {
		if v, _ := vs.DataVersion(ctxAs("t")); v <= version {
			t.Errorf("data version %d, was %d", v, version)
		}
	}
	if _, err := er.EraseChild(ctxAs("dpo"), a, child, "again"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("second erasure: %v, want ENOTFOUND", err)
	}
}
