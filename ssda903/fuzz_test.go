package ssda903

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"sufficiency/care"
)

// The fuzz targets' seed corpora are the fixtures in testdata/fuzz/<target>/
// (the hand-made fixtures of testdata/csv and testdata/xml, plus inputs the
// fuzzer found that reach new code) and the f.Add seeds below. Run one with
//
//	go test ./ssda903 -run '^$' -fuzz '^FuzzReadCSV$' -fuzztime 60s
//
// No input may panic or hang: every input gives tables or an error.

// noHang fails an input that took far longer than any input of fuzzing size
// should (they are read at megabytes per second).
func noHang(t *testing.T, start time.Time) {
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("input took %v", d)
	}
}

// checkTables checks what every successful read must give.
func checkTables(t *testing.T, tables []*Table, findings []Finding) {
	t.Helper()
	for _, tb := range tables {
		cols := Columns[tb.Name]
		if cols == nil {
			t.Fatalf("unknown table %q", tb.Name)
		}
		if len(tb.Present) != len(cols) {
			t.Fatalf("%s: Present has %d entries for %d columns", tb.Name, len(tb.Present), len(cols))
		}
		kinds := tableKinds[tb.Name]
		for _, r := range tb.Rows {
			if len(r.Values) != len(cols) {
				t.Fatalf("%s line %d: %d values for %d columns", tb.Name, r.Line, len(r.Values), len(cols))
			}
			if r.Line < 1 {
				t.Fatalf("%s: row line %d", tb.Name, r.Line)
			}
			for i, v := range r.Values {
				if !utf8.ValidString(v) {
					t.Fatalf("%s.%s = %q is not UTF-8", tb.Name, cols[i], v)
				}
				if len(trimSpace([]byte(v))) != len(v) {
					t.Fatalf("%s.%s = %q is not trimmed", tb.Name, cols[i], v)
				}
				if kinds[i] == kindCode || kinds[i] == kindPostcode {
					for j := 0; j < len(v); j++ {
						if v[j] >= 'a' && v[j] <= 'z' {
							t.Fatalf("%s.%s = %q is not upper case", tb.Name, cols[i], v)
						}
					}
				}
			}
		}
	}
	for _, f := range findings {
		if !strings.HasPrefix(f.RuleCode, "READ-") || f.Message == "" || (f.Severity != SeverityError && f.Severity != SeverityWarning) {
			t.Fatalf("bad finding %+v", f)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		epCols + "1,01/04/2024,S,C1,N1,U4,PR1,,,,AB1 2CD,EF3 4GH,\n",
		"\uFEFFCHILD,SEX,DOB,ETHNIC\r\n1,m,01/01/2010,wbri\r\n\r\n",
		"CHILD;DOB;MISSING;MIS_START;MIS_END\n1;01/01/2010;M;01/05/2024;\n",
		"CHILD\tDOB\tREVIEW\tREVIEW_CODE\n\"1\"\t\"01/01/2010\"\t\"01/05/2024\"\t\"pn1\"\n",
		"CHILD,SEX,DOB,DUC\n1,1,01/01/2010,\"01/01\n/2028\"\n2,2,\"x\"\"y\",\n",
		"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,LA,YEAR\na,2024-01-01,S,C1,N1,U4,PR1,,,Barnet,2024\n",
		"CHILD,SEX,DOB,ETHNIC\r1,1,01/01/2010,WBRI\r",
		"title\n\nCHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n1,,yes,f2,b1,extra\n",
		"CHILD,NEEDS_TIER,RISKS\n1,3,Self_Harm\n",
		"\xff\xfeC\x00H\x00I\x00L\x00D\x00,\x00D\x00U\x00C\x00\n\x00",
		"CHILD,SEX,DOB,ETHNIC\n\xe9\xa0,1,01/01/2010,\xa0wbri\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer noHang(t, time.Now())
		tables, findings, err := ReadFrom(bytes.NewReader(data), "fuzz.csv", ReadOptions{})
		if err != nil {
			if care.ErrorCode(err) != care.EUNUSABLE || !strings.Contains(err.Error(), "fuzz.csv") {
				t.Fatalf("error %v (code %q) should be unusable and name the file", err, care.ErrorCode(err))
			}
			return
		}
		checkTables(t, tables, findings)
	})
}

