package synth

import (
	"context"
	"path/filepath"
	"sort"
	"testing"

	"sufficiency/refdata"
	"sufficiency/ssda903"
)

// TestPlacesShareOutWithinRegisteredPlaces: the councils' shares of a
// setting never add up to more than its registered places, and every
// council has places in children's homes to use.
func TestPlacesShareOutWithinRegisteredPlaces(t *testing.T) {
	q, err := placesFromRefdata()
	if err != nil {
		t.Fatal(err)
	}
	w := WorldFromRefdata()
	used := map[int32]int{}
	var ratios []float64
	for council, shares := range q {
		homes := 0
		for h, n := range shares {
			if n <= 0 {
				t.Errorf("%s: share %d of %s", council, n, w.Homes[h].URN)
			}
			if !capacityKind(w.Homes[h].Kind) {
				t.Errorf("%s: share of %s, a %s, whose places are not bounded", council, w.Homes[h].URN, w.Homes[h].Kind)
			}
			used[h] += n
			if w.Homes[h].Kind == "childrens_home" {
				homes += n
			}
		}
		in, err := CouncilFromRefdata(council, 2024, 2025)
		if err != nil {
			t.Fatal(err)
		}
		// A council with a few children in children's homes or more.
		if want := in.Targets[0].Stock * in.Mix[KindChildrensHome]; want >= 3 && float64(homes) < 0.8*want {
			t.Errorf("%s has %d places in children's homes for about %.0f children", council, homes, want)
		}
		if want := in.Targets[0].Stock * in.Mix[KindChildrensHome]; want > 0 {
			ratios = append(ratios, float64(homes)/want)
		}
	}
	sort.Float64s(ratios)
	t.Logf("places in children's homes per child in them at 31 March 2025, by council: lowest %.2f, median %.2f, highest %.2f",
		ratios[0], ratios[len(ratios)/2], ratios[len(ratios)-1])
	if len(q) != len(refdata.Councils()) {
		t.Errorf("shares for %d councils, want %d", len(q), len(refdata.Councils()))
	}
	for h, n := range used {
		if n > w.Homes[h].Places {
			t.Errorf("%s: %d places shared out of %d", w.Homes[h].URN, n, w.Homes[h].Places)
		}
	}
}

// TestHomesNeverOverfull generates neighbouring councils that use the same
// children's homes and reads the episodes back: on no day does a children's
// home, secure home or residential school hold more children than its
// registered places.
func TestHomesNeverOverfull(t *testing.T) {
	// Tyne and Wear: Newcastle, North Tyneside, South Tyneside, Sunderland, Gateshead.
	councils := []string{"E08000021", "E08000022", "E08000023", "E08000024", "E08000037"}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Generate(context.Background(), Config{Out: dir, Councils: councils, From: 2021, To: 2024, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, c := range councils {
		paths = append(paths, filepath.Join(dir, c))
	}
	returns, _, err := ssda903.Read(paths, ssda903.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := ssda903.Stitch(returns)
	type change struct {
		at    int64 // days
		delta int
	}
	stays := map[string][]change{}
	for _, e := range h.Episodes {
		if e.URN == "" || e.Placement.IsTemporary() {
			continue
		}
		p, ok := refdata.ProviderByURN(e.URN)
		if !ok || !capacityKind(p.Kind) {
			continue
		}
		stays[e.URN] = append(stays[e.URN], change{e.Start.Unix() / 86400, +1})
		if !e.End.IsZero() {
			stays[e.URN] = append(stays[e.URN], change{e.End.Unix() / 86400, -1})
		}
	}
	if len(stays) < 20 {
		t.Fatalf("only %d bounded settings used", len(stays))
	}
	full := 0
	for urn, cs := range stays {
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].at != cs[j].at {
				return cs[i].at < cs[j].at
			}
			return cs[i].delta < cs[j].delta // a child leaves before the next arrives
		})
		p, _ := refdata.ProviderByURN(urn)
		n, most := 0, 0
		for _, c := range cs {
			n += c.delta
			most = max(most, n)
		}
		if most > p.Places {
			t.Errorf("%s (%s) holds %d children on one day, in %d registered places", urn, p.Kind, most, p.Places)
		}
		if most == p.Places {
			full++
		}
	}
	t.Logf("%d bounded settings used, %d full on some day", len(stays), full)
}
