package rules

import (
	"math"
	"strings"
	"testing"
	"time"

	"sufficiency/ssda903"
)

// fixture is an editable return for tests: rows are column→value maps.
type fixture struct {
	council string
	year    int
	tabs    map[ssda903.TableName][]map[string]string
}

// parseFixture reads tables written as "== Table" lines, then a header line
// of column names and comma-separated rows.
func parseFixture(year int, text string) *fixture {
	f := &fixture{council: "E09000001", year: year, tabs: map[ssda903.TableName][]map[string]string{}}
	var name ssda903.TableName
	var cols []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "== "):
			name = ssda903.TableName(strings.TrimPrefix(line, "== "))
			cols = nil
			f.tabs[name] = []map[string]string{}
		case cols == nil:
			cols = strings.Split(line, ",")
		default:
			vals := strings.Split(line, ",")
			row := map[string]string{}
			for i, c := range cols {
				if i < len(vals) {
					row[c] = vals[i]
				}
			}
			f.tabs[name] = append(f.tabs[name], row)
		}
	}
	return f
}

func (f *fixture) clone() *fixture {
	g := &fixture{council: f.council, year: f.year, tabs: map[ssda903.TableName][]map[string]string{}}
	for n, rows := range f.tabs {
		out := make([]map[string]string, len(rows))
		for i, r := range rows {
			m := map[string]string{}
			for k, v := range r {
				m[k] = v
			}
			out[i] = m
		}
		g.tabs[n] = out
	}
	return g
}

// row returns the k-th row (0-based) of child in table t; it fails the test if absent.
func (f *fixture) row(t *testing.T, table ssda903.TableName, child string, k int) map[string]string {
	t.Helper()
	n := 0
	for _, r := range f.tabs[table] {
		if r["CHILD"] == child {
			if n == k {
				return r
			}
			n++
		}
	}
	t.Fatalf("fixture: no row %d of child %s in %s", k, child, table)
	return nil
}

// add appends a row given as "COL=value" pairs.
func (f *fixture) add(table ssda903.TableName, pairs ...string) map[string]string {
	r := map[string]string{}
	for _, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		r[k] = v
	}
	f.tabs[table] = append(f.tabs[table], r)
	return r
}

// drop removes every row of child from table.
func (f *fixture) drop(table ssda903.TableName, child string) {
	var keep []map[string]string
	for _, r := range f.tabs[table] {
		if r["CHILD"] != child {
			keep = append(keep, r)
		}
	}
	f.tabs[table] = keep
}

func (f *fixture) build() *ssda903.Return {
	r := &ssda903.Return{Council: f.council, Year: f.year, Tables: map[ssda903.TableName]*ssda903.Table{}}
	for name, rows := range f.tabs {
		cols := ssda903.Columns[name]
		t := &ssda903.Table{Name: name, File: strings.ToLower(string(name)) + ".csv", Layout: ssda903.LayoutDfECSV, Present: make([]bool, len(cols))}
		for i := range t.Present {
			t.Present[i] = true
		}
		sup := ssda903.SuppliedColumns[name]
		for _, m := range rows {
			for k, col := range sup {
				if _, ok := m[col]; ok {
					if t.Supplied == nil {
						t.Supplied = make([]bool, len(sup))
					}
					t.Supplied[k] = true
				}
			}
		}
		for i, m := range rows {
			vals := make([]string, len(cols))
			for c, col := range cols {
				vals[c] = m[col]
			}
			row := ssda903.Row{Line: i + 2, Values: vals}
			if t.Supplied != nil {
				row.Supplied = make([]string, len(sup))
				for k, col := range sup {
					row.Supplied[k] = m[col]
				}
			}
			t.Rows = append(t.Rows, row)
		}
		r.Tables[name] = t
	}
	return r
}

// baseCurrent is a small, fully valid 2024/25 return: C1 a girl looked after
// since 2023 (OC2 cohort), C2 a boy in and out of care this year, C3 a care
// leaver (OC3), C4 a boy adopted this year.
const baseCurrent = `
== Header
CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,UASC
C1,F,01/06/2010,WBRI,A12345678901A,0,,0
C2,M,15/02/2008,BAFR,B12345678901B,,,0
C3,M,10/10/2006,AIND,C12345678901C,,,0
C4,M,01/01/2020,MWBC,UN1,,,0

== Episodes
CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN,PL_LA,PL_LOCATION,PL_DISTANCE
C1,01/01/2023,S,C2,N1,U4,PR1,01/09/2024,X1,CARPL,AB1 2CD,EF3 4GH,SC100001,E09000001,IN,5.0
C1,01/09/2024,P,C2,N1,U6,PR4,,,,AB1 2CD,IJ5 6KL,SC100004,E09000002,OUT,10.0
C2,10/05/2024,S,V2,N4,K2,PR4,20/12/2024,E4A,,MN7 8OP,QR9 1ST,1234567,E09000001,IN,3.2
C4,01/02/2022,S,E1,N1,U4,PR1,01/06/2024,X1,CARPL,UV2 3WX,YZ4 5AB,SC100002,E09000001,IN,1.4
C4,01/06/2024,P,E1,N1,A6,PR1,01/12/2024,E11,,UV2 3WX,CD6 7EF,SC100003,E09000001,IN,2.8

== UASC
CHILD,SEX,DOB,DUC

== Missing
CHILD,DOB,MISSING,MIS_START,MIS_END
C1,01/06/2010,M,01/10/2024,03/10/2024

== Reviews
CHILD,DOB,REVIEW,REVIEW_CODE
C1,01/06/2010,01/11/2024,PN1
C4,01/01/2020,01/07/2024,PN2

== OC2
CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED
C1,01/06/2010,12,,0,,1,1,1,0,,

== OC3
CHILD,DOB,IN_TOUCH,ACTIV,ACCOM
C3,10/10/2006,YES,F2,D1

== AD1
CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR
C4,01/01/2020,01/02/2022,01/05/2024,0,2,MF,L3

== PlacedAdoption
CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED
C4,01/01/2020,01/02/2022,,

== PrevPerm
CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM
C2,15/02/2008,Z1,,

== SWEpisodes
CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON
C1,01/06/2010,SW123456,01/04/2023,,FCONTA

== PlacedAdoption
CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED
C4,01/01/2020,01/02/2022,,

== DoLo
CHILD,DOB,DOLO_START,DOLO_END
C1,01/06/2010,01/10/2024,01/12/2024
`

