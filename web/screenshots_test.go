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

	"sufficiency/auth"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

//go:embed testdata/axe/axe.min.js
var axeSource string

// shotPage is one page of the screenshot tour: its address and a file name.
type shotPage struct{ Name, Path string }

// tour lists the pages each role is shown, for a database whose first
// loaded council is council (in region).
func tour(role auth.Role, council, region string) []shotPage {
	reg := "/regions/" + url.PathEscape(region)
	switch role {
	case auth.RoleCouncil:
		return []shotPage{{"home", "/"}, {"council", "/councils/" + council}, {"review", "/councils/" + council + "/review"},
			{"region", reg}, {"market", "/market"}, {"not-found", "/no/such/page"}}
	case auth.RoleRCC:
		return []shotPage{{"home", "/"}, {"region", reg}, {"council", "/councils/" + council}, {"review", "/councils/" + council + "/review"},
			{"england", "/england"}, {"market", "/market?region=" + url.QueryEscape(region)}}
	case auth.RoleProvider:
		return []shotPage{{"home", "/"}, {"council", "/councils/" + council}, {"forbidden", "/councils/" + council + "/review"}}
	case auth.RoleAdmin:
		return []shotPage{{"home", "/"}, {"england", "/england"}, {"audit", "/audit"}}
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
	var srv *Server
	council, region := hartlepool, "North East"
	if src := os.Getenv("SUFFICIENCY_SCREENSHOT_DB"); src != "" {
		out = filepath.Join("..", "docs", "screenshots")
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
				p.navigate(base + sp.Path)
				if st := p.status(); st >= 500 {
					t.Errorf("%s: status %d", sp.Path, st)
				}
				shot := filepath.Join(out, string(u.Role)+"-"+sp.Name+".png")
				if err := writeFile(shot, p.screenshotUpTo(5000)); err != nil {
					t.Fatal(err)
				}
				for _, v := range p.axe() {
					t.Errorf("%s (%s): axe: %s", sp.Path, u.Role, v)
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
		case auth.RoleCouncil:
			u.Council = c.Code
		case auth.RoleRCC:
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
