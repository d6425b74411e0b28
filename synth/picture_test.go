package synth

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/picture"
	"sufficiency/refdata"
	"sufficiency/ssda903"
)

// testLocator is picture.Locator over package geo, as the CLI adapts it:
// DfE distances rounded to 0.1 mile, councils by postcode sector or district.
type testLocator struct{}

func (testLocator) Miles(a, b string) (float64, bool) {
	pa, err1 := geo.LocateString(a)
	pb, err2 := geo.LocateString(b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return math.Round(geo.Miles(pa, pb)*10) / 10, true
}

func (testLocator) CouncilOf(pc string) (string, bool) {
	p, err := geo.ParsePostcode(pc)
	if err != nil {
		return "", false
	}
	return geo.CouncilOf(p)
}

// readPicture reads the generated returns of the councils back as ingest
// does (the SSDA903 reader, then Stitch) and computes the picture of each
// council at at with package picture.
func readPicture(t testing.TB, dir string, councils []string, at time.Time) []picture.Picture {
	t.Helper()
	var paths []string
	for _, c := range councils {
		paths = append(paths, filepath.Join(dir, c))
	}
	returns, findings, err := ssda903.Read(paths, ssda903.ReadOptions{})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	for _, f := range findings {
		if f.Severity == ssda903.SeverityError {
			t.Errorf("reading: %s %s", f.RuleCode, f.Message)
		}
	}
	h, _ := ssda903.Stitch(returns)
	var all []picture.Council
	for _, c := range refdata.Councils() {
		all = append(all, picture.Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17})
	}
	var provs []care.Provision
	for _, p := range refdata.Providers() {
		if p.Kind != "" && !p.ShortBreakOnly {
			provs = append(provs, care.Provision{ID: p.URN, Kind: p.Kind, Council: p.Council, Places: p.Places})
		}
	}
	var out []picture.Picture
	for _, c := range councils {
		in := picture.Input{Name: c, Scope: []string{c}, Councils: all, Children: h.Children, Episodes: h.Episodes,
			Provisions: provs, Locate: testLocator{}}
		out = append(out, picture.Compute(in, at))
	}
	return out
}

func pct(n, d int) float64 {
	if d == 0 {
		return math.NaN()
	}
	return 100 * float64(n) / float64(d)
}

