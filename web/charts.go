package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/tabular"
	"sufficiency/web/chart"
)

// chartView is one chart as the "chart" partial shows it: the SVG, its key,
// a note and the table behind it (one click away, and downloadable).
type chartView struct {
	ID, Title string
	SVG       template.HTML // drawn by package chart, which escapes every text
	Key       []keyItem
	Note      string
	Table     tabular.Table
	// Wide charts take the whole width of the page (maps).
	Wide bool
	// Aside is said beside the chart (e.g. how accurate a forecast has been).
	Aside []string
}

// keyItem is one entry of a chart's key: Swatch is the palette index, Line
// draws it as a line (dashed when Dashed), Band as a shaded band.
type keyItem struct {
	Name               string
	Swatch             int
	Line, Dashed, Band bool
}

// seriesKey is the key of bar or line series.
func seriesKey(ss []chart.Series, lines bool) []keyItem {
	out := make([]keyItem, len(ss))
	for i, s := range ss {
		out[i] = keyItem{Name: s.Name, Swatch: i % len(chart.Palette), Line: lines, Dashed: s.Dashed}
	}
	return out
}

// seriesTable is the table behind a chart: one row per category, one column
// per series; missing values are empty.
func seriesTable(title, what string, cats []string, ss []chart.Series, kind tabular.Kind) tabular.Table {
	t := tabular.Table{Title: title, Columns: []tabular.Column{{Name: what}}}
	for _, s := range ss {
		t.Columns = append(t.Columns, tabular.Column{Name: s.Name, Kind: kind})
	}
	for i, c := range cats {
		row := []any{c}
		for _, s := range ss {
			if i < len(s.Values) && !math.IsNaN(s.Values[i]) {
				if kind == tabular.Count {
					row = append(row, int(math.Round(s.Values[i])))
				} else {
					row = append(row, s.Values[i])
				}
			} else {
				row = append(row, nil)
			}
		}
		t.AddRow(row...)
	}
	return t
}

// findTable returns the first table whose title starts with prefix.
func findTable(ts []tabular.Table, prefix string) *tabular.Table {
	for i := range ts {
		if strings.HasPrefix(ts[i].Title, prefix) {
			return &ts[i]
		}
	}
	return nil
}

// cellNumber is a table cell as a number: NaN for empty or suppressed
// cells, pounds for money.
func cellNumber(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	case care.Pence:
		return x.Pounds()
	}
	return math.NaN()
}

// column returns the values of column name of t for rows whose first cell
// is not skipped, with the first cells as categories.
func column(t *tabular.Table, name string, skip ...string) (cats []string, vals []float64) {
	if t == nil {
		return nil, nil
	}
	j := t.ColumnIndex(name)
	if j < 0 {
		return nil, nil
	}
rows:
	for _, r := range t.Rows {
		label := fmt.Sprint(r[0])
		for _, s := range skip {
			if label == s {
				continue rows
			}
		}
		cats = append(cats, label)
		vals = append(vals, cellNumber(r[j]))
	}
	return cats, vals
}

// allMissing reports whether no series has a value.
func allMissing(ss []chart.Series) bool {
	for _, s := range ss {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				return false
			}
		}
	}
	return true
}

