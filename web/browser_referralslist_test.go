package web

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// In the browser a council's referrals list shows the newest 50, a link to
// the older ones, and from there a link back to the newest (issue 14: the
// list is read a page at a time).
func TestBrowserReferralsListPages(t *testing.T) {
	bin := chromiumPath(t)
	f := newPlacementFixture(t)
	const n = referralsPageSize + 3
	saveListDrafts(t, f, n)
	base := serveFixture(t, f)
	b := startBrowser(t, bin)
	p := b.newPage(t)
	p.navigate(base + "/login")
	signIn(t, p, "traff", testPassword)
	p.andWait("referrals", func() { p.click(`nav a[href="/referrals"]`) })
	rows := func() []string {
		var refs []string
		for _, s := range p.texts(`main a[href^="/referrals/R-LIST-"]`) {
			refs = append(refs, strings.TrimSpace(s))
		}
		return refs
	}
	first := rows()
	if len(first) != referralsPageSize || !strings.Contains(first[0], fmt.Sprintf("R-LIST-%04d", n-1)) {
		t.Fatalf("first page: %d rows, first %q", len(first), first[:min(1, len(first))])
	}
	p.resize(1366, 900, 1)
	if err := writeFile(filepath.Join(screenshotDir(), "placements-11-referrals-list.png"), p.screenshot()); err != nil {
		t.Fatal(err)
	}
	p.andWait("older", func() { p.click(`a[rel="next"]`) })
	second := rows()
	if len(second) != 3 || !strings.Contains(second[2], "R-LIST-0000") {
		t.Fatalf("older page: %q", second)
	}
	p.andWait("newest", func() { p.click(`a[rel="first"]`) })
	if again := rows(); len(again) != referralsPageSize {
		t.Errorf("back to the newest: %d rows", len(again))
	}
	for _, s := range p.Problems() {
		t.Errorf("browser reported: %s", s)
	}
}
