package chart

import (
	"fmt"
	"strings"
)

// Line is a line chart of series over categories, with optional bands
// shaded beneath the lines (a fan chart).
type Line struct {
	// ID makes the ids inside the SVG unique on the page.
	ID string
	// Title and Desc become the SVG's <title> and <desc>.
	Title, Desc string
	// Categories label the x axis, one per value of each series.
	Categories []string
	Series     []Series
	Bands      []Band // outermost first
	// YLabel names the y axis ("Children in care").
	YLabel string
	// Format writes the y axis and point labels (default Plain).
	Format Format
	// Marker, when > 0, draws a dashed vertical line before category Marker
	// with MarkerLabel beside it ("Forecast").
	Marker      int
	MarkerLabel string
	// Width and Height of the drawing (default 480 × 300).
	Width, Height int
}

// SVG draws the chart.
func (c Line) SVG() string {
	w, h := c.Width, c.Height
	if w == 0 {
		w = 480
	}
	if h == 0 {
		h = 300
	}
	f := c.Format
	if f == nil {
		f = Plain
	}
	const left, right, top, bottom = 78, 20, 28, 46
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	var sets [][]float64
	for _, s := range c.Series {
		sets = append(sets, s.Values)
	}
	for _, b := range c.Bands {
		sets = append(sets, b.Lower, b.Upper)
	}
	lo, hi := dataRange(sets...)
	ticks := niceTicks(lo, hi, 5)
	ymin, ymax := ticks[0], ticks[len(ticks)-1]
	n := len(c.Categories)
	x := func(i int) float64 {
		if n <= 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return top + ph*(1-(v-ymin)/(ymax-ymin)) }

	var b strings.Builder
	svgOpen(&b, c.ID, w, h, c.Title, c.Desc)
	// Grid and y axis.
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line x1="%d" x2="%s" y1="%s" y2="%s" stroke="#b1b4b6" stroke-width="1"/>`, left, num(left+pw), num(y(t)), num(y(t)))
		fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="end" fill="#0b0c0c">%s</text>`, left-6, num(y(t)+5), esc(f(t)))
	}
	if c.YLabel != "" {
		fmt.Fprintf(&b, `<text x="%d" y="16" fill="#0b0c0c" font-weight="bold">%s</text>`, 4, esc(c.YLabel))
	}
	// X labels: at most about 12, evenly spread.
	every := 1
	if most := int(pw) / 48; n > most && most > 0 {
		every = (n + most - 1) / most
	}
	for i, cat := range c.Categories {
		if i%every != 0 && i != n-1 {
			continue
		}
		if i != n-1 && n-1-i < every && i%every == 0 && i != 0 {
			continue // keep the last label clear of its neighbour
		}
		anchor := "middle"
		if n > 1 && i == 0 {
			anchor = "start"
		} else if n > 1 && i == n-1 {
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="%s" fill="#0b0c0c">%s</text>`, num(x(i)), h-bottom+22, anchor, esc(cat))
	}
	fmt.Fprintf(&b, `<line x1="%d" x2="%s" y1="%s" y2="%s" stroke="#0b0c0c" stroke-width="1"/>`, left, num(left+pw), num(top+ph), num(top+ph))
	// Bands.
	for bi, band := range c.Bands {
		fill := BandColours[min(bi, len(BandColours)-1)]
		for _, seg := range segments(n, func(i int) bool {
			return i < len(band.Lower) && i < len(band.Upper) && finite(band.Lower[i]) && finite(band.Upper[i])
		}) {
			var pts []string
			for i := seg[0]; i <= seg[1]; i++ {
				pts = append(pts, num(x(i))+","+num(y(band.Upper[i])))
			}
			for i := seg[1]; i >= seg[0]; i-- {
				pts = append(pts, num(x(i))+","+num(y(band.Lower[i])))
			}
			fmt.Fprintf(&b, `<polygon points="%s" fill="%s" stroke="none"><title>%s</title></polygon>`, strings.Join(pts, " "), fill, esc(band.Name))
		}
	}
	if c.Marker > 0 && c.Marker < n {
		mx := (x(c.Marker-1) + x(c.Marker)) / 2
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%d" y2="%s" stroke="#0b0c0c" stroke-dasharray="4 4"/>`, num(mx), num(mx), top, num(top+ph))
		if c.MarkerLabel != "" {
			fmt.Fprintf(&b, `<text x="%s" y="%d" fill="#0b0c0c">%s</text>`, num(mx+4), top+12, esc(c.MarkerLabel))
		}
	}
	// Lines with points.
	for si, s := range c.Series {
		col := s.Colour
		if col == "" {
			col = Colour(si)
		}
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="8 5"`
		}
		fmt.Fprintf(&b, `<g><title>%s</title>`, esc(s.Name))
		for _, seg := range segments(n, func(i int) bool { return i < len(s.Values) && finite(s.Values[i]) }) {
			var pts []string
			for i := seg[0]; i <= seg[1]; i++ {
				pts = append(pts, num(x(i))+","+num(y(s.Values[i])))
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="3"%s/>`, strings.Join(pts, " "), col, dash)
		}
		if n <= 24 {
			for i := 0; i < n && i < len(s.Values); i++ {
				if v := s.Values[i]; finite(v) {
					fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="4" fill="%s"><title>%s, %s: %s</title></circle>`, num(x(i)), num(y(v)), col, esc(s.Name), esc(c.Categories[i]), esc(f(v)))
				}
			}
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// segments returns the runs [from, to] of consecutive indexes below n for
// which ok holds.
func segments(n int, ok func(int) bool) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i <= n; i++ {
		if i < n && ok(i) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, [2]int{start, i - 1})
			start = -1
		}
	}
	return out
}