// pictureCharts draws the charts of a council's or region's picture from
// the tables the page shows (so suppression for the viewer applies to the
// charts as to the tables), the history of children in care and the
// published series.
func pictureCharts(res analysis.PictureResult, tables []tabular.Table, publish bool) []chartView {
	var out []chartView
	p := res.Picture
	if c, ok := trendChart(res, publish); ok {
		out = append(out, c)
	}
	cmp := findTable(tables, "Comparison with published figures")
	// Placement mix and distance against the published comparators.
	compareBars := func(id, title, desc string, rows []string) (chartView, bool) {
		if cmp == nil {
			return chartView{}, false
		}
		var ss []chart.Series
		for j := 1; j < len(cmp.Columns); j++ {
			ss = append(ss, chart.Series{Name: cmp.Columns[j].Name})
		}
		var cats []string
		for _, r := range cmp.Rows {
			label := fmt.Sprint(r[0])
			want := false
			for _, w := range rows {
				want = want || label == w
			}
			if !want {
				continue
			}
			cats = append(cats, strings.TrimPrefix(label, "% "))
			for j := range ss {
				ss[j].Values = append(ss[j].Values, cellNumber(r[j+1]))
			}
		}
		if len(cats) == 0 || allMissing(ss) {
			return chartView{}, false
		}
		bars := chart.Bars{ID: id, Title: title, Desc: desc, Categories: cats, Series: ss, Format: chart.Percent, Max: 0}
		return chartView{ID: id, Title: title, SVG: template.HTML(bars.SVG()), Key: seriesKey(ss, false),
			Table: seriesTable(title, "Measure", cats, ss, tabular.Percent), Note: comparatorNotes(cmp.Notes)}, true
	}
	mixRows := []string{"% in foster placements", "% in children's homes (incl. secure)", "% in supported or independent living",
		"% placed with parents", "% placed for adoption", "% in residential schools", "% in other placements"}
	if c, ok := compareBars("chart-mix", "Placement mix against the published figures",
		fmt.Sprintf("Percentage of children in care in each kind of placement in %s at %s, beside the published figures of the comparators.", p.Name, formatDate(res.At)), mixRows); ok {
		out = append(out, c)
	}
	if c, ok := compareBars("chart-distance-compare", "Placed away from home against the published figures",
		fmt.Sprintf("Percentage of children in care placed outside the council and over 20 miles from home in %s, beside the published figures.", p.Name),
		[]string{"% placed outside the council", "% placed over 20 miles from home", "% with 3 or more placements in the year", "% aged 16 and over"}); ok {
		out = append(out, c)
	}
	single := func(id, title, desc, table, col string, f chart.Format, kind tabular.Kind, skip ...string) {
		cats, vals := column(findTable(tables, table), col, skip...)
		ss := []chart.Series{{Name: col, Values: vals}}
		if len(cats) == 0 || allMissing(ss) {
			return
		}
		bars := chart.Bars{ID: id, Title: title, Desc: desc, Categories: cats, Series: ss, Format: f}
		out = append(out, chartView{ID: id, Title: title, SVG: template.HTML(bars.SVG()), Table: seriesTable(title, "Category", cats, ss, kind)})
	}
	single("chart-distance", "Distance from home (DfE locality)", "Children in care by whether they live inside or outside the council and within or over 20 miles of home.",
		"Distance from home", "Children", chart.Plain, tabular.Count, "All children")
	single("chart-age", "Children in care by age", "Children in care in each DfE age band.", "Children in care by age", "Children", chart.Plain, tabular.Count, "All children")
	out = append(out, needsCharts(tables)...)
	single("chart-legal", "Children in care by legal status", "Children in care by legal status group.", "Children in care by legal status", "Children", chart.Plain, tabular.Count, "All children")
	// Stability: the two DfE measures as percentages.
	if sum := findTable(tables, p.Name+": children in care at"); sum != nil {
		cats, vals := column(sum, "%")
		var sc []string
		var sv []float64
		for i, c := range cats {
			if c == "3 or more placements in the year" || c == "Long-term stability (same placement 2+ years)" || c == "Sibling groups placed apart" {
				sc, sv = append(sc, c), append(sv, vals[i])
			}
		}
		ss := []chart.Series{{Name: p.Name, Values: sv}}
		if len(sc) > 0 && !allMissing(ss) {
			bars := chart.Bars{ID: "chart-stability", Title: "Stability", Desc: "Percentage of children with 3 or more placements in the year, of eligible children in the same placement for 2 years or more, and of sibling groups placed apart.",
				Categories: sc, Series: ss, Format: chart.Percent, Max: 100}
			out = append(out, chartView{ID: "chart-stability", Title: "Stability", SVG: template.HTML(bars.SVG()), Table: seriesTable("Stability", "Measure", sc, ss, tabular.Percent)})
		}
	}
	single("chart-cost", "Weekly cost by placement type", "Weekly cost of the current placements of each placement type, in pounds.",
		"Cost by placement type", "Weekly", chart.Pounds, tabular.Money, "All placements", "All children", "Total")
	if c, ok := supplyChart(tables); ok {
		out = append(out, c)
	}
	if c, ok := regionMap(res, tables); ok {
		out = append(out, c)
	}
	return out
}

