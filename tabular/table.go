// Package tabular holds the tables that the analytic commands (picture,
// review, market) print, and writes them as aligned text, CSV, JSON or an
// Excel workbook (one sheet per table). It also applies small-number
// suppression for publication (see Suppress).
//
// A Table is plain data: a title, typed columns, rows of values and notes.
// Cell values are int (counts), float64 (rates, percentages, miles), care.Pence
// (money), string (labels) or nil (no value). Writers format each value by its
// column's Kind, so the same table reads well as text and stays numeric in
// CSV, JSON and Excel.
package tabular

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"sufficiency/care"
)

// Kind says what a column holds and how it is formatted and suppressed.
type Kind int

// Column kinds.
const (
	Text    Kind = iota // a label; never suppressed
	Count               // a number of children, places, placements: suppressed when 1–4
	Percent             // a percentage 0–100, one decimal; derived from its Base count
	Rate                // a rate (e.g. per 10,000), one decimal; derived from its Base count
	Money               // pounds (values are care.Pence), whole pounds; derived from its Base count
	Number              // any other number (miles, an index): one decimal, none when whole; derived from its Base count
)

// Column is one column of a table.
type Column struct {
	Name string
	Kind Kind
	// Base names the Count column this column is derived from (a percentage
	// of it, the spend on those placements, ...). When that count is
	// suppressed, this cell is suppressed too. "" when it stands alone.
	Base string
	// Total marks a Count column that is the sum of the row's other Count
	// columns; secondary suppression then works along the row as well.
	Total bool
	// Parts names the Count columns whose sum, in the same row, is this
	// Count column (e.g. children = inside + outside + not known). Secondary
	// suppression then works along each row over those cells, so that a
	// suppressed part cannot be recovered as the total minus the others.
	Parts []string
	// Public marks a Count column of figures that are public already (such
	// as registered homes and places from the Ofsted register): it is never
	// suppressed.
	Public bool
}

// Table is one table of figures.
type Table struct {
	Title   string
	Columns []Column
	Rows    [][]any
	Notes   []string
	// TotalRow marks the last row as the total of the rows above it, for
	// secondary suppression down each Count column.
	TotalRow bool
}

// Suppressed is the symbol written in place of a suppressed figure, as the
// DfE does in its statistics.
const Suppressed = "c"

// ColumnIndex returns the index of the named column, or -1.
func (t *Table) ColumnIndex(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// AddRow appends a row; it pads or trims to the number of columns so a
// malformed row never breaks a writer.
func (t *Table) AddRow(values ...any) {
	row := make([]any, len(t.Columns))
	copy(row, values)
	t.Rows = append(t.Rows, row)
}

// Format renders one cell as text, by its column's kind: counts as whole
// numbers, percentages and rates with one decimal, money as whole pounds with
// thousands separators. nil is "" and strings (such as "c") are as given.
func Format(c Column, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case int:
		if c.Kind == Money {
			return money(float64(x))
		}
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case care.Pence:
		return money(x.Pounds())
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		switch c.Kind {
		case Count:
			return strconv.FormatFloat(x, 'f', 0, 64)
		case Money:
			return money(x)
		case Number:
			if x == math.Trunc(x) && math.Abs(x) < 1e15 {
				return strconv.FormatFloat(x, 'f', 0, 64) // a whole number: no ".0"
			}
		}
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	return fmt.Sprint(v)
}

// plain returns the value as it should appear in CSV, JSON and Excel: numbers
// stay numbers (money in pounds, to the penny), labels stay text.
func plain(c Column, v any) any {
	switch x := v.(type) {
	case care.Pence:
		return x.Pounds()
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		if c.Kind == Percent || c.Kind == Rate || c.Kind == Number {
			return math.Round(x*10) / 10
		}
		return x
	}
	return v
}

// money formats pounds as "£12,345" (whole pounds). An amount that rounds to
// zero pounds is "£0", never "-£0".
func money(pounds float64) string {
	n := int64(math.Round(math.Abs(pounds)))
	if pounds < 0 && n > 0 {
		return "-£" + Thousands(n)
	}
	return "£" + Thousands(n)
}

// FormatGrouped is Format with the digits of whole numbers grouped in
// thousands (5994 is "5,994", 12345.6 is "12,345.6"), as people read them:
// the text tables and the statement use it; CSV, JSON and Excel
// keep the plain values. Text and money (already grouped) are as Format
// gives them, and so is a cell that is not a number ("c", "").
func FormatGrouped(c Column, v any) string {
	s := Format(c, v)
	if c.Kind == Text || c.Kind == Money {
		return s
	}
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	if len(whole) < 4 || strings.Trim(whole, "0123456789") != "" {
		return s
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return s
	}
	out := Thousands(n)
	if neg {
		out = "-" + out
	}
	if frac != "" {
		out += "." + frac
	}
	return out
}

// Thousands writes n with thousands separators: 1234567 is "1,234,567",
// -4500 is "-4,500". The one way the program groups digits.
func Thousands(n int64) string {
	neg := n < 0
	s := strconv.FormatInt(n, 10)
	if neg {
		s = s[1:]
	}
	b := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		b = append(b, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// Decimal writes v with decimals places and thousands separators:
// 12345.64 with 1 is "12,345.6". A value that rounds to zero has no sign.
func Decimal(v float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	out := Thousands(n)
	if frac != "" {
		out += "." + frac
	}
	if v < 0 && strings.Trim(s, "0.") != "" {
		out = "-" + out
	}
	return out
}

// PenceText writes an amount of money in pounds and pence: "£1,234.56",
// "-£0.01".
func PenceText(p care.Pence) string {
	v := p.Pounds()
	if v < 0 && math.Round(-v*100) > 0 {
		return "-£" + Decimal(-v, 2)
	}
	return "£" + Decimal(math.Abs(v), 2)
}

// Pct returns 100·part/whole, or nil when whole is 0 (no percentage exists).
func Pct(part, whole int) any {
	if whole == 0 {
		return nil
	}
	return 100 * float64(part) / float64(whole)
}
