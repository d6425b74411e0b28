//go:build unix

package web

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBrowserScenario runs a scenario from the form in headless Chromium as
// a council user: the levers typed in, the result shown as charts of the
// baseline and the scenario side by side, the run listed with who ran it.
// Screenshots go to screenshotDir() as scenario-*.png.
func TestBrowserScenario(t *testing.T) {
	bin := chromiumPath(t)
	f := newFixture(t)
	base := serveFixture(t, f)
	b := startBrowser(t, bin)
	p := b.newPage(t)
	// the top of the page (the charts), 1366 pixels wide
	shot := func(name string) {
		t.Helper()
		p.resize(1366, 1500, 1)
		p.eval("window.scrollTo(0, 0)", nil)
		path := filepath.Join(screenshotDir(), "scenario-"+name+".png")
		if err := writeFile(path, p.viewShot()); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
	p.navigate(base + "/login")
	signIn(t, p, "hart", testPassword)
	p.andWait("scenarios", func() { p.click(`nav a[href="/scenarios"]`) })
	if h1 := p.text("h1"); h1 != "Scenarios" {
		t.Fatalf("h1 %q", h1)
	}
	// a mistake first: the form comes back with the problem and the values
	p.typeInto("#scenario_name", "Edge of care and a home")
	p.typeInto("#years", "3")
	p.typeInto("#sims", "60")
	p.typeInto("#entry_change", "-20")
	p.typeInto("#entry_from_age", "10")
	p.typeInto("#entry_to_age", "15")
	p.typeInto("#home_district", "TS24")
	p.typeInto("#home_places", "four")
	p.typeInto("#home_weekly", "4500")
	p.typeInto("#home_capital", "1200000")
	p.andWait("run with a mistake", func() { p.click(`main form button[type="submit"]`) })
	if st, msg := p.status(), p.text(".govuk-error-summary"); st != 400 || !strings.Contains(msg, "Home: places") {
		t.Fatalf("mistake: status %d, %q", st, msg)
	}
	p.typeInto("#home_places", "4")
	p.typeInto("#step_share", "10")
	p.typeInto("#step_months", "12")
	shot("1-form")
	p.andWait("run", func() { p.click(`main form button[type="submit"]`) })
	if st, h1 := p.status(), p.text("h1"); st != 200 || h1 != "Edge of care and a home (version 1)" {
		t.Fatalf("after running: status %d, h1 %q", st, h1)
	}
	if n := len(p.texts("figure.app-chart svg")); n != 6 {
		t.Errorf("%d charts, want 6", n)
	}
	if tiles := p.text(".app-tiles"); !strings.Contains(tiles, "Payback") || !strings.Contains(tiles, "baseline") {
		t.Errorf("tiles %q", tiles)
	}
	if runs := p.texts("main table.govuk-table tbody tr"); len(runs) == 0 {
		t.Error("no saved runs listed")
	}
	shot("2-result")
	// where to open homes, and its homes run as a scenario
	p.andWait("site-homes", func() { p.click(`a[href="/site-homes"]`) })
	p.andWait("choose", func() { p.click(`main form button[type="submit"]`) })
	if st, h1 := p.status(), p.text("h1"); st != 200 || h1 != "Where to open homes" || !strings.Contains(p.text("main"), "Distance from home before and after") {
		t.Fatalf("site-homes: status %d, h1 %q", st, h1)
	}
	shot("3-site-homes")
	p.andWait("run the homes", func() { p.click(`form[action="/scenarios"] button[type="submit"]`) })
	if st, h1 := p.status(), p.text("h1"); st != 200 || !strings.HasPrefix(h1, "2 homes in ") {
		t.Fatalf("the homes as a scenario: status %d, h1 %q", st, h1)
	}
	for _, s := range p.Problems() {
		t.Errorf("browser reported: %s", s)
	}
}
