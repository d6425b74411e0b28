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
