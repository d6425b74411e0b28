package postgres

import (
	"context"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/internal/storetest"
	"sufficiency/store"
)

func TestForecastContract(t *testing.T) {
	dbURL := testDatabase(t)
	storetest.RunForecastContract(t, func(t *testing.T) store.Store { return openSchema(t, dbURL) })
}

// TestSavedForecastIsNeverChanged checks the table refuses UPDATE.
func TestSavedForecastIsNeverChanged(t *testing.T) {
	db := openSchema(t, testDatabase(t))
	defer db.Close()
	s, err := db.SaveForecast(store.WithActor(context.Background(), "t"), store.SavedForecast{Mode: "markov", Scope: "all",
		Origin: care.Date(2025, time.March, 31), Years: 1, ModelVersion: "m", InputsDigest: "d", Record: []byte("r")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.pool.Exec(`UPDATE forecasts SET actor = 'x' WHERE id = $1`, s.ID); err == nil {
		t.Fatal("UPDATE of a saved forecast succeeded")
	}
}

func TestScenarioContract(t *testing.T) {
	dbURL := testDatabase(t)
	storetest.RunScenarioContract(t, func(t *testing.T) store.Store { return openSchema(t, dbURL) })
}
