package web

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sufficiency/store"
	"sufficiency/workflow"
)

// In the browser a council's referrals list shows the newest 50, a link to
// the older ones, and from there a link back to the newest (issue 14: the
// list is read a page at a time).
func TestBrowserReferralsListPages(t *testing.T) {
	bin := chromiumPath(t)
	f := newPlacementFixture(t)
	ctx := store.WithActor(context.Background(), "traff")
	const n = referralsPageSize + 3
	for i := range n {
		body := fmt.Sprintf(`{"id": "LA-%d", "council": %q, "child_id": "CHILD-%d", "sex": "F", "date_of_birth": "2012-05", "needed_by": "later",
			"start_date": "2026-03-28", "foster_suitability": "suitable", "residential_suitability": "preferred",
			"supported_accommodation_suitability": "unsuitable", "sibling_count": 0, "home_postcode": "M32 8BW",
			"living_companions": "no_preference", "pets": "not_known", "needs_tier": "enhanced", "need_codes": ["EBD"]}`, i, trafford, i)
		d, _, err := workflow.NewDraft([]byte(body), fmt.Sprintf("R-LIST-%04d", i), false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.SaveDraft(ctx, d, "traff"); err != nil {
			t.Fatal(err)
		}
		f.clock.mu.Lock()
		f.clock.t = f.clock.t.Add(time.Minute)
		f.clock.mu.Unlock()
	}
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
