package chart

import (
	"regexp"
	"strings"
	"testing"
)

// TestMapTiesKeepTheirOrder: dots of one size and councils of one size
// keep the order they are given in (the sorts are stable: larger first,
// ties as given), so a map is drawn the same way every time and the first
// of two equal councils gets the first place for its name (above it).
func TestMapTiesKeepTheirOrder(t *testing.T) {
	m := Map{ID: "m", Title: "Region", Width: 400, Height: 300,
		Areas: []Point{{X: 0, Y: 0, Size: 50, Label: "First"}, {X: 0, Y: 0, Size: 50, Label: "Second"}, {X: 1000, Y: 1000, Size: 50, Label: "Far"}},
		Dots:  []Point{{X: 10, Y: 10, Size: 3, Label: "dotA"}, {X: 10, Y: 10, Size: 3, Label: "dotB"}},
	}
	s := m.SVG()
	wellFormed(t, s)
	if i, j := strings.Index(s, "<title>dotA"), strings.Index(s, "<title>dotB"); i < 0 || j < 0 || i > j {
		t.Errorf("equal dots drawn dotA at %d, dotB at %d; want the order given", i, j)
	}
	if i, j := strings.Index(s, ">First</text>"), strings.Index(s, ">Second</text>"); i < 0 || j < 0 || i > j {
		t.Errorf("equal councils named First at %d, Second at %d; want the order given", i, j)
	}
}

// TestMapPlaceNamesAtTheEdges pins where the name of a place outside the
// Areas is written at the end of its flow: centred on the end unless that
// would cross the map's 2-pixel margin, then written inwards from the end
// (right-aligned near the right edge, left-aligned near the left). Names of
// six letters are 42 pixels wide (7 a letter), half of it 21; the map is
// 400 wide, so a centred name fits up to an end at x = 377 (377 + 21 = 398
// = 400 − 2) and down to x = 23 (23 − 21 = 2).
func TestMapPlaceNamesAtTheEdges(t *testing.T) {
	// Areas at (0, 0) and (1000, 1000) on a 400 × 300 map: scale 0.2, so a
	// position X is at pixel 100 + 0.2X and Y at 250 − 0.2Y.
	m := Map{ID: "m", Title: "Region", Width: 400, Height: 300,
		Areas: []Point{{X: 0, Y: 0, Size: 10, Label: "A"}, {X: 1000, Y: 1000, Size: 10, Label: "B"}},
		Flows: []Flow{
			{FromX: 0, FromY: 0, ToX: 1385, ToY: 500, Weight: 1, To: "OnEdge"},   // x 377: fits, centred
			{FromX: 0, FromY: 0, ToX: 1390, ToY: 750, Weight: 1, To: "OverRt"},   // x 378: 399 > 398, right-aligned
			{FromX: 0, FromY: 0, ToX: -385, ToY: 250, Weight: 1, To: "OnLeft"},   // x 23: fits, centred
			{FromX: 0, FromY: 0, ToX: -390, ToY: 150, Weight: 1, To: "OverLt"},   // x 22: 1 < 2, left-aligned
			{FromX: 0, FromY: 0, ToX: 500000, ToY: 600, Weight: 1, To: "AtEdge"}, // leaves the map: ends at x 392, right-aligned
			{FromX: 0, FromY: 0, ToX: 1000, ToY: 100, Weight: 1, To: "Inside"},   // x 300, y 230, far from both edges: centred
		}}
	s := m.SVG()
	wellFormed(t, s)
	for name, want := range map[string]string{"OnEdge": "middle", "OverRt": "end", "OnLeft": "middle", "OverLt": "start", "AtEdge": "end", "Inside": "middle"} {
		got := regexpFind(s, `text-anchor="(\w+)" fill="#0b0c0c" font-size="12"[^>]*>`+name+`</text>`)
		if got != want {
			t.Errorf("%s: anchor %q; want %q", name, got, want)
		}
	}
}

// regexpFind is the first group of pattern's first match in s ("" if none).
func regexpFind(s, pattern string) string {
	if m := regexp.MustCompile(pattern).FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}
