package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/internal/storetest"
	"sufficiency/store"
)

func TestForecastContract(t *testing.T) {
	storetest.RunForecastContract(t, func(t *testing.T) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "forecasts.db"))
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

// TestSavedForecastIsNeverChanged checks the table refuses UPDATE.
func TestSavedForecastIsNeverChanged(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "forecasts.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.SaveForecast(store.WithActor(context.Background(), "t"), store.SavedForecast{Mode: "markov", Scope: "all",
		Origin: care.Date(2025, time.March, 31), Years: 1, ModelVersion: "m", InputsDigest: "d", Record: []byte("r")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.Exec(`UPDATE forecasts SET actor = 'x' WHERE id = ?`, s.ID); err == nil {
		t.Fatal("UPDATE of a saved forecast succeeded")
	}
}

func TestScenarioContract(t *testing.T) {
	storetest.RunScenarioContract(t, func(t *testing.T) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "scenarios.db"))
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}
