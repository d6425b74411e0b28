package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"sufficiency/care"
	"sufficiency/forecast"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestExampleGolden keeps the example scenario's result byte for byte on a
// small model with entrants, exits and children in two groups: a faster
// simulation or a shared baseline must give the same figures for the same
// seed (go test ./scenario -run ExampleGolden -update rewrites
// testdata/example.golden.json only when the model is meant to change).
func TestExampleGolden(t *testing.T) {
	b, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Parse(b, "example.json")
	if err != nil {
		t.Fatal(err)
	}
	seed := uint64(1)
	sc.Sims, sc.Seed, sc.Scope = 200, &seed, Scope{LA: la}
	sc.Levers[3].LA = la
	m := quiet(t, 40, care.ForecastChildrensHome)
	cm := m.Councils[0]
	fa := groupIndexes(m, []care.ForecastGroup{care.ForecastFosterAgency})[0]
	for i := 0; i < 30; i++ {
		cm.Current = append(cm.Current, forecast.InCare{ID: "F", DOB: origin.AddDate(-8-i%8, 0, 0), Sex: care.Female, Group: fa, InGroupSince: origin.AddDate(0, -i, 0)})
	}
	entrants(m, 12, 50, care.ForecastFosterAgency)
	entrants(m, 4, 20, care.ForecastFosterAgency)
	nr := len(forecast.ExitReasons)
	ng := len(m.Groups)
	for c := 0; c < len(cm.Exit)/nr; c++ {
		cm.Exit[c*nr] = 0.3 / 365.25
		cm.Exit[c*nr+1] = 0.1 / 365.25
		cm.Move[c*ng+fa] = 0.2 / 365.25
	}
	cm.EntryVar, cm.ExitVar = 0.01, 0.02
	r, err := Run(context.Background(), sc, Input{Model: m, Costs: flatCosts(m)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	const file = "testdata/example.golden.json"
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the example scenario's result changed (%d bytes, golden %d)", len(got), len(want))
	}
}
