package match

import (
	"bytes"
	"strings"
	"testing"
)

func TestAllocationTextNamesUnits(t *testing.T) {
	for _, tc := range []struct {
		o    Objective
		want string
	}{
		{ObjectivePolicy, "Objective total 3,603.0 penalty points; total distance 1,234.5 miles; weekly cost £12,345.67"},
		{ObjectiveDistance, "Objective total 3,603.0 miles; total distance 1,234.5 miles; weekly cost £12,345.67"},
	} {
		var b bytes.Buffer
		a := Allocation{Objective: tc.o, TotalCost: 3602.976, TotalMiles: 1234.49, WeeklyCost: 1234567}
		if err := a.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("%s: got %q, want it to contain %q", tc.o, b.String(), tc.want)
		}
	}
}
