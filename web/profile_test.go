package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/refdata"
	"sufficiency/tabular"
)

// rowOf returns the row of t whose first cell is label.
func rowOf(t *testing.T, tb tabular.Table, label string) []any {
	t.Helper()
	for _, r := range tb.Rows {
		if r[0] == label {
			return r
		}
	}
	t.Fatalf("%s: no row %q", tb.Title, label)
	return nil
}

func withHome(e care.Episode, home string) care.Episode {
	e.HomePostcode = home
	return e
}

// TestProfileTables counts by hand: five children of Hartlepool, of whom
// one left care before the date and one is on a short break (V3), so three
// are in care; a child of another council is not counted. Homes: only
// registered settings of the scope's councils, not fostering households.
func TestProfileTables(t *testing.T) {
	at := care.Date(2025, 3, 31)
	ep := func(child, cin, ls, place string, start, end time.Time) care.Episode {
		return care.Episode{Council: hartlepool, ChildID: child, Start: start, End: end, LegalStatus: ls, CategoryOfNeed: cin, PlacementPostcode: place}
	}
	d := care.Date
	res := analysis.PictureResult{At: at, Scope: analysis.Scope{Name: "Hartlepool", Councils: []string{hartlepool}},
		Data: analysis.Data{
			Children: []care.Child{
				{Council: hartlepool, ID: "a", Needs: care.NeedsProfile{Tier: care.TierComplex, Risks: []care.Risk{care.RiskMissing}, Disability: true}},
				{Council: hartlepool, ID: "b", Needs: care.NeedsProfile{Tier: care.TierComplex, Risks: []care.Risk{care.RiskMissing, care.RiskFireSetting}}},
				{Council: hartlepool, ID: "c"},
				{Council: hartlepool, ID: "gone", Needs: care.NeedsProfile{Tier: care.TierHighly}},
				{Council: hartlepool, ID: "respite", Needs: care.NeedsProfile{Tier: care.TierHighly}},
			},
			Episodes: []care.Episode{
				// a moved from TS24 to TS25: the episode covering the date counts.
				ep("a", "N1", "C2", "TS24 8AA", d(2023, 1, 1), d(2024, 6, 1)),
				ep("a", "N1", "C2", "TS25 1AA", d(2024, 6, 1), time.Time{}),
				withHome(ep("b", "N4", "C2", "TS25 2BB", d(2024, 1, 1), time.Time{}), "TS24 8AA"), // about 3 miles
				withHome(ep("c", "", "V2", "DL1 1AA", d(2025, 3, 1), time.Time{}), "M1 1AA"),      // about 90 miles
				ep("gone", "N1", "C2", "TS24 8AA", d(2023, 1, 1), d(2025, 3, 30)),
				ep("respite", "N1", "V3", "TS24 8AA", d(2025, 3, 30), time.Time{}),
				{Council: middlesbrough, ChildID: "a", Start: d(2024, 1, 1), LegalStatus: "C2", CategoryOfNeed: "N2", PlacementPostcode: "TS1 1AA"},
			},
		},
		Provisions: []care.Provision{
			{ID: "1", Kind: care.KindChildrensHome, Council: hartlepool, Postcode: "TS24", Places: 4},
			{ID: "2", Kind: care.KindChildrensHome, Council: hartlepool, Postcode: "TS24", Places: 2},
			{ID: "3", Kind: care.KindFostering, Council: hartlepool, Postcode: "TS24 8AA", Places: 3},
			{ID: "4", Kind: care.KindChildrensHome, Council: middlesbrough, Postcode: "TS1", Places: 6},
		},
	}
	ts := profileTables(res, false)
	if len(ts) != 6 {
		t.Fatalf("%d tables", len(ts))
	}
	cin, tier, flags, placed, homes, far := ts[0], ts[1], ts[2], ts[3], ts[4], ts[5]
	// Placed over 20 miles: c (Manchester to Darlington's DL1), not b (3
	// miles) nor those without a home postcode; drawn between the
	// councils' centres.
	hp, _ := refdata.CouncilByCode(hartlepool)
	dl, _ := refdata.CouncilByCode("E06000005")
	if len(far.Rows) != 1 || far.Rows[0][0] != "Hartlepool" || far.Rows[0][1] != "Darlington" || far.Rows[0][2] != 1 ||
		far.Rows[0][3] != fmt.Sprintf("%.0f", hp.Easting) || far.Rows[0][6] != fmt.Sprintf("%.0f", dl.Northing) {
		t.Errorf("placed far: %v, want Hartlepool to Darlington, one child", far.Rows)
	}
	if flows, key, drawn, all := mapFlows(ts); len(flows) != 1 || flows[0].Weight != 1 || flows[0].ToY != math.Round(dl.Northing) || len(key) != 1 || drawn != 1 || all != 1 {
		t.Errorf("flows %+v, key %+v; want one line to Darlington", flows, key)
	}
	if flows, _, _, _ := mapFlows(profileTables(res, true)); len(flows) != 0 {
		t.Errorf("published: flows %+v; one child is suppressed, so no line", flows)
	}
	// Only the largest flows are drawn, largest first.
	many := tabular.Table{Title: titlePlacedFar, Columns: far.Columns}
	for i := 0; i < maxFlows+5; i++ {
		many.AddRow("A", fmt.Sprint(i), i+1, "0", "0", "1000", "1000")
	}
	if flows, _, drawn, all := mapFlows([]tabular.Table{many}); drawn != maxFlows || all != maxFlows+5 || flows[0].Weight != maxFlows+5 || flows[maxFlows-1].Weight != 6 {
		t.Errorf("many flows: drew %d of %d, first %v, last %v", drawn, all, flows[0].Weight, flows[len(flows)-1].Weight)
	}
	check := func(tb tabular.Table, label string, want int) {
		t.Helper()
		if got := rowOf(t, tb, label)[1]; got != want {
			t.Errorf("%s, %q: %v, want %d", tb.Title, label, got, want)
		}
	}
	check(cin, "N1: Abuse or neglect", 1)
	check(cin, "N2: Child's disability", 0)
	check(cin, "N4: Family in acute stress", 1)
	check(cin, "Not recorded", 1)
	check(cin, "All children", 3)
	check(tier, "Complex", 2)
	check(tier, "Highly complex", 0)
	check(tier, "Not recorded", 1)
	check(flags, "Going missing", 2)
	check(flags, "Fire setting", 1)
	check(flags, "Disability needing adaptation", 1)
	check(flags, "Self-harm", 0)
	if got := rowOf(t, flags, "Going missing")[2]; got != 100*2.0/3 {
		t.Errorf("%% going missing: %v", got)
	}
	if r := rowOf(t, placed, "TS25"); r[2] != 2 {
		t.Errorf("placed in TS25: %v, want 2", r)
	}
	if r := rowOf(t, placed, "DL1"); r[2] != 1 || r[1] != "Darlington" {
		t.Errorf("placed in DL1: %v, want 1 in Darlington", r)
	}
	for _, r := range placed.Rows {
		if r[0] == "TS24" || r[0] == "TS1" {
			t.Errorf("placed in %s: %v (no child in scope is placed there at the date)", r[0], r)
		}
	}
	p, _ := geo.Locate(geo.Postcode{District: "TS25"})
	if r := rowOf(t, placed, "TS25"); r[1] != "Hartlepool" || r[3] != fmt.Sprintf("%.0f", p.Easting) {
		t.Errorf("TS25 row %v, want Hartlepool at easting %.0f", r, p.Easting)
	}
	if len(homes.Rows) != 1 || homes.Rows[0][0] != "TS24" || homes.Rows[0][2] != 2 || homes.Rows[0][3] != 6 {
		t.Errorf("homes %v, want TS24 with 2 homes and 6 places", homes.Rows)
	}
	// Published: counts of 1 to 4 children are suppressed; homes are public.
	pub := profileTables(res, true)
	if got := rowOf(t, pub[0], "N1: Abuse or neglect")[1]; got != tabular.Suppressed {
		t.Errorf("published N1: %v", got)
	}
	if got := rowOf(t, pub[3], "TS25")[2]; got != tabular.Suppressed {
		t.Errorf("published TS25: %v", got)
	}
	if got := pub[4].Rows[0][2]; got != 2 {
		t.Errorf("published homes in TS24: %v, want 2 (the register is public)", got)
	}
	// The map leaves off suppressed districts and keeps the homes.
	dots, key, _ := mapLayers(pub, nil)
	if len(dots) != 1 || dots[0].Label != "TS24" || dots[0].Size != 6 || len(key) != 1 {
		t.Errorf("published map: dots %+v, key %+v", dots, key)
	}
	dots, key, _ = mapLayers(ts, nil)
	if len(dots) != 3 || len(key) != 2 {
		t.Errorf("map: %d dots, key %+v; want 3 dots (TS24 homes; TS25, DL1 children) and two layers", len(dots), key)
	}
	// Only Hartlepool's districts: DL1 (Darlington, one child) is left off and counted.
	dots, _, left := mapLayers(ts, map[string]bool{"Hartlepool": true})
	if len(dots) != 2 || left != 1 {
		t.Errorf("map of Hartlepool's districts: %d dots, %d children left off; want 2 and 1", len(dots), left)
	}
}

