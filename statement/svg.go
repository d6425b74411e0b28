package statement

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Charts are drawn on the server as inline SVG: vector in the PDF, no
// script, readable without images (each has a title and a description, and
// its figures are in a table beside it).

// palette has enough contrast on white for text and thin lines (WCAG AA).
var palette = []string{"#1d70b8", "#d4351c", "#00703c", "#6f3c97", "#b35900"}

func esc(s string) string { return template.HTMLEscapeString(s) }

func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// svgChart draws a chart; id makes its title and description ids unique.
func svgChart(ch *Chart, id string) template.HTML {
	if ch == nil || len(ch.Labels) == 0 {
		return ""
	}
	switch ch.Kind {
	case Line:
		return lineChart(ch, id)
	}
	return barChart(ch, id)
}

// niceMax rounds up to 1, 2, 2.5 or 5 times a power of ten.
func niceMax(v float64) float64 {
	if v <= 0 || math.IsNaN(v) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func fmtValue(v float64, unit string) string {
	if strings.HasPrefix(unit, "£") {
		return pounds(v)
	}
	if unit == "%" {
		return pct(v)
	}
	return thousands(int64(math.Round(v)))
}

func open(b *strings.Builder, ch *Chart, id string, w, h int) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t %s-d" class="chart">`, w, h, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(ch.Title), id, esc(ch.Desc))
}

func legend(b *strings.Builder, ss []Series, x, y int) {
	for i, s := range ss {
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="4"%s/>`, x, y-4, x+18, y-4, palette[i%len(palette)], dash)
		fmt.Fprintf(b, `<text x="%d" y="%d" font-size="12" fill="#0b0c0c">%s</text>`, x+24, y, esc(s.Name))
		x += 34 + 7*len([]rune(s.Name))
	}
}

func barChart(ch *Chart, id string) template.HTML {
	const w, left, right, barH, gap = 680, 230, 90, 14, 10
	ns := len(ch.Series)
	rowH := ns*barH + gap
	top := 8
	if ns > 1 {
		top = 28
	}
	h := top + rowH*len(ch.Labels) + 24
	max := 0.0
	for _, s := range ch.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && v > max {
				max = v
			}
		}
	}
	max = niceMax(max)
	var b strings.Builder
	open(&b, ch, id, w, h)
	if ns > 1 {
		legend(&b, ch.Series, left, 16)
	}
	plot := float64(w - left - right)
	for i, label := range ch.Labels {
		y := top + i*rowH
		l := label
		if r := []rune(l); len(r) > 36 {
			l = string(r[:35]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end" fill="#0b0c0c">%s</text>`, left-8, y+ns*barH/2+4, esc(l))
		for k, s := range ch.Series {
			by := y + k*barH
			v := math.NaN()
			if i < len(s.Values) {
				v = s.Values[i]
			}
			if math.IsNaN(v) {
				fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#505a5f">c (suppressed or not known)</text>`, left+4, by+barH-3)
				continue
			}
			bw := plot * v / max
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d" fill="%s"/>`, left, by, num(bw), barH-2, palette[k%len(palette)])
			fmt.Fprintf(&b, `<text x="%s" y="%d" font-size="11" fill="#0b0c0c">%s</text>`, num(float64(left)+bw+4), by+barH-3, esc(fmtValue(v, ch.Unit)))
		}
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#505a5f"/>`, left, top-2, left, top+rowH*len(ch.Labels)-gap+2)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#505a5f">%s</text>`, left, h-6, esc(ch.Unit))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func lineChart(ch *Chart, id string) template.HTML {
	const w, h, left, right, top, bottom = 680, 300, 60, 20, 34, 40
	max := 0.0
	for _, s := range ch.Series {
		for i, v := range s.Values {
			if !math.IsNaN(v) && v > max {
				max = v
			}
			if s.High != nil && i < len(s.High) && !math.IsNaN(s.High[i]) && s.High[i] > max {
				max = s.High[i]
			}
		}
	}
	max = niceMax(max)
	n := len(ch.Labels)
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	x := func(i int) float64 {
		if n == 1 {
			return float64(left) + pw/2
		}
		return float64(left) + pw*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return float64(top) + ph*(1-v/max) }
	var b strings.Builder
	open(&b, ch, id, w, h)
	legend(&b, ch.Series, left, 16)
	for k := 0; k <= 4; k++ {
		v := max * float64(k) / 4
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#b1b4b6" stroke-width="0.5"/>`, left, num(y(v)), w-right, num(y(v)))
		fmt.Fprintf(&b, `<text x="%d" y="%s" font-size="11" text-anchor="end" fill="#505a5f">%s</text>`, left-6, num(y(v)+4), esc(fmtValue(v, ch.Unit)))
	}
	step := 1
	if n > 12 {
		step = (n + 11) / 12
	}
	for i, l := range ch.Labels {
		if i%step == 0 || i == n-1 {
			fmt.Fprintf(&b, `<text x="%s" y="%d" font-size="11" text-anchor="middle" fill="#505a5f">%s</text>`, num(x(i)), h-bottom+16, esc(l))
		}
	}
	for k, s := range ch.Series {
		col := palette[k%len(palette)]
		if s.Low != nil && s.High != nil {
			var up, down []string
			for i := range s.Values {
				if i < len(s.Low) && i < len(s.High) && !math.IsNaN(s.Low[i]) && !math.IsNaN(s.High[i]) {
					up = append(up, num(x(i))+","+num(y(s.High[i])))
					down = append([]string{num(x(i)) + "," + num(y(s.Low[i]))}, down...)
				}
			}
			if len(up) > 1 {
				fmt.Fprintf(&b, `<polygon points="%s" fill="%s" fill-opacity="0.18" stroke="none"/>`, strings.Join(append(up, down...), " "), col)
			}
		}
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		var pts []string
		flush := func() {
			if len(pts) > 1 {
				fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>`, strings.Join(pts, " "), col, dash)
			}
			pts = nil
		}
		for i, v := range s.Values {
			if math.IsNaN(v) {
				flush()
				continue
			}
			pts = append(pts, num(x(i))+","+num(y(v)))
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`, num(x(i)), num(y(v)), col)
		}
		flush()
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#505a5f">%s</text>`, left, h-6, esc(ch.Unit))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// ChartSVG draws a chart as inline SVG for a page; id makes its title and
// description ids unique in the page.
func ChartSVG(ch *Chart, id string) template.HTML { return svgChart(ch, id) }
