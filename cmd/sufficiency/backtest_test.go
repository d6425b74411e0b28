package main

import (
	"encoding/json"
	"strings"
	"testing"

	"sufficiency/care"
)

func TestBacktestText(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "backtest", "--published", publishedFile, "--origins", "2018..2021", "--years", "2")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"model MAPE", "naive MAPE", "trend MAPE", "\n    2019", "\n    2021", "\n     all", "not scored: 2018"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBacktestJSON(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "backtest", "--published", publishedFile, "--origins", "2019,2020", "--years", "1", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var got struct {
		Origins []int `json:"origins"`
		Scores  []struct {
			Method     string   `json:"method"`
			Origin     int      `json:"origin"`
			N          int      `json:"n"`
			MAPE       *float64 `json:"mape"`
			Coverage80 *float64 `json:"coverage80"`
		} `json:"scores"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Origins) != 2 || len(got.Scores) != 9 {
		t.Fatalf("origins %v, %d scores", got.Origins, len(got.Scores))
	}
	for _, s := range got.Scores {
		if s.N < 100 || s.MAPE == nil || (s.Method != "linear_trend") != (s.Coverage80 != nil) {
			t.Fatalf("score %+v", s)
		}
	}
}

func TestBacktestBadInput(t *testing.T) {
	for name, args := range map[string][]string{
		"ErrNoScorableOrigin": {"--origins", "2030..2032"},
		"ErrOrigins":          {"--origins", "soon"},
		"ErrYears":            {"--years", "9"},
	} {
		t.Run(name, func(t *testing.T) {
			err := runErr(append([]string{"backtest", "--published", publishedFile}, args...)...)
			if exitCode(err) != 2 || care.ErrorMessage(err) == "" {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestBacktestImported(t *testing.T) {
	db := importedDB(t)
	out, errOut, code := runCLI(t, nil, "backtest", "--db", db, "--years", "1", "--sims", "20")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"Child-level backtest", "simulate", "markov", "last_value", "foster_agency", "\nall "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if err := runErr("backtest", "--db", db, "--published", publishedFile); exitCode(err) != 2 {
		t.Fatalf("--db with --published: %v", err)
	}
}
