package web

import (
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/identity"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

//go:embed testdata/axe/axe.min.js
var axeSource string

// shotPage is one page of the tour: its address and a file name. Act,
// when set, is done on the page and the page it leads to is shot as Then.
type shotPage struct {
	Name, Path string
	Act        func(t *testing.T, p *page)
	Then       string
	// Elements (CSS selectors, e.g. "#chart-map") are shot on their own
	// as NAME-ID.png, on the page (Elements) or the page Act leads to
	// (ThenElements): charts below the top of a long page.
	Elements, ThenElements []string
	// Warm: the page is computed at its first view over the whole
	// database (England, the market, a region): on the all-England
	// screenshot database that takes 3–6 s quiet and more than the
	// browser's 15 s wait on the shared, loaded machine. It is requested
	// once over HTTP (same session, a long timeout, its status checked)
	// so that the browser's view is served from the server's cache; a
	// page that fails or hangs still fails the test.
	Warm bool
}

// runForecast fills the forecast form with 200 simulations and submits it.
func runForecast(t *testing.T, p *page) {
	p.typeInto("#sims", "200")
	p.andWait("run a forecast", func() { p.click(`form[action="/forecasts"] button[type="submit"]`) })
}

// uploadFiles chooses the files of SUFFICIENCY_SCREENSHOT_UPLOAD (a folder
// of one year's return) and submits the upload; nothing without it.
func uploadFiles(t *testing.T, p *page) {
	dir := os.Getenv("SUFFICIENCY_SCREENSHOT_UPLOAD")
	if dir == "" {
		return
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range ents {
		abs, _ := filepath.Abs(filepath.Join(dir, e.Name()))
		files = append(files, abs)
	}
	var doc struct{ Root struct{ NodeID int64 } }
	p.call("DOM.getDocument", nil, &doc)
	var q struct{ NodeID int64 }
	p.call("DOM.querySelector", map[string]any{"nodeId": doc.Root.NodeID, "selector": "#files"}, &q)
	p.call("DOM.setFileInputFiles", map[string]any{"files": files, "nodeId": q.NodeID}, nil)
	p.andWait("upload", func() { p.click(`form[action="/imports"] button[type="submit"]`) })
}

// tour lists the pages each role is shown, for a database whose first
// loaded council is council (in region).
func tour(role identity.Role, council, region string) []shotPage {
	reg := "/regions/" + url.PathEscape(region)
	switch role {
	case identity.RoleCouncil:
		return []shotPage{{Name: "home", Path: "/"}, {Name: "council", Path: "/councils/" + council}, {Name: "review", Path: "/councils/" + council + "/review"},
			{Name: "region", Path: reg, Warm: true}, {Name: "market", Path: "/market", Warm: true},
			{Name: "forecasts", Path: "/forecasts", Act: runForecast, Then: "forecast", ThenElements: []string{"#chart-fan"}},
			{Name: "imports", Path: "/imports", Act: uploadFiles, Then: "import-check"}, {Name: "backtest", Path: "/backtest"},
			{Name: "not-found", Path: "/no/such/page"}}
	case identity.RoleRCC:
		return []shotPage{{Name: "home", Path: "/"}, {Name: "region", Path: reg, Warm: true, Elements: []string{"#chart-map", "#chart-need", "#chart-risks"}},
			{Name: "council", Path: "/councils/" + council + "?compare=neighbours", Elements: []string{"#chart-mix"}},
			{Name: "review", Path: reg + "/review"}, {Name: "england", Path: "/england", Warm: true}, {Name: "market", Path: "/market?region=" + url.QueryEscape(region), Warm: true},
			{Name: "forecasts", Path: "/forecasts"}, {Name: "imports", Path: "/imports"}}
	case identity.RoleProvider:
		return []shotPage{{Name: "home", Path: "/"}, {Name: "council", Path: "/councils/" + council}, {Name: "forbidden", Path: "/councils/" + council + "/review"}}
	case identity.RoleAdmin:
		return []shotPage{{Name: "home", Path: "/"}, {Name: "england", Path: "/england", Warm: true}, {Name: "audit", Path: "/audit"}}
	}
	return nil
}

// TestScreenshots signs in as each role, opens every page of its tour at
// 1366×900 and runs axe-core on it: any violation fails the test. The
// screenshots go to a temporary folder; with SUFFICIENCY_SCREENSHOT_DB (a
// SQLite database such as the demo's) they are of that database and go to
// docs/screenshots (SUFFICIENCY_SCREENSHOT_OUT overrides), for the README.
//
//	SUFFICIENCY_SCREENSHOT_DB=sufficiency.db go test ./web -run TestScreenshots
func TestScreenshots(t *testing.T) {
	bin := chromiumPath(t)
	out := filepath.Join(os.TempDir(), "sufficiency-screenshots")
	maxHeight := 4000.0
	var srv *Server
	council, region := hartlepool, "North East"
	if src := os.Getenv("SUFFICIENCY_SCREENSHOT_DB"); src != "" {
		out = filepath.Join("..", "docs", "screenshots")
		maxHeight = 1500 // the top of each page, to keep the repository small
		if o := os.Getenv("SUFFICIENCY_SCREENSHOT_OUT"); o != "" {
			out = o
		}
		srv, council, region = screenshotServer(t, src)
	} else {
		srv = newFixture(t).srv
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { stop(); <-served })
	base := "http://" + ln.Addr().String()
	b := startBrowser(t, bin)
	for _, u := range testUsers {
		if u.Name == "nw-rcc" {
			continue
		}
		t.Run(string(u.Role), func(t *testing.T) {
			p := b.newPage(t)
			p.resize(1366, 900, 1)
			p.navigate(base + "/login")
			signIn(t, p, u.Name, testPassword)
			for _, sp := range tour(u.Role, council, region) {
				if sp.Warm {
					p.warm(base + sp.Path)
				}
				p.navigate(base + sp.Path)
				if st := p.status(); st >= 500 {
					t.Errorf("%s: status %d", sp.Path, st)
				}
				shoot := func(name string) {
					shot := filepath.Join(out, "analyst-"+string(u.Role)+"-"+name+".png")
					if err := writeFile(shot, p.screenshotUpTo(maxHeight)); err != nil {
						t.Fatal(err)
					}
					if strings.HasSuffix(p.url(), ".json") {
						return
					}
					for _, v := range p.axe() {
						t.Errorf("%s (%s): axe: %s", p.url(), u.Role, v)
					}
				}
				shootElements := func(name string, sels []string) {
					for _, sel := range sels {
						shot := filepath.Join(out, "analyst-"+string(u.Role)+"-"+name+"-"+strings.TrimPrefix(sel, "#")+".png")
						if err := writeFile(shot, p.elementShot(sel)); err != nil {
							t.Fatal(err)
						}
					}
				}
				shoot(sp.Name)
				shootElements(sp.Name, sp.Elements)
				if sp.Act != nil {
					before := p.url()
					sp.Act(t, p)
					if p.url() != before {
						if st := p.status(); st >= 400 {
							t.Errorf("%s after %s: status %d", p.url(), sp.Name, st)
						}
						shoot(sp.Then)
						shootElements(sp.Then, sp.ThenElements)
					}
				}
			}
			for _, s := range p.Problems() {
				t.Errorf("browser reported: %s", s)
			}
		})
	}
	t.Logf("screenshots in %s", out)
}

// screenshotServer copies the SQLite database src, adds one user of each
// role for its first loaded council and that council's region, and serves it.
func screenshotServer(t *testing.T, src string) (*Server, string, string) {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "shots.db")
	for _, suffix := range []string{"", "-wal"} {
		in, err := os.Open(src + suffix)
		if err != nil {
			if suffix != "" {
				continue
			}
			t.Fatal(err)
		}
		outf, err := os.Create(dst + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(outf, in); err != nil {
			t.Fatal(err)
		}
		in.Close()
		outf.Close()
	}
	ctx := store.WithActor(context.Background(), "screenshots")
	db, err := sqlite.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sums, err := db.Councils(ctx)
	if err != nil || len(sums) == 0 {
		t.Fatalf("no councils in %s: %v", src, err)
	}
	c, ok := refdata.CouncilByCode(sums[0].Council)
	if !ok {
		t.Fatalf("council %s unknown", sums[0].Council)
	}
	for _, u := range testUsers {
		switch u.Role {
		case identity.RoleCouncil:
			u.Council = c.Code
		case identity.RoleRCC:
			u.Region = c.Region
		}
		u.PasswordHash = testHash()
		if _, err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := New(Config{Store: db, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c.Code, c.Region
}

// screenshotUpTo returns a PNG of the page from the top, at most maxHeight
// CSS pixels tall.
func (p *page) screenshotUpTo(maxHeight float64) []byte {
	p.t.Helper()
	var m struct {
		CSSContentSize struct{ Width, Height float64 }
	}
	p.call("Page.getLayoutMetrics", nil, &m)
	h := min(m.CSSContentSize.Height, maxHeight)
	var r struct{ Data string }
	p.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": m.CSSContentSize.Width, "height": h, "scale": 1}}, &r)
	return decodePNG(p.t, r.Data)
}

// axe runs axe-core (WCAG 2.2 A and AA rules) on the page and returns its
// violations, one line each: rule, impact, and the first elements.
func (p *page) axe() []string {
	p.t.Helper()
	var r struct {
		Result           struct{ Value json.RawMessage }
		ExceptionDetails *struct{ Text string }
	}
	expr := axeSource + `
;axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]})
 .then(r => r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; ")))`
	p.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true, "timeout": 60000}, &r)
	if r.ExceptionDetails != nil {
		p.t.Fatalf("axe: %s", r.ExceptionDetails.Text)
	}
	var out []string
	if err := json.Unmarshal(r.Result.Value, &out); err != nil {
		p.t.Fatalf("axe result %s: %v", r.Result.Value, err)
	}
	return out
}

// decodePNG decodes a screenshot's base64 data; the test fails unless it is a PNG.
func decodePNG(t *testing.T, data string) []byte {
	t.Helper()
	png, err := base64.StdEncoding.DecodeString(data)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("screenshot: not a PNG (%v)", err)
	}
	return png
}

// TestNarrowAndZoomed: the analyst's pages fit a 390-pixel phone and a
// laptop at 200% zoom (683 CSS pixels) without sideways scrolling of the
// page (wide tables scroll inside their own region), and axe finds nothing.
func TestNarrowAndZoomed(t *testing.T) {
	bin := chromiumPath(t)
	f := newFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(ctx, ln) }()
	t.Cleanup(func() { stop(); <-served })
	base := "http://" + ln.Addr().String()
	b := startBrowser(t, bin)
	p := b.newPage(t)
	p.navigate(base + "/login")
	signIn(t, p, "ne-rcc", testPassword)
	for _, size := range []struct {
		w     int
		scale float64
	}{{390, 1}, {683, 2}} {
		p.resize(size.w, 900, size.scale)
		for _, path := range []string{"/regions/North%20East", "/councils/" + hartlepool, "/regions/North%20East/review", "/forecasts", "/imports", "/backtest"} {
			p.navigate(base + path)
			var over struct{ Scroll, Inner float64 }
			p.eval(`({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})`, &over)
			if over.Scroll > over.Inner+1 {
				t.Errorf("%s at %d px (×%v): the page is %v px wide, wider than the window", path, size.w, size.scale, over.Scroll)
			}
			if size.w == 390 {
				for _, v := range p.axe() {
					t.Errorf("%s at 390 px: axe: %s", path, v)
				}
			}
		}
	}
	if size := os.Getenv("SUFFICIENCY_SCREENSHOT_OUT"); size != "" {
		_ = writeFile(filepath.Join(size, "analyst-rcc-backtest-zoom200.png"), p.screenshotUpTo(2000))
	}
}
