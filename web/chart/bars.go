package chart

import (
	"fmt"
	"math"
	"strings"
)

// Bars is a horizontal bar chart: for each category, one bar per series (a
// scope beside its region and England). Each category's label is written
// above its bars, so long labels need no room at the side and the chart
// reads at any width.
type Bars struct {
	ID          string
	Title, Desc string
	Categories  []string
	Series      []Series
	// Format writes the value at the end of each bar and the axis (default Plain).
	Format Format
	// Max fixes the end of the axis (100 for percentages); 0 fits the data.
	Max   float64
	Width int // default 480
}

// SVG draws the chart.
func (c Bars) SVG() string {
	w := c.Width
	if w == 0 {
		w = 480
	}
	f := c.Format
	if f == nil {
		f = Plain
	}
	const left, right, labelH, barH, gap, groupGap = 8, 90, 22, 16, 3, 14
	var sets [][]float64
	for _, s := range c.Series {
		sets = append(sets, s.Values)
	}
	_, hi := dataRange(sets...)
	if c.Max > 0 {
		hi = math.Max(hi, c.Max)
	}
	if hi <= 0 {
		hi = 1
	}
	ns := len(c.Series)
	groupH := labelH + ns*(barH+gap) + groupGap
	h := 10 + len(c.Categories)*groupH
	pw := float64(w - left - right)
	var b strings.Builder
	svgOpen(&b, c.ID, w, h, c.Title, c.Desc)
	for ci, cat := range c.Categories {
		y0 := 10 + ci*groupH
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#0b0c0c" font-weight="bold">%s</text>`, left, y0+15, esc(cat))
		for si, s := range c.Series {
			col := s.Colour
			if col == "" {
				col = Colour(si)
			}
			y := y0 + labelH + si*(barH+gap)
			v := math.NaN()
			if ci < len(s.Values) {
				v = s.Values[ci]
			}
			if !finite(v) {
				fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#505a5f" font-size="13">%s: not available</text>`, left, y+12, esc(s.Name))
				continue
			}
			bw := pw * math.Max(v, 0) / hi
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d" fill="%s"><title>%s, %s: %s</title></rect>`, left, y, num(bw), barH, col, esc(s.Name), esc(cat), esc(f(v)))
			fmt.Fprintf(&b, `<text x="%s" y="%d" fill="#0b0c0c" font-size="13">%s</text>`, num(float64(left)+bw+5), y+12, esc(f(v)))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}