// TestPictureMatchesPublished generates a council, reads it back as ingest
// does and computes its picture with package picture: the headline figures
// (children in care at 31 March, placed outside the council, placed more
// than 20 miles away) must agree with the real council's published figures
// within the generator's tolerances, and the stability and sibling figures
// must be in the range England's are.
func TestPictureMatchesPublished(t *testing.T) {
	const council = "E08000021" // Newcastle upon Tyne
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Generate(context.Background(), Config{Out: dir, Councils: []string{council}, From: 2020, To: 2024, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	in, err := CouncilFromRefdata(council, 2020, 2024)
	if err != nil {
		t.Fatal(err)
	}
	p := readPicture(t, dir, []string{council}, care.Date(2024, time.March, 31))[0]
	want := in.Targets[len(in.Targets)-1]
	if d := (float64(p.InCare) - want.Stock) / want.Stock; math.Abs(d) > Tolerance {
		t.Errorf("children in care at 31 March 2024: %d, published %.0f (%+.1f%%)", p.InCare, want.Stock, 100*d)
	}
	outside := pct(p.Where.Outside, p.Where.LocationKnown)
	if ref := 100 * (1 - in.InsideShare); math.Abs(outside-ref) > MixTolerance {
		t.Errorf("placed outside the council: %.1f%%, published %.1f%%", outside, ref)
	}
	over20 := pct(p.Where.Over20, p.Where.DistanceKnown)
	if ref := 100 * in.Over20Share; math.Abs(over20-ref) > MixTolerance {
		t.Errorf("placed more than 20 miles from home: %.1f%%, published %.1f%%", over20, ref)
	}
	stable := pct(p.Stability.LongTerm, p.Stability.Eligible)
	apart := pct(p.Siblings.ChildrenApart, p.Siblings.Children)
	three := pct(p.Stability.ThreePlus, p.Stability.InCare)
	t.Logf("in care %d (published %.0f); outside %.1f%% (%.1f%%); over 20 miles %.1f%% (%.1f%%); long-term stability %.1f%% of %d; 3+ placements %.1f%%; sibling groups %d, children apart %.1f%%",
		p.InCare, want.Stock, outside, 100*(1-in.InsideShare), over20, 100*in.Over20Share, stable, p.Stability.Eligible, three, p.Siblings.Groups, apart)
	// England: 70–71% long-term stability (DfE); about 37% of children with
	// siblings in care live apart from at least one (Children's
	// Commissioner); about 10% with three or more placements in the year.
	// A council of this size varies around these by some points.
	if stable < 55 || stable > 85 {
		t.Errorf("long-term stability %.1f%%, want about 70%%", stable)
	}
	if apart < 20 || apart > 55 {
		t.Errorf("children in sibling groups placed apart %.1f%%, want about 37%%", apart)
	}
	if three < 4 || three > 16 {
		t.Errorf("children with 3 or more placements in the year %.1f%%, want about 10%%", three)
	}
}

// TestPictureRegion logs the picture figures of a larger generation for
// calibration work: SYNTH_PICTURE names a region ("North East") or council
// codes; skipped unless set.
func TestPictureRegion(t *testing.T) {
	list := os.Getenv("SYNTH_PICTURE")
	if list == "" {
		t.Skip("set SYNTH_PICTURE=\"North East\" (or council codes) to compute the picture of a larger generation")
	}
	cfg := Config{Out: filepath.Join(t.TempDir(), "out"), From: 2015, To: 2025, Seed: 1}
	if strings.HasPrefix(list, "E0") || strings.HasPrefix(list, "E1") {
		cfg.Councils = strings.Split(list, ",")
	} else {
		cfg.Region = list
	}
	sum, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range sum.Councils {
		codes = append(codes, c.Council)
	}
	var in, out, known, far, known20, elig, stable, three, sibs, apart, groups, groupsApart int
	for _, p := range readPicture(t, cfg.Out, codes, care.Date(2025, time.March, 31)) {
		in += p.InCare
		out += p.Where.Outside
		known += p.Where.LocationKnown
		far += p.Where.Over20
		known20 += p.Where.DistanceKnown
		elig += p.Stability.Eligible
		stable += p.Stability.LongTerm
		three += p.Stability.ThreePlus
		sibs += p.Siblings.Children
		apart += p.Siblings.ChildrenApart
		groups += p.Siblings.Groups
		groupsApart += p.Siblings.GroupsApart
		t.Logf("%s: in care %d, outside %.1f%%, over 20 %.1f%%, stability %.1f%% of %d, 3+ %.1f%%, sibling children apart %.1f%% of %d",
			p.Name, p.InCare, pct(p.Where.Outside, p.Where.LocationKnown), pct(p.Where.Over20, p.Where.DistanceKnown),
			pct(p.Stability.LongTerm, p.Stability.Eligible), p.Stability.Eligible, pct(p.Stability.ThreePlus, p.Stability.InCare),
			pct(p.Siblings.ChildrenApart, p.Siblings.Children), p.Siblings.Children)
	}
	t.Logf("ALL: in care %d, outside %.1f%%, over 20 %.1f%%, long-term stability %.1f%% of %d, 3+ placements %.1f%%, sibling groups %d (%.1f%% apart), children in them %d (%.1f%% apart)",
		in, pct(out, known), pct(far, known20), pct(stable, elig), elig, pct(three, in), groups, pct(groupsApart, groups), sibs, pct(apart, sibs))
	// A region is large enough to be held to England's figures closely.
	for _, c := range []struct {
		name      string
		got       float64
		low, high float64
	}{
		{"long-term stability", pct(stable, elig), 64, 78},
		{"children in sibling groups living apart", pct(apart, sibs), 28, 46},
		{"3 or more placements in the year", pct(three, in), 7, 13},
	} {
		if !(c.got >= c.low && c.got <= c.high) {
			t.Errorf("%s %.1f%%, want %.0f–%.0f%%", c.name, c.got, c.low, c.high)
		}
	}
}
