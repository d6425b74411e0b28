// Package chart draws the web app's charts as SVG on the server: a line chart
// of series over categories (years, months) with optional shaded bands (a fan
// chart of a forecast's P10–P90 and P25–P75 around its P50), grouped
// horizontal bars (a scope against its comparators), and a map of points
// placed by projected coordinates (councils at their centroids). No script is
// needed to see them. Every chart is an <svg role="img"> with a <title> and a
// <desc> that say what it shows; the page sets the table behind it beside it.
//
// The package knows nothing of the domain: it takes names and numbers and
// returns SVG text in which every name is escaped.
package chart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Palette is the colour of series i (GOV.UK Design System colours, in an
// order that keeps neighbours distinguishable; the web app's key swatches
// use the same order).
var Palette = []string{"#1d70b8", "#f47738", "#505a5f", "#28a197", "#912b88", "#85994b"}

// Colour returns the palette colour of series i, cycling.
func Colour(i int) string { return Palette[((i%len(Palette))+len(Palette))%len(Palette)] }

// BandColours are the fills of a fan chart's bands, outermost first.
var BandColours = []string{"#c4d9ee", "#8eb8dc"}

// Series is one named line or set of bars. Values holds one value per
// category; NaN marks a missing value (a gap in a line, no bar).
type Series struct {
	Name   string
	Values []float64
	// Dashed draws the line dashed (a projection, a published series).
	Dashed bool
	// Colour overrides the palette colour ("" for Colour(i)).
	Colour string
}

// Band is a shaded range between two series (a forecast interval).
type Band struct {
	Name         string
	Lower, Upper []float64 // NaN where the band is not drawn
}

// Format writes an axis or value label; nil uses Plain.
type Format func(float64) string

// Plain writes a number with thousands separators, to at most one decimal
// place: 1234 → "1,234", 12.34 → "12.3".
func Plain(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	neg := v < 0
	v = math.Abs(v)
	r := math.Round(v*10) / 10
	whole := math.Floor(r)
	frac := int(math.Round((r - whole) * 10))
	s := strconv.FormatInt(int64(whole), 10)
	var b strings.Builder
	if neg && r != 0 {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	if frac != 0 {
		b.WriteByte('.')
		b.WriteByte(byte('0' + frac))
	}
	return b.String()
}

// Percent writes a percentage: 12.34 → "12.3%".
func Percent(v float64) string { return Plain(v) + "%" }

// Pounds writes whole pounds: 1234.5 → "£1,235".
func Pounds(v float64) string {
	if v < 0 {
		return "−£" + Plain(math.Round(-v))
	}
	return "£" + Plain(math.Round(v))
}

// esc escapes text for SVG (XML) content and attributes.
func esc(s string) string { return html.EscapeString(s) }

// num writes a coordinate with at most one decimal.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// niceTicks returns ticks from 0 (or below, for negative data) to at least
// max, at a "nice" step (1, 2 or 5 × 10^n), about n of them.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for k := math.Floor(lo / step); k*step < hi+step*0.999; k++ {
		out = append(out, math.Round(k*step*1e9)/1e9)
	}
	return out
}

// svgOpen starts an SVG of the given size with its title and description.
// A chart with links inside is a "group" (an "img" may hold no controls).
func svgOpen(b *strings.Builder, id string, w, h int, title, desc string, role ...string) {
	r := "img"
	if len(role) > 0 {
		r = role[0]
	}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="%s" aria-labelledby="%s-title %s-desc" font-family="arial, sans-serif" font-size="14">`,
		w, h, w, h, r, esc(id), esc(id))
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

// finite reports whether v is a real number.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// dataRange returns the smallest and largest finite values (0 included).
func dataRange(sets ...[]float64) (lo, hi float64) {
	for _, s := range sets {
		for _, v := range s {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}
