package rules

import (
	"fmt"
	"testing"

	"sufficiency/ssda903"
)

// Issue 15 item 6: findings are listed up to MaxPerRule per rule and
// counted beyond it, so memory is bounded by what is kept, however many
// rows are wrong; the counts stay exact.
func TestFindingsCappedPerRuleWithCountOfTheRest(t *testing.T) {
	const bad = 25
	build := func() *ssda903.Return {
		cur := parseFixture(2025, baseCurrent)
		for _, r := range cur.tabs[ssda903.Episodes] {
			r["DECOM"] = "xx/yy/zzzz" // rule 141 on every row
		}
		for i, n := 0, bad-len(cur.tabs[ssda903.Episodes]); i < n; i++ {
			cur.add(ssda903.Episodes, "CHILD="+fmt.Sprint(900000+i), "DECOM=xx/yy/zzzz")
		}
		return cur.build()
	}
	count141 := func(rep Report) (listed, more int, summaryLast bool) {
		for i, f := range rep.Findings {
			if f.RuleCode != "141" {
				continue
			}
			if f.More > 0 {
				more += f.More
				summaryLast = i+1 == len(rep.Findings) || rep.Findings[i+1].RuleCode != "141"
			} else {
				listed++
			}
		}
		return
	}
	for _, tc := range []struct {
		max          int
		listed, more int
	}{
		{4, 4, bad - 4},   // below the number of bad rows: capped
		{bad, bad, 0},     // on it: all listed, no summary
		{bad + 1, bad, 0}, // above
		{-1, bad, 0},      // no cap
	} {
		opt := testOptions()
		opt.MaxPerRule = tc.max
		rep := Check(build(), nil, opt)
		listed, more, last := count141(rep)
		if listed != tc.listed || more != tc.more || (more > 0 && !last) {
			t.Errorf("MaxPerRule %d: %d listed, %d more (summary last %v); want %d, %d", tc.max, listed, more, last, tc.listed, tc.more)
		}
		total := 0
		for _, f := range rep.Findings {
			if f.RuleCode == "141" {
				total += f.Count()
			}
		}
		if total != bad {
			t.Errorf("MaxPerRule %d: rule 141 counts %d, want %d", tc.max, total, bad)
		}
	}
	// The default keeps DefaultMaxPerRule.
	if DefaultMaxPerRule < 10 || DefaultMaxPerRule > 1000 {
		t.Errorf("DefaultMaxPerRule %d", DefaultMaxPerRule)
	}
}
