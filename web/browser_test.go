//go:build unix

package web

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestBrowser drives the real server in headless Chromium (see cdp_test.go):
// the pages as a user sees them, with the app's own CSP and cookies. It is
// skipped without Chromium, except in CI (CI=true), where it fails.
func TestBrowser(t *testing.T) {
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

	// Every page must load without console errors or warnings, without
	// exceptions, and without a resource blocked by the CSP or failing.
	clean := func(t *testing.T, p *page) {
		t.Helper()
		for _, s := range p.Problems() {
			t.Errorf("browser reported: %s", s)
		}
	}

	t.Run("CouncilUserJourney", func(t *testing.T) {
		p := b.newPage(t)
		council := base + "/councils/" + hartlepool

		// A protected page sends an anonymous user to sign in, and back after.
		if st := p.navigate(council); st != 200 || p.text("h1") != "Sign in" {
			t.Fatalf("anonymous %s: status %d, h1 %q; want the sign-in page", council, st, p.text("h1"))
		}
		signIn(t, p, "hart", testPassword)
		if got := p.url(); got != council {
			t.Fatalf("after sign-in: at %s, want %s (the page asked for)", got, council)
		}
		if c := p.cookies(base); !slices.Contains(c, "sufficiency") {
			t.Fatalf("no session cookie after sign-in: %v", c)
		}

		p.andWait("dashboard", func() { p.click(".govuk-service-navigation__service-name a") })
		checkDashboard(t, p)

		p.andWait("open the council", func() { p.click(`td a[href="/councils/` + hartlepool + `"]`) })
		checkCouncilPage(t, p)
		p.resize(1366, 900, 1)
		shot := filepath.Join(os.TempDir(), "sufficiency-browser", "council.png")
		if err := writeFile(shot, p.viewShot()); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot of the council page: %s", shot)

		p.andWait("open the review", func() { p.click(`a[href="/councils/` + hartlepool + `/review"]`) })
		if st, h1 := p.status(), p.text("h1"); st != 200 || h1 != "Needs-led review worklist" {
			t.Fatalf("review: status %d, h1 %q", st, h1)
		}
		if note := p.text(".govuk-inset-text"); !strings.Contains(note, "your viewing it is recorded") {
			t.Errorf("review notice %q", note)
		}
		if len(p.texts("table.app-table")) == 0 {
			t.Error("review: no tables")
		}

		p.andWait("sign out", func() { p.click(".app-account__button") })
		if got, h1 := p.url(), p.text("h1"); got != base+"/login" || h1 != "Sign in" {
			t.Fatalf("after sign-out: at %s (h1 %q), want the sign-in page", got, h1)
		}
		if slices.Contains(p.cookies(base), "sufficiency") {
			t.Error("the session cookie outlived sign-out")
		}
		if st := p.navigate(council); st != 200 || !strings.HasPrefix(p.url(), base+"/login?next=") || p.text("h1") != "Sign in" {
			t.Errorf("council page after sign-out: status %d at %s; want the sign-in page", st, p.url())
		}
		clean(t, p)
	})

	t.Run("WrongPassword", func(t *testing.T) {
		p := b.newPage(t)
		p.navigate(base + "/login")
		signIn(t, p, "prov", "not the password at all")
		if st := p.status(); st != 401 {
			t.Errorf("status %d, want 401", st)
		}
		if got := p.text(".govuk-error-summary"); !strings.Contains(got, "There is a problem") || !strings.Contains(got, "not right") {
			t.Errorf("error summary %q", got)
		}
		var role string
		p.eval(`document.querySelector(".govuk-error-summary [role]").getAttribute("role")`, &role)
		if role != "alert" {
			t.Errorf("error summary role %q, want alert", role)
		}
		var name string
		p.eval(`document.querySelector("#name").value`, &name)
		if name != "prov" {
			t.Errorf("name field %q after a failed sign-in, want it kept", name)
		}
		if c := p.cookies(base); len(c) != 0 {
			t.Errorf("cookies after a failed sign-in: %v", c)
		}
		clean(t, p)
	})

	t.Run("RCCRegion", func(t *testing.T) {
		p := b.newPage(t)
		p.navigate(base + "/login")
		signIn(t, p, "ne-rcc", testPassword)
		p.andWait("my region", func() { p.click(`nav a[href^="/regions/"]`) })
		if st, h1 := p.status(), p.text("h1"); st != 200 || h1 != "North East" {
			t.Fatalf("region: status %d, h1 %q", st, h1)
		}
		if hs := p.texts("h2"); !slices.ContainsFunc(hs, func(h string) bool { return strings.HasPrefix(h, "North East: children in care at ") }) {
			t.Errorf("region headings %q", hs)
		}
		if slices.ContainsFunc(p.texts(".govuk-inset-text"), func(s string) bool { return strings.Contains(s, "shown as “c”") }) {
			t.Error("the RCC's own region is suppressed")
		}
		clean(t, p)
	})

	t.Run("ForbiddenReview", func(t *testing.T) {
		p := b.newPage(t)
		p.navigate(base + "/login")
		signIn(t, p, "hart", testPassword)
		st := p.navigate(base + "/councils/" + middlesbrough + "/review")
		if st != 403 || p.text("h1") != "You do not have access to this page" {
			t.Errorf("another council's review: status %d, h1 %q; want 403", st, p.text("h1"))
		}
		if msg := p.text(".govuk-body-l"); !strings.Contains(msg, "you may not see the review worklist of Middlesbrough") {
			t.Errorf("message %q", msg)
		}
		clean(t, p)
	})

	// The collector above must see a CSP violation, or the checks prove nothing.
	t.Run("CSPViolationIsReported", func(t *testing.T) {
		p := b.newPage(t)
		p.navigate(base + "/login")
		p.eval(`(() => { const s = document.createElement("link"); s.rel = "stylesheet";
			s.href = "data:text/css,body{color:red}"; document.head.append(s); return true })()`, nil)
		reported := func() bool {
			return slices.ContainsFunc(p.Problems(), func(s string) bool { return strings.Contains(s, "Content Security Policy") })
		}
		for deadline := time.Now().Add(browserTimeout); !reported() && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond) // the report comes asynchronously
		}
		if !reported() {
			t.Errorf("a stylesheet from a data: URL was not reported as blocked by the CSP; saw %q", p.Problems())
		}
	})
}

