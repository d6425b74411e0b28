package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"sufficiency/internal/storetest"
	"sufficiency/store"
	"sufficiency/workflow"
)

// sendH1H2 creates and sends a referral of Trafford to H1 (Acme Care) and H2
// (Beacon Homes) through the pages, returning its reference.
func sendH1H2(t *testing.T, f *fixture) string {
	t.Helper()
	c := f.login(t, "traff")
	ref := f.createReferral(t, c, goodReferralForm())
	if res := f.post(t, c, "/referrals/"+ref+"/send", url.Values{"provision": {"H1", "H2"}}); res.Code != 303 {
		t.Fatalf("send: %d %s", res.Code, res.Body)
	}
	return ref
}

func TestProviderPortal(t *testing.T) {
	f := newPlacementFixture(t)
	ref := sendH1H2(t, f)
	acme := f.login(t, "acme")

	// Own homes only: Acme has H1 and H3, not Beacon's H2.
	res := f.get(t, acme, "/provider")
	if res.Code != 200 {
		t.Fatalf("portal: %d %s", res.Code, res.Body)
	}
	for _, want := range []string{`id="home-H1"`, `id="home-H3"`, "Didsbury House", ref, "waiting for your answer"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("portal: no %q", want)
		}
	}
	if strings.Contains(res.Body, `id="home-H2"`) || strings.Contains(res.Body, "Withington") {
		t.Error("portal shows another provider's home")
	}
	// Pseudonymised: nothing that names the child.
	page := f.get(t, acme, "/provider/referrals/"+ref)
	for _, banned := range append(storetest.OfferBanned, "CHILD-4471") {
		if strings.Contains(page.Body, banned) || strings.Contains(res.Body, banned) {
			t.Errorf("the provider sees %q", banned)
		}
	}
	if !strings.Contains(page.Body, "M32") || !strings.Contains(page.Body, `id="offer-H1"`) || strings.Contains(page.Body, "answer-H2") {
		t.Errorf("provider referral page: want the district, an answer form for H1 only")
	}
	// A provider not on the shortlist cannot see it (404: it does not learn it exists).
	ctx := store.WithActor(context.Background(), "test")
	other, err := f.db.CreateUser(ctx, withHash(placementUser("other-prov", "Stockport Council")))
	if err != nil {
		t.Fatal(err)
	}
	o := f.login(t, other.Name)
	if res := f.get(t, o, "/provider/referrals/"+ref); res.Code != 404 {
		t.Errorf("a provider not sent the referral: %d, want 404", res.Code)
	}
	// Decline: the reason is required; a note only with other.
	if res := f.post(t, acme, "/provider/referrals/"+ref+"/decline", url.Values{"provision": {"H1"}}); res.Code != 422 || !strings.Contains(res.Body, `href="#reason-H1"`) {
		t.Errorf("decline without a reason: %d", res.Code)
	}
	if res := f.post(t, acme, "/provider/referrals/"+ref+"/decline", url.Values{"provision": {"H1"}, "reason": {"other"}}); res.Code != 422 || !strings.Contains(res.Body, `href="#note-H1"`) {
		t.Errorf("decline other without a note: %d", res.Code)
	}
	if res := f.post(t, acme, "/provider/referrals/"+ref+"/decline", url.Values{"provision": {"H1"}, "reason": {"staffing"}, "note": {"x"}}); res.Code != 422 {
		t.Errorf("decline staffing with a note: %d", res.Code)
	}
	// Answering for another provider's home is refused.
	if res := f.post(t, acme, "/provider/referrals/"+ref+"/offer", url.Values{"provision": {"H2"}}); res.Code != 422 || !strings.Contains(res.Body, "not one of your homes") {
		t.Errorf("Acme offers Beacon's H2: %d", res.Code)
	}
	if res := f.post(t, acme, "/provider/referrals/"+ref+"/decline", url.Values{"provision": {"H1"}, "reason": {"staffing"}}); res.Code != 303 {
		t.Fatalf("decline: %d %s", res.Code, res.Body)
	}
	if res := f.post(t, acme, "/provider/referrals/"+ref+"/offer", url.Values{"provision": {"H1"}}); res.Code != 409 {
		t.Errorf("offer after declining: %d, want 409", res.Code)
	}
	// Beacon offers with a price and conditions; a bad price is named.
	beacon := f.login(t, "beacon")
	if res := f.post(t, beacon, "/provider/referrals/"+ref+"/offer", url.Values{"provision": {"H2"}, "price": {"lots"}}); res.Code != 422 || !strings.Contains(res.Body, `href="#price-H2"`) || !strings.Contains(res.Body, `value="lots"`) {
		t.Errorf("offer with a bad price: %d", res.Code)
	}
	if res := f.post(t, beacon, "/provider/referrals/"+ref+"/offer", url.Values{"provision": {"H2"}, "price": {"£5,250"}, "conditions": {"two visits first"}}); res.Code != 303 {
		t.Fatalf("offer: %d %s", res.Code, res.Body)
	}
	got := mustSent(t, f, ref)
	for _, o := range got.Offers {
		switch o.ProvisionID {
		case "H1":
			if o.Status != workflow.StatusDeclined || o.Reason != workflow.ReasonStaffing || o.UpdatedBy != "acme" {
				t.Errorf("H1: %+v", o)
			}
		case "H2":
			if o.Status != workflow.StatusOffered || o.OfferedPrice != 525000 || o.Conditions != "two visits first" || o.UpdatedBy != "beacon" {
				t.Errorf("H2: %+v", o)
			}
		}
	}
	// The council accepts; both providers see the outcome.
	c := f.login(t, "traff")
	if res := f.post(t, c, "/referrals/"+ref+"/offers/H2/accept", nil); res.Code != 303 {
		t.Fatalf("accept: %d", res.Code)
	}
	if res := f.get(t, beacon, "/provider/referrals/"+ref); !strings.Contains(res.Body, "your offer was accepted") {
		t.Error("Beacon does not see its offer accepted")
	}
	if res := f.get(t, acme, "/provider"); !strings.Contains(res.Body, "placed elsewhere") {
		t.Error("Acme does not see the child placed elsewhere")
	}
	if res := f.get(t, beacon, "/provider"); !strings.Contains(res.Body, `id="places-H2" name="places" type="text" inputmode="numeric" value="0"`) {
		t.Error("Beacon's vacancy does not show 0 after the acceptance")
	}
}

