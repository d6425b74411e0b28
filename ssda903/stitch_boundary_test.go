package ssda903

import (
	"reflect"
	"testing"
)

// TestStitchReentryBoundaries pins the stitch rule open-closed-before-reentry
// (LIIA episode fix RULE_1A, StitchRules): an episode left open in an earlier
// return, where the next episode (from a later return) starts a new period of
// care (RNE S), is ended THE DAY BEFORE the re-entry or on 31 March of its own
// return's year, whichever is earlier, with REC E99. The child cannot be in
// two periods of care on the re-entry day, and the earlier return cannot say
// anything after its own 31 March. Each case sits on, below or above the
// point where the two limits cross (re-entry on 1 April: the day before is
// 31 March).
func TestStitchReentryBoundaries(t *testing.T) {
	for _, tc := range []struct {
		reentry, wantEnd string
	}{
		{"15/03/2024", "2024-03-14"}, // well inside the earlier year: the day before
		{"31/03/2024", "2024-03-30"}, // on the year end: the day before
		{"01/04/2024", "2024-03-31"}, // the day after the year end: both limits agree
		{"02/04/2024", "2024-03-31"}, // after it: the year end
		{"29/02/2024", "2024-02-28"}, // leap day
		{"01/03/2024", "2024-02-29"}, // the day before is 29 February
		{"02/05/2023", "2023-05-01"}, // the day after the open episode began: closed on its start
	} {
		h, rep := Stitch([]*Return{
			ret(t, "E1", 2024, eps("1,01/05/2023,S,U4,,")),
			ret(t, "E1", 2025, eps("1,"+tc.reentry+",S,K2,,")),
		})
		want := []got{{"1", "2023-05-01", tc.wantEnd, ReasonUnknownExit, "open-closed-before-reentry"}}
		if g := summary(h); len(g) != 2 || !reflect.DeepEqual(g[:1], want) {
			t.Errorf("re-entry %s: episodes %v, want first %v", tc.reentry, g, want)
		}
		if rep.Applied["open-closed-before-reentry"] != 1 {
			t.Errorf("re-entry %s: rules applied %v", tc.reentry, rep.Applied)
		}
		checkHistory(t, h)
	}
}

// TestStitchOpenClosedByNextBoundary pins RULE_1 beside RULE_1A: when the
// next episode does not start a new period of care (RNE P, T, L, U, B) the
// open episode ends ON its start with X1 (care continues), not the day
// before.
func TestStitchOpenClosedByNextBoundary(t *testing.T) {
	for _, rne := range []string{"P", "T", "L", "U", "B"} {
		h, _ := Stitch([]*Return{
			ret(t, "E1", 2024, eps("1,01/05/2023,S,U4,,")),
			ret(t, "E1", 2025, eps("1,15/03/2024,"+rne+",K2,,")),
		})
		want := got{"1", "2023-05-01", "2024-03-15", "X1", "open-closed-by-next"}
		if g := summary(h); len(g) != 2 || g[0] != want {
			t.Errorf("RNE %s: episodes %v, want first %v", rne, g, want)
		}
	}
}

// TestStitchYearEndBoundary pins RULE_2: an open episode of an earlier
// return with nothing after it is ended on 31 March of that return's year
// (2023/24 return: 31 March 2024, a leap year), never before its own start.
func TestStitchYearEndBoundary(t *testing.T) {
	for _, tc := range []struct {
		start, wantEnd string
	}{
		{"01/05/2023", "2024-03-31"},
		{"31/03/2024", "2024-03-31"}, // started on the year end: a one-day episode
		{"29/02/2024", "2024-03-31"},
	} {
		h, _ := Stitch([]*Return{
			ret(t, "E1", 2024, eps("1,"+tc.start+",S,U4,,", "2,01/05/2023,S,U4,,")),
			ret(t, "E1", 2025, eps("2,01/05/2023,S,U4,,")),
		})
		g := summary(h)
		if len(g) != 2 || g[0].end != tc.wantEnd || g[0].rec != ReasonUnknownExit || g[0].fixes != "open-closed-at-year-end" {
			t.Errorf("open from %s: %v, want end %s", tc.start, g, tc.wantEnd)
		}
	}
}

// TestStitchWithinReturnReentryBoundary pins the within-return rule: an open
// episode followed in the same return by a new period of care (RNE S) ends
// the day before it with E99; followed by anything else, on its start with
// X1.
func TestStitchWithinReturnReentryBoundary(t *testing.T) {
	for _, tc := range []struct {
		next    string
		wantEnd string
		wantRec string
	}{
		{"1,01/03/2025,S,K2,,", "2025-02-28", ReasonUnknownExit},
		{"1,01/03/2024,S,K2,,", "2024-02-29", ReasonUnknownExit},
		{"1,02/05/2023,S,K2,,", "2023-05-01", ReasonUnknownExit},
		{"1,01/03/2025,P,K2,,", "2025-03-01", "X1"},
	} {
		h, _ := Stitch([]*Return{ret(t, "E1", 2025, eps("1,01/05/2023,S,U4,,", tc.next))})
		g := summary(h)
		if len(g) != 2 || g[0].end != tc.wantEnd || g[0].rec != tc.wantRec || g[0].fixes != "open-closed-within-return" {
			t.Errorf("next %s: %v, want end %s %s", tc.next, g, tc.wantEnd, tc.wantRec)
		}
	}
}
