package store_test

import (
	"math/rand/v2"
	"testing"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/store"
)

// TestPlacementDistrictAsGeo checks PlacementDistrict reads a postcode as
// geo.ParsePostcode does: the same district, or "" where geo refuses it.
func TestPlacementDistrictAsGeo(t *testing.T) {
	inputs := []string{"", " ", "M14 5AB", "m14 5ab", "M145AB", "M14 5", "M145", "M14", "m14", "EC1A 1BB", "EC1A1BB", "W1A 0AX",
		"SW1A", "B1 1", "B11", "B111", "  M14   5AB  ", "M14 5A", "M14 5ABC", "M1 4 5AB", "14 5AB", "MM14 5AB", "M14A", "GIR 0AA",
		"M14-5AB", "M14 5AB\x00", "Ｍ14 5AB", "M14 ıAB", "ſW1A 1AA", "TS25 1", "TS251", "NP16 5", "BT1 1AA"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := "AMSW0159 abı-"
	for i := 0; i < 20000; i++ {
		n := r.IntN(9)
		b := make([]rune, n)
		for j := range b {
			b[j] = []rune(alphabet)[r.IntN(len([]rune(alphabet)))]
		}
		inputs = append(inputs, string(b))
	}
	for _, s := range inputs {
		want := ""
		if p, err := geo.ParsePostcode(s); err == nil {
			want = p.District
		}
		if got := store.PlacementDistrict(s); got != want {
			t.Errorf("PlacementDistrict(%q) = %q, geo says %q", s, got, want)
		}
	}
}

func TestSpanOf(t *testing.T) {
	d := care.Date
	eps := []care.Episode{
		{Start: d(2020, 5, 1), End: d(2021, 1, 1)},
		{Start: d(2019, 4, 2)},
		{Start: d(2022, 2, 1), End: d(2024, 3, 31)},
		{Start: d(2023, 1, 1), End: d(2020, 7, 1)}, // ends before it starts: still the first end
	}
	s := store.SpanOf(eps)
	if !s.FirstStart.Equal(d(2019, 4, 2)) || !s.LastEvent.Equal(d(2024, 3, 31)) || !s.FirstEnd.Equal(d(2020, 7, 1)) {
		t.Errorf("span %+v", s)
	}
	if j := s.Join(store.Span{}); j != s {
		t.Errorf("joined with nothing: %+v", j)
	}
	j := store.SpanOf(eps[:1]).Join(store.SpanOf(eps[1:2]))
	if !j.FirstStart.Equal(d(2019, 4, 2)) || !j.LastEvent.Equal(d(2021, 1, 1)) || !j.FirstEnd.Equal(d(2021, 1, 1)) {
		t.Errorf("joined %+v", j)
	}
}
