package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

func TestStatus(t *testing.T) {
	db := tempDB(t)
	cs, err := Status(context.Background(), db)
	if err != nil || cs == nil || len(cs) != 0 {
		t.Fatalf("empty store: %v, %v; want an empty list", cs, err)
	}
	var buf bytes.Buffer
	WriteStatusJSON(&buf, "a.db", nil)
	if !strings.Contains(buf.String(), `"councils": []`) || !strings.Contains(buf.String(), `"database": "a.db"`) {
		t.Errorf("JSON of none:\n%s", buf.String())
	}
	buf.Reset()
	WriteStatusText(&buf, "a.db", cs, "Import with: sufficiency import.")
	if buf.String() != "Nothing is loaded in a.db yet. Import with: sufficiency import.\n" {
		t.Errorf("text of none: %q", buf.String())
	}

	res := mustRun(t, db, []string{"testdata/clean"}, Options{Actor: "tester"})
	cs, err = Status(context.Background(), db)
	if err != nil || len(cs) != 1 {
		t.Fatalf("Status = %+v, %v", cs, err)
	}
	c := cs[0]
	if c.Council != council || !reflect.DeepEqual(c.Years, []int{2024, 2025}) || c.Children != 3 || c.Episodes != 4 || c.Imports != 1 ||
		c.LastImportID != res.ImportID || c.LastActor != "tester" || c.Errors != res.Errors || c.Warnings != res.Warnings || c.Accepted {
		t.Errorf("status %+v; import %+v", c, res)
	}
	if at, err := time.Parse(time.RFC3339, c.LastImport); err != nil || at.Location() != time.UTC || time.Since(at) > time.Hour {
		t.Errorf("last import %q: %v", c.LastImport, err)
	}
}

