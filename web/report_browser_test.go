//go:build unix

package web

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportPageInBrowser opens the statement page as a council user in
// headless Chromium: it renders under the app's CSP without console errors
// or blocked resources, with its charts, the intentions form and the
// download links; a screenshot is kept for people to look at.
func TestReportPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	bin := chromiumPath(t)
	f := newFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	base := "http://" + ln.Addr().String()
	b := startBrowser(t, bin)
	p := b.newPage(t)
	p.navigate(base + "/login")
	signIn(t, p, "hart", testPassword)
	p.andWait("statement", func() { p.click(`nav a[href="/councils/` + hartlepool + `/report"]`) })
	if st, h1 := p.status(), p.text("h1"); st != 200 || h1 != "Sufficiency statement" {
		t.Fatalf("statement page: status %d, h1 %q", st, h1)
	}
	hs := p.texts("h2")
	for _, want := range []string{"1. Summary", "3. Care leavers", "8. Forecast", "10. Market position statement", "11. Governance"} {
		found := false
		for _, h := range hs {
			if h == want {
				found = true
			}
		}
		if !found {
			t.Errorf("no heading %q in %q", want, hs)
		}
	}
	var charts int
	p.eval(`document.querySelectorAll("figure svg[role=img]").length`, &charts)
	if charts < 4 {
		t.Errorf("%d charts drawn", charts)
	}
	if got := p.text("label[for=intentions]"); !strings.Contains(got, "Commissioning intentions") {
		t.Errorf("intentions form label %q", got)
	}
	for _, s := range p.Problems() {
		t.Errorf("browser reported: %s", s)
	}
	p.resize(1366, 900, 1)
	shot := filepath.Join(os.TempDir(), "sufficiency-browser", "statement.png")
	if err := writeFile(shot, p.viewShot()); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the statement page: %s", shot)
}
