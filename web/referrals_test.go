package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sufficiency/identity"
	"sufficiency/internal/storetest"
	"sufficiency/store"
	"sufficiency/workflow"
)

const trafford = "E08000009"

// placementUsers are the users of the placement tests: a placement officer
// of Trafford (the referral's council), one of Hartlepool ("hart", of
// newFixture), and the two providers of storetest.OfferSupply.
var placementUsers = []identity.User{
	{Name: "traff", Role: identity.RoleCouncil, Council: trafford},
	{Name: "nw-analyst", Role: identity.RoleRCC, Region: "North West"},
	{Name: "acme", Role: identity.RoleProvider, Provider: "Acme Care"},
	{Name: "beacon", Role: identity.RoleProvider, Provider: "Beacon Homes"},
}

// newPlacementFixture is newFixture with the offers suite's supply (three
// homes near Manchester and a fostering household) and the placement users,
// on 27 March 2026.
func newPlacementFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	ctx := store.WithActor(context.Background(), "test")
	provs, vacs := storetest.OfferSupply()
	if err := f.db.ReplaceSupply(ctx, provs, vacs); err != nil {
		t.Fatal(err)
	}
	for _, u := range placementUsers {
		u.PasswordHash = testHash()
		if _, err := f.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.mu.Lock()
	f.clock.t = time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC)
	f.clock.mu.Unlock()
	return f
}

// goodReferralForm is a valid referral form: a 13-year-old girl from
// Trafford with emotional and behavioural needs.
func goodReferralForm() url.Values {
	return url.Values{"child_id": {"CHILD-4471"}, "sex": {"F"}, "date_of_birth": {"2012-05"}, "needed_by": {"under_5_days"},
		"start_date": {"2026-03-28"}, "foster_suitability": {"suitable"}, "residential_suitability": {"preferred"},
		"supported_accommodation_suitability": {"unsuitable"}, "sibling_count": {"0"}, "home_postcode": {"M32 8BW"},
		"living_companions": {"no_preference"}, "pets": {"not_known"}, "needs_tier": {"enhanced"}, "need_codes": {"EBD"}}
}

func (f *fixture) post(t *testing.T, c *http.Cookie, target string, form url.Values) *httpResult {
	t.Helper()
	w := f.do(t, "POST", target, strings.NewReader(form.Encode()), withCookie(c))
	return &httpResult{Code: w.Code, Body: w.Body.String(), Location: w.Header().Get("Location")}
}

func (f *fixture) get(t *testing.T, c *http.Cookie, target string) *httpResult {
	t.Helper()
	w := f.do(t, "GET", target, nil, withCookie(c))
	return &httpResult{Code: w.Code, Body: w.Body.String(), Location: w.Header().Get("Location")}
}

// apiJSON calls the API with a JSON body (nil for none) and decodes the answer into out.
func (f *fixture) apiJSON(t *testing.T, c *http.Cookie, method, target, body string, out any) int {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.AddCookie(c)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, r)
	if out != nil && w.Code < 300 {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, target, err, w.Body)
		}
	}
	if w.Code >= 300 && out != nil {
		if p, ok := out.(*Problem); ok {
			_ = json.Unmarshal(w.Body.Bytes(), p)
		}
	}
	return w.Code
}

type httpResult struct {
	Code           int
	Body, Location string
}

var referenceRE = regexp.MustCompile(`^/referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})$`)

// createReferral posts the form as user c and returns the new reference.
func (f *fixture) createReferral(t *testing.T, c *http.Cookie, form url.Values) string {
	t.Helper()
	res := f.post(t, c, "/referrals", form)
	m := referenceRE.FindStringSubmatch(res.Location)
	if res.Code != http.StatusSeeOther || m == nil {
		t.Fatalf("POST /referrals: %d to %q: %s", res.Code, res.Location, res.Body)
	}
	return m[1]
}

