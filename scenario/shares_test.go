package scenario

import (
	"testing"

	"sufficiency/forecast"
)

// TestSharesOverCouncils pins how a regional scenario's levers divide among
// its councils (docs/METHOD.md, "Scenarios"): a rate (entry_rate,
// exit_rate, step_down, price_inflation) acts in full in every council; a
// quantity (here recruit_foster and block_contract) is shared by the
// councils' children in care at the origin; a lever naming a council acts
// there only.
func TestSharesOverCouncils(t *testing.T) {
	current := func(n int) []forecast.InCare { return make([]forecast.InCare, n) }
	m := &forecast.Model{Councils: []*forecast.CouncilModel{
		{Council: "E06000001", Current: current(1)},
		{Council: "E06000002", Current: current(3)},
	}}
	sc := &Scenario{Levers: []Lever{
		{Lever: "entry_rate"},
		{Lever: "exit_rate"},
		{Lever: "step_down"},
		{Lever: "price_inflation"},
		{Lever: "recruit_foster"},
		{Lever: "block_contract"},
		{Lever: "entry_rate", LA: "E06000002"},
		{Lever: "recruit_foster", LA: "E06000001"},
	}}
	got, err := sc.shares(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{ // per lever: first council, second
		{1, 1}, {1, 1}, {1, 1}, {1, 1},
		{0.25, 0.75}, {0.25, 0.75},
		{0, 1}, {1, 0},
	}
	for i, w := range want {
		for ci := range m.Councils {
			if got[ci][i] != w[ci] {
				t.Errorf("lever %d (%s, la %q) in %s: share %v; want %v", i, sc.Levers[i].Lever, sc.Levers[i].LA, m.Councils[ci].Council, got[ci][i], w[ci])
			}
		}
	}

	// With no child in care at the origin anywhere, a quantity is split evenly.
	m.Councils[0].Current, m.Councils[1].Current = nil, nil
	got, err = sc.shares(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got[0][4] != 0.5 || got[1][4] != 0.5 {
		t.Errorf("recruit_foster with nobody in care: shares %v, %v; want 0.5 each", got[0][4], got[1][4])
	}
}
