package storetest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// RunScenarioContract runs the contract of store.ScenarioStore. newStore
// must return a new, empty store that also implements it; the store is
// closed when each sub-test ends.
func RunScenarioContract(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, ss store.ScenarioStore)
	}{
		{"SaveVersionsAndRead", testScenarioSave},
		{"ListAndFilter", testScenarioList},
		{"ErrNotFoundAndInvalid", testScenarioErrors},
		{"ConcurrentSavesOfOneName", testScenarioConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t, newStore)
			ss, ok := st.(store.ScenarioStore)
			if !ok {
				t.Fatalf("%T does not implement store.ScenarioStore", st)
			}
			tt.fn(t, ss)
		})
	}
}

func scenarioFixture(name string, councils ...string) store.SavedScenario {
	return store.SavedScenario{Name: name, Scope: councils[0], Councils: councils, Origin: care.Date(2025, time.March, 31),
		Years: 5, Sims: 1000, Seed: 7, ModelVersion: "childsim-3+scenario-1", InputsDigest: "ab12",
		File: []byte(`{"name":"` + name + `"}`), Result: []byte("{\"years_out\":[]}\n\x00\xff")}
}

func testScenarioSave(t *testing.T, ss store.ScenarioStore) {
	ctx := store.WithActor(context.Background(), "analyst")
	a, err := ss.SaveScenario(ctx, scenarioFixture("Two homes", "E08000037"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ss.SaveScenario(store.WithActor(context.Background(), "other"), scenarioFixture("Two homes", "E08000037"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := ss.SaveScenario(ctx, scenarioFixture("Edge of care", "E08000037"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != 1 || b.Version != 2 || c.Version != 1 || a.Actor != "analyst" || b.Actor != "other" || a.ID == b.ID || a.At.IsZero() {
		t.Fatalf("versions %d %d %d, actors %q %q", a.Version, b.Version, c.Version, a.Actor, b.Actor)
	}
	got, err := ss.Scenario(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := scenarioFixture("Two homes", "E08000037")
	if !bytes.Equal(got.File, want.File) || !bytes.Equal(got.Result, want.Result) || got.Name != "Two homes" || got.Version != 2 ||
		!got.Origin.Equal(want.Origin) || got.Years != 5 || got.Sims != 1000 || got.Seed != 7 || got.Actor != "other" ||
		!got.At.Equal(b.At) || got.ModelVersion != want.ModelVersion || got.InputsDigest != "ab12" || len(got.Councils) != 1 {
		t.Fatalf("read back %+v", got)
	}
}

func testScenarioList(t *testing.T, ss store.ScenarioStore) {
	ctx := store.WithActor(context.Background(), "analyst")
	for _, f := range []store.SavedScenario{scenarioFixture("A", "E08000037"), scenarioFixture("B", "E08000021", "E08000037"), scenarioFixture("A", "E08000037")} {
		if _, err := ss.SaveScenario(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	all, err := ss.Scenarios(ctx, store.ScenarioFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].Name != "A" || all[0].Version != 2 || all[2].Version != 1 || all[0].File != nil || all[0].Result != nil {
		t.Fatalf("list %+v", all)
	}
	for f, n := range map[store.ScenarioFilter]int{{Name: "A"}: 2, {Council: "E08000021"}: 1, {Council: "E0800002"}: 0, {Name: "B", Council: "E08000037"}: 1, {Name: "C"}: 0} {
		got, err := ss.Scenarios(ctx, f)
		if err != nil || len(got) != n {
			t.Errorf("filter %+v: %d scenarios (%v), want %d", f, len(got), err, n)
		}
	}
}

func testScenarioErrors(t *testing.T, ss store.ScenarioStore) {
	ctx := context.Background()
	if _, err := ss.Scenario(ctx, 99); !isCode(err, care.ENOTFOUND) {
		t.Errorf("missing scenario: %v", err)
	}
	for name, mod := range map[string]func(*store.SavedScenario){
		"no name":   func(s *store.SavedScenario) { s.Name = " " },
		"no file":   func(s *store.SavedScenario) { s.File = nil },
		"no result": func(s *store.SavedScenario) { s.Result = nil },
		"no digest": func(s *store.SavedScenario) { s.InputsDigest = "" },
		"years":     func(s *store.SavedScenario) { s.Years = 0 },
	} {
		s := scenarioFixture("X", "E08000037")
		mod(&s)
		if _, err := ss.SaveScenario(ctx, s); !isCode(err, care.EINVALID) {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
	if got, _ := ss.Scenarios(ctx, store.ScenarioFilter{}); len(got) != 0 {
		t.Errorf("refused saves left %d scenarios", len(got))
	}
	s, err := ss.SaveScenario(ctx, scenarioFixture("X", "E08000037"))
	if err != nil || s.Actor != store.UnknownActor {
		t.Errorf("no actor: %v %q", err, s.Actor)
	}
}

func isCode(err error, code string) bool {
	var ce *care.Error
	return errors.As(err, &ce) && ce.Code == code
}

func testScenarioConcurrent(t *testing.T, ss store.ScenarioStore) {
	ctx := store.WithActor(context.Background(), "analyst")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := ss.SaveScenario(ctx, scenarioFixture("Same", "E08000037"))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := ss.Scenarios(ctx, store.ScenarioFilter{Name: "Same"})
	seen := map[int]bool{}
	for _, s := range got {
		seen[s.Version] = true
	}
	if len(got) != 8 || len(seen) != 8 || !seen[1] || !seen[8] {
		t.Fatalf("%d saves, versions %v", len(got), seen)
	}
}