func TestReferralFormErrors(t *testing.T) {
	f := newPlacementFixture(t)
	c := f.login(t, "traff")
	if res := f.get(t, c, "/referrals/new"); res.Code != 200 || !strings.Contains(res.Body, `name="child_id"`) {
		t.Fatalf("form: %d", res.Code)
	}
	// An empty form: every required field named in the summary and at the field.
	res := f.post(t, c, "/referrals", url.Values{"needs_tier": {"standard"}})
	if res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("empty form: status %d, want 422", res.Code)
	}
	for _, want := range []string{`govuk-error-summary`, `href="#child_id"`, `href="#sex"`, `href="#date_of_birth"`, `href="#needed_by"`,
		`href="#home_postcode"`, `id="child_id-error"`, `govuk-input--error`, "Enter the child&#39;s ID", "<title>Error: New referral"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("empty form: no %q", want)
		}
	}
	// Each bad value is named, and the typed values are kept.
	cases := []struct{ field, value, want string }{
		{"date_of_birth", "14/05/2012", "written as YYYY-MM"},
		{"date_of_birth", "2027-01", "must be in the past"},
		{"date_of_birth", "2008-02", "must be under 18"},
		{"date_of_birth", "2008-04", ""}, // 17 on 27 March 2026
		{"start_date", "2026-02-30", "written as YYYY-MM-DD"},
		{"start_date", "2026-03-25", "today or in the future"},
		{"start_date", "2026-03-27", ""},
		{"sibling_count", "13", "from 0 to 12"},
		{"sibling_count", "-1", "from 0 to 12"},
		{"sibling_count", "12", ""},
		{"home_postcode", "NOT A POSTCODE", "real UK postcode"},
		{"sex", "X", "Select the child&#39;s sex"},
		{"needs_tier", "extreme", "level of need"},
		{"need_codes", "<script>", "from the list"},
		{"child_id", strings.Repeat("9", 41), "40 characters or fewer"},
	}
	for _, tc := range cases {
		form := goodReferralForm()
		form.Set(tc.field, tc.value)
		res := f.post(t, c, "/referrals", form)
		if tc.want == "" {
			if res.Code != http.StatusSeeOther {
				t.Errorf("%s=%q: status %d, want it accepted: %s", tc.field, tc.value, res.Code, res.Body)
			}
			continue
		}
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.want) || !strings.Contains(res.Body, `href="#`+tc.field+`"`) {
			t.Errorf("%s=%q: status %d, want 422 naming the field with %q", tc.field, tc.value, res.Code, tc.want)
		}
		if res.Code == 422 && tc.field != "need_codes" && tc.field != "child_id" && !strings.Contains(res.Body, `value="CHILD-4471"`) {
			t.Errorf("%s=%q: the typed child id was not kept", tc.field, tc.value)
		}
	}
	// Nothing was saved by the refused forms.
	ds, err := f.db.Drafts(context.Background(), trafford)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 {
		t.Errorf("%d drafts, want the 3 accepted", len(ds))
	}
}

