package web

import (
	"strconv"
	"strings"

	"sufficiency/tabular"
)

// The API writes tables with stable snake_case keys, never display labels:
// each column has a key made from its name ("%" → "pct", "Of" → "of",
// "Weekly cost" → "weekly_cost"), the labels are given beside them, and
// each row is an object keyed by the column keys.

// APITable is one table as the API writes it.
type APITable struct {
	Title   string            `json:"title"`
	Columns []string          `json:"columns"` // the column keys, in order
	Labels  map[string]string `json:"labels"`  // key → the column's label as the page shows it
	Kinds   map[string]string `json:"kinds"`   // key → text, count, money (pounds), percent, rate or number
	Rows    []map[string]any  `json:"rows"`
	Notes   []string          `json:"notes,omitempty"`
}

// columnKey makes a snake_case key of a column label.
func columnKey(name string) string {
	s := strings.NewReplacer("%", " pct ", "£", " gbp ", "+", " plus ", "&", " and ").Replace(name)
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			under = false
		case !under && b.Len() > 0:
			b.WriteByte('_')
			under = true
		}
	}
	k := strings.TrimSuffix(b.String(), "_")
	if k == "" {
		k = "column"
	}
	if k[0] >= '0' && k[0] <= '9' {
		k = "c_" + k
	}
	return k
}

var kindNames = map[tabular.Kind]string{tabular.Text: "text", tabular.Count: "count", tabular.Money: "money", tabular.Percent: "percent", tabular.Rate: "rate", tabular.Number: "number"}

// apiTables converts tables to their API form.
func apiTables(ts []tabular.Table) []APITable {
	out := make([]APITable, 0, len(ts))
	for _, t := range ts {
		at := APITable{Title: t.Title, Labels: map[string]string{}, Kinds: map[string]string{}, Notes: t.Notes, Rows: make([]map[string]any, 0, len(t.Rows))}
		keys := make([]string, len(t.Columns))
		for j, c := range t.Columns {
			k := columnKey(c.Name)
			for n := 2; at.Labels[k] != ""; n++ {
				k = columnKey(c.Name) + "_" + strconv.Itoa(n)
			}
			keys[j] = k
			at.Labels[k] = c.Name
			at.Kinds[k] = kindNames[c.Kind]
		}
		at.Columns = keys
		for _, r := range t.Rows {
			m := make(map[string]any, len(keys))
			for j, c := range t.Columns {
				if j < len(r) {
					m[keys[j]] = tabular.Value(c, r[j])
				}
			}
			at.Rows = append(at.Rows, m)
		}
		out = append(out, at)
	}
	return out
}
