package analysis

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/internal/storetest"
	"sufficiency/market"
	"sufficiency/picture"
	"sufficiency/refdata"
	"sufficiency/review"
	"sufficiency/store"
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
	// Some supply of the store's own: a register home recorded in another
	// council, a home only the store knows in the area, one outside it.
	moved := refdata.ProvidersIn("E06000001")[0]
	supply := []care.Provision{
		{ID: moved.URN, Kind: care.KindChildrensHome, Name: "Moved", Council: "E06000002", Postcode: "TS1 2", Places: 9},
		{ID: "S-1", Kind: care.KindChildrensHome, Name: "Store only", Council: "E06000003", Postcode: "TS1 3", Places: 4},
		{ID: "S-2", Kind: care.KindChildrensHome, Name: "Far", Council: "E08000003", Postcode: "M14 5", Places: 3},
	}
	if err := db.ReplaceSupply(ctx(), supply, nil); err != nil {
		t.Fatal(err)
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
			sc, err := resolve(st, scope[0], scope[1])
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
			scoped, err := Picture(ctx(), st, sc, PictureOptions{Options: o, InPlacers: true, CoverageNotes: true, YearOnly: true, ScopedSupply: true})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := text(t, scoped.Tables), text(t, res.Tables); got != want {
				t.Errorf("%s: the picture from the scope's part of the supply differs from the one from all of it\n%s", name, firstDiff(got, want))
			}
			if len(scoped.Provisions) >= len(res.Provisions) || len(scoped.Provisions) == 0 {
				t.Errorf("%s: %d settings read for the scope, %d in all: nothing saved", name, len(scoped.Provisions), len(res.Provisions))
			}
			// Only the children of the year's histories are read, each once.
			withEpisodes := map[[2]string]bool{}
			for _, e := range year.Data.Episodes {
				withEpisodes[[2]string{e.Council, e.ChildID}] = true
			}
			seenChild := map[[2]string]bool{}
			for _, c := range year.Data.Children {
				k := [2]string{c.Council, c.ID}
				if !withEpisodes[k] || seenChild[k] || !contains(sc.Councils, c.Council) {
					t.Errorf("%s: the year's picture read child %v (episodes read %v, twice %v)", name, k, withEpisodes[k], seenChild[k])
				}
				seenChild[k] = true
			}
			if len(year.Data.Children) >= len(own) {
				t.Errorf("%s: the year's children are %d, the scope's %d: nothing saved", name, len(year.Data.Children), len(own))
			}
			if len(year.Data.Episodes) >= len(res.Data.Episodes) {
				t.Errorf("%s: the year's histories are %d episodes, every history %d: nothing saved", name, len(year.Data.Episodes), len(res.Data.Episodes))
			}
			if scope[0] != "" && want.Measures["in_placers"] == 0 && at == "" {
				t.Errorf("%s: no in-placers in the fixture: the test tests nothing", name)
			}
			// The statement's market: the scope's councils, from the
			// picture's data (read once) or read again, the same tables.
			inScope := func(c string) bool { return contains(sc.Councils, c) }
			mRead, err := Market(ctx(), st, "North East", MarketOptions{Options: o, Include: inScope})
			if err != nil {
				t.Fatal(err)
			}
			st.reads = nil
			mData, err := Market(ctx(), st, "North East", MarketOptions{Options: o, Include: inScope, Data: &res.Data})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := text(t, mData.Tables), text(t, mRead.Tables); got != want || !mData.At.Equal(mRead.At) {
				t.Errorf("%s: the market from the picture's data differs from the one read again\n%s", name, firstDiff(got, want))
			}
			if len(st.reads) > 0 {
				t.Errorf("%s: the market given the picture's data read %v", name, st.reads)
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
			given, err := Market(ctx(), st, region, MarketOptions{Options: Options{At: at}, Data: &Data{Children: children, Episodes: all}})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := text(t, given.Tables), text(t, mk.Tables); got != want {
				t.Errorf("market %q at %q from every history given differs from the one read\n%s", region, at, firstDiff(got, want))
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

// TestScopedSupplyKeepsHomesElsewhere: a child placed at a home of another
// region known only by its URN (the placement postcode missing), one placed
// at a home only the store knows, and the store's record of a register home
// moved to another council (the store's record stands): the picture from the scope's
// part of the supply equals the one from all of it, and that part holds the
// homes the children are placed at.
func TestScopedSupplyKeepsHomesElsewhere(t *testing.T) {
	db := openDB(t)
	far := refdata.ProvidersIn("E08000003")[0] // Manchester
	own := refdata.ProvidersIn(hartlepool)[0]
	imp := store.Import{Council: hartlepool}
	for i, urn := range []string{far.URN, "S-9", own.URN, ""} {
		id := fmt.Sprintf("c%d", i)
		imp.Children = append(imp.Children, care.Child{Council: hartlepool, ID: id, Sex: care.Female, DOB: care.Date(2010, 1, 1), Ethnicity: "WBRI"})
		imp.Episodes = append(imp.Episodes, care.Episode{Council: hartlepool, ChildID: id, Start: care.Date(2023, 1, 1), ReasonNew: "S",
			LegalStatus: "C2", CategoryOfNeed: "N1", Placement: "K2", Provider: "PR4", HomePostcode: "TS24 7", URN: urn})
	}
	storetest.MustImport(t, db, imp)
	supply := []care.Provision{
		{ID: "S-9", Kind: care.KindChildrensHome, Name: "Store only", Council: "E09000001", Places: 2},
		{ID: own.URN, Kind: care.KindChildrensHome, Name: "Moved", Council: "E06000002", Places: 7},
	}
	if err := db.ReplaceSupply(ctx(), supply, nil); err != nil {
		t.Fatal(err)
	}
	sc, err := resolve(db, hartlepool, "")
	if err != nil {
		t.Fatal(err)
	}
	o := PictureOptions{Options: Options{At: "2023-03-31"}, InPlacers: true, YearOnly: true}
	full, err := Picture(ctx(), db, sc, o)
	if err != nil {
		t.Fatal(err)
	}
	o.ScopedSupply = true
	part, err := Picture(ctx(), db, sc, o)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := text(t, part.Tables), text(t, full.Tables); got != want {
		t.Errorf("the picture from the scope's part of the supply differs\n%s", firstDiff(got, want))
	}
	if full.Picture.Where.LocationKnown != 3 || full.Picture.Where.OutsideRegion != 2 {
		t.Errorf("the fixture places %+v: want 3 known, 2 outside the region", full.Picture.Where)
	}
	ids := map[string]string{}
	for _, p := range part.Provisions {
		ids[p.ID] = p.Council
	}
	if ids[far.URN] != "E08000003" || ids["S-9"] != "E09000001" || ids[own.URN] != "E06000002" || len(part.Provisions) >= len(full.Provisions) {
		t.Errorf("the scope's supply: %d settings (of %d), far home in %q, store-only home in %q, moved home in %q",
			len(part.Provisions), len(full.Provisions), ids[far.URN], ids["S-9"], ids[own.URN])
	}
}

// TestMarketReadsTheRegionAndItsSettings: a region's market reads the
// region's councils' placements and, of other councils', only those current
// at the region's settings, and gives the tables analysed from every
// history, for each region, England and a council left out.
func TestMarketReadsTheRegionAndItsSettings(t *testing.T) {
	ne := []string{"E06000001", "E06000002"} // North East
	nw := []string{"E06000006", "E06000007"} // North West: Halton, Warrington
	councils := append(append([]string(nil), ne...), nw...)
	db := openDB(t)
	r := rand.New(rand.NewPCG(14, 2))
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
	inputs := func(region string, include func(string) bool) market.Input {
		in := market.Input{Region: region, ChildrenInCare: childrenInCare(), Provisions: provs}
		for _, c := range refdata.Councils() {
			in.Councils = append(in.Councils, market.Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17, Easting: c.Easting, Northing: c.Northing})
		}
		for _, c := range children {
			if include(c.Council) {
				in.Children = append(in.Children, c)
			}
		}
		for _, e := range all {
			if include(e.Council) {
				in.Episodes = append(in.Episodes, e)
			}
		}
		return in
	}
	placedInOtherRegion := 0
	for _, at := range []string{"2021-03-31", "2023-09-30", ""} {
		for _, region := range []string{"North West", "North East", ""} {
			for _, leftOut := range []string{"", "E06000002"} {
				include := func(c string) bool { return c != leftOut }
				o := MarketOptions{Options: Options{At: at}}
				if leftOut != "" {
					o.Include = include
				}
				st.reads, st.episodes = nil, nil
				mk, err := Market(ctx(), st, region, o)
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("market %q at %q without %q", region, at, leftOut)
				in := inputs(region, include)
				date, _ := Options{At: at}.Date(in.Episodes)
				if got, want := text(t, mk.Tables), text(t, market.Analyse(in, date).Tables()); got != want {
					t.Errorf("%s differs from the one analysed from every history\n%s", name, firstDiff(got, want))
				}
				if region == "" {
					continue
				}
				// Of the other region's councils, only placements current at the
				// date at this region's settings are read.
				regionOf := map[string]string{}
				for _, c := range refdata.Councils() {
					regionOf[c.Code] = c.Region
				}
				for _, e := range st.episodes {
					if regionOf[e.Council] == region {
						continue
					}
					p := provByID(provs, e.URN)
					if !e.Covers(date) || p == nil || regionOf[p.Council] != region {
						t.Errorf("%s read %s's episode %s %v at %q", name, e.Council, e.ChildID, e.Start, e.URN)
					}
					placedInOtherRegion++
				}
			}
		}
	}
	if placedInOtherRegion == 0 {
		t.Error("no child placed in the other region in the fixture: the test tests nothing")
	}
}

func provByID(provs []care.Provision, id string) *care.Provision {
	for i := range provs {
		if id != "" && provs[i].ID == id {
			return &provs[i]
		}
	}
	return nil
}
