package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"sufficiency/workflow"
)

// TestPlacementAccess is the route × role × owner table of the placement,
// provider, allocation, outcomes and user administration routes: every
// route, as every kind of user (the owning council, another council, the
// owning region's RCC, another region's RCC, a provider the referral is
// addressed to, a provider it is not, an administrator, nobody), gets the
// status the permission rules (auth.Permit) give. Requests that are allowed
// are made so that they fail harmlessly after the permission check (a
// conflict, an invalid form), so one fixture serves the whole table; the
// status tells whether the check let them through. A second test checks
// that the table names every such route of routes.go.
func TestPlacementAccess(t *testing.T) {
	f := newPlacementFixture(t)
	// R: sent to H1 (Acme Care) and H2 (Beacon Homes), open, nothing answered.
	// R2: sent to the same, then withdrawn. D: a draft, not sent.
	r := sendH1H2(t, f)
	r2 := sendH1H2(t, f)
	traff := f.login(t, "traff")
	if res := f.post(t, traff, "/referrals/"+r2+"/withdraw", nil); res.Code != 303 {
		t.Fatalf("withdraw R2: %d", res.Code)
	}
	d := f.createReferral(t, traff, goodReferralForm())
	if _, err := f.db.Respond(context.Background(), workflow.Change{Referral: r, ProvisionID: "H2", Action: workflow.ActionOffer, Actor: "beacon"}); err != nil {
		t.Fatal(err)
	}

	users := []string{"traff", "hart", "nw-analyst", "ne-rcc", "acme", "beacon", "prov", "admin", ""}
	cookies := map[string]*http.Cookie{}
	for _, u := range users[:len(users)-1] {
		cookies[u] = f.login(t, u)
	}
	nw := "North%20West"
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	bad := form("child_id", "") // an invalid referral form
	type route struct {
		method, path, body string
		ok                 map[string]int // status for these users
		denied             int            // status for every other signed-in user (403 unless set)
	}
	council := map[string]int{"traff": 200, "hart": 200}
	tests := []route{
		// Council placement officer: referrals.
		{"GET", "/referrals", "", map[string]int{"traff": 200, "hart": 200, "nw-analyst": 200, "ne-rcc": 200, "admin": 200}, 0},
		{"GET", "/referrals/new", "", council, 0},
		{"POST", "/referrals", bad, map[string]int{"traff": 422, "hart": 422}, 0},
		{"GET", "/referrals/" + r, "", map[string]int{"traff": 200, "nw-analyst": 200, "admin": 200}, 0},
		{"GET", "/referrals/" + d, "", map[string]int{"traff": 200, "nw-analyst": 200, "admin": 200, "acme": 404, "beacon": 404, "prov": 404}, 0},
		{"GET", "/referrals/" + d + "/edit", "", map[string]int{"traff": 200, "acme": 404, "beacon": 404, "prov": 404}, 0},
		{"POST", "/referrals/" + d, bad, map[string]int{"traff": 422, "acme": 404, "beacon": 404, "prov": 404}, 0},
		{"POST", "/referrals/" + d + "/send", "", map[string]int{"traff": 400, "acme": 404, "beacon": 404, "prov": 404}, 0},
		{"POST", "/referrals/" + r + "/send", form("provision", "H3"), map[string]int{"traff": 409}, 0},
		{"POST", "/referrals/" + r + "/offers/H1/accept", "", map[string]int{"traff": 409}, 0},
		{"POST", "/referrals/" + r2 + "/withdraw", "", map[string]int{"traff": 409}, 0},
		{"GET", "/api/v1/referrals", "", map[string]int{"traff": 200, "hart": 200, "nw-analyst": 200, "ne-rcc": 200, "admin": 200}, 0},
		{"POST", "/api/v1/referrals", `{"id": "x"}`, map[string]int{"traff": 400, "hart": 400}, 0},
		{"GET", "/api/v1/referrals/" + r, "", map[string]int{"traff": 200, "nw-analyst": 200, "admin": 200}, 0},
		{"GET", "/api/v1/referrals/" + d + "/matches", "", map[string]int{"traff": 200, "nw-analyst": 200, "admin": 200, "acme": 404, "beacon": 404, "prov": 404}, 0},
		{"POST", "/api/v1/referrals/" + d + "/send", `{}`, map[string]int{"traff": 400, "acme": 404, "beacon": 404, "prov": 404}, 0},
		{"POST", "/api/v1/referrals/" + r + "/offers/H1/accept", "", map[string]int{"traff": 409}, 0},
		{"POST", "/api/v1/referrals/" + r2 + "/withdraw", "", map[string]int{"traff": 409}, 0},
		// Providers: the portal, vacancies, answers. A provider a referral was
		// not sent to is told it does not exist (404).
		{"GET", "/provider", "", map[string]int{"acme": 200, "beacon": 200, "prov": 200}, 0},
		{"POST", "/provider/vacancies/H1", form("places", "2"), map[string]int{"acme": 303}, 0},
		{"GET", "/provider/referrals/" + r, "", map[string]int{"acme": 200, "beacon": 200, "prov": 404}, 0},
		{"POST", "/provider/referrals/" + r + "/offer", form("provision", "H2"), map[string]int{"acme": 422, "beacon": 409, "prov": 404}, 0},
		{"POST", "/provider/referrals/" + r2 + "/decline", form("provision", "H1", "reason", "staffing"), map[string]int{"acme": 409, "beacon": 422, "prov": 404}, 0},
		{"GET", "/api/v1/provider/provisions", "", map[string]int{"acme": 200, "beacon": 200, "prov": 200}, 0},
		{"GET", "/api/v1/provider/referrals", "", map[string]int{"acme": 200, "beacon": 200, "prov": 200}, 0},
		{"GET", "/api/v1/provider/referrals/" + r, "", map[string]int{"acme": 200, "beacon": 200, "prov": 404}, 0},
		{"POST", "/api/v1/provider/referrals/" + r + "/offer", `{"provision": "H1", "weekly_price_pounds": -1}`, map[string]int{"acme": 400, "beacon": 400, "prov": 404}, 0},
		{"POST", "/api/v1/provider/referrals/" + r + "/offer", `{"provision": "H2"}`, map[string]int{"acme": 400, "beacon": 409, "prov": 404}, 0},
		{"POST", "/api/v1/provider/referrals/" + r2 + "/decline", `{"provision": "H1", "reason": "staffing"}`, map[string]int{"acme": 409, "beacon": 400, "prov": 404}, 0},
		{"PUT", "/api/v1/provider/vacancies/H2", `{"places": 1}`, map[string]int{"beacon": 200}, 0},
		// The RCC: allocation of its own region only.
		{"GET", "/regions/" + nw + "/allocations", "", map[string]int{"nw-analyst": 200}, 0},
		{"POST", "/regions/" + nw + "/allocations", form("from", "2019-01-01", "to", "2019-02-01"), map[string]int{"nw-analyst": 422}, 0},
		{"POST", "/api/v1/regions/" + nw + "/allocations", `{"from": "2019-01-01", "to": "2019-02-01"}`, map[string]int{"nw-analyst": 404}, 0},
		// Outcomes: the council, its region's RCC, administrators.
		{"GET", "/councils/" + trafford + "/outcomes", "", map[string]int{"traff": 200, "nw-analyst": 200, "admin": 200}, 0},
		{"GET", "/regions/" + nw + "/outcomes", "", map[string]int{"nw-analyst": 200, "admin": 200}, 0},
		{"GET", "/api/v1/councils/" + trafford + "/outcomes", "", map[string]int{"traff": 200, "nw-analyst": 200, "admin": 200}, 0},
		{"GET", "/api/v1/regions/" + nw + "/outcomes", "", map[string]int{"nw-analyst": 200, "admin": 200}, 0},
		// Administration.
		{"GET", "/admin/users", "", map[string]int{"admin": 200}, 0},
		{"POST", "/admin/users", form("user_name", ""), map[string]int{"admin": 422}, 0},
		{"POST", "/admin/users/admin/disable", "", map[string]int{"admin": 409}, 0},
		{"POST", "/admin/users/nobody/enable", "", map[string]int{"admin": 404}, 0},
		{"POST", "/admin/users/prov/password", form("new_password", "short"), map[string]int{"admin": 422}, 0},
		{"POST", "/admin/sessions/x/end", "", map[string]int{"admin": 400}, 0},
		{"POST", "/admin/tokens/x/revoke", "", map[string]int{"admin": 400}, 0},
		{"GET", "/api/v1/admin/users", "", map[string]int{"admin": 200}, 0},
		{"POST", "/api/v1/admin/users", `{"name": ""}`, map[string]int{"admin": 400}, 0},
		{"POST", "/api/v1/admin/users/admin/disable", "", map[string]int{"admin": 409}, 0},
		{"POST", "/api/v1/admin/users/nobody/enable", "", map[string]int{"admin": 404}, 0},
		{"PUT", "/api/v1/admin/users/prov/password", `{"password": "short"}`, map[string]int{"admin": 400}, 0},
		{"DELETE", "/api/v1/admin/sessions/x", "", map[string]int{"admin": 400}, 0},
		{"DELETE", "/api/v1/admin/tokens/x", "", map[string]int{"admin": 400}, 0},
	}
	// The provider routes refuse non-providers before reading anything, and
	// the provider's offer/decline of a provision not its own is refused as
	// invalid (422 page, 400 API) — both listed above.
	for _, tc := range tests {
		for _, u := range users {
			want, ok := tc.ok[u]
			switch {
			case u == "" && strings.HasPrefix(tc.path, "/api/"):
				want = 401
			case u == "":
				want = 303 // to the sign-in page
			case !ok && tc.denied != 0:
				want = tc.denied
			case !ok:
				want = 403
			}
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if strings.HasPrefix(tc.path, "/api/") {
				req.Header.Set("Content-Type", "application/json")
			} else if tc.method == "POST" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if c := cookies[u]; c != nil {
				req.AddCookie(c)
			}
			w := httptest.NewRecorder()
			f.srv.Handler().ServeHTTP(w, req)
			if w.Code != want {
				who := u
				if who == "" {
					who = "anonymous"
				}
				t.Errorf("%s %s as %s: %d, want %d", tc.method, tc.path, who, w.Code, want)
			}
		}
	}
	// (A provider asking for a draft is told it does not exist: drafts are
	// the council's own and never addressed to a provider.)
	// Nothing the refused requests did changed the referrals.
	got := mustSent(t, f, r)
	if got.Status != workflow.ReferralOpen || got.Offers[0].Status != workflow.StatusPending || got.Offers[1].Status != workflow.StatusOffered {
		t.Errorf("referral R after the table: %s, offers %s and %s", got.Status, got.Offers[0].Status, got.Offers[1].Status)
	}
}

