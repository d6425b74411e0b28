package forecast

import (
	"fmt"
	"strings"
	"testing"
)

// Every horizon of a scored origin that could not be scored is listed with
// its reason (issue 17: backtest omitted 2016 and 2018 at 2 years silently).
func TestBacktestListsUnscoredHorizons(t *testing.T) {
	p := mustPublished(t)
	res, err := Backtest(p, nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	scored := map[[2]int]bool{}
	for _, s := range res.Scores {
		if s.Origin != 0 {
			scored[[2]int{s.Origin, s.Horizon}] = true
		}
	}
	for _, o := range res.Origins {
		for _, h := range res.Horizons {
			if scored[[2]int{o, h}] {
				continue
			}
			prefix := fmt.Sprintf("%d at %d year(s): ", o, h)
			found := false
			for _, s := range res.Skipped {
				found = found || strings.HasPrefix(s, prefix)
			}
			if !found {
				t.Errorf("origin %d horizon %d not scored and not explained; skipped: %q", o, h, res.Skipped)
			}
		}
	}
	if len(res.Skipped) == 0 {
		t.Fatal("the series has a gap year (no 2018 outcome), so some horizons cannot be scored; none listed")
	}
}
