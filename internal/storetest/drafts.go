package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/store"
	"sufficiency/workflow"
)

// DraftsStore is a store that keeps referral drafts and providers' vacancy
// updates beside the offers workflow. RunDrafts tests it.
type DraftsStore interface {
	OffersStore
	workflow.DraftStore
	workflow.VacancyStore
}

// RunDrafts runs the drafts and vacancy-update contract suite on stores
// opened by open, which must implement DraftsStore.
func RunDrafts(t *testing.T, open OffersOpener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st DraftsStore)
	}{
		{"Drafts", testDrafts},
		{"Cases", testCases},
		{"SetVacancy", testSetVacancy},
		{"OfferConditions", testOfferConditions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := OpenWithSupply(t, open, nil, nil, nil)
			ds, ok := st.(DraftsStore)
			if !ok {
				t.Fatalf("%T does not implement workflow.DraftStore and workflow.VacancyStore", st)
			}
			tt.fn(t, ds)
		})
	}
}

const draftJSON = `{"id": "LA-REF-31", "council": "E08000009", "child_id": "CHILD-4471", "sex": "F",
	"date_of_birth": "2012-05-14", "needed_by": "under_5_days", "start_date": "2026-03-28",
	"foster_suitability": "suitable", "residential_suitability": "preferred",
	"supported_accommodation_suitability": "unsuitable", "sibling_count": 0, "home_postcode": "M32 8BW",
	"living_companions": "no_preference", "pets": "not_known", "needs_tier": "enhanced", "need_codes": ["EBD"]}`

