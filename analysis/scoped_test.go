package analysis

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/market"
	"sufficiency/picture"
	"sufficiency/refdata"
	"sufficiency/review"
	"sufficiency/store"
	"sufficiency/store/storetest"
	"sufficiency/tabular"
)

// randomCouncil is a council's random history: children placed in their
// own area, in the neighbouring councils' (by postcode sector, district, or
// only by a home's URN whose postcode is elsewhere), far away or nowhere
// known; episodes open, ended, short breaks (V3), and costed.
func randomCouncil(r *rand.Rand, council string, neighbours []string) store.Import {
	imp := store.Import{Council: council}
	places := []string{"U4", "U1", "K2", "R1", "H5", "P1", "Z1"}
	postcode := func() (string, string) {
		target := neighbours[r.IntN(len(neighbours))]
		switch r.IntN(6) {
		case 0: // a sector of the target
			if ss := geo.SectorsOf(target); len(ss) > 0 {
				return ss[r.IntN(len(ss))].Code, ""
			}
		case 1: // a district of the target, as written in a return (no space, lower case)
			if ds := geo.DistrictsOf(target); len(ds) > 0 {
				d := ds[r.IntN(len(ds))].Code
				return fmt.Sprintf("%s%dab", d, r.IntN(10)), ""
			}
		case 2: // a home of the target's, its postcode somewhere else
			if ps := refdata.ProvidersIn(target); len(ps) > 0 {
				return "SW1A 1", ps[r.IntN(len(ps))].URN
			}
		case 3:
			return "not a postcode", ""
		case 4:
			return "", ""
		}
		return "TR1 1", "" // far away
	}
	start := care.Date(2019, 4, 1)
	for i := 0; i < 150; i++ {
		id := fmt.Sprintf("%s-%03d", council[len(council)-3:], i)
		dob := care.Date(2005+r.IntN(15), time.Month(1+r.IntN(12)), 1+r.IntN(28))
		imp.Children = append(imp.Children, care.Child{Council: council, ID: id, Sex: care.Male, DOB: dob, Ethnicity: "WBRI",
			Needs: care.NeedsProfile{Tier: care.NeedsTier(r.IntN(5))}})
		day := start.AddDate(0, 0, r.IntN(2000))
		for k, n := 0, 1+r.IntN(4); k < n; k++ {
			pc, urn := postcode()
			ls := "C2"
			if r.IntN(8) == 0 {
				ls = "V3"
			}
			e := care.Episode{Council: council, ChildID: id, Start: day, ReasonNew: "P", LegalStatus: ls, CategoryOfNeed: "N1",
				Placement: care.PlacementType(places[r.IntN(len(places))]), Provider: "PR1", HomePostcode: "TS24 7",
				PlacementPostcode: pc, URN: urn}
			if k == 0 {
				e.ReasonNew = "S"
			}
			if r.IntN(2) == 0 {
				e.WeeklyCost = care.Pence(50000 + r.IntN(500000))
			}
			if k < n-1 || r.IntN(3) == 0 {
				day = day.AddDate(0, 0, 1+r.IntN(500))
				e.End, e.ReasonEnded = day, "X1"
				if k == n-1 {
					e.ReasonEnded = "E11"
				}
			}
			imp.Episodes = append(imp.Episodes, e)
			if e.End.IsZero() {
				break
			}
		}
	}
	return imp
}

