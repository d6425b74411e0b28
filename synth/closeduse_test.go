package synth

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/ssda903"
	"sufficiency/ssda903/rules"
	"sufficiency/supply"
)

// TestClosedHomesUsedWhileOpen: the generator places children in the homes
// that closed (closedHomes) only while they were open: every episode at a
// SYN URN starts on or after the home's registration and ends by its close
// date (an episode open at 31 March needs the home open after it), children
// move on, REASON_PLACE_CHANGE CLOSE, on the day their home closes, and the
// supply's closed.csv lists exactly the closed homes the episodes name, so
// that validating with a provider list of the register and closed.csv finds
// no unknown URN (1008) and no episode past a close date (228).
func TestClosedHomesUsedWhileOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	councils := []string{"E06000001", "E08000021"}
	if _, err := Generate(context.Background(), Config{Out: dir, Councils: councils, From: 2015, To: 2025, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	set, err := supply.ReadDir(filepath.Join(dir, "supply"))
	if err != nil {
		t.Fatal(err)
	}
	closed := map[string]care.Provision{}
	for _, p := range set.Closed {
		if !IsSyntheticURN(p.ID) || p.Closed.IsZero() || p.Kind != care.KindChildrensHome {
			t.Errorf("closed.csv row %+v", p)
		}
		closed[p.ID] = p
	}
	named := map[string]bool{}
	var atClosed, onClose int
	for _, c := range councils {
		for y := 2015; y <= 2025; y++ {
			f, err := os.Open(filepath.Join(dir, c, strconv.Itoa(y), "episodes.csv"))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			march := care.Date(y, 3, 31)
			for _, r := range rows[1:] {
				urn := r[col["URN"]]
				if !IsSyntheticURN(urn) {
					continue
				}
				atClosed++
				named[urn] = true
				h, ok := closed[urn]
				if !ok {
					t.Errorf("%s %d: URN %s is not in closed.csv", c, y, urn)
					continue
				}
				start, _ := time.Parse("02/01/2006", r[col["DECOM"]])
				if !h.Registered.IsZero() && start.Before(h.Registered) {
					t.Errorf("%s %d: child %s placed at %s on %s, before it was registered (%s)", c, y, r[col["CHILD"]], urn, r[col["DECOM"]], h.Registered.Format("02/01/2006"))
				}
				end := march
				if s := r[col["DEC"]]; s != "" {
					end, _ = time.Parse("02/01/2006", s)
				} else if !end.Before(h.Closed) {
					t.Errorf("%s %d: child %s still at %s on 31 March, after it closed on %s", c, y, r[col["CHILD"]], urn, h.Closed.Format("02/01/2006"))
				}
				if end.After(h.Closed) {
					t.Errorf("%s %d: child %s at %s until %s, after it closed on %s", c, y, r[col["CHILD"]], urn, end.Format("02/01/2006"), h.Closed.Format("02/01/2006"))
				}
				if end.Equal(h.Closed) && r[col["REASON_PLACE_CHANGE"]] == "CLOSE" {
					onClose++
				}
			}
		}
	}
	if atClosed == 0 || onClose == 0 {
		t.Fatalf("%d episodes at homes that closed, %d moves on the day a home closed: the closed homes are not used", atClosed, onClose)
	}
	if len(named) != len(closed) {
		t.Errorf("closed.csv lists %d homes, the episodes name %d", len(closed), len(named))
	}
	t.Logf("%d episodes at %d homes that closed, %d moved on (CLOSE) the day their home closed", atClosed, len(named), onClose)

	known := map[string]rules.ProviderInfo{}
	for _, p := range refdata.Providers() {
		known[p.URN] = rules.ProviderInfo{}
	}
	for _, p := range set.Closed {
		known[p.ID] = rules.ProviderInfo{Closed: p.Closed}
	}
	opt := rules.Options{CouncilKnown: func(string) bool { return true }, Provider: func(urn string) (rules.ProviderInfo, bool) {
		p, ok := known[urn]
		return p, ok
	}}
	for _, c := range councils {
		returns, _, err := ssda903.Read([]string{filepath.Join(dir, c)}, ssda903.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		byYear := map[int]*ssda903.Return{}
		for _, r := range returns {
			byYear[r.Year] = r
		}
		for _, r := range returns {
			for _, f := range rules.Validate(r, byYear[r.Year-1], opt) {
				if f.RuleCode == "1008" || f.RuleCode == "228" {
					t.Errorf("%s %d: %s child %s: %s", c, r.Year, f.RuleCode, f.Child, f.Message)
				}
			}
		}
	}
}