// trendChart draws the children in care at each 31 March of the loaded
// returns beside the published series of the scope (a council; a region or
// England only when every council of it is loaded).
func trendChart(res analysis.PictureResult, publish bool) (chartView, bool) {
	var pub []refdata.YearFigures
	sc := res.Scope
	switch {
	case sc.Council != nil:
		pub = refdata.CLATotals(sc.Council.Code)
	case len(sc.Missing) > 0:
	case sc.Region != "":
		pub = refdata.RegionCLATotals(sc.Region)
	case sc.Name == analysis.England && len(sc.Councils) >= len(refdata.Councils()):
		pub = refdata.EnglandCLATotals()
	}
	var first, last int
	if len(res.History) > 0 {
		first, last = res.History[0].Year, res.History[len(res.History)-1].Year
	} else {
		// Nothing loaded reaches a 31 March yet: the published series alone.
		for _, f := range pub {
			if f.CLA31Mar.Known && !care.Date(f.Year, time.March, 31).After(res.At) {
				first, last = f.Year, f.Year
			}
		}
		if last == 0 {
			return chartView{}, false
		}
	}
	for _, f := range pub {
		if f.CLA31Mar.Known && f.Year < first && f.Year >= last-15 {
			first = f.Year
		}
	}
	var cats []string
	own := chart.Series{Name: res.Scope.Name + " (this data)"}
	published := chart.Series{Name: res.Scope.Name + " (published)", Dashed: true}
	for y := first; y <= last; y++ {
		cats = append(cats, fmt.Sprintf("%d", y))
		v := math.NaN()
		for _, h := range res.History {
			if h.Year == y && !(publish && h.InCare >= 1 && h.InCare <= 4) {
				v = float64(h.InCare)
			}
		}
		own.Values = append(own.Values, v)
		pv := math.NaN()
		for _, f := range pub {
			if f.Year == y && f.CLA31Mar.Known {
				pv = f.CLA31Mar.Value
			}
		}
		published.Values = append(published.Values, pv)
	}
	ss := []chart.Series{own}
	if !allMissing([]chart.Series{published}) {
		ss = append(ss, published)
	}
	title := "Children in care at 31 March"
	desc := fmt.Sprintf("Children in care in %s at 31 March of each year from %d to %d, counted from the loaded returns", sc.Name, first, last)
	if len(ss) > 1 {
		desc += ", beside the DfE's published figures"
	}
	l := chart.Line{ID: "chart-trend", Title: title, Desc: desc + ".", Categories: cats, Series: ss, YLabel: "Children"}
	note := "Counted from the loaded returns; years before the first return loaded show the published figures only."
	if len(sc.Missing) > 0 {
		note += " No published line: not every council of " + sc.Name + " is loaded."
	}
	return chartView{ID: "chart-trend", Title: title, SVG: template.HTML(l.SVG()), Key: seriesKey(ss, true), Note: note,
		Table: seriesTable(title, "Year", cats, ss, tabular.Count)}, true
}

// supplyChart draws registered places against children placed, by kind of provision.
func supplyChart(tables []tabular.Table) (chartView, bool) {
	t := findTable(tables, "Supply and demand")
	if t == nil {
		return chartView{}, false
	}
	cats, places := column(t, "Places")
	_, own := column(t, "Own children in this type")
	_, inArea := column(t, "in the area")
	_, others := column(t, "Other councils' children in the area")
	ss := []chart.Series{{Name: "Registered places in the area", Values: places}, {Name: "Own children placed in this type", Values: own},
		{Name: "of them in the area", Values: inArea}}
	// Other councils' children are counted only when their data is read
	// (the CLI's in-placers); the web reads the scope's councils only.
	if !allMissing([]chart.Series{{Values: nonZero(others)}}) {
		ss = append(ss, chart.Series{Name: "Other councils' children in the area", Values: others})
	}
	if len(cats) == 0 || allMissing(ss) {
		return chartView{}, false
	}
	title := "Supply against demand"
	b := chart.Bars{ID: "chart-supply", Title: title, Desc: "For each kind of registered provision: the places in the area, the area's own children placed in that kind anywhere and in the area, and other councils' children placed in the area.",
		Categories: cats, Series: ss}
	return chartView{ID: "chart-supply", Title: title, SVG: template.HTML(b.SVG()), Key: seriesKey(ss, false),
		Note:  "Supported accommodation and fostering agencies do not publish places.",
		Table: seriesTable(title, "Provision", cats, ss, tabular.Count)}, true
}

