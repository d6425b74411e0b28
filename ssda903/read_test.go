package ssda903

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

// cell is one expected value: row index, column, value.
type cell struct {
	row  int
	col  string
	want string
}

func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleCode)
	}
	sort.Strings(out)
	return out
}

func findingAt(fs []Finding, code string) *Finding {
	for i := range fs {
		if fs[i].RuleCode == code {
			return &fs[i]
		}
	}
	return nil
}

func TestReadFileCSV(t *testing.T) {
	tests := []struct {
		file     string
		table    TableName
		layout   Layout
		rows     int
		lines    []int
		cells    []cell
		extra    []string
		absent   []string // canonical columns not in the file
		findings []string // READ-* codes, sorted
		at       map[string]int
	}{
		{
			file: "csv/bom_crlf_episodes.csv", table: Episodes, layout: LayoutDfECSV, rows: 3, lines: []int{2, 3, 4},
			cells: []cell{{0, "CHILD", "1001"}, {0, "DEC", "15/06/2024"}, {0, "URN", "SC123456"}, {1, "DEC", ""}, {2, "DECOM", "3/7/2024"}, {2, "URN", ""}},
		},
		{
			file: "csv/cp1252_header.csv", table: Header, layout: LayoutDfECSV, rows: 3,
			cells:    []cell{{1, "CHILD", "Zoë-2002"}, {1, "ETHNIC", "WIRT"}, {2, "CHILD", "2003"}, {2, "SEX", "M"}, {2, "DOB", "09/09/2009"}, {2, "ETHNIC", "AOTH"}},
			findings: []string{"READ-ENCODING"}, at: map[string]int{"READ-ENCODING": 3},
		},
		{
			file: "csv/messy_episodes.csv", table: Episodes, layout: LayoutDfECSV, rows: 3, lines: []int{2, 3, 6},
			cells: []cell{
				{0, "CHILD", "3001"}, {0, "DECOM", "01/05/2024"}, {0, "RNE", "S"}, {0, "LS", "C2"}, {0, "CIN", "N1"}, {0, "PLACE", "U4"},
				{0, "PLACE_PROVIDER", "PR4"}, {0, "DEC", ""}, {0, "HOME_POST", "AB1 2CD"}, {0, "PL_POST", "EF3 4GH"}, {0, "URN", "SC1"},
				{1, "CHILD", "3001"}, {1, "REASON_PLACE_CHANGE", "CARPL"}, {1, "PL_POST", "IJ5 6KL"},
				{2, "PLACE", "T0"}, {2, "REC", "E4A"}, {2, "PLACE_PROVIDER", ""},
			},
			extra: []string{"Notes", "Worker"},
		},
		{
			file: "csv/short_header.csv", table: Header, layout: LayoutDfECSV, rows: 1,
			cells:    []cell{{0, "CHILD", "4001"}, {0, "UPN", ""}, {0, "MC_DOB", ""}},
			absent:   []string{"UPN", "MOTHER", "MC_DOB"},
			findings: []string{"READ-MISSING-COLUMN", "READ-MISSING-COLUMN", "READ-MISSING-COLUMN"},
		},
		{
			file: "csv/utf16_tab_episodes.txt", table: Episodes, layout: LayoutDfECSV, rows: 1, lines: []int{2},
			cells: []cell{{0, "CHILD", "5001"}, {0, "PLACE", "U4"}, {0, "PL_POST", "EF3 4GH"}, {0, "URN", ""}},
		},
		{
			file: "csv/wrong_fields_uasc.csv", table: UASC, layout: LayoutDfECSV, rows: 3, lines: []int{2, 4, 5},
			cells:    []cell{{0, "CHILD", "6001"}, {1, "CHILD", "6003"}, {1, "DUC", ""}, {2, "DUC", "01/01/2027"}},
			findings: []string{"READ-FIELDS", "READ-FIELDS-SHORT"}, at: map[string]int{"READ-FIELDS": 3, "READ-FIELDS-SHORT": 4},
		},
		{
			file: "csv/unterminated_quote_reviews.csv", table: Reviews, layout: LayoutDfECSV, rows: 1,
			cells:    []cell{{0, "CHILD", "7001"}, {0, "REVIEW_CODE", "PN1"}},
			findings: []string{"READ-QUOTE"}, at: map[string]int{"READ-QUOTE": 3},
		},
		{
			file: "csv/preamble_semicolon_missing.csv", table: Missing, layout: LayoutDfECSV, rows: 1, lines: []int{4},
			cells:    []cell{{0, "CHILD", "8001"}, {0, "MISSING", "M"}, {0, "MIS_END", "02/05/2024"}},
			findings: []string{"READ-PREAMBLE"}, at: map[string]int{"READ-PREAMBLE": 3},
		},
		{
			file: "csv/joined_reviews.csv", table: Reviews, layout: LayoutDfECSV, rows: 2, lines: []int{2, 4},
			cells:    []cell{{1, "CHILD", "2"}, {1, "REVIEW_CODE", "PN2"}},
			findings: []string{"READ-HEADER-REPEAT"}, at: map[string]int{"READ-HEADER-REPEAT": 3},
		},
		{
			file: "csv/cr_only_oc3.csv", table: OC3, layout: LayoutDfECSV, rows: 2, lines: []int{2, 3},
			cells: []cell{{0, "IN_TOUCH", "YES"}, {0, "ACTIV", "F2"}, {1, "ACCOM", "0"}},
		},
		{
			file: "csv/placement_costs.csv", table: PlacementCosts, layout: LayoutDfECSV, rows: 1,
			cells: []cell{{0, "WEEKLY_COST", "£5,250.00"}, {0, "HEALTH", "250"}},
		},
		{
			file: "csv/needs.csv", table: Needs, layout: LayoutDfECSV, rows: 1,
			cells: []cell{{0, "RISKS", "self_harm;going_missing"}, {0, "DISABILITY", "N"}, {0, "MENTAL_HEALTH", "Y"}},
		},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			tables, findings, err := ReadFile(filepath.Join("testdata", tt.file), ReadOptions{})
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			if len(tables) != 1 {
				t.Fatalf("got %d tables, want 1", len(tables))
			}
			tb := tables[0]
			if tb.Name != tt.table || tb.Layout != tt.layout {
				t.Fatalf("table %s/%s, want %s/%s", tb.Name, tb.Layout, tt.table, tt.layout)
			}
			if len(tb.Rows) != tt.rows {
				t.Fatalf("%d rows, want %d: %+v", len(tb.Rows), tt.rows, tb.Rows)
			}
			for i, r := range tb.Rows {
				if len(r.Values) != len(Columns[tt.table]) {
					t.Fatalf("row %d has %d values", i, len(r.Values))
				}
				if tt.lines != nil && r.Line != tt.lines[i] {
					t.Errorf("row %d line %d, want %d", i, r.Line, tt.lines[i])
				}
			}
			for _, c := range tt.cells {
				if got := tb.Rows[c.row].Get(tt.table, c.col); got != c.want {
					t.Errorf("row %d %s = %q, want %q", c.row, c.col, got, c.want)
				}
			}
			if !reflect.DeepEqual(tb.Extra, tt.extra) {
				t.Errorf("Extra = %q, want %q", tb.Extra, tt.extra)
			}
			for i, c := range Columns[tt.table] {
				want := true
				for _, a := range tt.absent {
					if a == c {
						want = false
					}
				}
				if tb.Present[i] != want {
					t.Errorf("Present[%s] = %v, want %v", c, tb.Present[i], want)
				}
			}
			if got := codes(findings); !reflect.DeepEqual(got, tt.findings) {
				t.Errorf("findings %v, want %v: %+v", got, tt.findings, findings)
			}
			for code, line := range tt.at {
				f := findingAt(findings, code)
				if f == nil || f.Line != line || f.File == "" || f.Message == "" || f.Table != tt.table {
					t.Errorf("%s finding = %+v, want line %d with file, table and message", code, f, line)
				}
			}
		})
	}
}

