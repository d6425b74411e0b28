package main

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sufficiency/care"
	"sufficiency/ingest"
	"sufficiency/store"
	"sufficiency/store/sqlite"
	"sufficiency/synth"
)

// manchester is a small synthetic council (Manchester's code, invented
// children) whose figures are easy to check by hand.
const manchester = "E08000003"

// analyticsDB writes a database with nine synthetic Manchester children and
// returns a getenv that points SUFFICIENCY_DB at it.
func analyticsDB(t *testing.T) func(string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "a.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d := care.Date
	child := func(id string, sex care.Sex, dob time.Time, tier care.NeedsTier) care.Child {
		return care.Child{Council: manchester, ID: id, Sex: sex, DOB: dob, Ethnicity: "WBRI", Needs: care.NeedsProfile{Tier: tier}}
	}
	ep := func(id string, start time.Time, place, prov, home, pl, urn string, pounds float64) care.Episode {
		return care.Episode{Council: manchester, ChildID: id, Start: start, ReasonNew: "S", LegalStatus: "C2", CategoryOfNeed: "N1",
			Placement: care.PlacementType(place), Provider: care.ProviderType(prov), HomePostcode: home, PlacementPostcode: pl, URN: urn,
			WeeklyCost: care.FromPounds(pounds)}
	}
	m3 := ep("m3", d(2024, 2, 1), "K2", "PR4", "M40 7", "B15 2", "", 12000)
	m3.Funding = care.Funding{SocialCare: care.FromPounds(8000), Education: care.FromPounds(2000), Health: care.FromPounds(2000)}
	left := ep("m9", d(2022, 1, 1), "U4", "PR1", "M14 5", "M20 2", "", 500)
	left.End, left.ReasonEnded = d(2024, 12, 1), "E11"
	imp := store.Import{
		Council: manchester,
		Children: []care.Child{
			child("m1", care.Male, d(2012, 5, 1), care.TierStandard), child("m2", care.Female, d(2009, 3, 1), care.TierStandard),
			child("m3", care.Male, d(2008, 7, 1), care.TierComplex), child("m4", care.Female, d(2014, 1, 1), care.TierStandard),
			child("m5", care.Male, d(2016, 2, 1), care.TierStandard), child("m6", care.Female, d(2018, 2, 1), care.TierStandard),
			child("m7", care.Male, d(2008, 9, 1), care.TierEnhanced), child("m8", care.Female, d(2011, 4, 1), care.TierStandard),
			child("m9", care.Male, d(2010, 1, 1), care.TierStandard),
		},
		Episodes: []care.Episode{
			ep("m1", d(2020, 1, 1), "U4", "PR1", "M14 5", "M20 2", "", 500),
			ep("m2", d(2023, 5, 1), "K2", "PR4", "M14 5", "LA1 1", "", 6000),
			m3,
			ep("m4", d(2024, 9, 1), "U4", "PR4", "M14 5", "BL1 4", "", 900),
			ep("m5", d(2024, 10, 1), "U4", "PR1", "M9 8", "M20 2", "", 450),
			ep("m6", d(2024, 10, 1), "U4", "PR1", "M9 8", "M22 5", "", 450),
			ep("m7", d(2024, 11, 1), "Z1", "", "M14 5", "", "", 0),
			ep("m8", d(2021, 6, 1), "U1", "PR1", "M11 1", "M11 1", "", 300),
			left,
		},
	}
	if _, err := db.ImportReturns(ctx, imp); err != nil {
		t.Fatal(err)
	}
	return func(k string) string {
		if k == "SUFFICIENCY_DB" {
			return path
		}
		return ""
	}
}