func testDrafts(t *testing.T, st DraftsStore) {
	ctx := store.WithActor(context.Background(), "officer")
	d, ref, err := workflow.NewDraft([]byte(draftJSON), "R-TEST-0001", false)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := st.SaveDraft(ctx, d, "officer")
	if err != nil {
		t.Fatal(err)
	}
	if saved.Reference != "R-TEST-0001" || saved.Council != "E08000009" || saved.ChildID != "CHILD-4471" || saved.CreatedBy != "officer" || saved.CreatedAt.IsZero() {
		t.Errorf("saved draft %+v", saved)
	}
	back, err := st.Draft(ctx, "R-TEST-0001")
	if err != nil {
		t.Fatal(err)
	}
	got, err := back.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if got.ChildID != ref.ChildID || !got.DOB.Equal(ref.DOB) || got.HomePostcode != ref.HomePostcode || got.Needs.Tier != ref.Needs.Tier {
		t.Errorf("draft read back %+v, want %+v", got, ref)
	}
	// Changing it keeps the creation stamp and moves the update stamp.
	d2, _, err := workflow.NewDraft([]byte(strings.Replace(draftJSON, `"sibling_count": 0`, `"sibling_count": 1`, 1)), "R-TEST-0001", true)
	if err != nil {
		t.Fatal(err)
	}
	upd, err := st.SaveDraft(ctx, d2, "officer2")
	if err != nil {
		t.Fatal(err)
	}
	if !upd.CreatedAt.Equal(saved.CreatedAt) || upd.CreatedBy != "officer" || upd.UpdatedBy != "officer2" || !upd.Emergency {
		t.Errorf("updated draft %+v", upd)
	}
	if r, _ := upd.Parse(); r.SiblingCount != 1 {
		t.Errorf("updated sibling count %d", r.SiblingCount)
	}
	// Another council cannot save over it.
	other := d2
	other.Council = "E08000003"
	if _, err := st.SaveDraft(ctx, other, "x"); care.ErrorCode(err) != care.ECONFLICT {
		t.Errorf("save over another council's draft: %v, want conflict", err)
	}
	if _, err := st.Draft(ctx, "R-NONE-0000"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("unknown draft: %v, want not found", err)
	}
	if _, err := st.SaveDraft(ctx, workflow.Draft{}, "x"); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("empty draft: %v, want invalid", err)
	}
	// A second draft of another council is not listed with the first.
	d3, _, _ := workflow.NewDraft([]byte(strings.Replace(draftJSON, `"E08000009"`, `"E08000003"`, 1)), "R-TEST-0002", false)
	if _, err := st.SaveDraft(ctx, d3, "other"); err != nil {
		t.Fatal(err)
	}
	list, err := st.Drafts(ctx, "E08000009")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Reference != "R-TEST-0001" {
		t.Errorf("drafts of E08000009: %+v", list)
	}
	// Once sent under its reference, the draft cannot change.
	provs, vacs := OfferSupply()
	ix, err := match.NewIndex(provs, vacs, match.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := upd.Parse()
	r.SiblingCount = 0
	if _, err := offers.Send(ctx, st, ix, r, offers.SendOptions{Reference: "R-TEST-0001", Actor: "officer", ShortlistOptions: offers.ShortlistOptions{Top: 2}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveDraft(ctx, d2, "officer"); care.ErrorCode(err) != care.ECONFLICT {
		t.Errorf("save a sent draft: %v, want conflict", err)
	}
	// Reads are audited.
	evs, err := st.AuditLog(ctx, store.AuditFilter{Council: "E08000009"})
	if err != nil {
		t.Fatal(err)
	}
	var reads, saves int
	for _, e := range evs {
		switch e.Action {
		case "read referral draft":
			reads++
		case "referral draft save":
			saves++
		}
	}
	if reads != 2 || saves != 2 {
		t.Errorf("audit: %d draft reads and %d saves, want 2 and 2: %+v", reads, saves, evs)
	}
}

func testSetVacancy(t *testing.T, st DraftsStore) {
	ctx := store.WithActor(context.Background(), "provider")
	versions := func() store.Versions {
		t.Helper()
		vs, ok := st.(store.Versioned)
		if !ok {
			return store.Versions{}
		}
		v, err := vs.Versions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d, err := vs.DataVersion(ctx); err != nil || d != v.Data() {
			t.Errorf("DataVersion %d, %v; Versions %+v", d, err, v)
		}
		return v
	}
	before := versions()
	vs, err := st.SetVacancy(ctx, workflow.VacancyUpdate{ProvisionID: "H2", Places: 3}, "acme")
	if err != nil {
		t.Fatal(err)
	}
	// A vacancy update raises the vacancies' part of the data version and
	// leaves the analyses' part: no cached picture, review or scope reads a
	// vacancy, the match index does.
	if _, ok := st.(store.Versioned); ok {
		after := versions()
		if after.Analysis != before.Analysis || after.Vacancies <= before.Vacancies || after.Data() <= before.Data() {
			t.Errorf("a vacancy update: versions %+v, were %+v; want the vacancies' part (and the whole) raised, the analyses' kept", after, before)
		}
	}
	if len(vs) != 1 || vs[0].ID != "V-H2" || vs[0].Places != 3 || vs[0].UpdatedAt.IsZero() || vs[0].ValidFrom.IsZero() {
		t.Fatalf("after setting 3 places: %+v", vs)
	}
	// The confirmation is now: later than the supply's date.
	if !vs[0].UpdatedAt.After(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("confirmed at %v, want now", vs[0].UpdatedAt)
	}
	all, err := st.Vacancies(ctx, store.VacancyFilter{ProvisionIDs: []string{"H2"}})
	if err != nil || len(all) != 1 || all[0].Places != 3 {
		t.Errorf("vacancies of H2: %+v, %v", all, err)
	}
	if vs, err := st.SetVacancy(ctx, workflow.VacancyUpdate{ProvisionID: "H2", Places: 0}, "acme"); err != nil || len(vs) != 0 {
		t.Errorf("after setting none: %+v, %v", vs, err)
	}
	// A provision that had none gets a new vacancy.
	if vs, err := st.SetVacancy(ctx, workflow.VacancyUpdate{ProvisionID: "H2", Places: 1}, "acme"); err != nil || len(vs) != 1 || vs[0].ID != "H2-V" {
		t.Errorf("after a new place: %+v, %v", vs, err)
	}
	if _, err := st.SetVacancy(ctx, workflow.VacancyUpdate{ProvisionID: "NOPE", Places: 1}, "acme"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("unknown provision: %v", err)
	}
	for _, n := range []int{-1, workflow.MaxVacancyPlaces + 1} {
		if _, err := st.SetVacancy(ctx, workflow.VacancyUpdate{ProvisionID: "H2", Places: n}, "acme"); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%d places: %v, want invalid", n, err)
		}
	}
	if _, err := st.SetVacancy(ctx, workflow.VacancyUpdate{ProvisionID: "H2", Places: workflow.MaxVacancyPlaces}, "acme"); err != nil {
		t.Errorf("%d places: %v", workflow.MaxVacancyPlaces, err)
	}
	evs, _ := st.AuditLog(ctx, store.AuditFilter{Action: "vacancy update"})
	if len(evs) != 4 || evs[0].Actor != "acme" {
		t.Errorf("vacancy audit: %+v", evs)
	}
}

func testOfferConditions(t *testing.T, st DraftsStore) {
	ctx := store.WithActor(context.Background(), "x")
	provs, vacs := OfferSupply()
	ix, err := match.NewIndex(provs, vacs, match.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := offers.Send(ctx, st, ix, OfferReferral(t), offers.SendOptions{Reference: "R-COND-0001", Actor: "officer", ShortlistOptions: offers.ShortlistOptions{Top: 2}})
	if err != nil {
		t.Fatal(err)
	}
	p := sent.Offers[0].ProvisionID
	o, err := st.Respond(ctx, workflow.Change{Referral: "R-COND-0001", ProvisionID: p, Action: workflow.ActionOffer, Price: 600000,
		Conditions: "two introductory visits first", Actor: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Conditions != "two introductory visits first" || o.OfferedPrice != 600000 {
		t.Errorf("offer %+v", o)
	}
	list, err := st.Referrals(ctx, workflow.Filter{Reference: "R-COND-0001"})
	if err != nil || list[0].Offers[0].Conditions != "two introductory visits first" {
		t.Errorf("read back %+v, %v", list, err)
	}
	if _, err := st.Respond(ctx, workflow.Change{Referral: "R-COND-0001", ProvisionID: sent.Offers[1].ProvisionID, Action: workflow.ActionDecline,
		Reason: workflow.ReasonStaffing, Conditions: "x", Actor: "acme"}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("decline with conditions: %v, want invalid", err)
	}
}