func TestReadFilePlatform(t *testing.T) {
	tables, findings, err := ReadFile("testdata/platform/episodes_two_councils.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	type group struct {
		la   string
		year int
		rows int
	}
	var got []group
	for _, tb := range tables {
		if tb.Layout != LayoutPlatform || tb.Name != Episodes {
			t.Errorf("table %s/%s", tb.Name, tb.Layout)
		}
		got = append(got, group{tb.Rows[0].LA, tb.Rows[0].Year, len(tb.Rows)})
	}
	want := []group{{"Barnet", 2024, 1}, {"Barnet", 2025, 2}, {"Camden", 2024, 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
	if c := codes(findings); !reflect.DeepEqual(c, []string{"READ-PLATFORM-YEAR"}) {
		t.Errorf("findings %v", findings)
	} else if findings[0].Line != 7 || findings[0].Value != "twenty" {
		t.Errorf("finding %+v", findings[0])
	}
	// ISO dates and the spreadsheet time part are kept as written; ParseDate reads them.
	if v := tables[2].Rows[0].Get(Episodes, "DECOM"); v != "2024-01-10 00:00:00" {
		t.Errorf("DECOM %q", v)
	}
}

func TestReadFileUnusable(t *testing.T) {
	tests := []struct {
		file string
		opt  ReadOptions
		says string // part of the message
	}{
		{"csv/empty.csv", ReadOptions{}, "empty"},
		{"csv/blank.csv", ReadOptions{}, "empty"},
		{"csv/binary.csv", ReadOptions{}, "not text"},
		{"csv/workbook.csv", ReadOptions{}, "Excel workbook"},
		{"csv/ambiguous.csv", ReadOptions{}, "match both the Header and the UASC tables"},
		{"csv/not_903.csv", ReadOptions{}, "no SSDA903 table has these columns"},
		{"csv/duplicate_column.csv", ReadOptions{}, "column SEX appears twice"},
		{"csv/bom_crlf_episodes.csv", ReadOptions{MaxFileBytes: 100}, "larger than the 100 bytes limit"},
		{"xml/truncated.xml", ReadOptions{}, "truncated"},
		{"xml/not_903.xml", ReadOptions{}, "not an SSDA903 XML return"},
		{"xml/mismatched.xml", ReadOptions{}, "malformed at line 2: </CHILD> closes <EXPSSDA903/CHILD/HEADER>"},
		{"csv/no_such_file.csv", ReadOptions{}, "cannot open"},
		{"csv", ReadOptions{}, "is a folder"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			_, _, err := ReadFile(path, tt.opt)
			if err == nil {
				t.Fatal("no error")
			}
			if care.ErrorCode(err) != care.EUNUSABLE {
				t.Errorf("code %q, want %q (%v)", care.ErrorCode(err), care.EUNUSABLE, err)
			}
			msg := care.ErrorMessage(err)
			if !strings.Contains(msg, path) || !strings.Contains(msg, tt.says) {
				t.Errorf("message %q should name %s and say %q", msg, path, tt.says)
			}
		})
	}
}

func TestReadXML(t *testing.T) {
	tables, findings, err := ReadFile("testdata/xml/return.xml", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[TableName]*Table{}
	for _, tb := range tables {
		if tb.Layout != LayoutXML {
			t.Errorf("%s layout %s", tb.Name, tb.Layout)
		}
		byName[tb.Name] = tb
	}
	counts := map[TableName]int{Header: 2, Episodes: 3, UASC: 1, Missing: 2, Reviews: 1, OC2: 1, OC3: 1, AD1: 1, PlacedAdoption: 1, PrevPerm: 1, SWEpisodes: 1}
	for name, n := range counts {
		if tb := byName[name]; tb == nil || len(tb.Rows) != n {
			t.Errorf("%s: want %d rows, got %+v", name, n, tb)
		}
	}
	check := func(name TableName, row int, col, want string) {
		t.Helper()
		if got := byName[name].Rows[row].Get(name, col); got != want {
			t.Errorf("%s row %d %s = %q, want %q", name, row, col, got, want)
		}
	}
	check(Header, 0, "CHILD", "X100")
	check(Header, 0, "SEX", "F")
	check(Header, 0, "ETHNIC", "WBRI")
	check(Header, 0, "MOTHER", "0")
	check(Header, 1, "SEX", "1")
	check(UASC, 0, "CHILD", "X100")
	check(UASC, 0, "DUC", "05/06/2027")
	check(UASC, 0, "DOB", "05/06/2009")
	check(Episodes, 0, "CHILD", "X100")
	check(Episodes, 0, "PLACE", "U4")
	check(Episodes, 0, "PL_POST", "AB1 2CD")
	check(Episodes, 1, "URN", "SC123456")
	check(Episodes, 1, "DEC", "")
	check(Episodes, 2, "CHILD", "X200")
	check(Missing, 1, "MISSING", "A")
	check(Missing, 1, "DOB", "05/06/2009")
	check(Reviews, 0, "REVIEW_CODE", "PN1")
	check(OC2, 0, "SDQ_SCORE", "12")
	check(OC3, 0, "ACTIV", "F2")
	check(AD1, 0, "CHILD", "X200")
	check(AD1, 0, "SEX_ADOPTR", "MF")
	check(PlacedAdoption, 0, "DATE_PLACED", "01/11/2024")
	check(PrevPerm, 0, "PREV_PERM", "Z1")
	check(SWEpisodes, 0, "SW_ID", "SW12345")
	check(SWEpisodes, 0, "CHILD", "X200")
	// The Header's UASC flag is kept as written for rules 105, 303, 205C, 205D.
	if h := byName[Header]; !h.HasSupplied("UASC") || h.Rows[0].SuppliedValue(0) != "1" || h.Rows[1].SuppliedValue(0) != "0" {
		t.Errorf("Header UASC flag: supplied %v, rows %q %q", h.Supplied, h.Rows[0].Supplied, h.Rows[1].Supplied)
	}
	if e := byName[Episodes].Extra; !reflect.DeepEqual(e, []string{"PL_DISTANCE"}) {
		t.Errorf("Episodes.Extra = %q", e)
	}
	if l := byName[Episodes].Rows[0].Line; l < 40 || l > 60 {
		t.Errorf("episode line %d", l)
	}
	if c := codes(findings); !reflect.DeepEqual(c, []string{"READ-XML-UNKNOWN"}) {
		t.Errorf("findings %+v", findings)
	}
}

func TestReadXMLOddities(t *testing.T) {
	tables, findings, err := ReadFile("testdata/xml/cp1252_oddities.xml", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var hdr, eps *Table
	for _, tb := range tables {
		switch tb.Name {
		case Header:
			hdr = tb
		case Episodes:
			eps = tb
		}
	}
	if got := hdr.Rows[0].Get(Header, "CHILD"); got != "Zé" {
		t.Errorf("CHILD %q", got)
	}
	if got := hdr.Rows[0].Get(Header, "MOTHER"); got != "" {
		t.Errorf("MOTHER %q", got)
	}
	if got := eps.Rows[0].Get(Episodes, "LS"); got != "C1" {
		t.Errorf("LS %q (the first of two is kept)", got)
	}
	want := []string{"READ-XML-REPEAT", "READ-XML-UNKNOWN", "READ-XML-VALUE"}
	if c := codes(findings); !reflect.DeepEqual(c, want) {
		t.Errorf("findings %v, want %v: %+v", c, want, findings)
	}
}

// writeFiles writes files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const (
	hdrCols = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
	epCols  = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
)

type retSummary struct {
	council string
	year    int
	tables  string // sorted table names with row counts
}

func summarise(rs []*Return) []retSummary {
	var out []retSummary
	for _, r := range rs {
		var parts []string
		for name, tb := range r.Tables {
			parts = append(parts, string(name)+":"+strconv.Itoa(len(tb.Rows)))
		}
		sort.Strings(parts)
		out = append(out, retSummary{r.Council, r.Year, strings.Join(parts, " ")})
	}
	return out
}

func TestReadGrouping(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		// The synthetic generator's layout: DIR/<ONS code>/<year ending>/<table>.csv
		"gen/E08000003/2024/header.csv":   hdrCols + "1,M,01/01/2010,WBRI,,,\n",
		"gen/E08000003/2024/episodes.csv": epCols + "1,01/05/2023,S,C1,N1,U4,PR1,,,,,,\n",
		"gen/E08000003/2025/episodes.csv": epCols + "1,01/05/2023,S,C1,N1,U4,PR1,01/06/2024,E4A,,,,\n",
		"gen/e09000001/2025/header.csv":   hdrCols + "1,F,01/01/2012,WBRI,,,\n", // same CHILD, other council
		"gen/E09000001/2025/notes.xlsx":   "PK\x03\x04",
		"gen/E09000001/2025/.hidden.csv":  "junk",
		// No year in the path: the data say 2024/25.
		"infer/export/episodes.csv": epCols + "9,01/05/2024,S,C1,N1,U4,PR1,,,,,,\n9,01/03/2020,S,C1,N1,U4,PR1,01/04/2020,X1,,,,\n",
		"infer/export/header.csv":   hdrCols + "9,M,01/01/2010,WBRI,,,\n",
		// The year in the name is the year ending: data agree.
		"named/SSDA903_2025_episodes.csv": epCols + "5,01/05/2024,S,C1,N1,U4,PR1,,,,,,\n",
		"named/SSDA903_2025_header.csv":   hdrCols + "5,M,01/01/2010,WBRI,,,\n",
		"named/SSDA903_2023-24_uasc.csv":  "CHILD,SEX,DOB,DUC\n5,1,01/01/2010,01/01/2028\n",
		// Nothing to tell the year by.
		"lost/header.csv": hdrCols + "7,M,01/01/2010,WBRI,,,\n",
	})
	t.Run("generator layout", func(t *testing.T) {
		rs, fs, err := Read([]string{filepath.Join(dir, "gen")}, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := []retSummary{
			{"E08000003", 2024, "Episodes:1 Header:1"},
			{"E08000003", 2025, "Episodes:1"},
			{"E09000001", 2025, "Header:1"},
		}
		if got := summarise(rs); !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if c := codes(fs); !reflect.DeepEqual(c, []string{"READ-SKIPPED"}) {
			t.Errorf("findings %+v", fs)
		}
	})
	t.Run("--la keeps one council", func(t *testing.T) {
		rs, fs, err := Read([]string{filepath.Join(dir, "gen")}, ReadOptions{Council: "e09000001"})
		if err != nil {
			t.Fatal(err)
		}
		if got := summarise(rs); !reflect.DeepEqual(got, []retSummary{{"E09000001", 2025, "Header:1"}}) {
			t.Errorf("got %v", got)
		}
		if n := len(codes(fs)); n != 4 || findingAt(fs, "READ-OTHER-COUNCIL") == nil {
			t.Errorf("findings %+v", fs)
		}
	})
	t.Run("year from data", func(t *testing.T) {
		rs, fs, err := Read([]string{filepath.Join(dir, "infer")}, ReadOptions{Council: "Manchester"})
		if err != nil {
			t.Fatal(err)
		}
		if got := summarise(rs); !reflect.DeepEqual(got, []retSummary{{"E08000003", 2025, "Episodes:2 Header:1"}}) {
			t.Errorf("got %v", got)
		}
		if len(fs) != 0 {
			t.Errorf("findings %+v", fs)
		}
	})
	t.Run("year from name", func(t *testing.T) {
		rs, fs, err := Read([]string{filepath.Join(dir, "named")}, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := []retSummary{{"", 2024, "UASC:1"}, {"", 2025, "Episodes:1 Header:1"}}
		if got := summarise(rs); !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if len(fs) != 0 {
			t.Errorf("findings %+v", fs)
		}
	})
	t.Run("--year overrides", func(t *testing.T) {
		rs, _, err := Read([]string{filepath.Join(dir, "infer"), filepath.Join(dir, "lost/header.csv")}, ReadOptions{Year: 2023})
		if err == nil {
			t.Fatal("two Header tables for the same return should conflict")
		}
		if got := summarise(rs); len(got) != 1 || got[0].year != 2023 {
			t.Errorf("got %v", got)
		}
		rs, _, err = Read([]string{filepath.Join(dir, "lost")}, ReadOptions{Year: 2023})
		if err != nil || len(rs) != 1 || rs[0].Year != 2023 {
			t.Errorf("got %v, %v", summarise(rs), err)
		}
	})
	t.Run("no year", func(t *testing.T) {
		_, _, err := Read([]string{filepath.Join(dir, "lost")}, ReadOptions{})
		if care.ErrorCode(err) != care.EUNUSABLE || !strings.Contains(err.Error(), "cannot tell which collection year") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("missing path", func(t *testing.T) {
		_, _, err := Read([]string{filepath.Join(dir, "nope")}, ReadOptions{})
		if care.ErrorCode(err) != care.EUNUSABLE {
			t.Errorf("err = %v", err)
		}
		_, _, err = Read(nil, ReadOptions{})
		if care.ErrorCode(err) != care.EUNUSABLE {
			t.Errorf("err = %v", err)
		}
	})
}

func TestReadDuplicates(t *testing.T) {
	dir := t.TempDir()
	ep := epCols + "1,01/05/2024,S,C1,N1,U4,PR1,,,,,,\n"
	writeFiles(t, dir, map[string]string{
		"a/E08000003/2025/episodes.csv":      ep,
		"a/E08000003/2025/copy/episodes.csv": ep,
		"b/E08000003/2025/episodes.csv":      ep,
		"b/E08000003/2025/newer.csv":         ep + "2,01/06/2024,S,C1,N1,U4,PR1,,,,,,\n",
		"c/E08000003/2025/episodes.csv":      ep,
		// The same rows in the platform layout, with ISO dates.
		"c/platform.csv": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN,LA,YEAR\n1,2024-05-01,S,C1,N1,U4,PR1,,,,,,,E08000003,2025\n",
	})
	rs, fs, err := Read([]string{filepath.Join(dir, "a")}, ReadOptions{})
	if err != nil || len(rs) != 1 || findingAt(fs, "READ-DUPLICATE-FILE") == nil {
		t.Errorf("identical copies: %v %v %+v", summarise(rs), err, fs)
	}
	rs, _, err = Read([]string{filepath.Join(dir, "b")}, ReadOptions{})
	if care.ErrorCode(err) != care.EUNUSABLE || !strings.Contains(err.Error(), "both hold the Episodes table for council E08000003, collection year 2024/25") {
		t.Errorf("conflict: %v", err)
	}
	if len(rs) != 1 {
		t.Errorf("the return should still be given: %v", summarise(rs))
	}
	_, fs, err = Read([]string{filepath.Join(dir, "c")}, ReadOptions{})
	if err != nil || findingAt(fs, "READ-DUPLICATE-FILE") == nil {
		t.Errorf("same rows in two layouts: %v %+v", err, fs)
	}
}

func TestReadPlatformCouncils(t *testing.T) {
	path := "testdata/platform/episodes_two_councils.csv"
	rs, fs, err := Read([]string{path}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Council names become ONS codes (Barnet E09000003, Camden E09000007).
	want := []retSummary{{"E09000003", 2024, "Episodes:1"}, {"E09000003", 2025, "Episodes:2"}, {"E09000007", 2024, "Episodes:2"}}
	if got := summarise(rs); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if c := codes(fs); !reflect.DeepEqual(c, []string{"READ-PLATFORM-YEAR"}) {
		t.Errorf("findings %+v", fs)
	}
	// --la by name, by DfE code or by ONS code picks the council's rows;
	// --year does not override the YEAR column.
	for _, la := range []string{"camden", "202", "e09000007"} {
		rs, fs, err = Read([]string{path}, ReadOptions{Council: la, Year: 2030})
		if err != nil {
			t.Fatal(err)
		}
		if got := summarise(rs); !reflect.DeepEqual(got, []retSummary{{"E09000007", 2024, "Episodes:2"}}) {
			t.Errorf("--la %s: got %v", la, got)
		}
	}
	if f := findingAt(fs, "READ-OTHER-COUNCIL"); f == nil || !strings.Contains(f.Message, "3 rows") {
		t.Errorf("findings %+v", fs)
	}
}

func TestReadProgress(t *testing.T) {
	var calls int
	var last, total int64
	_, _, err := Read([]string{"testdata/peers/cs-demand-model/combined"}, ReadOptions{Progress: func(d, tot int64) {
		calls++
		if d < last {
			t.Errorf("progress went back: %d after %d", d, last)
		}
		last, total = d, tot
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != total || total == 0 {
		t.Errorf("calls %d, last %d of %d", calls, last, total)
	}
}

// TestReadPeerSample reads the five years of the cs-demand-model sample: the
// file names give the year the collection starts, the data put each file in
// the year after, and the history has the 820 children of the sample.
func TestReadPeerSample(t *testing.T) {
	rs, fs, err := Read([]string{"testdata/peers/cs-demand-model/combined"}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []retSummary{
		{"", 2018, "Episodes:1460 Header:819 UASC:31"},
		{"", 2019, "Episodes:974 Header:572 UASC:23"},
		{"", 2020, "Episodes:648 Header:362 UASC:16"},
		{"", 2021, "Episodes:402 Header:226 UASC:8"},
		{"", 2022, "Episodes:253 Header:144 UASC:4"},
	}
	if got := summarise(rs); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if c := codes(fs); len(c) != 5 || c[0] != "READ-YEAR" {
		t.Errorf("findings %v", c)
	}
	h, rep := Stitch(rs)
	if len(h.Children) != 820 {
		t.Fatalf("%d children, want 820", len(h.Children))
	}
	sexes := map[care.Sex]int{}
	uasc := 0
	for _, c := range h.Children {
		sexes[c.Sex]++
		if c.UASC {
			uasc++
		}
		if c.DOB.IsZero() {
			t.Errorf("child %s has no DOB", c.ID)
		}
	}
	if sexes[care.Male]+sexes[care.Female] != 820 || uasc != 31 {
		t.Errorf("sexes %v, UASC %d", sexes, uasc)
	}
	if rep.EpisodeRows != 3737 || rep.Applied["same-episode-later-return"] == 0 {
		t.Errorf("report %v", rep)
	}
	checkHistory(t, h)

	// With all eight tables of the sample, when the shared data are here.
	full := "/work/shared/data/peers/cs-demand-model/cs_demand_model_samples/combined"
	if _, err := os.Stat(full); err == nil {
		rs, _, err := Read([]string{full}, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 5 || len(rs[0].Tables) != 8 {
			t.Errorf("full sample: %v", summarise(rs))
		}
		h, _ := Stitch(rs)
		if len(h.Children) != 820 || len(h.Tables[""][Reviews]) == 0 {
			t.Errorf("full sample: %d children, tables %v", len(h.Children), len(h.Tables[""]))
		}
	}
}

// checkHistory checks the invariants of any stitched history: episodes
// sorted by council, child and start, no overlaps, only the last episode of
// a child open, origins aligned.
func checkHistory(t *testing.T, h *History) {
	t.Helper()
	if len(h.Origins) != len(h.Episodes) {
		t.Fatalf("%d origins for %d episodes", len(h.Origins), len(h.Episodes))
	}
	for i := 1; i < len(h.Episodes); i++ {
		a, b := h.Episodes[i-1], h.Episodes[i]
		if a.Council > b.Council || (a.Council == b.Council && a.ChildID > b.ChildID) {
			t.Fatalf("episodes not sorted at %d", i)
		}
		if a.Council == b.Council && a.ChildID == b.ChildID {
			if !a.Start.Before(b.Start) {
				t.Fatalf("child %s: starts not increasing at %d", a.ChildID, i)
			}
			if a.End.IsZero() || a.End.After(b.Start) {
				t.Fatalf("child %s: episode %v–%v overlaps or is open before %v", a.ChildID, a.Start, a.End, b.Start)
			}
		}
	}
	for _, e := range h.Episodes {
		if !e.End.IsZero() && e.End.Before(e.Start) {
			t.Fatalf("child %s: ends before it starts", e.ChildID)
		}
	}
}

// TestReadHugeFile gives a 2 GB file (sparse: it takes no disk) and expects
// a clear refusal before any of it is read.
func TestReadHugeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "episodes.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Skip("cannot make a sparse file:", err)
	}
	f.Close()
	_, _, err = Read([]string{path}, ReadOptions{})
	if care.ErrorCode(err) != care.EUNUSABLE || !strings.Contains(err.Error(), "2.0 GiB, larger than the 1.0 GiB limit") || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v", err)
	}
	// With no limit it is read, and found to be binary (all NUL bytes).
	_, _, err = ReadFile(path, ReadOptions{MaxFileBytes: -1})
	if care.ErrorCode(err) != care.EUNUSABLE || !strings.Contains(err.Error(), "not text") {
		t.Errorf("err = %v", err)
	}
}

func TestAppendNormalised(t *testing.T) {
	tests := []struct {
		in   string
		kind colKind
		want string
	}{
		{"  u4 ", kindCode, "U4"},
		{"\u00a0pr1\u00a0", kindCode, "PR1"},
		{"\uFEFFS", kindCode, "S"},
		{`="0012345"`, kindID, "0012345"},
		{`= "x"`, kindCode, `= "X"`},
		{" ab1   2cd ", kindPostcode, "AB1 2CD"},
		{"ab1\t\t2cd", kindPostcode, "AB1 2CD"},
		{" Self_Harm;Going_Missing ", kindLower, "self_harm;going_missing"},
		{" abc-12 ", kindID, "abc-12"},
		{" 01/02/2024 ", kindDate, "01/02/2024"},
		{"Zoë", kindCode, "ZOë"},
		{"", kindCode, ""},
		{"   ", kindPostcode, ""},
	}
	for _, tt := range tests {
		if got := string(appendNormalised(nil, []byte(tt.in), tt.kind)); got != tt.want {
			t.Errorf("appendNormalised(%q, %d) = %q, want %q", tt.in, tt.kind, got, tt.want)
		}
	}
}

func TestRecogniseTable(t *testing.T) {
	tests := []struct {
		header  string
		table   TableName
		layout  Layout
		errPart string
	}{
		{"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB", Header, LayoutDfECSV, ""},
		{"childid, sex ,Dob,ETHNIC", Header, LayoutDfECSV, ""},
		{"CHILD,SEX,DOB,DUC", UASC, LayoutDfECSV, ""},
		{"CHILD,DOB,DUC,LA,YEAR", UASC, LayoutPlatform, ""},
		{"CHILD,DECOM,RNE,LS,CIN,PL,PLACE_PROVIDER,DEC,REC", Episodes, LayoutDfECSV, ""},
		{"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,LA", Episodes, LayoutDfECSV, ""}, // LA alone is an extra column
		{"CHILD,DECOM,WEEKLY_COST", PlacementCosts, LayoutDfECSV, ""},
		{"CHILD,NEEDS_TIER,DOLO", Needs, LayoutDfECSV, ""},
		{"CHILD,DOB,DOLO_START,DOLO_END", DoLo, LayoutDfECSV, ""},
		{"CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON", SWEpisodes, LayoutDfECSV, ""},
		{"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,WEEKLY_COST", "", "", "both the Episodes and the PlacementCosts"},
		{"CHILD,SEX,DOB,ETHNIC,DUC", "", "", "both the Header and the UASC"},
		{"CHILD,DECOM,RNE", "", "", "looks most like Episodes but lacks LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC"},
		{"CHILD,SEX,child,DOB,ETHNIC", "", "", "CHILD appears twice"},
		{"", "", "", "no SSDA903 table"},
	}
	for _, tt := range tests {
		rc, err := RecogniseTable(strings.Split(tt.header, ","))
		if tt.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Errorf("%q: err %v, want %q", tt.header, err, tt.errPart)
			}
			continue
		}
		if err != nil || rc.Table != tt.table || rc.Layout != tt.layout {
			t.Errorf("%q: %s/%s %v, want %s/%s", tt.header, rc.Table, rc.Layout, err, tt.table, tt.layout)
		}
	}
}

// TestReadPathological: inputs built to be slow or to eat memory are dealt
// with quickly.
func TestReadPathological(t *testing.T) {
	start := time.Now()
	// An opening quote followed by 300,000 line breaks.
	data := "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2010,\"" + strings.Repeat("\n", 300_000) + "x\n"
	tables, fs, err := ReadFrom(strings.NewReader(data), "quote.csv", ReadOptions{})
	if err != nil || len(tables[0].Rows) != 0 || findingAt(fs, "READ-QUOTE") == nil {
		t.Errorf("unterminated quote: %v %+v", err, fs)
	}
	// One row of 2 MiB.
	data = "CHILD,DOB,REVIEW,REVIEW_CODE\n1," + strings.Repeat("x", 2<<20) + "\n"
	_, _, err = ReadFrom(strings.NewReader(data), "long.csv", ReadOptions{})
	if care.ErrorCode(err) != care.EUNUSABLE || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("long row: %v", err)
	}
	// A quoted field of 2 MiB of short lines.
	data = "CHILD,DOB,REVIEW,REVIEW_CODE\n1,\"" + strings.Repeat("ab\n", 1<<20) + "\",x,y\n"
	_, _, err = ReadFrom(strings.NewReader(data), "lines.csv", ReadOptions{})
	if care.ErrorCode(err) != care.EUNUSABLE {
		t.Errorf("long quoted field: %v", err)
	}
	// Deep XML.
	data = "<EXPSSDA903>" + strings.Repeat("<CHILD>", 10000)
	_, _, err = ReadFrom(strings.NewReader(data), "deep.xml", ReadOptions{})
	if care.ErrorCode(err) != care.EUNUSABLE {
		t.Errorf("deep XML: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// A bare platform YEAR names the year the collection starts when the data
// say so (issue 17: the cs-demand-model samples' YEAR 2017 holds episodes of
// April 2017–March 2018, and reading it as 2016/17 made thousands of spurious
// errors). Every table of that council and YEAR moves, with one READ-YEAR
// warning; a YEAR written as "2016/17" is explicit and never moves.
func TestReadPlatformBareYearIsStartingYear(t *testing.T) {
	rs, fs, err := Read([]string{"testdata/platform-year-start"}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []retSummary{{"E09000003", 2018, "Episodes:4 Header:3"}}
	if got := summarise(rs); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	f := findingAt(fs, "READ-YEAR")
	if f == nil || !strings.Contains(f.Message, "2017/18") {
		t.Errorf("want one READ-YEAR warning naming 2017/18; findings %+v", fs)
	}

	rs, fs, err = Read([]string{"testdata/platform-year-explicit"}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := summarise(rs); !reflect.DeepEqual(got, []retSummary{{"E09000003", 2017, "Episodes:4"}}) {
		t.Errorf("explicit 2016/17: got %v", got)
	}
	if f := findingAt(fs, "READ-YEAR"); f != nil {
		t.Errorf("explicit YEAR moved: %+v", f)
	}
}

// Issue 15 item 5: a council not in the embedded register is refused before
// anything is read.
func TestReadRefusesUnknownCouncil(t *testing.T) {
	for _, la := range []string{"Anytown", "E99999999", "Hartlepol"} {
		_, _, err := Read([]string{"testdata"}, ReadOptions{Council: la})
		if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "no English children's services council") {
			t.Errorf("%s: %v", la, err)
		}
	}
}

// TestReadSuppliedColumns: the derived placement fields and the Header's UASC
// flag are kept on the row when a CSV carries them (SuppliedColumns), not
// dropped as extra columns; a file without them has none.
func TestReadSuppliedColumns(t *testing.T) {
	in := "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,PL_DISTANCE,PL_la,Other\n" +
		"A,01/05/2024,S,C2,N1,U1,PR1,,,12.5,e09000001,x\n" +
		"B,01/06/2024,S,C2,N1,U1,PR1,,,,,\n"
	ts, _, err := ReadFrom(strings.NewReader(in), "episodes.csv", ReadOptions{Year: 2025, Council: "E09000001"})
	if err != nil || len(ts) != 1 {
		t.Fatalf("read: %v %d", err, len(ts))
	}
	tb := ts[0]
	if !tb.HasSupplied("PL_DISTANCE") || !tb.HasSupplied("PL_LA") || tb.HasSupplied("PL_LOCATION") {
		t.Errorf("supplied %v", tb.Supplied)
	}
	if !reflect.DeepEqual(tb.Extra, []string{"Other"}) {
		t.Errorf("extra %q", tb.Extra)
	}
	if got := tb.Rows[0].Supplied; !reflect.DeepEqual(got, []string{"E09000001", "", "12.5"}) {
		t.Errorf("row 1 supplied %q", got)
	}
	if got := tb.Rows[1].Supplied; got != nil {
		t.Errorf("row 2 supplied %q, want nil (all blank)", got)
	}
	ts, _, err = ReadFrom(strings.NewReader("CHILD,SEX,DOB,ETHNIC\nA,1,01/01/2010,WBRI\n"), "header.csv", ReadOptions{Year: 2025, Council: "E09000001"})
	if err != nil || ts[0].HasSupplied("UASC") || ts[0].Rows[0].Supplied != nil {
		t.Errorf("header without UASC: %v %v", err, ts[0].Supplied)
	}
}

// TestReadXMLMarksLowerCase: like the CSV reader, the XML reader upper-cases
// codes for analysis and marks the cells it changed (Row.Lower), in HEADER
// fields and in records, so that the code-list rules flag "u4" or "wbri"
// (issue 16). Upper-case codes and fields that are not codes are not marked.
func TestReadXMLMarksLowerCase(t *testing.T) {
	tables, _, err := ReadFile("testdata/xml/return.xml", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[TableName]*Table{}
	for _, tb := range tables {
		byName[tb.Name] = tb
	}
	for _, c := range []struct {
		table TableName
		row   int
		col   string
		lower bool
	}{
		{Header, 0, "SEX", true}, {Header, 0, "ETHNIC", true}, {Header, 0, "CHILD", false}, {Header, 1, "SEX", false},
		{Episodes, 0, "PLACE", true}, {Episodes, 0, "LS", false}, {Episodes, 0, "PL_POST", false}, {Episodes, 1, "PLACE", false},
		{Missing, 1, "MISSING", true}, {Missing, 0, "MISSING", false},
		{PrevPerm, 0, "PREV_PERM", false}, {OC3, 0, "ACTIV", false},
	} {
		r := byName[c.table].Rows[c.row]
		if got := r.LowerCase(Col(c.table, c.col)); got != c.lower {
			t.Errorf("%s row %d %s marked lower case %v, want %v (value %q)", c.table, c.row, c.col, got, c.lower, r.Get(c.table, c.col))
		}
	}
}
