package chart

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// wellFormed fails unless s parses as XML.
func wellFormed(t *testing.T, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed SVG: %v\n%s", err, s)
		}
	}
}

func count(s, sub string) int { return strings.Count(s, sub) }

func TestLineTitleDescEscapingAndGaps(t *testing.T) {
	nan := math.NaN()
	c := Line{ID: "t1", Title: "Children in care <&> \"x\"", Desc: "A & B",
		Categories: []string{"2021", "2022", "2023", "2024", "2025"},
		Series: []Series{
			{Name: "This data", Values: []float64{10, 20, nan, 40, 50}},
			{Name: "Published", Values: []float64{12, 22, 32, 42, 52}, Dashed: true},
		}}
	s := c.SVG()
	wellFormed(t, s)
	for _, want := range []string{`<title id="t1-title">Children in care &lt;&amp;&gt; &#34;x&#34;</title>`, `<desc id="t1-desc">A &amp; B</desc>`, `role="img"`, `aria-labelledby="t1-title t1-desc"`, `stroke-dasharray="8 5"`} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
	// The gap splits the first series into two lines; the second is one.
	if got := count(s, "<polyline"); got != 3 {
		t.Errorf("%d polylines, want 3 (a gap at the missing value)", got)
	}
	// 4 + 5 points, each with a tooltip naming its value.
	if got := count(s, "<circle"); got != 9 {
		t.Errorf("%d points, want 9", got)
	}
	if !strings.Contains(s, "<title>This data, 2025: 50</title>") {
		t.Error("no tooltip for the last point")
	}
}

func TestLineScale(t *testing.T) {
	// Values 0 and 100 sit on the bottom and top gridlines.
	c := Line{ID: "s", Categories: []string{"a", "b"}, Series: []Series{{Name: "x", Values: []float64{0, 100}}}, Width: 200, Height: 200}
	s := c.SVG()
	re := regexp.MustCompile(`<circle cx="([0-9.]+)" cy="([0-9.]+)"`)
	m := re.FindAllStringSubmatch(s, -1)
	if len(m) != 2 {
		t.Fatalf("%d points", len(m))
	}
	y0, _ := strconv.ParseFloat(m[0][2], 64)
	y1, _ := strconv.ParseFloat(m[1][2], 64)
	const top, bottom = 28, 46
	if y0 != 200-bottom || y1 != top {
		t.Errorf("y of 0 = %v (want %v), y of 100 = %v (want %v)", y0, 200-bottom, y1, top)
	}
	x0, _ := strconv.ParseFloat(m[0][1], 64)
	x1, _ := strconv.ParseFloat(m[1][1], 64)
	if x0 != 78 || x1 != 180 {
		t.Errorf("x = %v, %v; want 78, 180", x0, x1)
	}
}

func TestFanBands(t *testing.T) {
	nan := math.NaN()
	c := Line{ID: "f", Title: "Forecast", Categories: []string{"2023", "2024", "2025", "2026", "2027"},
		Series: []Series{{Name: "History", Values: []float64{100, 110, 120, nan, nan}}, {Name: "P50", Values: []float64{nan, nan, 120, 125, 130}, Dashed: true}},
		Bands:  []Band{{Name: "P10 to P90", Lower: []float64{nan, nan, 120, 110, 100}, Upper: []float64{nan, nan, 120, 140, 160}}},
		Marker: 3, MarkerLabel: "Forecast"}
	s := c.SVG()
	wellFormed(t, s)
	if count(s, "<polygon") != 1 {
		t.Errorf("want one band polygon:\n%s", s)
	}
	if !strings.Contains(s, ">Forecast</text>") || !strings.Contains(s, `stroke-dasharray="4 4"`) {
		t.Error("no forecast marker")
	}
	// The axis reaches the band's top (160).
	if !strings.Contains(s, ">160</text>") && !strings.Contains(s, ">180</text>") && !strings.Contains(s, ">200</text>") {
		t.Errorf("axis does not reach the band's top")
	}
}

func TestBars(t *testing.T) {
	c := Bars{ID: "b", Title: "Placement mix", Categories: []string{"Foster", "Children's homes"}, Format: Percent, Max: 100,
		Series: []Series{{Name: "Here", Values: []float64{70, 15}}, {Name: "England", Values: []float64{68, math.NaN()}}}, Width: 590}
	s := c.SVG()
	wellFormed(t, s)
	if count(s, "<rect") != 3 {
		t.Errorf("want 3 bars (one value missing)")
	}
	if !strings.Contains(s, "England: not available") {
		t.Error("missing value not stated")
	}
	// With Max 100 and a plot 590-8-90 = 492 wide, 70% is 344.4 wide.
	if !strings.Contains(s, `width="344.4"`) {
		t.Errorf("70%% bar not 344.4 wide:\n%s", s)
	}
	if !strings.Contains(s, "Children&#39;s homes") {
		t.Error("label not escaped")
	}
}

