package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"sufficiency/care"
)

// runErr runs the program in-process and returns its error (the message the
// user would see on stderr).
func runErr(args ...string) error {
	var out, errb bytes.Buffer
	return run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
}

const publishedFile = "../../forecast/testdata/dfe_cla_la_totals_2010_2023.csv"

func TestForecastPublishedCSV(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "forecast", "--published", publishedFile, "--la", "E08000003", "--from", "2021", "--years", "2", "--format", "csv")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || lines[0] != "la_code,la_name,origin,year,stock_at_origin,p10,p50,p90,mean" {
		t.Fatalf("csv:\n%s", out)
	}
	if !strings.HasPrefix(lines[1], "E08000003,Manchester,2021,2022,1371,") || !strings.HasPrefix(lines[2], "E08000003,Manchester,2021,2023,") {
		t.Fatalf("rows:\n%s", out)
	}
}

func TestForecastPublishedAllJSON(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "forecast", "--published", publishedFile, "--la", "all", "--from", "2019", "--years", "1", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var got struct {
		ModelVersion string `json:"model_version"`
		Origin       int    `json:"origin"`
		InputSHA256  string `json:"input_sha256"`
		Models       []struct {
			Variant string `json:"variant"`
		} `json:"models"`
		Forecasts []struct {
			LACode string  `json:"la_code"`
			Year   int     `json:"year"`
			P10    float64 `json:"p10"`
			P50    float64 `json:"p50"`
			P90    float64 `json:"p90"`
		} `json:"forecasts"`
		Skipped []string `json:"skipped"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.ModelVersion == "" || got.Origin != 2019 || len(got.InputSHA256) != 64 || len(got.Models) != 1 || got.Models[0].Variant == "" {
		t.Fatalf("provenance missing: %+v", got)
	}
	if len(got.Forecasts) < 140 || got.Forecasts[0].Year != 2020 {
		t.Fatalf("%d forecasts", len(got.Forecasts))
	}
	for _, f := range got.Forecasts {
		if !(f.P10 <= f.P50 && f.P50 <= f.P90) || f.P10 <= 0 {
			t.Fatalf("%s: quantiles %v %v %v", f.LACode, f.P10, f.P50, f.P90)
		}
	}
	if len(got.Skipped) == 0 || !strings.Contains(strings.Join(got.Skipped, ";"), "Isles of Scilly") {
		t.Fatalf("skipped %v, want the Isles of Scilly (no children)", got.Skipped)
	}
}

func TestForecastPublishedText(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "forecast", "--published", publishedFile, "--la", "352,Hartlepool", "--years", "3")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"forecast from 2023", "Manchester", "Hartlepool", "2026"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
}

func TestForecastPublishedBadInput(t *testing.T) {
	cases := []struct {
		name string
		args []string
		says string
	}{
		{"ErrFromOutsideData", []string{"--from", "2030"}, "holds years 2010–2017, 2019–2023"},
		{"ErrFromNotAYear", []string{"--from", "soon"}, "give the origin as a year"},
		{"ErrTooLittleHistory", []string{"--from", "2011", "--years", "3"}, "or later"},
		{"ErrNoChildren", []string{"--la", "Isles of Scilly", "--from", "2021"}, "no children in care published"},
		{"ErrUnknownCouncil", []string{"--la", "Atlantis"}, "not in the published series"},
		{"ErrMissingFile", []string{"--published", "nope.csv"}, "cannot read the published series"},
		{"ErrFormat", []string{"--format", "xml"}, "use text, json or csv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"forecast", "--published", publishedFile}, c.args...)
			err := runErr(args...)
			if exitCode(err) != 2 || !strings.Contains(care.ErrorMessage(err), c.says) {
				t.Fatalf("got %v (exit %d), want exit 2 saying %q", err, exitCode(err), c.says)
			}
		})
	}
}

// importedDB imports the cs-demand-model sample into a fresh database.
func importedDB(t *testing.T) string {
	t.Helper()
	db := t.TempDir() + "/f.db"
	if _, errOut, code := runCLI(t, nil, "import", ingestData+"cs-demand-model", "--la", "E08000003", "--accept-errors", "--db", db); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	return db
}

func TestForecastImported(t *testing.T) {
	db := importedDB(t)
	args := []string{"forecast", "--db", db, "--years", "2", "--sims", "200", "--seed", "5", "--format", "json"}
	out, errOut, code := runCLI(t, nil, args...)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var got struct {
		ModelVersion string `json:"model_version"`
		Seed         int    `json:"seed"`
		Sims         int    `json:"sims"`
		Origin       string `json:"origin"`
		RefStart     string `json:"reference_start"`
		Inputs       string `json:"inputs_sha256"`
		InCare       int    `json:"in_care_at_origin"`
		Months       []string
		RollUp       struct {
			Total struct {
				Mean []float64 `json:"mean"`
				P10  []float64 `json:"p10"`
				P90  []float64 `json:"p90"`
			} `json:"total"`
		} `json:"rollup"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.ModelVersion == "" || got.Seed != 5 || got.Sims != 200 || got.Origin == "" || got.RefStart == "" || len(got.Inputs) != 64 {
		t.Fatalf("reproduction record incomplete: %+v", got)
	}
	if len(got.Months) != 25 || len(got.RollUp.Total.Mean) != 25 || got.RollUp.Total.Mean[0] != float64(got.InCare) {
		t.Fatalf("months %d, total %v, in care %d", len(got.Months), got.RollUp.Total.Mean, got.InCare)
	}
	var spend struct {
		Costs []struct {
			Group  string  `json:"group"`
			Weekly float64 `json:"weekly_pounds"`
		} `json:"costs"`
		RollUp struct {
			Spend []struct {
				Mean, P10, P90 float64
			} `json:"spend"`
		} `json:"rollup"`
	}
	if err := json.Unmarshal([]byte(out), &spend); err != nil {
		t.Fatal(err)
	}
	if len(spend.Costs) != 8 || len(spend.RollUp.Spend) != 2 || spend.RollUp.Spend[0].Mean <= 0 || spend.RollUp.Spend[0].P10 > spend.RollUp.Spend[0].P90 {
		t.Fatalf("costs %+v spend %+v", spend.Costs, spend.RollUp.Spend)
	}
	again, _, _ := runCLI(t, nil, args...)
	if again != out {
		t.Fatal("same seed and data gave a different forecast")
	}
	csvOut, errOut, code := runCLI(t, nil, "forecast", "--db", db, "--mode", "markov", "--years", "1", "--format", "csv")
	if code != 0 || !strings.HasPrefix(csvOut, "la_code,series,date,mean,sd,lower_2sd,upper_2sd\nall,total,") {
		t.Fatalf("markov csv: code %d %s\n%.300s", code, errOut, csvOut)
	}
	text, errOut, code := runCLI(t, nil, "forecast", "--db", db, "--la", "E08000003", "--sims", "50")
	if code != 0 || !strings.Contains(text, "E08000003 Manchester") || !strings.Contains(text, "foster_agency") {
		t.Fatalf("text: code %d %s\n%s", code, errOut, text)
	}
}

func TestForecastImportedBadInput(t *testing.T) {
	db := importedDB(t)
	cases := []struct {
		name string
		args []string
		says string
	}{
		{"ErrMode", []string{"--mode", "guess"}, "use simulate"},
		{"ErrFromYear", []string{"--from", "2020"}, "YYYY-MM-DD"},
		{"ErrFromOutsideData", []string{"--from", "2040-03-31"}, "outside the data"},
		{"ErrShortWindow", []string{"--ref-start", "2021-01-01", "--ref-end", "2021-02-01", "--from", "2021-03-31"}, "at least 180 days"},
		{"ErrYears", []string{"--years", "9"}, "1 to 5 years"},
		{"ErrBudget", []string{"--budget", "lots"}, "pounds per projection year"},
		{"ErrCostGroup", []string{"--cost", "castle=9000"}, "groups among"},
		{"ErrNoDatabase", []string{"--db", t.TempDir() + "/none.db"}, "import SSDA903 returns first"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"forecast", "--db", db}, c.args...)
			err := runErr(args...)
			if exitCode(err) != 2 || !strings.Contains(care.ErrorMessage(err), c.says) {
				t.Fatalf("got %v (exit %d), want exit 2 saying %q", err, exitCode(err), c.says)
			}
		})
	}
}
