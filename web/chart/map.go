package chart

import (
	"fmt"
	"math"
	"slices"
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
	// Square draws a dot as a square outline (homes), over the round dots.
	Square bool
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
	Lines []MapLine
	// Flows are lines between any two positions (children placed far from
	// home: from their council to where they are placed); one that leaves
	// the map ends at its edge. Where a flow's To names a place that is not
	// one of the Areas, the place's name is written at the end of its
	// heaviest flow (inside the map), so lines that leave the region say
	// where they go. Weight scales the stroke.
	Flows         []Flow
	Width, Height int // default 480 × 440
}

// MapLine is a line between two areas of a map.
type MapLine struct {
	From, To int
	Weight   float64
	Label    string
}

// Flow is a line from one position to another.
type Flow struct {
	FromX, FromY, ToX, ToY float64
	Weight                 float64
	Label                  string // the tooltip
	To                     string // the name of the place it goes to ("" for none)
}

// clip returns where the segment from (x1, y1) to (x2, y2) leaves the
// rectangle [x0, x1r] × [y0, y1r] (x1, y1 inside it), or (x2, y2) when it
// stays inside.
func clip(x1, y1, x2, y2, x0, y0, x1r, y1r float64) (float64, float64) {
	t := 1.0
	dx, dy := x2-x1, y2-y1
	if dx > 0 && x2 > x1r {
		t = math.Min(t, (x1r-x1)/dx)
	}
	if dx < 0 && x2 < x0 {
		t = math.Min(t, (x0-x1)/dx)
	}
	if dy > 0 && y2 > y1r {
		t = math.Min(t, (y1r-y1)/dy)
	}
	if dy < 0 && y2 < y0 {
		t = math.Min(t, (y0-y1)/dy)
	}
	t = math.Max(t, 0)
	return x1 + t*dx, y1 + t*dy
}

// FlowColour is the colour of a map's flows and lines.
var FlowColour = Colour(4)

// labelBox is the space a label takes, for placing labels apart.
type labelBox struct{ x0, y0, x1, y1 float64 }

