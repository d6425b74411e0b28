package web

import (
	"math"
	"strconv"
)

// elementShot returns a PNG of the element selector matches (its box on the
// page with 8 pixels around, wherever the page is scrolled to); the test
// fails without one.
func (p *page) elementShot(selector string) []byte {
	p.t.Helper()
	var box struct{ X, Y, W, H float64 }
	p.eval(`(() => { const e = document.querySelector(`+strconv.Quote(selector)+`); if (!e) return {x: 0, y: 0, w: 0, h: 0};
		const r = e.getBoundingClientRect(); return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height}; })()`, &box)
	if box.W == 0 || box.H == 0 {
		p.t.Fatalf("no element %s to shoot on %s", selector, p.url())
	}
	var r struct{ Data string }
	p.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": math.Max(0, math.Floor(box.X)-8), "y": math.Max(0, math.Floor(box.Y)-8), "width": math.Ceil(box.W) + 16, "height": math.Ceil(box.H) + 16, "scale": 1}}, &r)
	return decodePNG(p.t, r.Data)
}
