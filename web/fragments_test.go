package web

import (
	"strings"
	"testing"
)

// A picture page served again from its cached picture shows the charts and
// tables rendered for an earlier view (web/picturepage.go): the page must
// be the one rendering them afresh gives. A page with another query
// (?compare=all is the default comparison, so the picture and its charts
// are the same) renders them afresh; with the query taken out of its
// links, the two pages are the same, for a council's and a region's page,
// suppressed (another council's) and not, at the latest date and a chosen
// one.
func TestPictureFragmentsSameAsRendering(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ user, path string }{
		{"hart", "/councils/" + hartlepool}, {"hart", "/councils/" + middlesbrough}, {"ne-rcc", "/regions/North%20East"},
		{"ne-rcc", "/regions/North%20East?at=2024-03-31"}, {"admin", "/england"},
	} {
		c := f.login(t, tc.user)
		sep := "?"
		if strings.Contains(tc.path, "?") {
			sep = "&"
		}
		var kept []string
		for i := 0; i < 2; i++ { // the second view is served from the kept fragments
			r := f.get(t, c, tc.path)
			if r.Code != 200 {
				t.Fatalf("%s: %d", tc.path, r.Code)
			}
			kept = append(kept, r.Body)
		}
		fresh := f.get(t, c, tc.path+sep+"compare=all")
		if fresh.Code != 200 {
			t.Fatalf("%s: %d", tc.path, fresh.Code)
		}
		plain := strings.NewReplacer("?compare=all&amp;", "?", "?compare=all&", "?", "?compare=all", "", "&amp;compare=all", "", "&compare=all", "").Replace(fresh.Body)
		if !strings.Contains(kept[1], `id="chart-`) || !strings.Contains(kept[1], "Download this table") {
			t.Fatalf("%s: no charts or tables on the page", tc.path)
		}
		for i, body := range kept {
			if body != plain {
				a, b := body, plain
				for k := 0; k < len(a) && k < len(b); k++ {
					if a[k] != b[k] {
						lo := max(0, k-200)
						t.Fatalf("%s, view %d: differs from rendering afresh at byte %d:\n kept: %s\nfresh: %s", tc.path, i+1, k, a[lo:min(len(a), k+200)], b[lo:min(len(b), k+200)])
					}
				}
				t.Fatalf("%s, view %d: lengths %d and %d", tc.path, i+1, len(a), len(b))
			}
		}
	}
}