// signIn fills in and submits the sign-in form shown, and waits for the next page.
func signIn(t *testing.T, p *page, name, password string) {
	t.Helper()
	p.typeInto("#name", name)
	p.typeInto("#password", password)
	p.andWait("sign in as "+name, func() { p.click(`main form button[type="submit"]`) })
}

// checkDashboard checks the council user's dashboard.
func checkDashboard(t *testing.T, p *page) {
	t.Helper()
	if st, h1 := p.status(), p.text("h1"); st != 200 || h1 != "Sufficiency for children in care" {
		t.Fatalf("dashboard: status %d, h1 %q", st, h1)
	}
	if lead := p.text(".app-account__who"); !strings.Contains(lead, "Signed in as hart") {
		t.Errorf("dashboard lead %q", lead)
	}
	rows := p.texts("table.app-table tbody tr")
	if len(rows) != 2 {
		t.Fatalf("dashboard lists %d councils, want 2: %q", len(rows), rows)
	}
	if !strings.HasPrefix(rows[0], "Hartlepool North East") || !strings.Contains(rows[0], "Full, with the review worklist") {
		t.Errorf("Hartlepool's row %q", rows[0])
	}
	if !strings.Contains(rows[1], "Middlesbrough") || !strings.Contains(rows[1], "Published figures") {
		t.Errorf("Middlesbrough's row %q", rows[1])
	}
}

// checkCouncilPage checks the picture's tables on the council page.
func checkCouncilPage(t *testing.T, p *page) {
	t.Helper()
	if st, h1 := p.status(), p.text("h1"); st != 200 || h1 != "Hartlepool" {
		t.Fatalf("council page: status %d, h1 %q", st, h1)
	}
	headings := p.texts(".app-table-section h2")
	for _, want := range []string{"Hartlepool: children in care at ", "Children in care by age", "Placement mix by placement type", "Distance from home (DfE locality)"} {
		if !slices.ContainsFunc(headings, func(h string) bool { return strings.HasPrefix(h, want) }) {
			t.Errorf("council page: no table %q among %q", want, headings)
		}
	}
	if n := len(p.texts(".app-table-section table")); n != len(headings) {
		t.Errorf("%d headings but %d tables", len(headings), n)
	}
	first := p.texts(".app-table-section:first-of-type tbody tr th, .app-table-section:first-of-type tbody tr td:first-child")
	if !slices.Contains(first, "Children in care") || !slices.Contains(first, "Started to be looked after in the year") {
		t.Errorf("summary table rows %q", first)
	}
	// Numbers are right-aligned by the stylesheet (so the CSS loaded).
	var align string
	p.eval(`getComputedStyle(document.querySelector("td.govuk-table__cell--numeric")).textAlign`, &align)
	if align != "right" {
		t.Errorf("numeric cell text-align %q, want right (is the GOV.UK stylesheet applied?)", align)
	}
	if notice := p.texts(".govuk-inset-text"); slices.ContainsFunc(notice, func(s string) bool { return strings.Contains(s, "shown as “c”") }) {
		t.Error("the council's own picture is suppressed")
	}
	if links := p.texts("ul.govuk-list a"); !slices.Contains(links, "Needs-led review worklist") {
		t.Errorf("council page links %q", links)
	}
}

// writeFile writes data to path, creating its directory, through a temporary
// file so a reader never sees half an image.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644) // for whoever looks at it
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
