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

// actorEnv names the actor of a command.
func actorEnv(actor string) func(string) string {
	return func(k string) string {
		if k == "SUFFICIENCY_ACTOR" {
			return actor
		}
		return ""
	}
}

// savedID reads the id from "forecast N saved" on stderr.
func savedID(t *testing.T, stderr string) string {
	t.Helper()
	for _, l := range strings.Split(stderr, "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "forecast" && f[2] == "saved" {
			return f[1]
		}
	}
	t.Fatalf("no \"forecast N saved\" on stderr: %q", stderr)
	return ""
}

// TestForecastSavedShownAndReproduced makes a forecast with a seed, shows it
// from the database, and makes it again: the same numbers and digest each
// time, in every format.
func TestForecastSavedShownAndReproduced(t *testing.T) {
	db := importedDB(t)
	args := []string{"forecast", "--db", db, "--la", "E08000003", "--years", "2", "--sims", "100", "--seed", "7", "--budget", "30000000"}
	made := map[string]string{}
	ids := map[string]string{}
	for _, format := range []string{"json", "text", "csv"} {
		out, errOut, code := runCLI(t, actorEnv("analyst"), append(args, "--format", format)...)
		if code != 0 {
			t.Fatalf("%s: code %d: %s", format, code, errOut)
		}
		made[format], ids[format] = out, savedID(t, errOut)
	}
	if ids["json"] != "1" || ids["text"] != "2" || ids["csv"] != "3" {
		t.Fatalf("ids %v, want 1, 2, 3", ids)
	}
	// shown from the database exactly as printed when made, in any format
	for _, format := range []string{"json", "text", "csv"} {
		for _, id := range []string{"1", ids[format]} {
			shown, errOut, code := runCLI(t, nil, "forecast", "--db", db, "--show", id, "--format", format)
			if code != 0 {
				t.Fatalf("--show %s --format %s: code %d: %s", id, format, code, errOut)
			}
			if shown != made[format] {
				t.Fatalf("--show %s --format %s differs from the forecast as made:\n got  %.400s\n want %.400s", id, format, shown, made[format])
			}
			if !strings.Contains(errOut, "by analyst") || !strings.Contains(errOut, "to repeat it: sufficiency forecast --la E08000003 --mode simulate") {
				t.Fatalf("--show stderr: %q", errOut)
			}
		}
	}
	// the same arguments again: the same numbers and digest, a new id
	again, errOut, code := runCLI(t, actorEnv("checker"), append(args, "--format", "json")...)
	if code != 0 || again != made["json"] || savedID(t, errOut) != "4" {
		t.Fatalf("again: code %d, %s; same output %v", code, errOut, again == made["json"])
	}
	// the repeat command --show prints gives the same forecast
	_, showErr, _ := runCLI(t, nil, "forecast", "--db", db, "--show", "1")
	repeat := strings.Fields(showErr[strings.Index(showErr, "to repeat it: ")+len("to repeat it: "):])
	if repeat[0] != "sufficiency" || !strings.Contains(strings.Join(repeat, " "), "--seed 7 --budget 30000000") {
		t.Fatalf("repeat command %q", repeat)
	}
	repeated, errOut, code := runCLI(t, nil, append(repeat[1:], "--db", db, "--no-save", "--format", "json")...)
	if code != 0 || repeated != made["json"] || strings.Contains(errOut, "saved") {
		t.Fatalf("repeat command: code %d, %s; same output %v", code, errOut, repeated == made["json"])
	}
	// listed with the provenance
	out, errOut, code := runCLI(t, nil, "forecast", "--db", db, "--list", "--format", "json")
	if code != 0 {
		t.Fatalf("--list: code %d: %s", code, errOut)
	}
	var list []struct {
		ID           int64    `json:"id"`
		Actor        string   `json:"actor"`
		Mode         string   `json:"mode"`
		Councils     []string `json:"councils"`
		Origin       string   `json:"origin"`
		Sims         int      `json:"sims"`
		Seed         int64    `json:"seed"`
		RefStart     string   `json:"reference_start"`
		ModelVersion string   `json:"model_version"`
		Digest       string   `json:"inputs_sha256"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	var made1 struct {
		Digest string `json:"inputs_sha256"`
		Origin string `json:"origin"`
		Model  string `json:"model_version"`
	}
	json.Unmarshal([]byte(made["json"]), &made1)
	if len(list) != 4 || list[0].Actor != "analyst" || list[3].Actor != "checker" {
		t.Fatalf("list %+v", list)
	}
	for _, l := range list {
		if l.Digest != made1.Digest || l.Origin != made1.Origin || l.ModelVersion != made1.Model || l.Mode != "simulate" ||
			l.Sims != 100 || l.Seed != 7 || l.RefStart == "" || len(l.Councils) != 1 || l.Councils[0] != "E08000003" {
			t.Fatalf("listed forecast %+v; made with digest %s, origin %s, model %s", l, made1.Digest, made1.Origin, made1.Model)
		}
	}
	text, _, code := runCLI(t, nil, "forecast", "--db", db, "--list", "--la", "Manchester")
	if code != 0 || strings.Count(text, "simulate") != 4 || !strings.Contains(text, made1.Digest[:12]) {
		t.Fatalf("--list --la Manchester: code %d\n%s", code, text)
	}
	if text, _, _ := runCLI(t, nil, "forecast", "--db", db, "--list", "--la", "E06000001"); !strings.Contains(text, "No saved forecast covers E06000001") {
		t.Fatalf("--list --la E06000001:\n%s", text)
	}
}

func TestForecastMarkovSavedAndShown(t *testing.T) {
	db := importedDB(t)
	for _, format := range []string{"json", "csv", "text"} {
		out, errOut, code := runCLI(t, nil, "forecast", "--db", db, "--mode", "markov", "--years", "1", "--format", format)
		if code != 0 {
			t.Fatalf("code %d: %s", code, errOut)
		}
		shown, _, code := runCLI(t, nil, "forecast", "--db", db, "--show", savedID(t, errOut), "--format", format)
		if code != 0 || shown != out {
			t.Fatalf("%s: --show differs from the forecast as made (code %d)", format, code)
		}
		if format == "json" {
			var got struct {
				ModelVersion string            `json:"model_version"`
				Councils     []json.RawMessage `json:"councils"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil || got.ModelVersion == "" || len(got.Councils) != 1 {
				t.Fatalf("markov json lacks model_version or councils: %v %+v", err, got)
			}
		}
	}
}

