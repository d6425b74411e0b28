package analysis

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"sufficiency/care"
)

// concatByCouncilMap is concatByCouncil as it was written before it grouped
// runs: every episode appended to its council's list in a map, then the
// councils in code order. The reference the faster one must equal.
func concatByCouncilMap(lists ...[]care.Episode) []care.Episode {
	byCouncil := map[string][]care.Episode{}
	for _, l := range lists {
		for _, e := range l {
			byCouncil[e.Council] = append(byCouncil[e.Council], e)
		}
	}
	codes := make([]string, 0, len(byCouncil))
	n := 0
	for c, es := range byCouncil {
		codes = append(codes, c)
		n += len(es)
	}
	sort.Strings(codes)
	out := make([]care.Episode, 0, n)
	for _, c := range codes {
		out = append(out, byCouncil[c]...)
	}
	return out
}

// TestConcatByCouncilMatchesMap: on random lists — ordered by council as
// the store returns them, or not; councils shared between lists or not;
// empty lists — the episodes come out in the same order as the map-based
// reference.
func TestConcatByCouncilMatchesMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	councils := []string{"E06000001", "E06000002", "E08000003", "E09000001", "X1", "e1"}
	seq := 0
	list := func(n int, sorted bool) []care.Episode {
		var l []care.Episode
		for range n {
			seq++
			l = append(l, care.Episode{Council: councils[r.IntN(len(councils))], ChildID: string(rune('a' + seq%26)), URN: string(rune(seq))})
		}
		if sorted {
			sort.SliceStable(l, func(i, j int) bool { return l[i].Council < l[j].Council })
		}
		return l
	}
	for i := range 500 {
		var lists [][]care.Episode
		for range r.IntN(4) {
			lists = append(lists, list(r.IntN(12), r.IntN(3) > 0))
		}
		want := concatByCouncilMap(lists...)
		got := concatByCouncil(lists...)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: %d lists\n got %v\nwant %v", i, len(lists), got, want)
		}
	}
}
