package web

import (
	"strings"
	"testing"

	"sufficiency/market"
)

// A deployment's owner groups file reaches the market page and API: the
// owner table names ultimate owners and a table of places by ownership
// appears (serve --owner-groups FILE).
func TestMarketOwnerGroups(t *testing.T) {
	f := newFixture(t)
	srv, err := New(Config{Store: f.db, InsecureCookies: true, Now: f.clock.Now,
		OwnerGroups: map[string]string{"Cambian Childcare Limited": "Example Care Group"},
		Owners:      map[string]market.OwnerInfo{"Example Care Group": {Group: "Example Care Group", UltimateOwner: "Example Fund LP", Ownership: "private equity"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	c := f.login(t, "admin")
	w := f.do(t, "GET", "/api/v1/market?region=North%20East", nil, withCookie(c))
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{"Example Fund LP", "Residential places by kind of ownership", "Private equity"} {
		if !strings.Contains(body, want) {
			t.Errorf("market API lacks %q", want)
		}
	}
	page := f.do(t, "GET", "/market?region=North%20East", nil, withCookie(c)).Body.String()
	if !strings.Contains(page, "Example Fund LP") {
		t.Error("market page lacks the ultimate owner")
	}
}