// basePrevious is last year's (2023/24) return for the same council.
const basePrevious = `
== Header
CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
C1,2,01/06/2010,WBRI,A12345678901A,0,
C3,1,10/10/2006,AIND,C12345678901C,,
C4,1,01/01/2020,MWBC,UN1,,

== UASC
CHILD,SEX,DOB,DUC

== Episodes
CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
C1,01/01/2023,S,C2,N1,U4,PR1,,,,AB1 2CD,EF3 4GH,SC100001
C3,01/01/2022,S,C2,N1,U4,PR1,01/03/2024,E4B,,AB1 2CD,EF3 4GH,SC100001
C4,01/02/2022,S,E1,N1,U4,PR1,,,,UV2 3WX,YZ4 5AB,SC100002

== Missing
CHILD,DOB,MISSING,MIS_START,MIS_END

== OC3
CHILD,DOB,IN_TOUCH,ACTIV,ACCOM

== SWEpisodes
CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON
C1,01/06/2010,SW123456,01/04/2023,,FCONTA

== PlacedAdoption
CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED
C4,01/01/2020,01/02/2022,,
`

// Reference-data hooks for tests: a tiny postcode→council table and an
// Ofsted register with one children's home.
var testPostcodes = map[string]string{
	"AB1 2CD": "E09000001", "EF3 4GH": "E09000001", "IJ5 6KL": "E09000002", "MN7 8OP": "E09000001",
	"QR9 1ST": "E09000001", "UV2 3WX": "E09000001", "YZ4 5AB": "E09000001", "CD6 7EF": "E09000001",
	"FA1 1AR": "E09000001",
}

// testPlaces puts each test postcode on a plane, in miles.
var testPlaces = map[string][2]float64{
	"AB1 2CD": {0, 0}, "EF3 4GH": {5, 0}, "IJ5 6KL": {10, 0}, "MN7 8OP": {0, 5}, "QR9 1ST": {3, 4},
	"UV2 3WX": {1, 1}, "YZ4 5AB": {2, 2}, "CD6 7EF": {3, 3}, "FA1 1AR": {400, 0},
}

func testOptions() Options {
	return Options{
		PostcodeLA: func(pc string) (string, bool) { la, ok := testPostcodes[pc]; return la, ok },
		Provider: func(urn string) (ProviderInfo, bool) {
			home := ProviderInfo{PlaceCodes: []string{"K2"}, ProviderCodes: []string{"PR4", "PR5"}, Postcode: "QR9 1ST"}
			switch urn {
			case "1234567":
				return home, true
			case "SC100001", "SC100002", "SC100003", "SC100004":
				// fostering and adoption agencies (218 asks their URN)
				agency := ProviderInfo{PlaceCodes: []string{"U1", "U2", "U3", "U4", "U5", "U6", "A3", "A4", "A5", "A6"}, ProviderCodes: []string{"PR1"}}
				agency.Postcode = map[string]string{"SC100001": "EF3 4GH", "SC100002": "YZ4 5AB", "SC100003": "CD6 7EF", "SC100004": "IJ5 6KL"}[urn]
				if urn == "SC100004" {
					agency.ProviderCodes = []string{"PR4"}
				}
				return agency, true
			case "SC000003":
				home.Closed = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
				return home, true
			case "SC000004":
				// closed on the day C2's episode starts (227)
				home.Closed = time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)
				return home, true
			}
			return ProviderInfo{}, false
		},
		CouncilKnown: func(code string) bool { return strings.HasPrefix(code, "E0") || strings.HasPrefix(code, "E1") },
		Distance: func(home, placement string) (float64, bool) {
			a, ok1 := testPlaces[home]
			b, ok2 := testPlaces[placement]
			if !ok1 || !ok2 {
				return 0, false
			}
			return math.Round(math.Hypot(a[0]-b[0], a[1]-b[1])*10) / 10, true
		},
	}
}