func TestPictureCouncil(t *testing.T) {
	env := analyticsDB(t)
	out, errOut, code := runCLI(t, env, "picture", "--at", "2025-03-31")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Manchester: children in care at 31 March 2025",
		"Children in care                                     8", // m1–m8; m9 left in December
		"High-cost placements (over £10,000 a week)           1",
		"Children aged 0 to 17 in the area              131,831", // digits grouped in text
		"Comparison with published figures",
		"Statistical neighbours of Manchester",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestPictureJSONFigures(t *testing.T) {
	env := analyticsDB(t)
	out, errOut, code := runCLI(t, env, "picture", "--la", "Manchester", "--at", "2025-03-31", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var tables []struct {
		Title string
		Rows  []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &tables); err != nil {
		t.Fatal(err)
	}
	get := func(title, key, keyVal, col string) any {
		for _, tb := range tables {
			if strings.HasPrefix(tb.Title, title) {
				for _, r := range tb.Rows {
					if r[key] == keyVal {
						return r[col]
					}
				}
			}
		}
		t.Fatalf("no %s / %s", title, keyVal)
		return nil
	}
	// Outside the council: m2 (Lancaster), m3 (Birmingham), m4 (Bolton).
	if v := get("Manchester: children", "Measure", "Placed outside the council", "Number"); v != 3.0 {
		t.Errorf("outside = %v", v)
	}
	// Over 20 miles: Lancaster and Birmingham; Bolton is about 11 miles.
	if v := get("Manchester: children", "Measure", "Placed over 20 miles from home", "Number"); v != 2.0 {
		t.Errorf("over 20 = %v", v)
	}
	// Outside the region: Birmingham only.
	if v := get("Manchester: children", "Measure", "Placed outside the council's region", "Number"); v != 1.0 {
		t.Errorf("outside region = %v", v)
	}
	if v := get("Manchester: children", "Measure", "Sibling groups placed apart", "Number"); v != 1.0 {
		t.Errorf("siblings apart = %v", v)
	}
	if v := get("Weekly cost by funder", "Funder", "Health", "Weekly"); v != 2000.0 {
		t.Errorf("health weekly = %v", v)
	}
	if v := get("Placement mix by placement type", "Placement type", "Children's home", "Children"); v != 2.0 {
		t.Errorf("children's homes = %v", v)
	}
}

func TestPicturePublishSuppresses(t *testing.T) {
	env := analyticsDB(t)
	out, _, code := runCLI(t, env, "picture", "--at", "2025-03-31", "--publish", "--format", "csv")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	if !strings.Contains(out, "Placed outside the council,c,") {
		t.Errorf("a count of 3 was published:\n%s", out)
	}
	if !strings.Contains(out, "Children in care,8,") {
		t.Errorf("the total of 8 was suppressed")
	}
}

func TestPictureXLSX(t *testing.T) {
	env := analyticsDB(t)
	path := filepath.Join(t.TempDir(), "picture.xlsx")
	_, errOut, code := runCLI(t, env, "picture", "--at", "2025-03-31", "--format", "xlsx", "--out", path)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) < 10 {
		t.Fatalf("%d sheets: %v", len(sheets), sheets)
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Manchester: children in care at 31 March 2025" || rows[2][0] != "Children in care" || rows[2][1] != "8" {
		t.Fatalf("first sheet %v", rows[:3])
	}
}

func TestPictureErrors(t *testing.T) {
	env := analyticsDB(t)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"XLSXNeedsOut", []string{"picture", "--format", "xlsx"}, 2, "--out"},
		{"BadFormat", []string{"picture", "--format", "pdf"}, 2, "text, json, csv or xlsx"},
		{"BadDate", []string{"picture", "--at", "31/03/2025"}, 2, "YYYY-MM-DD"},
		{"UnknownCouncil", []string{"picture", "--la", "Atlantis"}, 2, "no council"},
		{"NotLoaded", []string{"picture", "--la", "Salford"}, 2, "no children are loaded"},
		{"BothScopes", []string{"picture", "--la", "Salford", "--region", "North West"}, 2, "not both"},
		{"NoDatabase", []string{"picture", "--db", filepath.Join(t.TempDir(), "none.db")}, 2, "no database"},
		{"DatabaseIsFolder", []string{"picture", "--db", t.TempDir()}, 2, "is a folder"},
		{"ImpossibleDate", []string{"picture", "--at", "2025-02-30"}, 2, "YYYY-MM-DD"},
		{"AfterTheData", []string{"picture", "--at", "2031-03-31"}, 2, "after the data"},
		{"BeforeTheData", []string{"picture", "--at", "1990-01-01"}, 2, "before the data"},
		{"ReviewAfterTheData", []string{"review", "--at", "2031-03-31"}, 2, "after the data"},
		{"ReviewRulesFolder", []string{"review", "--rules", t.TempDir()}, 2, "is a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, code := runAnalyticsErr(t, env, tt.args...)
			if code != tt.code || !strings.Contains(msg, tt.msg) {
				t.Fatalf("code %d, message %q; want %d and %q", code, msg, tt.code, tt.msg)
			}
		})
	}
}

// runAnalyticsErr runs the program and returns the message it would print and its exit code.
func runAnalyticsErr(t *testing.T, getenv func(string) string, args ...string) (string, int) {
	t.Helper()
	var out, errb strings.Builder
	err := run(context.Background(), args, getenv, strings.NewReader(""), &out, &errb)
	return care.ErrorMessage(err), exitCode(err)
}