// TestScopedReadsMatchWholeHistories checks that reading only what each
// question needs (the in-placers of the picture, the children in care for
// the review, the current and recent placements for the market) gives the
// answers computed from every council's whole history, on several dates.
func TestScopedReadsMatchWholeHistories(t *testing.T) {
	councils := []string{"E06000001", "E06000002", "E06000003", "E06000004", "E06000005"} // North East neighbours
	db := openDB(t)
	r := rand.New(rand.NewPCG(14, 1))
	for _, c := range councils {
		storetest.MustImport(t, db, randomCouncil(r, c, councils))
	}
	st := &recorder{Store: db}
	var all []care.Episode
	var children []care.Child
	for _, c := range councils {
		es, err := db.Episodes(ctx(), c)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, es...)
		cs, err := db.Children(ctx(), c)
		if err != nil {
			t.Fatal(err)
		}
		children = append(children, cs...)
	}
	provs, err := Provisions(ctx(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []string{"2021-03-31", "2023-09-30", ""} {
		for _, scope := range [][2]string{{"E06000001", ""}, {"E06000004", ""}, {"", "North East"}} {
			sc, err := Resolve(ctx(), st, scope[0], scope[1])
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%s at %q", sc.Name, at)
			o := Options{At: at}
			date, err := o.Date(all)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Picture(ctx(), st, sc, PictureOptions{Options: o, InPlacers: true, CoverageNotes: true})
			if err != nil {
				t.Fatal(err)
			}
			var own []care.Child
			for _, c := range children {
				if contains(sc.Councils, c.Council) {
					own = append(own, c)
				}
			}
			want := picture.Compute(picture.Input{Name: sc.Name, Scope: sc.Councils, Councils: pictureCouncils(), Children: own,
				Episodes: all, Provisions: provs, Locate: NewLocator()}, date)
			if got, want := text(t, res.Picture.Tables(false)), text(t, want.Tables(false)); !res.At.Equal(date) || got != want {
				t.Errorf("%s: the picture differs from the one computed from every history\n%s", name, firstDiff(got, want))
			}
			year, err := Picture(ctx(), st, sc, PictureOptions{Options: o, InPlacers: true, CoverageNotes: true, YearOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := text(t, year.Tables), text(t, res.Tables); got != want {
				t.Errorf("%s: the picture from the year's histories differs from the one from every history\n%s", name, firstDiff(got, want))
			}
			if len(year.Data.Episodes) >= len(res.Data.Episodes) {
				t.Errorf("%s: the year's histories are %d episodes, every history %d: nothing saved", name, len(year.Data.Episodes), len(res.Data.Episodes))
			}
			if scope[0] != "" && want.Measures["in_placers"] == 0 && at == "" {
				t.Errorf("%s: no in-placers in the fixture: the test tests nothing", name)
			}
			rv, err := Review(ctx(), st, sc, ReviewOptions{Options: o})
			if err != nil {
				t.Fatal(err)
			}
			var ownEps []care.Episode
			for _, e := range all {
				if contains(sc.Councils, e.Council) {
					ownEps = append(ownEps, e)
				}
			}
			ownDate, err := o.Date(ownEps) // the review's date comes from the scope's own data
			if err != nil {
				t.Fatal(err)
			}
			wantRv := review.Build(review.Input{Scope: sc.Councils, Children: own, Episodes: ownEps, Provisions: provs, Locate: NewLocator()}, review.DefaultRules(), ownDate)
			if got, want := text(t, rv.Tables), text(t, wantRv.Tables()); got != want || rv.Worklist.Reviewed == 0 {
				t.Errorf("%s: the review differs from the one built from every history (%d reviewed)\n%s", name, rv.Worklist.Reviewed, firstDiff(got, want))
			}
		}
		for _, region := range []string{"North East", ""} {
			mk, err := Market(ctx(), st, region, MarketOptions{Options: Options{At: at}})
			if err != nil {
				t.Fatal(err)
			}
			in := market.Input{Region: region, ChildrenInCare: childrenInCare(), Children: children, Episodes: all, Provisions: provs}
			for _, c := range refdata.Councils() {
				in.Councils = append(in.Councils, market.Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17, Easting: c.Easting, Northing: c.Northing})
			}
			date, _ := Options{At: at}.Date(all)
			// Compared as printed: market sums shares over a map, so the last
			// digit of a float may differ between any two runs.
			if got, want := text(t, mk.Tables), text(t, market.Analyse(in, date).Tables()); got != want {
				t.Errorf("market %q at %q differs from the one analysed from every history\n%s", region, at, firstDiff(got, want))
			}
		}
	}
}

// text is tables as the CLI prints them.
func text(t *testing.T, tables []tabular.Table) string {
	t.Helper()
	var b strings.Builder
	if err := tabular.WriteText(&b, tables); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-300)
	return fmt.Sprintf("got  ...%s\nwant ...%s", a[lo:min(len(a), i+200)], b[lo:min(len(b), i+200)])
}