func TestReferralJourneyPages(t *testing.T) {
	f := newPlacementFixture(t)
	c := f.login(t, "traff")
	ref := f.createReferral(t, c, goodReferralForm())

	// The draft with its ranked, explained matches and the exclusions.
	res := f.get(t, c, "/referrals/"+ref)
	if res.Code != 200 {
		t.Fatalf("referral page: %d %s", res.Code, res.Body)
	}
	for _, want := range []string{"CHILD-4471", `id="match-H1"`, `id="match-H2"`, "miles from the family home", "What fits",
		"outside your council&#39;s area", "Ofsted: good", `id="send"`, "Why others cannot take the child"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("referral page: no %q", want)
		}
	}
	// Filters: the fostering household is not registered for EBD, so foster
	// care alone leaves nothing; it is listed among the exclusions with why.
	if res := f.get(t, c, "/referrals/"+ref+"?type=foster"); res.Code != 200 || strings.Contains(res.Body, `id="match-H1"`) ||
		!strings.Contains(res.Body, "No home or household can take the child") || !strings.Contains(res.Body, "needs not in statement of purpose (EBD)") {
		t.Errorf("type=foster: %d; want no match and F1's reason", res.Code)
	}
	if res := f.get(t, c, "/referrals/"+ref+"?max_miles=-3"); res.Code != 400 {
		t.Errorf("max_miles=-3: %d, want 400", res.Code)
	}
	// Change the draft: the change is kept.
	form := goodReferralForm()
	form.Set("sibling_count", "1")
	if res := f.post(t, c, "/referrals/"+ref, form); res.Code != 303 {
		t.Fatalf("change: %d %s", res.Code, res.Body)
	}
	if res := f.get(t, c, "/referrals/"+ref+"/edit"); !strings.Contains(res.Body, `id="sibling_count" name="sibling_count" type="text" value="1"`) {
		t.Errorf("edit form does not show the change")
	}
	form.Set("sibling_count", "0")
	f.post(t, c, "/referrals/"+ref, form)

	// Send to H1 and H2 only.
	if res := f.post(t, c, "/referrals/"+ref+"/send", url.Values{}); res.Code != 400 {
		t.Errorf("send to nobody: %d, want 400", res.Code)
	}
	if res := f.post(t, c, "/referrals/"+ref+"/send", url.Values{"provision": {"H1", "H2"}}); res.Code != 303 {
		t.Fatalf("send: %d %s", res.Code, res.Body)
	}
	if res := f.post(t, c, "/referrals/"+ref+"/send", url.Values{"provision": {"H3"}}); res.Code != 409 {
		t.Errorf("send twice: %d, want 409", res.Code)
	}
	if res := f.post(t, c, "/referrals/"+ref, form); res.Code != 409 {
		t.Errorf("change after sending: %d, want 409", res.Code)
	}
	ctx := context.Background()
	if _, err := f.db.Respond(ctx, workflow.Change{Referral: ref, ProvisionID: "H1", Action: workflow.ActionDecline, Reason: workflow.ReasonStaffing, Actor: "acme"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Respond(ctx, workflow.Change{Referral: ref, ProvisionID: "H2", Action: workflow.ActionOffer, Price: 600000, Conditions: "two visits first", Actor: "beacon"}); err != nil {
		t.Fatal(err)
	}
	res = f.get(t, c, "/referrals/"+ref)
	for _, want := range []string{"staffing", "£6,000 a week", "Conditions: two visits first", `id="accept-H2"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("offers: no %q", want)
		}
	}
	if strings.Contains(res.Body, `id="accept-H1"`) {
		t.Error("a declined offer can be accepted")
	}
	// Other councils, the region's providers, and a provider may not see or act.
	hart := f.login(t, "hart")
	if res := f.get(t, hart, "/referrals/"+ref); res.Code != 403 {
		t.Errorf("Hartlepool sees Trafford's referral: %d", res.Code)
	}
	if res := f.post(t, hart, "/referrals/"+ref+"/offers/H2/accept", nil); res.Code != 403 {
		t.Errorf("Hartlepool accepts for Trafford: %d", res.Code)
	}
	nw := f.login(t, "nw-analyst")
	if res := f.get(t, nw, "/referrals/"+ref); res.Code != 200 || strings.Contains(res.Body, `id="accept-H2"`) {
		t.Errorf("the North West RCC: %d; want to read without acting", res.Code)
	}
	if res := f.post(t, nw, "/referrals/"+ref+"/offers/H2/accept", nil); res.Code != 403 {
		t.Errorf("RCC accepts for a council: %d", res.Code)
	}
	acme := f.login(t, "acme")
	if res := f.get(t, acme, "/referrals/"+ref); res.Code != 403 {
		t.Errorf("provider reads the council's referral: %d", res.Code)
	}
	// Accept: the place is reserved.
	if res := f.post(t, c, "/referrals/"+ref+"/offers/H2/accept", nil); res.Code != 303 {
		t.Fatalf("accept: %d %s", res.Code, res.Body)
	}
	if n := vacancyOf(t, f, "V-H2"); n != 0 {
		t.Errorf("vacancy V-H2 has %d places after acceptance, want 0", n)
	}
	res = f.get(t, c, "/referrals/"+ref+"?done=accepted")
	if !strings.Contains(res.Body, "Placed") || !strings.Contains(res.Body, "Offer accepted") {
		t.Errorf("placed page: %s", res.Body)
	}
	list := f.get(t, c, "/referrals")
	if !strings.Contains(list.Body, ref) || !strings.Contains(list.Body, ">placed<") {
		t.Errorf("referrals list does not show %s placed", ref)
	}
	// Withdraw: the place is given back.
	if res := f.post(t, c, "/referrals/"+ref+"/withdraw", url.Values{"note": {"family placement found"}}); res.Code != 303 {
		t.Fatalf("withdraw: %d %s", res.Code, res.Body)
	}
	if n := vacancyOf(t, f, "V-H2"); n != 1 {
		t.Errorf("vacancy V-H2 has %d places after withdrawal, want 1", n)
	}
}

func TestEmergencyReferral(t *testing.T) {
	f := newPlacementFixture(t)
	c := f.login(t, "traff")
	res := f.get(t, c, "/referrals/new?emergency=1")
	if strings.Contains(res.Body, `name="needed_by"`) || !strings.Contains(res.Body, "Emergency referral") {
		t.Errorf("the emergency form shows more than the core fields")
	}
	form := url.Values{"emergency": {"1"}, "child_id": {"C9"}, "sex": {"M"}, "date_of_birth": {"2011-01"}, "home_postcode": {"M32 8"},
		"foster_suitability": {"suitable"}, "residential_suitability": {"preferred"}, "supported_accommodation_suitability": {"unsuitable"}, "needs_tier": {"standard"}}
	ref := f.createReferral(t, c, form)
	res = f.get(t, c, "/referrals/"+ref)
	if !strings.Contains(res.Body, "Emergency referral "+ref) || !strings.Contains(res.Body, `id="match-H1"`) {
		t.Errorf("the emergency referral is not searched at once")
	}
	d, err := f.db.Draft(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Emergency || !strings.Contains(string(d.Referral), `"needed_by":"today"`) || !strings.Contains(string(d.Referral), `"start_date":"2026-03-27"`) {
		t.Errorf("emergency draft %s", d.Referral)
	}
}

func TestReferralAPI(t *testing.T) {
	f := newPlacementFixture(t)
	c := f.login(t, "traff")
	body := `{"id": "LA-1", "child_id": "CHILD-9", "sex": "F", "date_of_birth": "2012-05", "needed_by": "later",
		"start_date": "2026-03-28", "foster_suitability": "suitable", "residential_suitability": "preferred",
		"supported_accommodation_suitability": "unsuitable", "sibling_count": 0, "home_postcode": "M32 8BW",
		"living_companions": "no_preference", "pets": "not_known", "needs_tier": "enhanced", "need_codes": ["EBD"]}`
	var created ReferralAPI
	if code := f.apiJSON(t, c, "POST", "/api/v1/referrals", body, &created); code != 201 || created.Status != "draft" || created.Council != trafford {
		t.Fatalf("create: %d %+v", code, created)
	}
	ref := created.Reference
	var p Problem
	if code := f.apiJSON(t, c, "POST", "/api/v1/referrals", `{"id": "x", "sex": "Q"}`, &p); code != 400 || !strings.Contains(p.Detail, "sex") {
		t.Errorf("bad referral: %d %+v", code, p)
	}
	if code := f.apiJSON(t, c, "POST", "/api/v1/referrals", strings.Replace(body, `"id"`, `"council": "E06000001", "id"`, 1), &p); code != 403 {
		t.Errorf("a referral for another council: %d", code)
	}
	var m struct {
		Eligible   int             `json:"eligible"`
		Candidates []candidateView `json:"candidates"`
		Excluded   []exclusionView `json:"nearest_excluded"`
	}
	if code := f.apiJSON(t, c, "GET", "/api/v1/referrals/"+ref+"/matches", "", &m); code != 200 || m.Eligible == 0 || len(m.Candidates) == 0 || len(m.Candidates[0].Fits) == 0 {
		t.Fatalf("matches: %d %+v", code, m)
	}
	var sent workflow.Sent
	if code := f.apiJSON(t, c, "POST", "/api/v1/referrals/"+ref+"/send", `{"provisions": ["H1", "H3"]}`, &sent); code != 200 || len(sent.Offers) != 2 {
		t.Fatalf("send: %d %+v", code, sent)
	}
	if code := f.apiJSON(t, c, "POST", "/api/v1/referrals/"+ref+"/offers/H1/accept", "", &p); code != 409 {
		t.Errorf("accept before an offer: %d, want 409", code)
	}
	if _, err := f.db.Respond(context.Background(), workflow.Change{Referral: ref, ProvisionID: "H1", Action: workflow.ActionOffer, Actor: "acme"}); err != nil {
		t.Fatal(err)
	}
	hart := f.login(t, "hart")
	if code := f.apiJSON(t, hart, "GET", "/api/v1/referrals/"+ref, "", &p); code != 403 {
		t.Errorf("Hartlepool reads Trafford's referral: %d", code)
	}
	if code := f.apiJSON(t, hart, "POST", "/api/v1/referrals/"+ref+"/offers/H1/accept", "", &p); code != 403 {
		t.Errorf("Hartlepool accepts: %d", code)
	}
	var res workflow.Reservation
	if code := f.apiJSON(t, c, "POST", "/api/v1/referrals/"+ref+"/offers/H1/accept", "", &res); code != 200 || res.Places != 1 || res.PlacesLeft != 1 {
		t.Fatalf("accept: %d %+v", code, res)
	}
	var got ReferralAPI
	if code := f.apiJSON(t, c, "GET", "/api/v1/referrals/"+ref, "", &got); code != 200 || got.Status != "placed" || got.Sent.Reservation == nil {
		t.Errorf("after accepting: %d %+v", code, got)
	}
	if code := f.apiJSON(t, c, "GET", "/api/v1/referrals/R-0000-0000", "", &p); code != 404 {
		t.Errorf("unknown referral: %d", code)
	}
}

func vacancyOf(t *testing.T, f *fixture, id string) int {
	t.Helper()
	vs, err := f.db.Vacancies(context.Background(), store.VacancyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.ID == id {
			return v.Places
		}
	}
	return 0
}

func placementUser(name, provider string) identity.User {
	return identity.User{Name: name, Role: identity.RoleProvider, Provider: provider}
}

func withHash(u identity.User) identity.User {
	u.PasswordHash = testHash()
	return u
}