func TestProviderVacancy(t *testing.T) {
	f := newPlacementFixture(t)
	acme := f.login(t, "acme")
	res := f.get(t, acme, "/provider")
	if strings.Contains(res.Body, "Confirmed today") {
		t.Error("a vacancy of 1 March shows as confirmed today")
	}
	if res := f.post(t, acme, "/provider/vacancies/H1", url.Values{"places": {"3"}}); res.Code != 303 {
		t.Fatalf("update: %d %s", res.Code, res.Body)
	}
	if n := vacancyOf(t, f, "V-H1"); n != 3 {
		t.Errorf("V-H1 has %d places, want 3", n)
	}
	res = f.get(t, acme, "/provider?done=vacancy")
	if !strings.Contains(res.Body, "Confirmed today") {
		t.Error("no 'confirmed today' after the update")
	}
	for _, tc := range []struct {
		places string
		code   int
	}{{"-1", 400}, {"51", 400}, {"two", 400}, {"50", 303}, {"0", 303}} {
		if res := f.post(t, acme, "/provider/vacancies/H1", url.Values{"places": {tc.places}}); res.Code != tc.code {
			t.Errorf("places %q: %d, want %d", tc.places, res.Code, tc.code)
		}
	}
	// Another provider's home, a council user, an unknown home.
	if res := f.post(t, acme, "/provider/vacancies/H2", url.Values{"places": {"1"}}); res.Code != 403 {
		t.Errorf("Acme changes Beacon's vacancy: %d", res.Code)
	}
	if res := f.post(t, f.login(t, "traff"), "/provider/vacancies/H1", url.Values{"places": {"1"}}); res.Code != 403 {
		t.Errorf("a council changes a vacancy: %d", res.Code)
	}
	if res := f.post(t, acme, "/provider/vacancies/NOPE", url.Values{"places": {"1"}}); res.Code != 404 {
		t.Errorf("unknown home: %d", res.Code)
	}
	if n := vacancyOf(t, f, "V-H2"); n != 1 {
		t.Errorf("V-H2 changed to %d", n)
	}
}