// regionMap places the scope's councils at their centroids, sized by the
// children in care (from the Councils table, so suppressed as it is).
func regionMap(res analysis.PictureResult, tables []tabular.Table) (chartView, bool) {
	t := findTable(tables, "Councils")
	if t == nil && res.Scope.Council != nil {
		t = councilRow(res, tables)
	}
	if t == nil {
		return chartView{}, false
	}
	ci, oi := t.ColumnIndex("Children in care"), t.ColumnIndex("Over 20 miles")
	var areas []chart.Point
	tt := tabular.Table{Title: "Councils on the map", Columns: []tabular.Column{{Name: "Council"}, {Name: "Children in care", Kind: tabular.Count}, {Name: "Over 20 miles", Kind: tabular.Count}, {Name: "Easting"}, {Name: "Northing"}}}
	for _, r := range t.Rows {
		code := fmt.Sprint(r[1])
		c, ok := refdata.CouncilByCode(code)
		if !ok || c.Easting == 0 {
			continue
		}
		n := cellNumber(r[ci])
		note := formatCell(t.Columns[ci], r[ci]) + " children in care, " + formatCell(t.Columns[oi], r[oi]) + " placed over 20 miles from home"
		size := n
		if math.IsNaN(size) {
			size = 0
		}
		areas = append(areas, chart.Point{X: c.Easting, Y: c.Northing, Size: size, Label: c.Name, Note: note, Href: "/councils/" + c.Code})
		tt.AddRow(c.Name, r[ci], r[oi], fmt.Sprintf("%.0f", c.Easting), fmt.Sprintf("%.0f", c.Northing))
	}
	dots, dotKey, left := mapLayers(tables, regionCouncils(res.Scope.Region))
	if len(areas) == 0 || len(areas) == 1 && len(dots) == 0 {
		return chartView{}, false
	}
	title := "Map of " + res.Scope.Name
	desc := "Each council of " + res.Scope.Name + " at the centre of its postcodes, its circle's area proportional to its children in care"
	note := "Large circles: councils at the mean position of their postcodes, area proportional to children in care; select one to open its page."
	if len(dots) > 0 {
		desc += "; small circles: registered homes and where children in care are placed, by postcode district"
		note += " Small circles: postcode districts at their centres, sized by registered places (homes) or by children placed there; districts with 1 to 4 children are left off where small numbers are suppressed. The tables below list every district."
	}
	if left > 0 {
		note += fmt.Sprintf(" %s children placed outside %s are not drawn (see the table of where children are placed).", formatInt(int64(left)), res.Scope.Region)
	}
	flows, flowKey, drawn, allFlows := mapFlows(tables)
	if len(flows) > 0 {
		desc += "; lines: children placed more than 20 miles from home, from their council to the council they are placed in"
		note += fmt.Sprintf(" Lines: children placed more than 20 miles from home, from their council's centre to the centre of the council they are placed in, thicker for more children (ending at the map's edge, with the council's name, when that council is outside it); the %d largest of %d are drawn, the table of children placed more than 20 miles from home lists them all.", drawn, allFlows)
	}
	m := chart.Map{ID: "chart-map", Title: title, Desc: desc + ". North is up.", Areas: areas, Dots: dots, Flows: flows, Width: 960, Height: 640}
	key := append(append([]keyItem{{Name: "Council: children in care", Swatch: 0}}, dotKey...), flowKey...)
	return chartView{ID: "chart-map", Title: title, SVG: template.HTML(m.SVG()), Wide: true, Note: note, Key: key, Table: tt}, true
}

// councilRow is a one-council scope's row for the map, from its summary
// table: children in care and over 20 miles.
func councilRow(res analysis.PictureResult, tables []tabular.Table) *tabular.Table {
	c := res.Scope.Council
	t := &tabular.Table{Columns: []tabular.Column{{Name: "Council"}, {Name: "Code"}, {Name: "Children in care", Kind: tabular.Count}, {Name: "Over 20 miles", Kind: tabular.Count}}}
	var inCare, over20 any
	if sum := findTable(tables, res.Picture.Name+": children in care at"); sum != nil && len(sum.Rows) > 0 {
		if j := sum.ColumnIndex("Number"); j >= 0 {
			for _, r := range sum.Rows {
				switch fmt.Sprint(r[0]) {
				case "Children in care":
					inCare = r[j]
				case "Placed over 20 miles from home":
					over20 = r[j]
				}
			}
		}
	}
	t.AddRow(c.Name, c.Code, inCare, over20)
	return t
}

// comparatorNotes keeps the notes that say which period each comparator's
// published figures are for (the comparison table's notes also carry the
// picture's definitions).
func comparatorNotes(notes []string) string {
	var out []string
	for _, n := range notes {
		if strings.Contains(n, ": published figures for ") {
			out = append(out, n)
		}
	}
	return strings.Join(out, " ")
}

// nonZero is vals with zeros as NaN.
func nonZero(vals []float64) []float64 {
	out := make([]float64, len(vals))
	for i, v := range vals {
		out[i] = v
		if v == 0 {
			out[i] = math.NaN()
		}
	}
	return out
}