// TestNeedsChartsAndMapOnPages: the council and region pages draw the needs
// profile and a map with the children's placement districts.
func TestNeedsChartsAndMapOnPages(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "ne-rcc")
	for _, path := range []string{"/councils/" + hartlepool, "/regions/North%20East"} {
		w := f.do(t, "GET", path, nil, withCookie(c))
		if w.Code != 200 {
			t.Fatalf("%s: %d", path, w.Code)
		}
		body := w.Body.String()
		for _, want := range []string{`id="chart-need"`, `id="chart-tier"`, `id="chart-risks"`, titleNeedCategory, titlePlacedWhere} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		// The fixture's children are placed in Manchester (M2): off the
		// North East's map, and said so.
		if strings.HasPrefix(path, "/regions/") && (!strings.Contains(body, `id="chart-map"`) || !strings.Contains(body, "children placed outside North East are not drawn")) {
			t.Errorf("%s: no map, or no word of the children placed outside the region", path)
		}
	}
}

// TestComparePicker: ?compare= keeps the chosen comparator beside the
// scope's own figures; /go carries it; anything else is refused.
func TestComparePicker(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "hart")
	page := func(q string) string {
		t.Helper()
		w := f.do(t, "GET", "/councils/"+hartlepool+q, nil, withCookie(c))
		if w.Code != 200 {
			t.Fatalf("%s: %d", q, w.Code)
		}
		body := w.Body.String()
		i := strings.Index(body, `-caption">Comparison with published figures</caption>`)
		if i < 0 {
			t.Fatalf("%s: no comparison table", q)
		}
		return body[i : i+strings.Index(body[i:], "</thead>")]
	}
	all := page("")
	for _, want := range []string{"Statistical neighbours (average)", "North East (region)", ">England<"} {
		if !strings.Contains(all, want) {
			t.Errorf("all comparators: lacks %q in %s", want, all)
		}
	}
	for q, want := range map[string]string{"?compare=neighbours": "Statistical neighbours (average)", "?compare=region": "North East (region)", "?compare=england": ">England<"} {
		head := page(q)
		if !strings.Contains(head, want) || !strings.Contains(head, "Hartlepool (published)") || !strings.Contains(head, "Hartlepool (this data)") {
			t.Errorf("%s: %s", q, head)
		}
		for _, other := range []string{"Statistical neighbours (average)", "North East (region)", ">England<"} {
			if other != want && strings.Contains(head, other) {
				t.Errorf("%s still shows %s", q, other)
			}
		}
	}
	if w := f.do(t, "GET", "/councils/"+hartlepool+"?compare=wales", nil, withCookie(c)); w.Code != http.StatusBadRequest {
		t.Errorf("compare=wales: %d", w.Code)
	}
	w := f.do(t, "GET", "/go?scope=/councils/"+hartlepool+"&at=2024-03-31&compare=england", nil, withCookie(c))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/councils/"+hartlepool+"?at=2024-03-31&compare=england" {
		t.Errorf("picker: %d to %q", w.Code, w.Header().Get("Location"))
	}
	if w := f.do(t, "GET", "/go?scope=/england&compare=all", nil, withCookie(c)); w.Header().Get("Location") != "/england" {
		t.Errorf("compare=all is the default: to %q", w.Header().Get("Location"))
	}
}

// TestBacktestBesideFan: the accuracy stated beside a forecast's fan chart
// is the backtest's, for the forecast's years ahead.
func TestBacktestBesideFan(t *testing.T) {
	res, err := backtestOnce()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(backtestAside("simulate", 2), " ")
	m1, _ := res.Overall("pooled_growth", 1)
	m2, _ := res.Overall("pooled_growth", 2)
	for _, want := range []string{fmt.Sprintf("%.1f%%", m1.MAPE) + " 1 year ahead", fmt.Sprintf("%.1f%%", m2.MAPE) + " 2 years ahead", "child-level simulation", "80% range"} {
		if !strings.Contains(got, want) {
			t.Errorf("aside %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "3 years ahead") {
		t.Errorf("a 2-year forecast is told about 3 years ahead: %q", got)
	}
	if got := strings.Join(backtestAside("published", 3), " "); strings.Contains(got, "child-level") || !strings.Contains(got, "3 years ahead") {
		t.Errorf("published-model aside: %q", got)
	}
}