func TestWriteStatusText(t *testing.T) {
	cs := []CouncilStatus{
		{Council: "E08000003", Years: []int{2023, 2024, 2025}, Children: 1200, Episodes: 3400, Imports: 2, LastImport: "2025-05-01T09:00:00Z", LastActor: "ana", Errors: 1, Warnings: 2, Accepted: true},
		{Council: "E08000025", Years: []int{2022, 2025}, Children: 5, Episodes: 6, Imports: 1, LastImport: "2025-05-02T10:00:00Z", LastActor: "bo"},
		{Council: "E08000035", Years: []int{2025}},
		{Council: "E06000001", Years: nil},
	}
	var buf bytes.Buffer
	if err := WriteStatusText(&buf, "a.db", cs, "unused"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 7 || lines[0] != "Database a.db: 4 council(s)" || lines[1] != "" {
		t.Fatalf("text:\n%s", buf.String())
	}
	for i, want := range [][]string{
		{"E08000003", "2022/23", "to", "2024/25", "1200", "3400", "2", "2025-05-01", "09:00:00Z", "ana", "1", "errors,", "2", "warnings", "(accepted)"},
		// 2021/22 and 2024/25 only: the gap is said.
		{"E08000025", "2021/22", "to", "2024/25", "(2", "years)", "5", "6", "1", "2025-05-02", "10:00:00Z", "bo", "0", "errors,", "0", "warnings"},
		{"E08000035", "2024/25", "0", "0", "0", "0", "errors,", "0", "warnings"},
		{"E06000001", "none", "0", "0", "0", "0", "errors,", "0", "warnings"},
	} {
		if got := strings.Fields(lines[3+i]); !reflect.DeepEqual(got, want) {
			t.Errorf("row %d %q; want %q", i, got, want)
		}
	}
}

func TestChildRecords(t *testing.T) {
	children := []care.Child{
		{Council: "E08000003", ID: "1001", Sex: care.Female, DOB: care.Date(2012, 2, 29), Ethnicity: "WBRI", UPN: "A123",
			UASC: true, UASCEnded: care.Date(2025, 3, 31), Needs: care.NeedsProfile{Tier: care.TierComplex, Risks: []care.Risk{"going_missing", "fire_setting"}}},
		{Council: "E08000003", ID: "1002", Sex: care.Male},
	}
	recs := ChildRecords(children)
	want := []ChildRecord{
		{Council: "E08000003", Child: "1001", Sex: string(care.Female), DOB: "2012-02-29", Ethnicity: "WBRI", UPN: "A123", UASC: true,
			UASCEnded: "2025-03-31", NeedsTier: int(care.TierComplex), Risks: []string{"going_missing", "fire_setting"}},
		{Council: "E08000003", Child: "1002", Sex: string(care.Male), Risks: []string{}},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Fatalf("ChildRecords = %+v; want %+v", recs, want)
	}

	var buf bytes.Buffer
	if err := WriteChildren(&buf, "csv", recs); err != nil {
		t.Fatal(err)
	}
	csv := strings.ReplaceAll(buf.String(), "\r\n", "\n")
	wantCSV := "council,child,sex,dob,ethnicity,upn,uasc,uasc_ended,needs_tier,risks\n" +
		"E08000003,1001," + string(care.Female) + ",2012-02-29,WBRI,A123,Y,2025-03-31," + itoa(int(care.TierComplex)) + ",going_missing;fire_setting\n" +
		"E08000003,1002," + string(care.Male) + ",,,,N,,0,\n"
	if csv != wantCSV {
		t.Errorf("csv:\n%s\nwant\n%s", csv, wantCSV)
	}

	buf.Reset()
	if err := WriteChildren(&buf, "json", recs[1:]); err != nil {
		t.Fatal(err)
	}
	var back []ChildRecord
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || !reflect.DeepEqual(back, want[1:]) || !strings.Contains(buf.String(), `"risks": []`) {
		t.Errorf("json %s: %v", buf.String(), err)
	}

	buf.Reset()
	if err := WriteChildren(&buf, "text", recs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 4 || strings.Fields(lines[0])[0] != "council" || strings.Fields(lines[2])[1] != "1002" || lines[3] != "2 children of E08000003" {
		t.Errorf("text:\n%s", buf.String())
	}
	buf.Reset()
	WriteChildren(&buf, "text", nil)
	if !strings.HasSuffix(buf.String(), "\n0 children\n") {
		t.Errorf("text of none: %q", buf.String())
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// manyOutcomes: imported, refused, failed, and one never started.
func manyOutcomes() []Outcome {
	return []Outcome{
		{Folder: Folder{"E08000003", "a"}, Result: Result{ImportID: 4, Children: 1200, Episodes: 3400, Warnings: 2}},
		{Folder: Folder{"E08000025", "b"}, Result: Result{Errors: 3}, Err: care.Errorf(care.EREJECTED, "refused")},
		{Folder: Folder{"E08000035", "c"}, Err: care.Errorf(care.EUNUSABLE, "cannot read")},
		{},
		{Folder: Folder{"E08000006", "d"}, Result: Result{ImportID: 5, Children: 1, Episodes: 2}},
	}
}

func TestSummarise(t *testing.T) {
	s := Summarise(manyOutcomes())
	want := Summary{Councils: 5, Imported: 2, Children: 1201, Episodes: 3402, Refused: []string{"E08000025"}, Failed: []string{"E08000035"}}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("Summarise = %+v; want %+v", s, want)
	}
	var buf bytes.Buffer
	if err := s.WriteText(&buf, 1250*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	wantText := "Imported 2 of 5 councils in 1.2 s: 1,201 children, 3,402 episodes.\n" +
		"Refused for validation errors (nothing imported for them): E08000025.\n" +
		"Not imported: E08000035.\n"
	if buf.String() != wantText {
		t.Errorf("text:\n%s\nwant\n%s", buf.String(), wantText)
	}
	// A failure outranks a refusal; a refusal alone is EREJECTED; none is nil.
	if err := s.Err(); care.ErrorCode(err) != care.EINTERNAL || !strings.Contains(err.Error(), "1 of 5 councils could not be imported (E08000035)") {
		t.Errorf("Err = %v", err)
	}
	s.Failed = nil
	if err := s.Err(); care.ErrorCode(err) != care.EREJECTED || !strings.Contains(err.Error(), "1 of 5 councils were refused for validation errors (E08000025)") {
		t.Errorf("Err refused = %v", err)
	}
	s.Refused = nil
	if err := s.Err(); err != nil {
		t.Errorf("Err all imported = %v", err)
	}
	buf.Reset()
	s.WriteText(&buf, time.Second)
	if strings.Count(buf.String(), "\n") != 1 {
		t.Errorf("text all imported:\n%s", buf.String())
	}
}

func TestWriteManyJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteManyJSON(&buf, manyOutcomes(), 1500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Councils []map[string]any `json:"councils"`
		Seconds  float64          `json:"seconds"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Seconds != 1.5 {
		t.Errorf("seconds %v", got.Seconds)
	}
	// The folder never started is not a council imported.
	want := []map[string]any{
		{"council": "E08000003", "imported": true, "import_id": 4.0, "children": 1200.0, "episodes": 3400.0, "errors": 0.0, "warnings": 2.0},
		{"council": "E08000025", "imported": false, "children": 0.0, "episodes": 0.0, "errors": 3.0, "warnings": 0.0, "error": "refused"},
		{"council": "E08000035", "imported": false, "children": 0.0, "episodes": 0.0, "errors": 0.0, "warnings": 0.0, "error": "cannot read"},
		{"council": "E08000006", "imported": true, "import_id": 5.0, "children": 1.0, "episodes": 2.0, "errors": 0.0, "warnings": 0.0},
	}
	if !reflect.DeepEqual(got.Councils, want) {
		t.Errorf("councils\n%v\nwant\n%v", got.Councils, want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWritersReportWriteErrors(t *testing.T) {
	s := Summarise(manyOutcomes())
	for name, err := range map[string]error{
		"status text": WriteStatusText(failWriter{}, "a.db", []CouncilStatus{{Council: "E1"}}, ""),
		"status none": WriteStatusText(failWriter{}, "a.db", nil, ""),
		"children":    WriteChildren(failWriter{}, "text", nil),
		"summary":     s.WriteText(failWriter{}, time.Second),
		"report":      (Result{Council: "E1"}).WriteText(failWriter{}, true, Hints{}),
	} {
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: %v; want the write error", name, err)
		}
	}
}

func TestWriteManyJSONNoneStarted(t *testing.T) {
	var buf bytes.Buffer
	WriteManyJSON(&buf, []Outcome{{}, {}}, 0)
	if !strings.Contains(buf.String(), `"councils": []`) {
		t.Errorf("none started:\n%s", buf.String())
	}
}
