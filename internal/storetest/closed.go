package storetest

import (
	"context"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// closedFixture is two settings that have closed, one without a
// registration date (a register's history does not always have it).
func closedFixture() []care.Provision {
	return []care.Provision{
		{ID: "SC900002", Kind: care.KindChildrensHome, Council: "E08000004", Places: 3, Closed: care.Date(2018, 2, 28)},
		{ID: "SYN00001", Kind: care.KindChildrensHome, Sector: care.SectorPrivate, Council: "E08000003", Postcode: "M14 5",
			Places: 4, Registered: care.Date(2009, 5, 1), Closed: care.Date(2021, 6, 30)},
	}
}

// testClosedSettings: closed settings are stored with the supply in one
// transaction and read back whole, ordered by id; ReplaceSupply keeps them;
// ReplaceSupplyWithClosed replaces them (nil clears them); a bad list (no
// id, no close date, closed before registered, repeated, also open) is
// EINVALID and leaves supply and closed settings as they were; closed
// settings are never provisions.
func testClosedSettings(t *testing.T, st store.Store) {
	ctx := context.Background()
	ps, vs := supplyFixture()
	closed := closedFixture()
	if got, err := st.ClosedSettings(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v, %v", got, err)
	}
	if err := st.ReplaceSupplyWithClosed(ctx, ps, vs, []care.Provision{closed[1], closed[0]}); err != nil {
		t.Fatal(err)
	}
	got, err := st.ClosedSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "closed settings", got, closed)
	if all, _ := st.Provisions(ctx, store.ProvisionFilter{}); len(all) != len(ps) {
		t.Errorf("%d provisions, want %d (closed settings are not provisions)", len(all), len(ps))
	}
	// ReplaceSupply replaces provisions and vacancies only.
	if err := st.ReplaceSupply(ctx, ps[:1], nil); err != nil {
		t.Fatal(err)
	}
	got, _ = st.ClosedSettings(ctx)
	diff(t, "closed settings after ReplaceSupply", got, closed)

	bad := func(mut func(*care.Provision)) []care.Provision {
		c := closedFixture()
		mut(&c[0])
		return c
	}
	for _, c := range []struct {
		name   string
		closed []care.Provision
	}{
		{"ErrBlankID", bad(func(p *care.Provision) { p.ID = "" })},
		{"ErrNoCloseDate", bad(func(p *care.Provision) { p.Closed = time.Time{} })},
		{"ErrClosedBeforeRegistered", bad(func(p *care.Provision) { p.Registered = care.Date(2018, 3, 1) })},
		{"ErrDuplicate", append(closedFixture(), closedFixture()[1])},
		{"ErrAlsoOpen", bad(func(p *care.Provision) { p.ID = ps[0].ID })},
	} {
		if err := st.ReplaceSupplyWithClosed(ctx, ps, vs, c.closed); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%s: %v, want EINVALID", c.name, err)
		}
	}
	got, _ = st.ClosedSettings(ctx)
	diff(t, "closed settings after refused lists", got, closed)
	if all, _ := st.Provisions(ctx, store.ProvisionFilter{}); len(all) != 1 {
		t.Errorf("%d provisions after refused lists, want 1 (all or nothing)", len(all))
	}
	// Closed on the day it was registered is allowed.
	same := closedFixture()[:1]
	same[0].Registered = same[0].Closed
	if err := st.ReplaceSupplyWithClosed(ctx, ps, vs, same); err != nil {
		t.Fatalf("closed the day it was registered: %v", err)
	}
	got, _ = st.ClosedSettings(ctx)
	diff(t, "closed settings replaced", got, same)
	if err := st.ReplaceSupplyWithClosed(ctx, ps, vs, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ = st.ClosedSettings(ctx); len(got) != 0 {
		t.Errorf("after replacing with none: %+v", got)
	}
}