// TestPlacementAccessCoversRoutes: every placement, provider, allocation,
// outcomes and admin route of routes.go is in TestPlacementAccess's table.
func TestPlacementAccessCoversRoutes(t *testing.T) {
	routes, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	table, err := os.ReadFile("access_test.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`mux\.Handle\("(GET|POST|PUT|DELETE) (\S+)"`)
	entry := regexp.MustCompile(`\{"(GET|POST|PUT|DELETE)", ("[^"]*"(?: \+ [a-z0-9]+(?: \+ "[^"]*")?)*)`)
	var paths [][2]string // method, path with variables as X
	for _, m := range entry.FindAllStringSubmatch(string(table), -1) {
		lit := regexp.MustCompile(`" \+ [a-z0-9]+ \+ "|" \+ [a-z0-9]+$`).ReplaceAllString(m[2], "X")
		paths = append(paths, [2]string{m[1], strings.Trim(lit, `"`)})
	}
	same := func(route, path string) bool {
		rs, ps := strings.Split(strings.TrimSuffix(route, "{$}"), "/"), strings.Split(path, "/")
		if len(rs) != len(ps) {
			return false
		}
		for i := range rs {
			if !strings.HasPrefix(rs[i], "{") && rs[i] != ps[i] {
				return false
			}
		}
		return true
	}
	n := 0
	for _, m := range re.FindAllStringSubmatch(string(routes), -1) {
		if !regexp.MustCompile(`/referrals|/provider|/admin/|/allocations|/outcomes`).MatchString(m[2]) {
			continue
		}
		n++
		found := false
		for _, p := range paths {
			found = found || p[0] == m[1] && same(m[2], p[1])
		}
		if !found {
			t.Errorf("%s %s is not in TestPlacementAccess's table", m[1], m[2])
		}
	}
	if n < 40 {
		t.Errorf("only %d placement routes found in routes.go: is the pattern still right?", n)
	}
}