func FuzzReadXML(f *testing.F) {
	for _, s := range []string{
		`<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID><SEX>m</SEX><DOB>01/01/2010</DOB><ETHNIC>WBRI</ETHNIC><UASC>1</UASC><DUC>01/01/2028</DUC></HEADER><EPISODE><DECOM>01/04/2024</DECOM><RNE>S</RNE><PL>u4</PL><DEC/></EPISODE></CHILD></EXPSSDA903>`,
		`<?xml version="1.0" encoding="windows-1252"?><EXPSSDA903><CHILD><HEADER><CHILDID>Z` + "\xe9" + `</CHILDID><AMISSING><MISSING>a</MISSING></AMISSING></HEADER></CHILD></EXPSSDA903>`,
		`<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID><MOTHER><X/></MOTHER></HEADER><SW><SW_ID>sw1</SW_ID><SW_DECOM>01/01/2024</SW_DECOM></SW></CHILD><FOO/></EXPSSDA903>`,
		`<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID>`,
		`<Message/>`,
		`<EXPSSDA903></EXPSSDA903><EXPSSDA903/>`,
		`<EXPSSDA903><CHILD><CHILDID>1</CHILDID><OC2><SDQ_SCORE>1</SDQ_SCORE><SDQ_SCORE>2</SDQ_SCORE></OC2></CHILD></EXPSSDA903>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer noHang(t, time.Now())
		fs := &findingSink{}
		var tables []*Table
		tables, err := scanXML(bytes.NewReader(data), "fuzz.xml", func(tb *Table, r Row) error {
			tb.Rows = append(tb.Rows, r)
			return nil
		}, fs)
		if err != nil {
			return
		}
		checkTables(t, tables, fs.done("fuzz.xml"))
	})
}

func FuzzRecogniseTable(f *testing.F) {
	for _, cols := range Columns {
		f.Add(strings.Join(cols, ","))
	}
	for _, s := range []string{
		"child , decom,rne,ls,cin,place,place provider,dec,rec,LA,YEAR,notes",
		"CHILD,SEX,DOB,ETHNIC,DUC", "CHILDID,PL,DECOM", ",,,", "CHILD,CHILD,DUC", "\uFEFF\"CHILD\",'DUC'",
		"CHILD,DECOM,WEEKLY_COST,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		header := strings.Split(s, ",")
		rc, err := RecogniseTable(header)
		if err != nil {
			if _, ok := err.(*RecogniseError); !ok || err.Error() == "" {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if len(rc.Index) != len(header) || len(rc.Present) != len(Columns[rc.Table]) {
			t.Fatalf("recognition sizes: %+v", rc)
		}
		seen := map[int]bool{}
		for i, ci := range rc.Index {
			if ci >= 0 {
				if seen[ci] || Columns[rc.Table][ci] != NormaliseColumnName(header[i]) {
					t.Fatalf("column %d (%q) mapped to %d", i, header[i], ci)
				}
				seen[ci] = true
			}
		}
		for _, req := range requiredColumns[rc.Table] {
			if !rc.Present[Col(rc.Table, req)] {
				t.Fatalf("%s recognised without %s", rc.Table, req)
			}
		}
		if (rc.Layout == LayoutPlatform) != func() bool {
			for _, ci := range rc.Index {
				if ci == colIsYear {
					return true
				}
			}
			return false
		}() {
			t.Fatalf("layout %s", rc.Layout)
		}
	})
}

func FuzzYearName(f *testing.F) {
	for _, s := range []string{"2019-episodes", "SSDA903_2024-25_header", "2024_2025", "2025", "E08000003", "20240401", "2019 and 2021", "2024-25.0"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, whole bool) {
		y, _, ok := yearName(s, whole)
		if ok && (y < 1990 || y > 2101) {
			t.Fatalf("yearName(%q) = %d", s, y)
		}
		if y, ok := parseYearValue(s); ok && (y < 1990 || y > 2101) {
			t.Fatalf("parseYearValue(%q) = %d", s, y)
		}
	})
}
