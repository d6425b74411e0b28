package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
)

// TestReportPageAndAPI: a council user previews its statement and
// downloads it as HTML, Excel and (with Chromium) PDF, from the page, the
// form with commissioning intentions, and the API; other councils' and
// regions' statements are refused.
func TestReportPageAndAPI(t *testing.T) {
	f := newFixture(t)
	hart := f.login(t, "hart")
	w := f.do(t, "GET", "/councils/"+hartlepool+"/report", nil, withCookie(hart))
	if w.Code != 200 {
		t.Fatalf("page: %d %s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{"Sufficiency statement", "Commissioning intentions", "Market position statement", "<svg", "?format=pdf"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	w = f.do(t, "GET", "/councils/"+hartlepool+"/report?format=html", nil, withCookie(hart))
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(w.Header().Get("Content-Disposition"), "attachment; filename=\"sufficiency-statement-hartlepool-") {
		t.Fatalf("html download: %d %v", w.Code, w.Header())
	}
	form := url.Values{"intentions": {"# Plans\n\n- Open a <b>two-bed</b> home by 2027"}, "format": {"html"}, "at": {""}}
	w = f.do(t, "POST", "/councils/"+hartlepool+"/report", strings.NewReader(form.Encode()), withCookie(hart))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Open a &lt;b&gt;two-bed&lt;/b&gt; home by 2027") {
		t.Fatalf("form download: %d, intentions not in it (escaped)", w.Code)
	}
	w = f.do(t, "GET", "/api/v1/councils/"+hartlepool+"/report?format=xlsx", nil, withCookie(hart))
	if w.Code != 200 || !bytes.HasPrefix(w.Body.Bytes(), []byte("PK")) {
		t.Fatalf("api xlsx: %d %v", w.Code, w.Header())
	}
	if _, err := exec.LookPath("chromium"); err == nil && !testing.Short() {
		w = f.do(t, "GET", "/api/v1/councils/"+hartlepool+"/report?format=pdf", nil, withCookie(hart))
		if w.Code != 200 || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF")) {
			t.Fatalf("api pdf: %d %v", w.Code, w.Header())
		}
	}
	mustProblem(t, f.do(t, "GET", "/api/v1/councils/"+hartlepool+"/report?format=docx", nil, withCookie(hart)), http.StatusBadRequest)
	mustProblem(t, f.do(t, "GET", "/api/v1/councils/"+middlesbrough+"/report", nil, withCookie(hart)), http.StatusForbidden)
	mustProblem(t, f.do(t, "GET", "/api/v1/regions/North%20East/report", nil, withCookie(hart)), http.StatusForbidden)
	if w := f.do(t, "GET", "/councils/"+middlesbrough+"/report", nil, withCookie(hart)); w.Code != http.StatusForbidden {
		t.Errorf("another council's statement page: %d", w.Code)
	}
	if w := f.do(t, "GET", "/api/v1/councils/"+hartlepool+"/report", nil, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", w.Code)
	}
	rcc := f.login(t, "ne-rcc")
	w = f.do(t, "GET", "/regions/North%20East/report", nil, withCookie(rcc))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "North East") {
		t.Fatalf("region page: %d", w.Code)
	}
	mustProblem(t, f.do(t, "GET", "/api/v1/regions/North%20West/report", nil, withCookie(rcc)), http.StatusForbidden)
}

// TestReportAttachesScenarioRuns: the statement page offers the saved runs
// of its own area, previews the statement with the runs and intentions
// chosen, carries the runs into its download links and the API; a run of
// another area, one the user may not see, or a bad id is refused.
func TestReportAttachesScenarioRuns(t *testing.T) {
	f := newFixture(t)
	hart := f.login(t, "hart")
	run := `{"name": "Two homes", "scope": {"la": "` + hartlepool + `"}, "years": 1, "sims": 30,
	  "levers": [{"lever": "block_contract", "placement_group": "residential", "places": 2, "weekly_price": 4000}]}`
	var saved savedJSON
	if code := f.apiJSON(t, hart, "POST", "/api/v1/scenarios", run, &saved); code != 201 {
		t.Fatalf("run: %d", code)
	}
	id := fmt.Sprint(saved.ID)
	w := f.do(t, "GET", "/councils/"+hartlepool+"/report", nil, withCookie(hart))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `name="scenario" type="checkbox" value="`+id+`"`) || strings.Contains(w.Body.String(), "Scenario: Two homes") {
		t.Fatalf("page: %d, the run offered but not yet in the statement", w.Code)
	}
	form := url.Values{"intentions": {"# Plans\n\nTwo homes by 2027."}, "scenario": {id}, "preview": {"1"}, "at": {""}}
	w = f.do(t, "POST", "/councils/"+hartlepool+"/report", strings.NewReader(form.Encode()), withCookie(hart))
	body := w.Body.String()
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("preview: %d %v", w.Code, w.Header())
	}
	for _, want := range []string{"Scenario: Two homes", "Two homes by 2027.", `value="` + id + `" checked`, "&amp;scenario=" + id + `" download>Download as PDF`} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	w = f.do(t, "GET", "/api/v1/councils/"+hartlepool+"/report?format=html&scenario="+id, nil, withCookie(hart))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Scenario: Two homes") {
		t.Fatalf("api with the run: %d", w.Code)
	}
	// a regional run cannot go in a council's statement; hart cannot see it at all
	rcc := f.login(t, "ne-rcc")
	var region savedJSON
	if code := f.apiJSON(t, rcc, "POST", "/api/v1/scenarios", `{"name": "Region", "scope": {"region": "North East"}, "years": 1, "sims": 20, "levers": []}`, &region); code != 201 {
		t.Fatalf("regional run: %d", code)
	}
	rid := fmt.Sprint(region.ID)
	mustProblem(t, f.do(t, "GET", "/api/v1/councils/"+hartlepool+"/report?scenario="+rid, nil, withCookie(rcc)), http.StatusBadRequest)
	mustProblem(t, f.do(t, "GET", "/api/v1/councils/"+hartlepool+"/report?scenario="+rid, nil, withCookie(hart)), http.StatusNotFound)
	mustProblem(t, f.do(t, "GET", "/api/v1/councils/"+hartlepool+"/report?scenario=x", nil, withCookie(hart)), http.StatusBadRequest)
	w = f.do(t, "GET", "/regions/North%20East/report?scenario="+rid, nil, withCookie(rcc))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Scenario: Region") || strings.Contains(w.Body.String(), `id="scenario-`+id+`"`) {
		t.Fatalf("region page with its run: %d (the council's run is not offered)", w.Code)
	}
}
