package tabular

// SuppressionRule describes, for readers of published tables, how small
// numbers are hidden. It is added to the notes of every suppressed table.
const SuppressionRule = "Small numbers suppressed for publication: counts of 1 to 4 are shown as \"c\" (or the symbol given); " +
	"where a total would reveal a single suppressed count, the next smallest count in the same column (or row) " +
	"is suppressed too; percentages, rates and spend derived from a suppressed count are suppressed with it (and, where a figure " +
	"does not name its count, when any count of its row is suppressed). Published figures are given at 31 March of each year only. " +
	"Zeros are shown."

// Suppress returns a copy of t prepared for publication. The rule, applied to
// every Count column not marked Public:
//
//  1. Primary: a count of 1, 2, 3 or 4 becomes "c". Zeros are shown.
//  2. Secondary: when the table has a total row (TotalRow) and, in a column,
//     exactly one count above the total is suppressed while the total is
//     shown, the total minus the others would reveal it; so the smallest
//     other non-zero count in that column is suppressed too (or, if there is
//     none, the total). The same is done along each row when the table has a
//     Total column, and over the named parts of each column with Parts
//     (a count that is the sum of some of the row's other counts). This
//     repeats until nothing changes.
//  3. Derived: a Percent, Rate, Money or Number cell whose Base count is
//     suppressed is suppressed too.
//  4. A Percent, Rate, Money or Number cell of a column without a Base is
//     suppressed when any count of its row is.
//
// Tables are suppressed independently: a figure that two tables both show is
// suppressed in each by that table's own rule. Suppress never changes t.
func Suppress(t Table) Table { return SuppressAs(t, Suppressed) }

// SuppressAs is Suppress writing symbol (e.g. "<5") in place of each
// suppressed figure instead of "c".
func SuppressAs(t Table, symbol string) Table {
	out := t
	out.Columns = append([]Column(nil), t.Columns...)
	out.Rows = make([][]any, len(t.Rows))
	for i, r := range t.Rows {
		out.Rows[i] = append([]any(nil), r...)
	}
	out.Notes = append(append([]string(nil), t.Notes...), SuppressionRule)

	counts := []int{}
	for j, c := range out.Columns {
		if c.Kind == Count && !c.Public {
			counts = append(counts, j)
		}
	}
	// 1. primary
	for _, r := range out.Rows {
		for _, j := range counts {
			if n, ok := countOf(r[j]); ok && n >= 1 && n <= 4 {
				r[j] = symbol
			}
		}
	}
	// 2. secondary, to a fixed point
	for changed := true; changed; {
		changed = false
		if out.TotalRow && len(out.Rows) > 1 {
			last := len(out.Rows) - 1
			for _, j := range counts {
				cells := make([]*any, 0, last)
				for i := 0; i < last; i++ {
					cells = append(cells, &out.Rows[i][j])
				}
				if secondary(cells, &out.Rows[last][j], symbol) {
					changed = true
				}
			}
		}
		for _, tj := range counts {
			if !out.Columns[tj].Total {
				continue
			}
			for _, r := range out.Rows {
				var cells []*any
				for _, j := range counts {
					if j != tj {
						cells = append(cells, &r[j])
					}
				}
				if secondary(cells, &r[tj], symbol) {
					changed = true
				}
			}
		}
		for tj, c := range out.Columns {
			if c.Kind != Count || c.Public || len(c.Parts) == 0 {
				continue
			}
			var parts []int
			for _, name := range c.Parts {
				if j := out.ColumnIndex(name); j >= 0 && j != tj {
					parts = append(parts, j)
				}
			}
			for _, r := range out.Rows {
				cells := make([]*any, 0, len(parts))
				for _, j := range parts {
					cells = append(cells, &r[j])
				}
				if secondary(cells, &r[tj], symbol) {
					changed = true
				}
			}
		}
	}
	// 3. derived
	for j, c := range out.Columns {
		if c.Base == "" || c.Kind == Text || c.Kind == Count {
			continue
		}
		b := out.ColumnIndex(c.Base)
		if b < 0 {
			continue
		}
		for _, r := range out.Rows {
			if r[b] == symbol && r[j] != nil {
				r[j] = symbol
			}
		}
	}
	// 4. a derived cell with no Base (a median, a mean, a growth rate beside
	// the counts it rests on) is suppressed when any count of its row is:
	// it may rest on that count, and the median of two prices or the mean
	// of one is a child's price.
	for _, r := range out.Rows {
		hidden := false
		for _, j := range counts {
			if r[j] == symbol {
				hidden = true
				break
			}
		}
		if !hidden {
			continue
		}
		for j, c := range out.Columns {
			if c.Base == "" && !c.Public && r[j] != nil && (c.Kind == Money || c.Kind == Percent || c.Kind == Rate || c.Kind == Number) {
				r[j] = symbol
			}
		}
	}
	return out
}

// secondary applies the secondary rule to one line of cells and their total.
// It reports whether it suppressed anything.
func secondary(cells []*any, total *any, symbol string) bool {
	if *total == symbol {
		return false
	}
	hidden := 0
	for _, c := range cells {
		if *c == symbol {
			hidden++
		}
	}
	if hidden != 1 {
		return false
	}
	var pick *any
	best := 0
	for _, c := range cells {
		if n, ok := countOf(*c); ok && n > 0 && (pick == nil || n < best) {
			pick, best = c, n
		}
	}
	if pick == nil {
		pick = total
	}
	*pick = symbol
	return true
}

// countOf reads a count cell.
func countOf(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case float64:
		return int(x), x == float64(int(x))
	}
	return 0, false
}
