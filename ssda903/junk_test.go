package ssda903

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/care"
)

const episodesHeader = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"

func writeEpisodes(t *testing.T, rows func(b *strings.Builder)) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(episodesHeader)
	rows(&b)
	dir := filepath.Join(t.TempDir(), "2025")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "episodes.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Issue 15 item 6: a file that is mostly junk under an SSDA903 header is
// refused once junkGuardRows of its rows are far from the header's width,
// instead of being kept row by row (200 MB of junk used gigabytes).
func TestJunkUnderAHeaderIsRefusedEarly(t *testing.T) {
	const lines = 50 * junkGuardRows
	p := writeEpisodes(t, func(b *strings.Builder) {
		for i := 0; i < lines; i++ {
			fmt.Fprintf(b, "hlkUvNGBeu3Y:V4;IedU7OW2/vwE %d,Ddw Pwr\n", i)
		}
	})
	_, _, err := Read([]string{p}, ReadOptions{Council: "E08000003"})
	if care.ErrorCode(err) != care.EUNUSABLE || !strings.Contains(care.ErrorMessage(err), fmt.Sprintf("%d of the first %d rows do not have the header's 13 columns", junkGuardRows, junkGuardRows)) {
		t.Fatalf("junk: %v", err)
	}
	// Too many values is junk too.
	p = writeEpisodes(t, func(b *strings.Builder) {
		for i := 0; i < 2*junkGuardRows; i++ {
			fmt.Fprintf(b, "%d%s\n", i, strings.Repeat(",x", 20))
		}
	})
	if _, _, err := Read([]string{p}, ReadOptions{Council: "E08000003"}); care.ErrorCode(err) != care.EUNUSABLE {
		t.Fatalf("too many values: %v", err)
	}
}

// A real table with some broken rows, or whose rows leave off trailing
// blank values, is still read: below, on and above the guard.
func TestJunkGuardSparesRealTables(t *testing.T) {
	good := "%d,01/05/2024,S,C2,N1,U4,PR1,,,,M14 5AA,M20 2BB,\n"
	short := "%d,01/05/2024,S,C2,N1,U4,PR1\n" // trailing blanks left off: 7 of 13 values
	for _, tc := range []struct {
		name       string
		good, junk int
		ok         bool
	}{
		{"few junk rows", 3000, junkGuardRows - 1, true},
		{"junk on the guard but not most rows", junkGuardRows + 1, junkGuardRows, true},
		{"junk most rows", junkGuardRows - 1, junkGuardRows, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeEpisodes(t, func(b *strings.Builder) {
				for i := 0; i < tc.good; i++ {
					if i%2 == 0 {
						fmt.Fprintf(b, good, i)
					} else {
						fmt.Fprintf(b, short, i)
					}
				}
				for i := 0; i < tc.junk; i++ {
					fmt.Fprintf(b, "junk line %d\n", i)
				}
			})
			rs, _, err := Read([]string{p}, ReadOptions{Council: "E08000003"})
			if tc.ok {
				if err != nil || len(rs) != 1 || len(rs[0].Tables[Episodes].Rows) != tc.good+tc.junk {
					t.Fatalf("read: %v, %d returns", err, len(rs))
				}
			} else if care.ErrorCode(err) != care.EUNUSABLE {
				t.Fatalf("junk most rows: %v", err)
			}
		})
	}
}

// Issue 15 item 6: rows that are well formed but far more than one
// council-year's table can hold are counted, not kept, beyond
// ReadOptions.MaxRows, so memory is bounded by the rows kept however large
// the file; one READ-TOO-MANY-ROWS error says how many were left out.
func TestRowsBeyondMaxRowsAreCountedNotKept(t *testing.T) {
	const max = 100
	for _, tc := range []struct{ rows, kept, over int }{
		{max - 1, max - 1, 0}, // below
		{max, max, 0},         // on
		{max + 1, max, 1},     // above
		{40 * max, max, 39 * max},
	} {
		p := writeEpisodes(t, func(b *strings.Builder) {
			for i := 0; i < tc.rows; i++ {
				fmt.Fprintf(b, "%d,01/05/2024,S,C2,N1,U4,PR1,,,,M14 5AA,M20 2BB,\n", 100000+i)
			}
		})
		returns, findings, err := Read([]string{p}, ReadOptions{Council: "E08000003", MaxRows: max})
		if err != nil || len(returns) != 1 {
			t.Fatalf("%d rows: %v", tc.rows, err)
		}
		if got := len(returns[0].Tables[Episodes].Rows); got != tc.kept {
			t.Errorf("%d rows: %d kept, want %d", tc.rows, got, tc.kept)
		}
		var over []Finding
		for _, f := range findings {
			if f.RuleCode == "READ-TOO-MANY-ROWS" {
				over = append(over, f)
			}
		}
		if tc.over == 0 {
			if len(over) != 0 {
				t.Errorf("%d rows: %v", tc.rows, over)
			}
			continue
		}
		if len(over) != 1 {
			t.Fatalf("%d rows: %d READ-TOO-MANY-ROWS findings, want 1", tc.rows, len(over))
		}
		f := over[0]
		if f.Severity != SeverityError || f.Line != max+2 || f.Value != fmt.Sprint(tc.rows) || f.Table != Episodes ||
			!strings.Contains(f.Message, thousands(tc.over)+" from this line on were counted") {
			t.Errorf("%d rows: %+v", tc.rows, f)
		}
	}
}

// The limit holds on the parallel reader's path too (a file large enough to
// be read on all cores), and ReadFile applies it; a negative MaxRows keeps
// every row.
func TestMaxRowsOnLargeFiles(t *testing.T) {
	const rows = 100_000 // over 4 MB: read in parallel when every row is kept
	p := writeEpisodes(t, func(b *strings.Builder) {
		for i := 0; i < rows; i++ {
			fmt.Fprintf(b, "%d,01/05/2024,S,C2,N1,U4,PR1,,,,M14 5AA,M20 2BB,\n", 100000+i)
		}
	})
	for _, tc := range []struct{ max, kept int }{{1000, 1000}, {rows - 1, rows - 1}, {-1, rows}, {0, min(rows, DefaultMaxRows)}} {
		tables, findings, err := ReadFile(p, ReadOptions{MaxRows: tc.max})
		if err != nil || len(tables) != 1 {
			t.Fatal(err)
		}
		if got := len(tables[0].Rows); got != tc.kept {
			t.Errorf("MaxRows %d: %d kept, want %d", tc.max, got, tc.kept)
		}
		if tables[0].Rows[len(tables[0].Rows)-1].Line != tc.kept+1 {
			t.Errorf("MaxRows %d: last row kept is line %d", tc.max, tables[0].Rows[len(tables[0].Rows)-1].Line)
		}
		n := 0
		for _, f := range findings {
			if f.RuleCode == "READ-TOO-MANY-ROWS" {
				n++
			}
		}
		if want := map[bool]int{true: 1, false: 0}[tc.kept < rows]; n != want {
			t.Errorf("MaxRows %d: %d READ-TOO-MANY-ROWS, want %d", tc.max, n, want)
		}
	}
}
