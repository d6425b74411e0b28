package synth

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"sufficiency/refdata"
)

// homesSample is every third English council in code order (51 councils in
// every region, about a third of England's children in care). A council's
// output is the same generated alone or with the rest of England (its share
// of places is England's, see placesFromRefdata), so the sample is a third
// of the all-England run.
func homesSample() []string {
	var out []string
	for i, c := range refdata.Councils() {
		if i%3 == 0 {
			out = append(out, c.Code)
		}
	}
	return out
}

// TestChildrensHomesShareFollowsPublished generates the sample over the
// generator's default years (2015–2025), with the children's homes that
// closed since (closedHomes) open to its councils while they were open, and
// compares, each year the DfE published the councils' placement mix
// (2021–2025), the share of their children at 31 March in secure and
// children's homes with the published share of the same councils
// (refdata.PlacementMix: 8.6, 8.9, 9.2, 10.1 and 11.1%).
//
// The tolerance comes from the published series itself: its mean change a
// year over 2021–2025 (0.625 points on the sample: (11.1 − 8.6) / 4). Each
// year must be within one year's change, and the five years on average
// within half of it (0.31 points), so that the generated share follows the
// rise rather than lagging it by a year. The same sample moves by up to
// 0.5 points between seeds in a year. The generator before the closed homes
// were used (8.3/9.0/9.8/10.6/10.7%: 0.38 points off on average) and the
// closed homes with the mix feedback of then (7.5/7.6/8.4/9.2/10.0%) fail;
// docs/DATA.md has the table.
func TestChildrensHomesShareFollowsPublished(t *testing.T) {
	councils := homesSample()
	sum, err := Generate(context.Background(), Config{Out: filepath.Join(t.TempDir(), "out"), Councils: councils, From: 2015, To: 2025, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	gen, stock := map[int]int{}, map[int]int{}
	for _, c := range sum.Councils {
		for _, y := range c.Years {
			gen[y.Year] += y.Mix[KindChildrensHome] + y.Mix[KindSecure]
			stock[y.Year] += y.Stock
		}
	}
	const first, last = 2021, 2025
	var got, want []float64
	for y := first; y <= last; y++ {
		var homes, total float64
		for _, code := range councils {
			pc, ok := refdata.PlacementMix(code, y)
			if !ok || !pc.SecureAndChildrensHomes.Known || !pc.Total.Known {
				continue
			}
			homes += pc.SecureAndChildrensHomes.Value
			total += pc.Total.Value
		}
		if total == 0 || stock[y] == 0 {
			t.Fatalf("%d: no published or generated children", y)
		}
		want = append(want, 100*homes/total)
		got = append(got, 100*float64(gen[y])/float64(stock[y]))
	}
	yearly := (want[len(want)-1] - want[0]) / float64(len(want)-1)
	if yearly <= 0 {
		t.Fatalf("the published share did not rise over %d–%d (%.2f points a year): the tolerance needs another basis", first, last, yearly)
	}
	var off float64
	for i := range got {
		y := first + i
		d := math.Abs(got[i] - want[i])
		off += d / float64(len(got))
		t.Logf("31 March %d: %d children, %.2f%% in secure and children's homes, published %.2f%% (%+.2f)", y, stock[y], got[i], want[i], got[i]-want[i])
		if d > yearly {
			t.Errorf("31 March %d: %.2f%% in secure and children's homes, published %.2f%%: more than a year's published change (%.2f points) apart", y, got[i], want[i], yearly)
		}
	}
	t.Logf("mean gap %.2f points; tolerance %.2f a year, %.2f on average", off, yearly, yearly/2)
	if off > yearly/2 {
		t.Errorf("%d–%d: %.2f points off on average, more than half a year's published change (%.2f points)", first, last, off, yearly/2)
	}
}

// TestMixTarget: the target mix of a year follows the published share in
// secure and children's homes of that year, holds the last published share
// after it, keeps the 2021–2023 mix before the first, and always sums to 1.
func TestMixTarget(t *testing.T) {
	in := &CouncilInput{HomesShare: map[int]float64{2021: 0.10, 2022: 0.12, 2025: 0.15}}
	in.Mix[KindFosterInHouse] = 0.6
	in.Mix[KindChildrensHome] = 0.099
	in.Mix[KindSecure] = 0.001
	in.Mix[KindParents] = 0.3
	s := &sim{in: in}
	for _, c := range []struct {
		year  int
		homes float64
	}{
		{2020, 0.10}, // before the first published year: the mix as it is
		{2021, 0.10}, // published
		{2022, 0.12}, // published
		{2023, 0.10}, // a gap: the mix as it is
		{2025, 0.15}, // the last published
		{2026, 0.15}, // after it: held
		{2030, 0.15},
	} {
		m := s.mixTarget(c.year)
		var total float64
		for _, v := range m {
			total += v
		}
		if got := m[KindChildrensHome] + m[KindSecure]; math.Abs(got-c.homes) > 1e-12 || math.Abs(total-1) > 1e-12 {
			t.Errorf("%d: homes %.4f (want %.4f), total %.6f", c.year, got, c.homes, total)
		}
		if r := m[KindFosterInHouse] / m[KindParents]; math.Abs(r-2) > 1e-12 {
			t.Errorf("%d: the other kinds lost their proportions (in-house/parents %.3f, want 2)", c.year, r)
		}
	}
	// Without published shares the mix is kept.
	s.in = &CouncilInput{Mix: in.Mix}
	if m := s.mixTarget(2025); m != in.Mix {
		t.Errorf("no published share: %v, want %v", m, in.Mix)
	}
}

// TestFollowKeepsDayOrder: a leader's move is added to a brother's or
// sister's year in order of day (after events of the same day), and not on
// or after the day the child leaves care.
func TestFollowKeepsDayOrder(t *testing.T) {
	ly := &lifeYear{c: &child{}, to: 100, evs: []event{{at: 10, kind: evLegal}, {at: 20, kind: evTemporary}, {at: 30, kind: evSixteen}}, i: 1}
	for _, c := range []struct {
		at   day
		ok   bool
		want []day
	}{
		{20, true, []day{10, 20, 20, 30}}, // after the event of the same day
		{25, true, []day{10, 20, 20, 25, 30}},
		{99, true, []day{10, 20, 20, 25, 30, 99}},   // the last day in care
		{100, false, []day{10, 20, 20, 25, 30, 99}}, // the day care ends
		{101, false, []day{10, 20, 20, 25, 30, 99}},
	} {
		if got := ly.follow(c.at, 7); got != c.ok {
			t.Errorf("follow on day %d: %v, want %v", c.at, got, c.ok)
		}
		var days []day
		for _, e := range ly.evs {
			days = append(days, e.at)
		}
		if fmt.Sprint(days) != fmt.Sprint(c.want) {
			t.Errorf("after day %d: events on %v, want %v", c.at, days, c.want)
		}
	}
	if e := ly.evs[2]; e.kind != evFollow || e.move != 7 {
		t.Errorf("the follow event is %+v, want move 7", e)
	}
	if d := ly.nextDue(); d != 20 {
		t.Errorf("next due %d, want 20 (the first event not yet applied)", d)
	}
}
