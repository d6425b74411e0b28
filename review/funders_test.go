package review

import (
	"testing"

	"sufficiency/care"
)

// TestFunderSplitAddsUp: a placement's amount is split between funders in
// whole pence that add up to it, with nothing "not split" when the funding
// covers the cost. Rounding each share on its own gave 67p + 67p + 67p for
// 200p split three ways equally, and a "Not split" of −1p (the review's
// funder table printed "Not split … −£1" over a region).
func TestFunderSplitAddsUp(t *testing.T) {
	for _, c := range []struct {
		name         string
		cost, amount care.Pence
		f            care.Funding
		want         Funders
	}{
		{"ThreeEqualParts", 300, 200, care.Funding{SocialCare: 100, Education: 100, Health: 100}, Funders{SocialCare: 67, Education: 67, Health: 66}},
		{"TwoParts", 3, 1, care.Funding{SocialCare: 2, Education: 1}, Funders{SocialCare: 1}},
		{"PartlyFunded", 1000, 333, care.Funding{SocialCare: 600}, Funders{SocialCare: 200, NotSplit: 133}},
		{"NoSplit", 1000, 333, care.Funding{}, Funders{NotSplit: 333}},
		{"PartsAboveCost", 100, 100, care.Funding{SocialCare: 100, Health: 50}, Funders{SocialCare: 67, Health: 33}},
	} {
		var fs Funders
		fs.add(c.cost, c.f, c.amount)
		if fs != c.want || fs.Total() != c.amount {
			t.Errorf("%s: %+v (total %d), want %+v (total %d)", c.name, fs, fs.Total(), c.want, c.amount)
		}
	}
	// Many placements: the parts never drift from the total.
	var fs Funders
	var total care.Pence
	for i := care.Pence(1); i <= 500; i++ {
		fs.add(3*i+1, care.Funding{SocialCare: i + 1, Education: i, Health: i}, 2*i+1)
		total += 2*i + 1
	}
	if fs.NotSplit != 0 || fs.Total() != total {
		t.Errorf("500 fully funded placements: not split %d, total %d, want 0 and %d", fs.NotSplit, fs.Total(), total)
	}
}
