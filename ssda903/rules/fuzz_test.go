package rules

import (
	"strings"
	"testing"

	"sufficiency/ssda903"
)

// FuzzCheck feeds arbitrary cells to every rule: whatever the values, rows
// and dates, validation must not panic and must point every finding at a row.
func FuzzCheck(f *testing.F) {
	f.Add("C1,01/01/2023,S,C2,N1,U4,PR1,01/09/2024,X1,CARPL,AB1 2CD,EF3 4GH,", "C1,F,01/06/2010,WBRI,A12345678901A,0,", "C1,01/06/2010,M,01/10/2024,", 2025)
	f.Add("C1,31/02/2024,,,,T0,PR0,,E2,,,,SC1\nC1,2024-13-01,P,V3,N9,K3,,01/01/2024,X1,,,,", "C1,1,,XXXX,,1,01/01/2000", ",,,,", 2026)
	f.Add("X,01/04/2024,S,J1,N1,R5,PR4,,,,,,\nX,01/04/2024,S,J1,N1,R5,PR4,,,,,,", "X,U,29/02/2020,REFU,UN4,,", "X,,A,,", 2020)
	f.Fuzz(func(t *testing.T, episodes, header, missing string, year int) {
		if year < 1990 || year > 2100 {
			year = 2025
		}
		build := func(name ssda903.TableName, text string) *ssda903.Table {
			t := &ssda903.Table{Name: name, File: string(name) + ".csv"}
			for i, line := range strings.Split(text, "\n") {
				t.Rows = append(t.Rows, ssda903.Row{Line: i + 2, Values: strings.Split(line, ",")})
			}
			return t
		}
		ret := &ssda903.Return{Council: "E09000001", Year: year, Tables: map[ssda903.TableName]*ssda903.Table{
			ssda903.Episodes: build(ssda903.Episodes, episodes),
			ssda903.Header:   build(ssda903.Header, header),
			ssda903.Missing:  build(ssda903.Missing, missing),
		}}
		prev := &ssda903.Return{Council: "E09000001", Year: year - 1, Tables: map[ssda903.TableName]*ssda903.Table{
			ssda903.Episodes: build(ssda903.Episodes, episodes),
		}}
		rep := Check(ret, prev, testOptions())
		for _, fd := range rep.Findings {
			if fd.Line < 2 || fd.RuleCode == "" || fd.Message == "" {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}
