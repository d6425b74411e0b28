package forecast

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"sufficiency/care"
)

func TestCutAt(t *testing.T) {
	d := care.Date
	eps := []care.Episode{
		{ChildID: "A", Start: d(2020, 1, 1), End: d(2020, 6, 1), ReasonEnded: "X1"},
		{ChildID: "A", Start: d(2020, 6, 1), End: d(2021, 6, 1), ReasonEnded: "E11"},
		{ChildID: "B", Start: d(2021, 1, 1)},
	}
	got := CutAt(eps, d(2020, 12, 31))
	if len(got) != 2 || !got[1].End.IsZero() || got[1].ReasonEnded != "" || got[0].End != d(2020, 6, 1) {
		t.Fatalf("cut: %+v", got)
	}
	if eps[1].End.IsZero() {
		t.Fatal("CutAt changed its input")
	}
	st := StockAt(eps, d(2021, 3, 31))
	if sum(st[""]) != 2 {
		t.Fatalf("stock %v, want 2", st)
	}
}

func TestBacktestChildLevel(t *testing.T) {
	p := defaultProcess(400)
	var children []care.Child
	var episodes []care.Episode
	rng := rand.New(rand.NewPCG(21, 22))
	for i := 0; i < 4; i++ {
		c, e := p.generate(rng, fmt.Sprintf("E0800000%d", i+1), testOrigin.AddDate(-8, 0, 0), testOrigin)
		children = append(children, c...)
		episodes = append(episodes, e...)
	}
	res, err := BacktestChildLevel(context.Background(), children, episodes, []time.Time{care.Date(2021, 3, 31), care.Date(2022, 3, 31)}, 2, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Origins) != 2 {
		t.Fatalf("origins %v", res.Origins)
	}
	for _, s := range res.Scores {
		t.Logf("%-10s %s h=%d n=%d MAPE %.1f cov80 %.2f", s.Method, s.Origin, s.Horizon, s.N, s.MAPE, s.Coverage80)
		if s.N == 0 || s.MAPE != s.MAPE || len(s.Groups) != len(care.ForecastGroups) {
			t.Fatalf("score %+v", s)
		}
		if s.Method == MethodSimulate && s.Origin == "" && s.MAPE > 15 {
			t.Errorf("simulation MAPE %.1f on a stationary process", s.MAPE)
		}
	}
	if _, err := BacktestChildLevel(context.Background(), children, episodes, []time.Time{care.Date(2030, 3, 31)}, 1, 10, 1); care.ErrorCode(err) != care.EINVALID {
		t.Fatalf("origin after the data: %v", err)
	}
}