func TestProviderAPI(t *testing.T) {
	f := newPlacementFixture(t)
	ref := sendH1H2(t, f)
	acme, beacon := f.login(t, "acme"), f.login(t, "beacon")
	var list struct {
		Referrals []ProviderReferral `json:"referrals"`
	}
	if code := f.apiJSON(t, acme, "GET", "/api/v1/provider/referrals", "", &list); code != 200 || len(list.Referrals) != 1 || len(list.Referrals[0].Offers) != 1 || list.Referrals[0].Offers[0].ProvisionID != "H1" {
		t.Fatalf("list: %d %+v", code, list)
	}
	var p Problem
	if code := f.apiJSON(t, acme, "POST", "/api/v1/provider/referrals/"+ref+"/decline", `{"provision": "H1", "reason": "because"}`, &p); code != 400 || !strings.Contains(p.Detail, "no_vacancy") {
		t.Errorf("unknown reason: %d %+v", code, p)
	}
	if code := f.apiJSON(t, acme, "POST", "/api/v1/provider/referrals/"+ref+"/offer", `{"provision": "H2"}`, &p); code != 400 {
		t.Errorf("offer for another's home: %d", code)
	}
	var o workflow.Offer
	if code := f.apiJSON(t, acme, "POST", "/api/v1/provider/referrals/"+ref+"/decline", `{"provision": "H1", "reason": "no_vacancy"}`, &o); code != 200 || o.Status != workflow.StatusDeclined {
		t.Errorf("decline: %d %+v", code, o)
	}
	if code := f.apiJSON(t, beacon, "POST", "/api/v1/provider/referrals/"+ref+"/offer", `{"provision": "H2", "weekly_price_pounds": 5100.5, "conditions": "a visit first"}`, &o); code != 200 || o.OfferedPrice != 510050 {
		t.Errorf("offer: %d %+v", code, o)
	}
	if code := f.apiJSON(t, beacon, "POST", "/api/v1/provider/referrals/"+ref+"/offer", `{"provision": "H2", "price": 1}`, &p); code != 400 {
		t.Errorf("unknown field: %d", code)
	}
	if code := f.apiJSON(t, f.login(t, "traff"), "GET", "/api/v1/provider/referrals", "", &p); code != 403 {
		t.Errorf("council reads the provider list: %d", code)
	}
	var vac struct {
		Vacancies []struct {
			Places int `json:"places"`
		} `json:"vacancies"`
	}
	if code := f.apiJSON(t, beacon, "PUT", "/api/v1/provider/vacancies/H2", `{"places": 2}`, &vac); code != 200 || len(vac.Vacancies) != 1 || vac.Vacancies[0].Places != 2 {
		t.Errorf("vacancy: %d %+v", code, vac)
	}
	if code := f.apiJSON(t, beacon, "PUT", "/api/v1/provider/vacancies/H1", `{"places": 2}`, &p); code != 403 {
		t.Errorf("Beacon changes Acme's vacancy: %d", code)
	}
	if code := f.apiJSON(t, beacon, "PUT", "/api/v1/provider/vacancies/H2", `{}`, &p); code != 400 {
		t.Errorf("no places: %d", code)
	}
	var homes struct {
		Provisions []struct {
			ID string `json:"id"`
		} `json:"provisions"`
	}
	if code := f.apiJSON(t, acme, "GET", "/api/v1/provider/provisions", "", &homes); code != 200 || len(homes.Provisions) != 2 {
		t.Errorf("homes: %d %+v", code, homes)
	}
}

func mustSent(t *testing.T, f *fixture, ref string) workflow.Sent {
	t.Helper()
	got, err := f.db.Referrals(context.Background(), workflow.Filter{Reference: ref})
	if err != nil || len(got) != 1 {
		t.Fatalf("referral %s: %v", ref, err)
	}
	return got[0]
}
