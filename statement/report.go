// Package statement builds a sufficiency statement — the draft a council or
// a Regional Care Cooperative publishes to show how it will secure enough
// homes for its children in care (Children Act 1989 s22G) — from the data
// already loaded: the picture, the market and the care leavers of a scope,
// the published-statistics forecast with its backtested accuracy, and the
// commissioning intentions a council writes in Markdown.
//
// Build gathers the figures (through package analysis), Compose turns them
// into a Report of sections whose sentences are written from the numbers
// (rising or falling, above or below neighbours, the fastest-growing need),
// and the writers render a Report as one standalone HTML file (inline styles
// and SVG charts), an Excel workbook (every table on its own sheet and a
// sheet of sources) or an A4 PDF printed by headless Chromium.
//
// Small numbers are suppressed as for publication (counts of 1 to 4 shown as
// "c", see tabular.Suppress) in every table and sentence unless
// Options.Unsuppressed is set.
package statement

import (
	"time"

	"sufficiency/tabular"
)

// Report is a sufficiency statement ready to render.
type Report struct {
	// Title is the statement's title, e.g. "Sufficiency statement: Gateshead".
	Title string
	// Area names the council or region.
	Area string
	// Region is true for a region's (or England's) statement.
	Region bool
	// At is the date the figures describe.
	At time.Time
	// Made is when the statement was generated.
	Made time.Time
	// Suppressed is true when small numbers are suppressed for publication.
	Suppressed bool
	// Synthetic is true when the loaded data is known to be synthetic (the
	// demo), so that no reader takes it for a council's real figures.
	Synthetic bool
	// Sections in reading order.
	Sections []Section
	// Sources lists every source the figures come from.
	Sources []Source
}

// Section is one numbered section of the statement.
type Section struct {
	// ID is a stable anchor ("summary", "needs", ...).
	ID string
	// Number is the section's number, from 1.
	Number int
	Title  string
	// Blocks are the section's text, charts and tables in order.
	Blocks []Block
}

// BlockKind says what a Block holds.
type BlockKind int

// Block kinds.
const (
	Paragraph  BlockKind = iota // Text is a paragraph written from the numbers
	Heading                     // Text is a sub-heading
	List                        // Items are a bulleted list
	Figure                      // Chart is a chart (its data are in a table of the section)
	TableBlock                  // Table is a table
	Quote                       // Text is a paragraph given by the council (commissioning intentions)
)

// Block is one piece of a section.
type Block struct {
	Kind  BlockKind
	Text  string
	Items []string
	Chart *Chart
	// Table is numbered "N.M" in its title; Source says where its figures come from.
	Table  *tabular.Table
	Source string
}

// ChartKind is the kind of a chart.
type ChartKind int

// Chart kinds.
const (
	Bars ChartKind = iota // horizontal bars, one per label and series
	Line                  // a line per series over the labels (years), with an optional band
)

// Chart is a chart drawn as SVG from its numbers. A value that is not known
// or is suppressed is NaN and drawn as a gap.
type Chart struct {
	Kind   ChartKind
	Title  string
	Labels []string
	Series []Series
	// Unit describes the values ("children", "%", "per 10,000 children").
	Unit string
	// Source says where the figures come from.
	Source string
	// Desc describes the chart in words for screen readers.
	Desc string
}

// Series is one set of values of a chart. Low and High, when set (same
// length as Values), give an interval drawn as a band around a line.
type Series struct {
	Name      string
	Values    []float64
	Low, High []float64
	// Dashed draws the line dashed (a projection).
	Dashed bool
}

// Source is one source of figures.
type Source struct {
	Name   string // e.g. "SSDA903 returns loaded"
	Detail string // what was used, and from where
	Date   string // the date or period of the figures
}

// Tables returns every table of the report in order, as the workbook holds them.
func (r *Report) Tables() []tabular.Table {
	var out []tabular.Table
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			if b.Kind == TableBlock && b.Table != nil {
				out = append(out, *b.Table)
			}
		}
	}
	return out
}
