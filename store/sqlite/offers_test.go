package sqlite

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sufficiency/internal/storetest"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/store"
	"sufficiency/workflow"
)

// openOffers opens a SQLite file in a temporary directory for the offers
// contract: connect opens another *DB (its own connection pool) on the same
// file, as another process would.
func openOffers(t testing.TB, now func() time.Time) (storetest.OffersStore, func(testing.TB) storetest.OffersStore) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "offers.db")
	open := func(t testing.TB) *DB {
		t.Helper()
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db := open(t)
	db.Now = now
	return db, func(t testing.TB) storetest.OffersStore { return open(t) }
}

func TestOffersContract(t *testing.T) {
	storetest.RunOffers(t, openOffers)
}

func TestDraftsContract(t *testing.T) {
	storetest.RunDrafts(t, openOffers)
}

// TestSentReferralIsPseudonymous checks that nothing written to disk — the
// database file and its WAL — holds the council's CHILD id, referral id,
// full date of birth or full postcodes.
func TestSentReferralIsPseudonymous(t *testing.T) {
	st, _ := storetest.OpenWithSupply(t, openOffers, nil, nil, nil)
	db := st.(*DB)
	path := db.Path()
	ctx := context.Background()
	provs, err := db.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	vacs, err := db.Vacancies(ctx, store.VacancyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := match.NewIndex(provs, vacs, match.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := offers.Send(ctx, db, ix, storetest.OfferReferral(t), offers.SendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := offers.Decline(ctx, db, sent.Referral.Reference, sent.Offers[0].ProvisionID, workflow.ReasonLocation, "", "p"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err == nil {
			all = append(all, b...)
		}
	}
	for _, banned := range storetest.OfferBanned {
		if bytes.Contains(all, []byte(banned)) {
			t.Errorf("the database file holds %q", banned)
		}
	}
	if !bytes.Contains(all, []byte(sent.Referral.Reference)) {
		t.Fatal("the scan found not even the reference: is it reading the right file?")
	}
}

func TestOfferEventsAppendOnly(t *testing.T) {
	st, _ := storetest.OpenWithSupply(t, openOffers, nil, nil, nil)
	db := st.(*DB)
	if _, err := db.SendReferral(context.Background(), workflow.SentReferral{Reference: "R-APND-0001", Council: "E08000009"}, 1,
		[]workflow.Entry{{Rank: 1, ProvisionID: "H1", VacancyID: "V-H1"}}, "c"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE offer_events SET actor = 'x'`, `DELETE FROM offer_events`} {
		if _, err := db.w.Exec(q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}

// BenchmarkAccept runs the offers stores' acceptance benchmark
// (storetest.BenchAccept) on SQLite files; race20's 20 handles are 20
// connection pools on the same file.
//
//	go test ./store/sqlite -run '^$' -bench Accept -benchtime 3s
func BenchmarkAccept(b *testing.B) {
	storetest.BenchAccept(b, openOffers)
}
