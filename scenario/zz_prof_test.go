package scenario

import (
	"context"
	"os"
	"testing"

	"sufficiency/store"
	"sufficiency/store/sqlite"
)

func TestZZProfileScenario(t *testing.T) {
	path := os.Getenv("SCEN_PROF_DB")
	if path == "" {
		t.Skip()
	}
	ctx := store.WithActor(context.Background(), "prof")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, _ := os.ReadFile(os.Getenv("SCEN_PROF_FILE"))
	sc, err := Parse(b, "x.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RunOn(ctx, st, sc, Options{}); err != nil {
		t.Fatal(err)
	}
}