func TestPictureRegion(t *testing.T) {
	env := analyticsDB(t)
	out, errOut, code := runCLI(t, env, "picture", "--region", "North West", "--at", "2025-03-31")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	if !strings.Contains(out, "North West: children in care") || !strings.Contains(out, "No data loaded for 23 council(s) of North West") {
		t.Errorf("region output:\n%s", out[:min(len(out), 2000)])
	}
}

// TestPictureSyntheticCouncilMatchesPublished generates a synthetic
// Hartlepool, imports it as a council would, and checks that the picture's
// figures agree with the published figures for the real Hartlepool within
// the generator's tolerance.
func TestPictureSyntheticCouncilMatchesPublished(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports a council")
	}
	ctx := context.Background()
	dir := t.TempDir()
	const code = "E06000001" // Hartlepool
	if _, err := synth.Generate(ctx, synth.Config{Out: filepath.Join(dir, "syn"), Councils: []string{code}, From: 2020, To: 2023, Seed: 7, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Run(ctx, db, []string{filepath.Join(dir, "syn", code)}, ingest.Options{Council: code, AcceptErrors: true}); err != nil {
		db.Close()
		t.Fatal(err)
	}
	db.Close()
	env := func(k string) string {
		if k == "SUFFICIENCY_DB" {
			return path
		}
		return ""
	}
	t.Run("ReviewUsesStoredReviews", func(t *testing.T) {
		out, errOut, c := runCLI(t, env, "review", "--la", code, "--at", "2023-03-31", "--format", "json")
		if c != 0 {
			t.Fatalf("code %d: %s", c, errOut)
		}
		var ts jsonTables
		if err := json.Unmarshal([]byte(out), &ts); err != nil {
			t.Fatal(err)
		}
		for _, r := range ts.find(t, "Review rules") {
			if (r["Rule"] == "review-overdue" || r["Rule"] == "missing-from-placement") && r["Evaluated"] != "yes" {
				t.Errorf("%v not evaluated from the stored Reviews and Missing tables: %v", r["Rule"], r)
			}
			t.Logf("%v flagged %v %v", r["Rule"], r["Placements flagged"], r["Basis"])
		}
	})
	out, errOut, code2 := runCLI(t, env, "picture", "--la", code, "--at", "2023-03-31", "--format", "json")
	if code2 != 0 {
		t.Fatalf("code %d: %s", code2, errOut)
	}
	var tables []struct {
		Title string
		Rows  []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &tables); err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if tb.Title != "Comparison with published figures" {
			continue
		}
		for _, r := range tb.Rows {
			got, _ := r["Hartlepool (this data)"].(float64)
			pub, _ := r["Hartlepool (published)"].(float64)
			t.Logf("%-45s this %8.1f published %8.1f", r["Measure"], got, pub)
			switch r["Measure"] {
			case "Children in care", "Started to be looked after in the year", "Ceased to be looked after in the year":
				if pub > synth.MinCheckedStock && math.Abs(got-pub)/pub > synth.Tolerance {
					t.Errorf("%s: %v against published %v, beyond the generator's %.0f%%", r["Measure"], got, pub, 100*synth.Tolerance)
				}
			}
		}
		return
	}
	t.Fatal("no comparison table")
}

// --region England with only some councils loaded says so: the figures are
// those councils', not England's.
func TestPictureEnglandSaysWhatIsLoaded(t *testing.T) {
	env := analyticsDB(t)
	out, errOut, code := runCLI(t, env, "picture", "--region", "England", "--at", "2025-03-31")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	if !strings.Contains(out, "England here means the 1 council(s) whose data is loaded") {
		t.Fatalf("no note on the councils covered:\n%s", out)
	}
}

// A picture whose year reaches back before the first loaded return says
// that its in-year figures are incomplete (the fixture's returns start on
// 1 April 2024: its only ended episode ended in December 2024).
func TestPictureYearBeforeTheReturnsIsFlagged(t *testing.T) {
	env := analyticsDB(t)
	out, errOut, code := runCLI(t, env, "picture", "--at", "2024-12-31")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	if !strings.Contains(out, "The loaded returns start on 1 April 2024") {
		t.Fatalf("no note that the year is only partly covered:\n%s", out)
	}
	out, _, _ = runCLI(t, env, "picture", "--at", "2025-03-31")
	if strings.Contains(out, "The loaded returns start on") {
		t.Fatalf("note shown for a fully covered year:\n%s", out)
	}
}