func (a labelBox) overlaps(b labelBox) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// SVG draws the map: councils' circles, then the lines, then the dots
// (largest first, so a small one is never hidden by a larger; homes'
// squares over the round dots), then the councils' names over everything,
// each put above, below, right or left of its circle where it overlaps no
// name already placed (larger councils first); a name that fits nowhere is
// left off (it is in the circle's tooltip and the table behind the map).
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
	pxy := func(x, y float64) (float64, float64) {
		return offX + (x-minX)*scale, float64(h) - (offY + (y-minY)*scale)
	}
	px := func(p Point) (float64, float64) { return pxy(p.X, p.Y) }
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
	line := func(x1, y1, x2, y2, weight float64, label string) {
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-opacity="0.45" stroke-linecap="round" stroke-width="%s"><title>%s</title></line>`,
			num(x1), num(y1), num(x2), num(y2), FlowColour, num(1+math.Min(math.Sqrt(math.Max(weight, 0)), 7)), esc(label))
	}
	for _, l := range m.Lines {
		if l.From < 0 || l.From >= len(m.Areas) || l.To < 0 || l.To >= len(m.Areas) {
			continue
		}
		x1, y1 := px(m.Areas[l.From])
		x2, y2 := px(m.Areas[l.To])
		line(x1, y1, x2, y2, l.Weight, l.Label)
	}
	// Flows end at the map's edge (inset so the end shows); the end of the
	// heaviest flow to each named place outside the Areas gets its name.
	const inset = 8.0
	areaNames := map[string]bool{}
	for _, p := range m.Areas {
		areaNames[p.Label] = true
	}
	type end struct {
		x, y, weight float64
		name         string
	}
	var ends []end
	endOf := map[string]int{}
	for _, f := range m.Flows {
		x1, y1 := pxy(f.FromX, f.FromY)
		x2, y2 := pxy(f.ToX, f.ToY)
		x2, y2 = clip(x1, y1, x2, y2, inset, inset, float64(w)-inset, float64(h)-inset)
		line(x1, y1, x2, y2, f.Weight, f.Label)
		if f.To == "" || areaNames[f.To] {
			continue
		}
		if i, ok := endOf[f.To]; !ok {
			endOf[f.To] = len(ends)
			ends = append(ends, end{x2, y2, f.Weight, f.To})
		} else if f.Weight > ends[i].weight {
			ends[i] = end{x2, y2, f.Weight, f.To}
		}
	}
	// Dots of one colour are one layer: sized against that layer's largest.
	dotMax := map[string]float64{}
	for _, p := range m.Dots {
		dotMax[p.Colour] = math.Max(dotMax[p.Colour], p.Size)
	}
	dotRadius := func(p Point) float64 {
		if mx := dotMax[p.Colour]; mx > 0 && p.Size > 0 {
			return 2 + 8*math.Sqrt(p.Size/mx)
		}
		return 3
	}
	dots := slices.Clone(m.Dots)
	slices.SortStableFunc(dots, func(a, c Point) int {
		if a.Square != c.Square {
			if c.Square {
				return -1
			}
			return 1
		}
		ra, rc := dotRadius(a), dotRadius(c)
		switch {
		case ra > rc:
			return -1
		case ra < rc:
			return 1
		}
		return 0
	})
	for _, p := range dots {
		x, y := px(p)
		col := p.Colour
		if col == "" {
			col = Colour(1)
		}
		r := dotRadius(p)
		if p.Square {
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.25" stroke="%s" stroke-width="2"><title>%s</title></rect>`,
				num(x-r), num(y-r), num(2*r), num(2*r), col, col, esc(strings.TrimSpace(p.Label+" "+p.Note)))
			continue
		}
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s" fill-opacity="0.7" stroke="#ffffff" stroke-width="1"><title>%s</title></circle>`,
			num(x), num(y), num(r), col, esc(strings.TrimSpace(p.Label+" "+p.Note)))
	}
	// Names, larger councils first, where they overlap no name placed.
	order := make([]int, len(m.Areas))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, c int) int {
		switch {
		case m.Areas[a].Size > m.Areas[c].Size:
			return -1
		case m.Areas[a].Size < m.Areas[c].Size:
			return 1
		}
		return 0
	})
	const fontSize, charWidth = 13.0, 7.6 // bold sans-serif, about
	var placed []labelBox
	for _, i := range order {
		p := m.Areas[i]
		if p.Label == "" {
			continue
		}
		x, y := px(p)
		r := radius(p.Size)
		tw := charWidth * float64(len([]rune(p.Label)))
		type spot struct {
			x, y   float64 // text anchor position (baseline)
			anchor string
			box    labelBox
		}
		spots := []spot{
			{x, y - r - 4, "middle", labelBox{x - tw/2, y - r - 4 - fontSize, x + tw/2, y - r - 2}},
			{x, y + r + fontSize + 2, "middle", labelBox{x - tw/2, y + r + 2, x + tw/2, y + r + fontSize + 4}},
			{x + r + 4, y + fontSize/2 - 2, "start", labelBox{x + r + 4, y - fontSize/2 - 2, x + r + 4 + tw, y + fontSize/2}},
			{x - r - 4, y + fontSize/2 - 2, "end", labelBox{x - r - 4 - tw, y - fontSize/2 - 2, x - r - 4, y + fontSize/2}},
		}
		for _, s := range spots {
			if s.box.x0 < 0 || s.box.x1 > float64(w) || s.box.y0 < 0 || s.box.y1 > float64(h) {
				continue
			}
			clash := false
			for _, q := range placed {
				clash = clash || s.box.overlaps(q)
			}
			if clash {
				continue
			}
			placed = append(placed, s.box)
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="%s" fill="#0b0c0c" font-size="13" font-weight="bold" paint-order="stroke" stroke="#ffffff" stroke-width="4" aria-hidden="true">%s</text>`,
				num(s.x), num(s.y), s.anchor, esc(p.Label))
			break
		}
	}
	// Places outside the Areas, at the end of their heaviest flow: a dot and
	// the name (not bold), written inwards from the edge, where it overlaps
	// no name placed; otherwise the line's tooltip and the table name it.
	for _, e := range ends {
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`, num(e.x), num(e.y), FlowColour)
		tw := 7.0 * float64(len([]rune(e.name)))
		x, anchor := e.x, "middle"
		x0 := x - tw/2
		switch {
		case e.x+tw/2 > float64(w)-2:
			x, anchor, x0 = e.x-6, "end", e.x-6-tw
		case e.x-tw/2 < 2:
			x, anchor, x0 = e.x+6, "start", e.x+6
		}
		y := e.y - 6
		if y-fontSize < 2 {
			y = e.y + fontSize + 4
		}
		box := labelBox{x0, y - fontSize, x0 + tw, y + 2}
		clash := false
		for _, q := range placed {
			clash = clash || box.overlaps(q)
		}
		if clash {
			continue
		}
		placed = append(placed, box)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="%s" fill="#0b0c0c" font-size="12" paint-order="stroke" stroke="#ffffff" stroke-width="4" aria-hidden="true">%s</text>`,
			num(x), num(y), anchor, esc(e.name))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