func TestMap(t *testing.T) {
	m := Map{ID: "m", Title: "Region", Areas: []Point{{X: 0, Y: 0, Size: 100, Label: "South", Href: "/councils/A"}, {X: 0, Y: 1000, Size: 25, Label: "North"}},
		Dots: []Point{{X: 500, Y: 500, Label: "Home"}}, Lines: []MapLine{{From: 0, To: 1, Weight: 3, Label: "3 children"}, {From: 0, To: 9}}}
	s := m.SVG()
	wellFormed(t, s)
	// North is drawn above South.
	re := regexp.MustCompile(`<circle cx="[0-9.]+" cy="([0-9.]+)" r="([0-9.]+)"[^>]*fill-opacity="0.3"`)
	ms := re.FindAllStringSubmatch(s, -1)
	if len(ms) != 2 {
		t.Fatalf("want 2 areas, got %d", len(ms))
	}
	ySouth, _ := strconv.ParseFloat(ms[0][1], 64)
	yNorth, _ := strconv.ParseFloat(ms[1][1], 64)
	if yNorth >= ySouth {
		t.Errorf("north (y %v) not above south (y %v)", yNorth, ySouth)
	}
	// Area grows with size: radius 5+25 for the largest, 5+12.5 for a quarter.
	if ms[0][2] != "30" || ms[1][2] != "17.5" {
		t.Errorf("radii %s, %s; want 30, 17.5", ms[0][2], ms[1][2])
	}
	if !strings.Contains(s, `role="group"`) {
		t.Error("a map with links is not a group (an img may hold no links)")
	}
	if count(s, "<line") != 1 || !strings.Contains(s, `<a href="/councils/A" aria-label="South:">`) {
		t.Error("want one line (the bad index skipped) and a link")
	}
	// Dots are drawn over the councils' circles and under their names.
	if i, j, k := strings.LastIndex(s, `fill-opacity="0.3"`), strings.Index(s, `<title>Home</title>`), strings.Index(s, `>North</text>`); !(i < j && j < k) {
		t.Errorf("drawing order: circles at %d, dot at %d, labels at %d", i, j, k)
	}
	// Dots of one colour are sized against the largest of that colour: a
	// quarter of its size is half its radius above the 2-pixel minimum.
	m.Dots = []Point{{X: 0, Y: 0, Size: 4, Colour: "#111111", Label: "a"}, {X: 1, Y: 1, Size: 1, Colour: "#111111", Label: "b"}, {X: 2, Y: 2, Size: 50, Colour: "#222222", Label: "c"}}
	s = m.SVG()
	for _, want := range []string{`r="10" fill="#111111"`, `r="6" fill="#111111"`, `r="10" fill="#222222"`} {
		if !strings.Contains(s, want) {
			t.Errorf("dots: no %s", want)
		}
	}
}

