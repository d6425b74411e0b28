package picture

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/tabular"
)

// smallPicture builds a population small enough that many cells of every
// table hold 1 to 4 children: n children over councils A, B and C, with a
// mix of placement types, providers, postcodes, costs and funding splits.
func smallPicture(seed uint64, n int) Input {
	r := rand.New(rand.NewPCG(seed, 7))
	in := fixture()
	in.Children, in.Episodes = nil, nil
	councils := []string{"A", "B", "C"}
	homes := map[string][]string{"A": {"H1", "H2", "H3", "H5"}, "B": {"HB"}, "C": {"PC"}}
	places := []string{"PA", "PA2", "PB", "PB2", "PC", "", "ZZ"}
	types := []string{"U1", "U4", "U6", "K2", "K1", "H5", "P1", "A4", "S1", "Z1", "R1"}
	provs := []string{"PR0", "PR1", "PR2", "PR3", "PR4", "PR5", ""}
	urns := []string{"", "", "U1", "U2", "U3", "U4"}
	for i := 0; i < n; i++ {
		council := councils[r.IntN(len(councils))]
		id := fmt.Sprintf("x%d", i)
		sex := care.Male
		if r.IntN(2) == 0 {
			sex = care.Female
		}
		in.Children = append(in.Children, care.Child{Council: council, ID: id, Sex: sex,
			DOB: d(2007+r.IntN(18), time.Month(1+r.IntN(12)), 1), UASC: r.IntN(10) == 0})
		start := d(2019+r.IntN(6), time.Month(1+r.IntN(12)), 1+r.IntN(28))
		home := homes[council][r.IntN(len(homes[council]))]
		k := 1 + r.IntN(3)
		for j := 0; j < k; j++ {
			end := time.Time{}
			if j < k-1 || r.IntN(4) == 0 {
				end = start.AddDate(0, 1+r.IntN(14), 0)
			}
			rne := "P"
			if j == 0 {
				rne = "S"
			}
			e := care.Episode{Council: council, ChildID: id, Start: start, End: end, ReasonNew: rne, LegalStatus: []string{"C1", "C2", "V2", "E1"}[r.IntN(4)],
				Placement: care.PlacementType(types[r.IntN(len(types))]), Provider: care.ProviderType(provs[r.IntN(len(provs))]),
				HomePostcode: home, PlacementPostcode: places[r.IntN(len(places))], URN: urns[r.IntN(len(urns))]}
			if !end.IsZero() {
				e.ReasonEnded = "X1"
				if j == k-1 {
					e.ReasonEnded = "E11"
				}
			}
			if r.IntN(3) > 0 {
				e.WeeklyCost = care.Pence(50_000 + r.IntN(1_500_000))
				if r.IntN(3) > 0 {
					e.Funding = care.Funding{SocialCare: e.WeeklyCost}
				}
			}
			in.Episodes = append(in.Episodes, e)
			if end.IsZero() {
				break
			}
			start = end
		}
	}
	return in
}

// checkPublished fails when a published table shows a count of 1 to 4, or
// lets one be recovered from a total shown beside it: down a column with a
// total row, along a row over a column's parts (or a Total column), and in
// the funder table (all = split + not split).
func checkPublished(t *testing.T, where string, tb tabular.Table) {
	t.Helper()
	c := tabular.Suppressed
	hidden := func(cells ...any) int {
		n := 0
		for _, v := range cells {
			if v == c {
				n++
			}
		}
		return n
	}
	for i, r := range tb.Rows {
		for j, col := range tb.Columns {
			if col.Kind != tabular.Count || col.Public {
				continue
			}
			if n, ok := r[j].(int); ok && n >= 1 && n <= 4 {
				t.Errorf("%s: %q row %d %s = %d published", where, tb.Title, i, col.Name, n)
			}
			var parts []any
			for _, p := range col.Parts {
				parts = append(parts, r[tb.ColumnIndex(p)])
			}
			if col.Total {
				for k, o := range tb.Columns {
					if k != j && o.Kind == tabular.Count {
						parts = append(parts, r[k])
					}
				}
			}
			if len(parts) > 0 && r[j] != c && hidden(parts...) == 1 {
				t.Errorf("%s: %q row %d: %s = %v and one of its parts suppressed: %v", where, tb.Title, i, col.Name, r[j], r)
			}
		}
	}
	if tb.TotalRow {
		last := len(tb.Rows) - 1
		for j, col := range tb.Columns {
			if col.Kind != tabular.Count || col.Public || tb.Rows[last][j] == c {
				continue
			}
			var down []any
			for _, r := range tb.Rows[:last] {
				down = append(down, r[j])
			}
			if hidden(down...) == 1 {
				t.Errorf("%s: %q column %s: total %v shown with exactly one suppressed count above it", where, tb.Title, col.Name, tb.Rows[last][j])
			}
		}
	}
	if tb.Title == "Weekly cost by funder" && tb.Rows[4][1] != c && hidden(tb.Rows[0][1], tb.Rows[3][1]) == 1 {
		t.Errorf("%s: funders: all = split + not split reveals the suppressed one: %v", where, tb.Rows)
	}
}

// TestPublishedTablesRevealNoSmallCount scans every table of published
// pictures of small populations, for a council and for several councils.
func TestPublishedTablesRevealNoSmallCount(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		for _, scope := range [][]string{{"A"}, {"A", "B"}, {"A", "B", "C"}} {
			in := smallPicture(seed, 20+int(seed)*9)
			in.Scope = scope
			p := Compute(in, at)
			for _, tb := range p.Tables(true) {
				checkPublished(t, fmt.Sprintf("seed %d scope %v", seed, scope), tb)
			}
		}
	}
}

// The supply and placement-mix tables' counts are sums of other counts in
// the row; a suppressed part must not be recoverable from them.
func TestPublishProtectsRowSums(t *testing.T) {
	mix := mixTable("m", "Type", []GroupRow{
		{Label: "Homes", Children: 13, Where: Location{Children: 13, Inside: 10, Outside: 3, LocationKnown: 13, DistanceKnown: 13}},
		{Label: "All", Children: 13, Where: Location{Children: 13, Inside: 10, Outside: 3, LocationKnown: 13, DistanceKnown: 13}},
	})
	got := tabular.Suppress(mix)
	checkPublished(t, "mix", got)
	if got.Rows[0][1] == 13 && got.Rows[0][3] == 10 {
		t.Errorf("13 children, 10 inside: the 3 outside can be recovered: %v", got.Rows[0])
	}
}

func TestPublishProtectsFunders(t *testing.T) {
	for _, f := range []Funders{
		{Placements: 12, SplitPlacements: 9, SocialCare: 900, NotSplit: 300}, // 3 not split
		{Placements: 12, SplitPlacements: 3, SocialCare: 300, NotSplit: 900}, // 3 split
		{Placements: 3, SplitPlacements: 2, SocialCare: 200, NotSplit: 100},
	} {
		tb := tabular.Suppress(Picture{Funders: f}.fundersTable())
		protectFunders(&tb)
		checkPublished(t, "funders", tb)
		if tb.Rows[3][2] != tabular.Suppressed && tb.Rows[0][2] != tabular.Suppressed && tb.Rows[4][2] != tabular.Suppressed {
			t.Errorf("funders %+v: spend of both split and not split shown beside the total: %v", f, tb.Rows)
		}
	}
}
