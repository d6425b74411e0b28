package web

import (
	"slices"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/tabular"
)

// The comparison picker: which published comparators a picture shows
// beside the scope's own figures and its own published ones, as LAIT lets
// an analyst choose: its statistical neighbours (a council's ten most
// similar councils, the DfE's model), its region, England, or all.
const (
	compareAll        = "all"
	compareNeighbours = "neighbours"
	compareRegion     = "region"
	compareEngland    = "england"
)

// compareKinds are the picture.Comparator kinds each choice keeps ("published"
// — the scope's own published figures — is always kept).
var compareKinds = map[string]string{compareNeighbours: "average", compareRegion: "region", compareEngland: analysis.England}

// parseCompare reads ?compare= ("" is all). EINVALID for anything else.
func parseCompare(s string) (string, error) {
	switch s {
	case "", compareAll:
		return compareAll, nil
	case compareNeighbours, compareRegion, compareEngland:
		return s, nil
	}
	return "", care.Errorf(care.EINVALID, "compare %q: choose neighbours, region, england or all", s)
}

// compareChoices are the picker's options for the comparators the picture
// has (statistical neighbours only for a council); none when there is
// nothing to choose between.
func compareChoices(pr analysis.PictureResult, chosen string) []choice {
	have := map[string]bool{}
	for _, c := range pr.Picture.Comparators {
		have[c.Kind] = true
	}
	out := []choice{{Value: compareAll, Text: "All published comparators", Selected: chosen == compareAll}}
	for _, o := range []struct{ value, text string }{
		{compareNeighbours, "Statistical neighbours"}, {compareRegion, "Region"}, {compareEngland, "England"},
	} {
		if have[compareKinds[o.value]] {
			out = append(out, choice{Value: o.value, Text: o.text, Selected: chosen == o.value})
		}
	}
	if len(out) <= 2 {
		return nil
	}
	return out
}

// compareTables returns tables with the comparison table narrowed to the
// chosen comparator (and the scope's own figures, measured and published).
// The other tables are shared, not copied.
func compareTables(ts []tabular.Table, pr analysis.PictureResult, chosen string) []tabular.Table {
	out := slices.Clone(ts)
	cmp := findTable(out, "Comparison with published figures")
	if cmp == nil {
		return out
	}
	// Columns: the measure, this data, then one per comparator in order.
	keep := []int{0, 1}
	for j, c := range pr.Picture.Comparators {
		if c.Kind == "published" || c.Kind == compareKinds[chosen] {
			keep = append(keep, j+2)
		}
	}
	t := *cmp
	t.Columns = nil
	for _, j := range keep {
		if j < len(cmp.Columns) {
			t.Columns = append(t.Columns, cmp.Columns[j])
		}
	}
	t.Rows = make([][]any, len(cmp.Rows))
	for i, r := range cmp.Rows {
		for _, j := range keep {
			if j < len(r) {
				t.Rows[i] = append(t.Rows[i], r[j])
			}
		}
	}
	*cmp = t
	return out
}