func TestNiceTicksAndFormats(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   string
	}{
		{0, 100, "0 20 40 60 80 100"},
		{0, 93, "0 20 40 60 80 100"},
		{0, 1, "0 0.2 0.4 0.6 0.8 1"},
		{0, 0, "0 0.2 0.4 0.6 0.8 1"},
		{-30, 70, "-40 -20 0 20 40 60 80"},
		{0, 1234, "0 250 500 750 1000 1250"},
	}
	for _, c := range cases {
		var parts []string
		for _, v := range niceTicks(c.lo, c.hi, 5) {
			parts = append(parts, strconv.FormatFloat(v, 'f', -1, 64))
		}
		if got := strings.Join(parts, " "); got != c.want {
			t.Errorf("niceTicks(%v, %v) = %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
	for in, want := range map[float64]string{0: "0", 1234: "1,234", 1234567.89: "1,234,567.9", 12.34: "12.3", -0.04: "0", -1500: "-1,500", 0.96: "1"} {
		if got := Plain(in); got != want {
			t.Errorf("Plain(%v) = %q, want %q", in, got, want)
		}
	}
	if Pounds(1234.5) != "£1,235" || Pounds(-12) != "−£12" || Percent(12.34) != "12.3%" {
		t.Error("Pounds/Percent")
	}
}

// The map's layers: round dots largest first (a small dot is never under a
// larger one), homes' squares over them; flows drawn, cut by the svg when
// they leave it; names placed apart: two councils at one place get their
// names on different sides, and a name with room nowhere is left off.
func TestMapLayersAndLabels(t *testing.T) {
	m := Map{ID: "m", Title: "Region", Width: 400, Height: 300,
		Areas: []Point{{X: 0, Y: 0, Size: 100, Label: "Big"}, {X: 0, Y: 0, Size: 90, Label: "Twin"}, {X: 1000, Y: 1000, Size: 10, Label: "Far"}},
		Dots: []Point{{X: 10, Y: 10, Size: 1, Colour: "#111111", Label: "small"}, {X: 10, Y: 10, Size: 9, Colour: "#111111", Label: "large"},
			{X: 20, Y: 20, Size: 5, Colour: "#222222", Label: "home", Square: true}},
		Flows: []Flow{{FromX: 0, FromY: 0, ToX: 500000, ToY: 0, Weight: 4, Label: "Big to far away: 4"}}}
	s := m.SVG()
	wellFormed(t, s)
	if i, j, k := strings.Index(s, "<title>large"), strings.Index(s, "<title>small"), strings.Index(s, "<title>home"); !(i < j && j < k) {
		t.Errorf("dot order: large at %d, small at %d, home at %d; want large, small, then the home's square", i, j, k)
	}
	if !strings.Contains(s, `<rect x=`) || count(s, "<line") != 1 || !strings.Contains(s, "Big to far away: 4") {
		t.Error("want the home as a square and the flow as a line")
	}
	re := regexp.MustCompile(`<text x="([-0-9.]+)" y="([-0-9.]+)" text-anchor="(\w+)"[^>]*>(\w+)</text>`)
	ms := re.FindAllStringSubmatch(s, -1)
	if len(ms) != 3 {
		t.Fatalf("want 3 names, got %d: %v", len(ms), ms)
	}
	if ms[0][4] != "Big" || ms[1][4] != "Twin" || ms[0][2] == ms[1][2] && ms[0][3] == ms[1][3] {
		t.Errorf("Big and Twin share a place and a side: %v", ms[:2])
	}
	// Six councils of one size at one place: four sides, four names.
	m.Areas, m.Dots, m.Flows = nil, nil, nil
	for i := 0; i < 6; i++ {
		m.Areas = append(m.Areas, Point{X: 0, Y: 0, Size: 50, Label: fmt.Sprintf("Council %d", i)})
	}
	m.Areas = append(m.Areas, Point{X: 3000, Y: 3000, Size: 1, Label: "NE"}, Point{X: -3000, Y: -3000, Size: 1, Label: "SW"})
	s = m.SVG()
	if n := count(s, "</text>"); n != 6 || count(s, `aria-hidden="true">Council `) != 4 {
		t.Errorf("%d names drawn, %d at the crowded place; want 6, four there", n, count(s, `aria-hidden="true">Council `))
	}
}

// Flows that leave the map end at its edge (inside it) and say where they go:
// the name of a place outside the Areas is written once, at the end of its
// heaviest flow; a flow to one of the Areas adds no name; a flow without To
// none.
func TestMapFlowsEndAtTheEdgeWithTheirPlace(t *testing.T) {
	m := Map{ID: "m", Title: "Region", Width: 400, Height: 300,
		Areas: []Point{{X: 0, Y: 0, Size: 100, Label: "Big"}, {X: 1000, Y: 1000, Size: 50, Label: "Small"}},
		Flows: []Flow{
			{FromX: 0, FromY: 0, ToX: -500000, ToY: 0, Weight: 9, Label: "Big to Cumbria: 9", To: "Cumbria"},
			{FromX: 1000, FromY: 1000, ToX: -500000, ToY: 0, Weight: 5, Label: "Small to Cumbria: 5", To: "Cumbria"},
			{FromX: 1000, FromY: 1000, ToX: 0, ToY: 0, Weight: 6, Label: "Small to Big: 6", To: "Big"},
			{FromX: 0, FromY: 0, ToX: 0, ToY: -900000, Weight: 7, Label: "Big to somewhere: 7"},
		}}
	s := m.SVG()
	wellFormed(t, s)
	if n := count(s, "<line"); n != 4 {
		t.Fatalf("%d lines, want 4", n)
	}
	re := regexp.MustCompile(`<line x1="([-0-9.]+)" y1="([-0-9.]+)" x2="([-0-9.]+)" y2="([-0-9.]+)"`)
	for _, l := range re.FindAllStringSubmatch(s, -1) {
		var x2, y2 float64
		fmt.Sscan(l[3], &x2)
		fmt.Sscan(l[4], &y2)
		if x2 < 7.9 || x2 > 392.1 || y2 < 7.9 || y2 > 292.1 {
			t.Errorf("a line ends at (%v, %v), outside the map's inner frame: %s", x2, y2, l[0])
		}
	}
	if n := count(s, `aria-hidden="true">Cumbria</text>`); n != 1 {
		t.Errorf("Cumbria named %d times, want once", n)
	}
	if n := count(s, `>Big</text>`); n != 1 {
		t.Errorf("Big named %d times, want once (its own name only)", n)
	}
	// Cumbria's name sits at the end of the heaviest flow to it (Big's, on
	// the left edge: written from the edge inwards).
	name := regexp.MustCompile(`<text x="([-0-9.]+)" y="[-0-9.]+" text-anchor="(\w+)" fill="#0b0c0c" font-size="12"[^>]*>Cumbria</text>`).FindStringSubmatch(s)
	if name == nil || name[2] != "start" {
		t.Errorf("Cumbria's name not written inwards from the left edge: %v", name)
	}
}
