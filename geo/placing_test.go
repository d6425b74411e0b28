package geo

import (
	"slices"
	"strings"
	"testing"
)

// TestDistrictsPlacingIn checks every postcode CouncilOf places in the
// councils (each sector and district of the index, and a sector unknown to
// it) lies in a district DistrictsPlacingIn returns, and that it returns
// no district where nothing is placed in them.
func TestDistrictsPlacingIn(t *testing.T) {
	ix := compact()
	for _, councils := range [][]string{{"E08000003"}, {"E06000001", "E06000002"}, {"E06000057"}, {"E09000033"}} {
		got := DistrictsPlacingIn(councils)
		if len(got) == 0 || !slices.IsSorted(got) {
			t.Fatalf("%v: %v", councils, got)
		}
		placed := map[string]bool{}
		check := func(code string) {
			pc, err := ParsePostcode(code)
			if err != nil {
				return
			}
			if c, ok := CouncilOf(pc); ok && slices.Contains(councils, c) {
				placed[pc.District] = true
				if _, found := slices.BinarySearch(got, pc.District); !found {
					t.Errorf("%v: %s is placed in %s but district %s is not returned", councils, code, c, pc.District)
				}
			}
		}
		for i := 0; i+sectRec <= len(ix.sectors); i += sectRec {
			check(codeOf(ix.sectors[i : i+sectKey]))
		}
		for i := 0; i+distRec <= len(ix.districts); i += distRec {
			d := codeOf(ix.districts[i : i+distKey])
			check(d)
			check(d + " 9ZZ") // a unit of a sector the index may not hold
		}
		for _, d := range got {
			if !placed[d] {
				t.Errorf("%v: district %s returned but nothing in it is placed there", councils, d)
			}
		}
		if strings.Join(got, ",") != strings.Join(DistrictsPlacingIn(append([]string{"X99"}, councils...)), ",") {
			t.Errorf("%v: an unknown council changed the answer", councils)
		}
	}
}