func TestForecastPublishedSaved(t *testing.T) {
	db := t.TempDir() + "/p.db" // a new file: named, so created
	args := []string{"forecast", "--published", publishedFile, "--la", "E08000003,Hartlepool", "--from", "2021", "--years", "2", "--db", db}
	for _, format := range []string{"csv", "json", "text"} {
		out, errOut, code := runCLI(t, nil, append(args, "--format", format)...)
		if code != 0 {
			t.Fatalf("code %d: %s", code, errOut)
		}
		shown, showErr, code := runCLI(t, nil, "forecast", "--db", db, "--show", savedID(t, errOut), "--format", format)
		if code != 0 || shown != out {
			t.Fatalf("%s: --show differs from the forecast as made (code %d: %s)", format, code, showErr)
		}
		if !strings.Contains(showErr, "to repeat it: sufficiency forecast --published "+publishedFile+" --la E08000003,Hartlepool --from 2021 --years 2") {
			t.Fatalf("repeat command: %q", showErr)
		}
	}
	list, _, _ := runCLI(t, nil, "forecast", "--db", db, "--list", "--la", "E06000001", "--format", "csv")
	if lines := strings.Split(strings.TrimSpace(list), "\n"); len(lines) != 4 || !strings.Contains(lines[1], "published") ||
		!strings.Contains(lines[1], "E08000003 E06000001") || !strings.Contains(lines[1], "2021-03-31") {
		t.Fatalf("--list csv:\n%s", list)
	}
	// no database named and none here: printed, not saved
	_, errOut, code := runCLI(t, nil, "forecast", "--published", publishedFile, "--la", "E08000003", "--years", "1")
	if code != 0 || !strings.Contains(errOut, "forecast not saved") {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	_, errOut, _ = runCLI(t, nil, append(args, "--no-save")...)
	if strings.Contains(errOut, "saved") {
		t.Fatalf("--no-save: %q", errOut)
	}
}

func TestForecastNoSave(t *testing.T) {
	db := importedDB(t)
	_, errOut, code := runCLI(t, nil, "forecast", "--db", db, "--years", "1", "--sims", "20", "--no-save")
	if code != 0 || strings.Contains(errOut, "saved") {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	out, _, _ := runCLI(t, nil, "forecast", "--db", db, "--list", "--format", "json")
	if strings.TrimSpace(out) != "[]" {
		t.Fatalf("--no-save saved something: %s", out)
	}
}

func TestForecastListShowBadInput(t *testing.T) {
	db := importedDB(t)
	cases := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"ErrListAndShow", []string{"--list", "--show", "1"}, 2, "not both"},
		{"ErrShowWithForecastFlags", []string{"--show", "1", "--seed", "3"}, 2, "--seed cannot be used"},
		{"ErrShowWithLA", []string{"--show", "1", "--la", "E08000003"}, 2, "--la cannot be used"},
		{"ErrListPublished", []string{"--list", "--published", publishedFile}, 2, "--published cannot be used"},
		{"ErrShowZero", []string{"--show", "0"}, 2, "give the id of a saved forecast"},
		{"ErrShowMissing", []string{"--show", "99"}, 2, "no forecast 99"},
		{"ErrShowNotANumber", []string{"--show", "latest"}, 2, "latest"},
		{"ErrListTwoCouncils", []string{"--list", "--la", "E08000003,E08000001"}, 2, "one council"},
		{"ErrListNoDatabase", []string{"--list", "--db", t.TempDir() + "/none.db"}, 2, "no database"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := runErr(append([]string{"forecast", "--db", db}, c.args...)...)
			if exitCode(err) != c.code || !strings.Contains(care.ErrorMessage(err), c.says) {
				t.Fatalf("got %v (exit %d), want exit %d saying %q", err, exitCode(err), c.code, c.says)
			}
		})
	}
}
