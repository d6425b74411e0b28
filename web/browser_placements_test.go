//go:build unix

package web

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/internal/storetest"
)

// screenshotDir is where the placement journey's screenshots go:
// $SUFFICIENCY_SCREENSHOTS (docs/screenshots to refresh the documentation's),
// else a temporary folder.
func screenshotDir() string {
	if d := os.Getenv("SUFFICIENCY_SCREENSHOTS"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "sufficiency-browser")
}

// serveFixture serves f on a free local port until the test ends and
// returns its base address.
func serveFixture(t *testing.T, f *fixture) string {
	t.Helper()
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
	return "http://" + ln.Addr().String()
}

// TestBrowserPlacementJourney walks the whole placement in headless
// Chromium, each step as the right role: the council's placement officer
// creates a referral (first with mistakes, shown by the error summary),
// sees the ranked matches, sends to two homes; provider A declines with a
// reason; provider B offers with a price and conditions; the officer
// accepts; the vacancy drops and both providers see the outcome.
func TestBrowserPlacementJourney(t *testing.T) {
	bin := chromiumPath(t)
	f := newPlacementFixture(t)
	base := serveFixture(t, f)
	b := startBrowser(t, bin)
	shot := func(p *page, name string) {
		t.Helper()
		p.resize(1366, 900, 1)
		path := filepath.Join(screenshotDir(), "placements-"+name+".png")
		if err := writeFile(path, p.screenshot()); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
	clean := func(p *page) {
		t.Helper()
		for _, s := range p.Problems() {
			t.Errorf("browser reported: %s", s)
		}
	}

	// The placement officer.
	officer := b.newPage(t)
	officer.navigate(base + "/login")
	signIn(t, officer, "traff", testPassword)
	officer.andWait("referrals", func() { officer.click(`nav a[href="/referrals"]`) })
	if h1 := officer.text("h1"); h1 != "Referrals" {
		t.Fatalf("referrals page h1 %q", h1)
	}
	officer.andWait("start a referral", func() { officer.click(`a[href="/referrals/new"]`) })
	// Mistakes: no ID, a date of birth in the wrong form, no postcode.
	officer.typeInto("#date_of_birth", "14/05/2012")
	officer.andWait("save with mistakes", func() { officer.click(`main form button[type="submit"]`) })
	if st := officer.status(); st != 422 {
		t.Errorf("form with mistakes: status %d, want 422", st)
	}
	summary := officer.texts(".govuk-error-summary__list a")
	for _, want := range []string{"Enter the child's ID", "written as YYYY-MM", "Select the child's sex", "Enter the family home's postcode"} {
		if !containsPrefix(summary, want) {
			t.Errorf("error summary %q: no %q", summary, want)
		}
	}
	if msg := officer.text("#date_of_birth-error"); !strings.Contains(msg, "YYYY-MM") {
		t.Errorf("date of birth message %q", msg)
	}
	shot(officer, "1-referral-form-errors")
	officer.typeInto("#child_id", "CHILD-4471")
	officer.click("#sex-0")
	officer.typeInto("#date_of_birth", "2012-05")
	officer.typeInto("#home_postcode", "M32 8BW")
	officer.click("#needed_by-1")
	officer.typeInto("#start_date", "2026-03-28")
	officer.click("#needs_tier-1")
	officer.click("#need_codes-0")
	officer.andWait("save the draft", func() { officer.click(`main form button[type="submit"]`) })
	if st, h1 := officer.status(), officer.text("h1"); st != 200 || !strings.HasPrefix(h1, "Referral R-") {
		t.Fatalf("after saving: status %d, h1 %q", st, h1)
	}
	ref := strings.TrimPrefix(officer.text("h1"), "Referral ")
	matches := officer.texts("#matches > li")
	if len(matches) < 2 || !strings.Contains(matches[0], "miles from the family home") || !strings.Contains(matches[0], "What fits") {
		t.Fatalf("matches %q", matches)
	}
	shot(officer, "2-matches")
	officer.click("#pick-H1")
	officer.click("#pick-H2")
	officer.andWait("send", func() { officer.click("#send") })
	if banner := officer.text(".govuk-notification-banner"); !strings.Contains(banner, "has been sent") {
		t.Errorf("after sending: %q", banner)
	}
	if rows := officer.texts("#offers tbody tr"); len(rows) != 2 || !strings.Contains(rows[0], "pending") {
		t.Errorf("offers after sending %q", rows)
	}
	clean(officer)

	// Provider A declines with a reason.
	acme := b.newPage(t)
	acme.navigate(base + "/login")
	signIn(t, acme, "acme", testPassword)
	acme.andWait("portal", func() { acme.click(`nav a[href="/provider"]`) })
	if rows := acme.texts("#provider-referrals tbody tr"); len(rows) != 1 || !strings.Contains(rows[0], "waiting for your answer") || strings.Contains(rows[0], "CHILD-4471") {
		t.Fatalf("Acme's referrals %q", rows)
	}
	acme.andWait("open the referral", func() { acme.click(`#provider-referrals a`) })
	if body := acme.text("main"); strings.Contains(body, "CHILD-4471") || strings.Contains(body, "M32 8BW") || !strings.Contains(body, "M32") {
		t.Errorf("the provider's view is not pseudonymised: %q", body)
	}
	acme.click("#reason-H1-3") // staffing
	acme.andWait("decline", func() { acme.click("#decline-H1") })
	if out := acme.text("#outcome"); !strings.Contains(out, "you declined") {
		t.Errorf("after declining: %q", out)
	}
	shot(acme, "3-provider-declined")
	clean(acme)

	// Provider B offers with a price and conditions.
	beacon := b.newPage(t)
	beacon.navigate(base + "/login")
	signIn(t, beacon, "beacon", testPassword)
	beacon.navigate(base + "/provider/referrals/" + ref)
	beacon.typeInto("#price-H2", "5,250")
	beacon.typeInto("#conditions-H2", "Two introductory visits before moving in")
	shot(beacon, "4-provider-offer")
	beacon.andWait("offer", func() { beacon.click("#offer-H2") })
	if out := beacon.text("#outcome"); !strings.Contains(out, "you have offered") {
		t.Errorf("after offering: %q", out)
	}
	clean(beacon)

	// The officer sees both answers and accepts B's offer.
	officer.navigate(base + "/referrals/" + ref)
	rows := officer.texts("#offers tbody tr")
	if len(rows) != 2 || !strings.Contains(rows[0], "declined because of staffing") || !strings.Contains(rows[1], "£5,250 a week") || !strings.Contains(rows[1], "Two introductory visits") {
		t.Fatalf("offers %q", rows)
	}
	shot(officer, "5-offers")
	officer.andWait("accept", func() { officer.click("#accept-H2") })
	if panel := officer.text(".govuk-panel"); !strings.Contains(panel, "Placed") || !strings.Contains(panel, "H2") {
		t.Errorf("after accepting: %q", panel)
	}
	shot(officer, "6-placed")
	clean(officer)

	// The vacancy dropped; both providers see the outcome.
	beacon.navigate(base + "/provider")
	var free string
	beacon.eval(`document.querySelector("#places-H2").value`, &free)
	if free != "0" {
		t.Errorf("H2's free places after the acceptance: %q, want 0", free)
	}
	if rows := beacon.texts("#provider-referrals tbody tr"); len(rows) != 1 || !strings.Contains(rows[0], "your offer was accepted") {
		t.Errorf("Beacon's outcome %q", rows)
	}
	shot(beacon, "7-provider-outcome")
	acme.navigate(base + "/provider")
	if rows := acme.texts("#provider-referrals tbody tr"); len(rows) != 1 || !strings.Contains(rows[0], "placed elsewhere") {
		t.Errorf("Acme's outcome %q", rows)
	}
	// Acme confirms its vacancies today, in one click.
	acme.andWait("confirm", func() { acme.click("#confirm-H1") })
	if c := acme.text("#home-H1 .app-confirmed"); c != "Confirmed today" {
		t.Errorf("after confirming: %q", c)
	}
	clean(acme)
	clean(beacon)

	// The outcomes are sufficiency evidence in the council's picture: the
	// decline and its reason, the provider, the kind of home.
	storetest.MustImport(t, f.db, storetest.Fixture(trafford, []int{2024, 2025}, 12, "t"))
	officer.navigate(base + "/councils/" + trafford)
	if h := officer.text("#referral-outcomes h2"); !strings.HasPrefix(h, "Referral outcomes in the year to") {
		t.Errorf("Trafford's picture: outcomes heading %q", h)
	}
	if bars := officer.text("#chart-declines"); !strings.Contains(strings.ToLower(bars), "staff") {
		t.Errorf("decline reasons chart: %q", bars)
	}
	path := filepath.Join(screenshotDir(), "placements-10-picture-outcomes.png")
	if err := writeFile(path, officer.elementShot("#referral-outcomes")); err != nil {
		t.Fatal(err)
	}
	for _, v := range officer.axe() {
		t.Errorf("Trafford's picture: axe: %s", v)
	}
	clean(officer)
}

func containsPrefix(list []string, want string) bool {
	for _, s := range list {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

// TestBrowserAdminDisablesUser: an administrator disables a user on the
// users page; the user's open session then fails (the next page asks them
// to sign in), and they cannot sign in again until enabled.
func TestBrowserAdminDisablesUser(t *testing.T) {
	bin := chromiumPath(t)
	f := newPlacementFixture(t)
	base := serveFixture(t, f)
	b := startBrowser(t, bin)

	officer := b.newPage(t)
	officer.navigate(base + "/login")
	signIn(t, officer, "traff", testPassword)
	if st := officer.navigate(base + "/referrals"); st != 200 || officer.text("h1") != "Referrals" {
		t.Fatalf("officer's referrals: %d", st)
	}

	adm := b.newPage(t)
	adm.navigate(base + "/login")
	signIn(t, adm, "admin", testPassword)
	adm.andWait("users", func() { adm.click(`nav a[href="/admin/users"]`) })
	if h1 := adm.text("h1"); h1 != "Users" {
		t.Fatalf("users page h1 %q", h1)
	}
	if sessions := adm.text("#user-traff td:nth-child(4)"); !strings.Contains(sessions, "Since") {
		t.Errorf("traff's sessions cell %q", sessions)
	}
	adm.andWait("disable", func() { adm.click("#disable-traff") })
	if banner := adm.text(".govuk-notification-banner"); !strings.Contains(banner, "traff is disabled") {
		t.Errorf("after disabling: %q", banner)
	}
	if status := adm.text("#user-traff td:nth-child(3)"); !strings.Contains(status, "Disabled") {
		t.Errorf("traff's status %q", status)
	}
	p := filepath.Join(screenshotDir(), "placements-8-admin-users.png")
	adm.resize(1366, 900, 1)
	if err := writeFile(p, adm.screenshot()); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)

	// The officer's session has ended.
	officer.navigate(base + "/referrals")
	if h1 := officer.text("h1"); h1 != "Sign in" {
		t.Errorf("the disabled officer's next page: h1 %q, want the sign-in page", h1)
	}
	signIn(t, officer, "traff", testPassword)
	if st := officer.status(); st != 401 {
		t.Errorf("a disabled user signing in: status %d, want 401", st)
	}
	for i, pg := range []*page{officer, adm} {
		for _, s := range pg.Problems() {
			if !strings.Contains(s, "401") { // the refused sign-in is expected
				t.Errorf("browser reported (page %d): %s", i, s)
			}
		}
	}
}

// TestBrowserRegionalAllocation: an RCC analyst runs an allocation and the
// competition-vs-cooperation comparison from the region's navigation.
func TestBrowserRegionalAllocation(t *testing.T) {
	bin := chromiumPath(t)
	f := newAllocationFixture(t)
	base := serveFixture(t, f)
	b := startBrowser(t, bin)
	p := b.newPage(t)
	p.navigate(base + "/login")
	signIn(t, p, "ne-rcc", testPassword)
	p.andWait("allocation", func() { p.click(`nav a[href$="/allocations"]`) })
	if h1 := p.text("h1"); h1 != "Regional allocation" {
		t.Fatalf("h1 %q", h1)
	}
	p.typeInto("#from", "2023-04-01")
	p.typeInto("#to", "2023-06-30")
	p.andWait("run", func() { p.click("#run") })
	if st := p.status(); st != 200 {
		t.Fatalf("run: status %d: %s", st, p.text("main"))
	}
	if s := p.text("#summary"); !strings.Contains(s, "children placed") {
		t.Errorf("summary %q", s)
	}
	if n := len(p.texts(".app-chart svg")); n != 6 {
		t.Errorf("%d comparison charts, want 6", n)
	}
	if rows := p.texts("#unplaced tbody tr"); len(rows) == 0 {
		t.Error("no child shown as not placed")
	}
	path := filepath.Join(screenshotDir(), "placements-9-allocation.png")
	p.resize(1366, 900, 1)
	if err := writeFile(path, p.screenshot()); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	for _, s := range p.Problems() {
		t.Errorf("browser reported: %s", s)
	}
}
