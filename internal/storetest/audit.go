package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// testAuditPerAction: reads made under a read log are noted there, not
// written one entry each; AppendAudit then writes the action as one entry
// naming every council read, which the council filter finds; Since and
// Before bound the entries by time.
func testAuditPerAction(t *testing.T, st store.Store) {
	au, ok := st.(store.Auditor)
	if !ok {
		t.Fatal("the store does not implement store.Auditor")
	}
	MustImport(t, st, Fixture("E08000003", []int{2025}, 3, ""))
	MustImport(t, st, Fixture("E08000004", []int{2025}, 3, ""))
	before := auditLen(t, st)

	ctx, log := store.WithReadLog(store.WithActor(context.Background(), "bob"))
	if _, err := st.Children(ctx, "E08000003"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Episodes(ctx, "E08000004"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.EpisodesWhere(ctx, store.EpisodeQuery{Councils: []string{"E08000003", "E08000004"}, At: care.Date(2025, 3, 31), Purpose: "picture"}); err != nil {
		t.Fatal(err)
	}
	recs, _ := st.Imports(ctx, "E08000003")
	if _, err := st.Findings(ctx, recs[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Returns(ctx, "E08000003", nil); err != nil {
		t.Fatal(err)
	}
	if n := auditLen(t, st); n != before {
		t.Fatalf("reads under a read log wrote %d audit entries, want none until the action is recorded", n-before)
	}
	reads := log.Take()
	var actions []string
	for _, r := range reads {
		actions = append(actions, r.Action+" "+r.Council)
	}
	// EpisodesWhere notes one read per council that had episodes on the date.
	for _, want := range []string{store.ActionReadChildren + " E08000003", store.ActionReadEpisodes + " E08000004",
		store.ActionReadFindings + " E08000003", store.ActionReadReturns + " E08000003"} {
		if !slices.Contains(actions, want) {
			t.Errorf("read log %v lacks %q", actions, want)
		}
	}
	if len(log.Take()) != 0 {
		t.Error("Take did not empty the log")
	}
	// A failed read notes nothing.
	if _, err := st.Children(ctx, "E09999999"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Fatalf("children of an unknown council: %v", err)
	}
	if got := log.Take(); len(got) != 0 {
		t.Errorf("a failed read was noted: %+v", got)
	}

	if err := au.AppendAudit(ctx, store.AuditEntry{Action: "view page", Councils: store.ReadCouncils(reads), Detail: "region picture"}); err != nil {
		t.Fatal(err)
	}
	if err := au.AppendAudit(ctx, store.AuditEntry{Action: "export", Council: "E08000004", Councils: []string{"E08000004", "", "E08000004"}, Detail: "CSV"}); err != nil {
		t.Fatal(err)
	}
	if err := au.AppendAudit(ctx, store.AuditEntry{}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("an entry without an action: %v, want EINVALID", err)
	}
	evs, err := st.AuditLog(context.Background(), store.AuditFilter{Actor: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 {
		t.Fatalf("bob's entries: %+v, want two (one per action)", evs)
	}
	diff(t, "councils of the view", evs[0].Councils, []string{"E08000003", "E08000004"})
	diff(t, "councils of the export", evs[1].Councils, []string{"E08000004"})
	if evs[0].Action != "view page" || evs[0].Detail != "region picture" || evs[0].Council != "" {
		t.Errorf("view entry %+v", evs[0])
	}
	// The council filter finds an entry by its council or by a council it read.
	for _, tt := range []struct {
		council string
		want    []string
	}{
		{"E08000003", []string{"view page"}},
		{"E08000004", []string{"view page", "export"}},
		{"E0800000", nil}, // a prefix is not a council
	} {
		got, err := st.AuditLog(context.Background(), store.AuditFilter{Actor: "bob", Council: tt.council})
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, e := range got {
			acts = append(acts, e.Action)
		}
		diff(t, "bob's entries about "+tt.council, acts, tt.want)
	}
	// Since is inclusive, Before exclusive.
	at := evs[1].At
	if got, _ := st.AuditLog(context.Background(), store.AuditFilter{Actor: "bob", Before: at}); len(got) != 1 || got[0].ID != evs[0].ID {
		if !evs[0].At.Equal(at) { // both in the same microsecond: nothing is before
			t.Errorf("before the export: %+v", got)
		}
	}
	if got, _ := st.AuditLog(context.Background(), store.AuditFilter{Actor: "bob", Since: at}); len(got) == 0 || got[len(got)-1].ID != evs[1].ID {
		t.Errorf("since the export: %+v", got)
	}
	if got, _ := st.AuditLog(context.Background(), store.AuditFilter{Actor: "bob", Before: at.Add(time.Microsecond)}); len(got) != 2 {
		t.Errorf("before just after the export: %d entries, want 2", len(got))
	}
	if got, _ := st.AuditLog(context.Background(), store.AuditFilter{Actor: "bob", Since: at.Add(time.Microsecond)}); len(got) != 0 {
		t.Errorf("since just after the export: %d entries, want 0", len(got))
	}
}
