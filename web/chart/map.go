package chart

import (
	"fmt"
	"math"
	"strings"
)

// Point is one place on a map: X and Y are projected coordinates (eastings
// and northings in metres, say: y grows northwards), Size scales its circle's
// area, Label names it and Href, when set, links it.
type Point struct {
	X, Y  float64
	Size  float64
	Label string
	Note  string // the tooltip after the label ("312 children in care")
	Href  string
	// Colour of the circle ("" for the first palette colour).
	Colour string
}

// Map draws points (councils at their centroids, homes) on a plain
// background, fitted to their extent with north up. No tiles: nothing is
// fetched.
type Map struct {
	ID          string
	Title, Desc string
	Areas       []Point // large circles, labelled (councils)
	Dots        []Point // small dots, not labelled (homes); sized by Size against the largest of their colour
	// Lines join pairs of points (children placed far from home): From and
	// To index Areas; Weight scales the stroke.
	Lines         []MapLine
	Width, Height int // default 480 × 440
}

// MapLine is a line between two areas of a map.
type MapLine struct {
	From, To int
	Weight   float64
	Label    string
}

// SVG draws the map.
func (m Map) SVG() string {
	w, h := m.Width, m.Height
	if w == 0 {
		w = 480
	}
	if h == 0 {
		h = 440
	}
	const pad = 50
	all := append(append([]Point(nil), m.Areas...), m.Dots...)
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range all {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	if len(all) == 0 {
		minX, maxX, minY, maxY = 0, 1, 0, 1
	}
	spanX, spanY := math.Max(maxX-minX, 1), math.Max(maxY-minY, 1)
	scale := math.Min(float64(w-2*pad)/spanX, float64(h-2*pad)/spanY)
	offX := (float64(w) - spanX*scale) / 2
	offY := (float64(h) - spanY*scale) / 2
	px := func(p Point) (float64, float64) {
		return offX + (p.X-minX)*scale, float64(h) - (offY + (p.Y-minY)*scale)
	}
	maxSize := 0.0
	for _, p := range m.Areas {
		maxSize = math.Max(maxSize, p.Size)
	}
	radius := func(s float64) float64 {
		if maxSize <= 0 || s <= 0 {
			return 5
		}
		return 5 + 25*math.Sqrt(s/maxSize)
	}
	var b strings.Builder
	role := "img"
	for _, p := range m.Areas {
		if p.Href != "" {
			role = "group"
		}
	}
	svgOpen(&b, m.ID, w, h, m.Title, m.Desc, role)
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#f3f2f1"/>`, w, h)
	for _, l := range m.Lines {
		if l.From < 0 || l.From >= len(m.Areas) || l.To < 0 || l.To >= len(m.Areas) {
			continue
		}
		x1, y1 := px(m.Areas[l.From])
		x2, y2 := px(m.Areas[l.To])
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#d4351c" stroke-opacity="0.6" stroke-width="%s"><title>%s</title></line>`,
			num(x1), num(y1), num(x2), num(y2), num(1+math.Min(l.Weight, 8)), esc(l.Label))
	}
	// Councils' circles first, then the dots over them, then the labels
	// over everything, so nothing hides a dot or a name.
	for _, p := range m.Areas {
		x, y := px(p)
		col := p.Colour
		if col == "" {
			col = Colour(0)
		}
		if p.Href != "" {
			fmt.Fprintf(&b, `<a href="%s" aria-label="%s">`, esc(p.Href), esc(strings.TrimSpace(p.Label+": "+p.Note)))
		}
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s" fill-opacity="0.3" stroke="%s" stroke-width="2"><title>%s</title></circle>`,
			num(x), num(y), num(radius(p.Size)), col, col, esc(strings.TrimSpace(p.Label+": "+p.Note)))
		if p.Href != "" {
			b.WriteString(`</a>`)
		}
	}
	// Dots of one colour are one layer: sized against that layer's largest.
	dotMax := map[string]float64{}
	for _, p := range m.Dots {
		dotMax[p.Colour] = math.Max(dotMax[p.Colour], p.Size)
	}
	for _, p := range m.Dots {
		x, y := px(p)
		col := p.Colour
		if col == "" {
			col = Colour(1)
		}
		r := 3.0
		if mx := dotMax[p.Colour]; mx > 0 && p.Size > 0 {
			r = 2 + 8*math.Sqrt(p.Size/mx)
		}
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s" fill-opacity="0.7" stroke="#ffffff" stroke-width="1"><title>%s</title></circle>`,
			num(x), num(y), num(r), col, esc(strings.TrimSpace(p.Label+" "+p.Note)))
	}
	for _, p := range m.Areas {
		x, y := px(p)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="#0b0c0c" font-size="13" font-weight="bold" paint-order="stroke" stroke="#ffffff" stroke-width="4" aria-hidden="true">%s</text>`,
			num(x), num(y-radius(p.Size)-4), esc(p.Label))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
