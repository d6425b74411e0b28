package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"sufficiency/refdata"
	"sufficiency/tabular"
)

// TestPictureCharts: a council's page draws its charts as SVG with a title,
// a description and the table behind each; another council's figures are
// drawn from the suppressed tables (no count of 1 to 4 anywhere).
func TestPictureCharts(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "hart")
	w := f.do(t, "GET", "/councils/"+hartlepool, nil, withCookie(c))
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	body := w.Body.String()
	for _, id := range []string{"chart-trend", "chart-mix", "chart-distance", "chart-age", "chart-stability"} {
		if !strings.Contains(body, `<figure class="app-chart" id="`+id+`">`) {
			t.Errorf("no chart %s", id)
		}
		if !strings.Contains(body, `<title id="`+id+`-title">`) || !strings.Contains(body, `<desc id="`+id+`-desc">`) {
			t.Errorf("chart %s has no title or description", id)
		}
	}
	if n, m := strings.Count(body, `<figure class="app-chart`), strings.Count(body, "Table behind this chart"); n != m || n == 0 {
		t.Errorf("%d charts, %d tables behind them", n, m)
	}
	// The headline tiles and pickers.
	for _, want := range []string{`<p class="app-tile__label">Children in care</p>`, `<select class="govuk-select" id="scope" name="scope">`,
		`<option value="/councils/` + hartlepool + `" selected>Hartlepool</option>`, "councils in England (1 = highest"} {
		if !strings.Contains(body, want) {
			t.Errorf("council page lacks %q", want)
		}
	}
	// Middlesbrough for a Hartlepool user: published figures only. The
	// fixture's 12 children make the age bands small: every band's bar must
	// be missing rather than drawn with its count.
	w = f.do(t, "GET", "/councils/"+middlesbrough, nil, withCookie(c))
	body = w.Body.String()
	age := body[strings.Index(body, `id="chart-age"`):]
	age = age[:strings.Index(age, "</figure>")]
	if m := regexp.MustCompile(`<title>Children, [^<]*: [1-4]</title>`).FindString(age); m != "" {
		t.Errorf("a small number is drawn for another council: %s", m)
	}
	if !strings.Contains(body, "in the charts as in the tables") {
		t.Error("no suppression notice")
	}
}

func TestScopePickerRedirects(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "ne-rcc")
	for target, want := range map[string]string{
		"/go?scope=/councils/" + hartlepool + "&at=2024-03-31": "/councils/" + hartlepool + "?at=2024-03-31",
		"/go?scope=/regions/North+East&at=":                    "/regions/North East",
		"/go?scope=/england":                                   "/england",
	} {
		w := f.do(t, "GET", target, nil, withCookie(c))
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
			t.Errorf("%s: %d to %q, want 303 to %q", target, w.Code, w.Header().Get("Location"), want)
		}
	}
	for _, bad := range []string{"/go?scope=https://evil.example/", "/go?scope=//evil.example/councils/", "/go?scope=/councils/x&at=tomorrow", "/go?scope=/audit"} {
		if w := f.do(t, "GET", bad, nil, withCookie(c)); w.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, w.Code)
		}
	}
}

func TestRankAmong(t *testing.T) {
	c, _ := refdata.CouncilByCode(hartlepool)
	// Far above every council: first; far below: last, bottom quartile.
	top, sn := rankAmong(&c, "rate_per_10k", 1e9, 2024)
	if !strings.HasPrefix(top, "1st of ") || !strings.Contains(top, "top quartile") || !strings.HasPrefix(sn, "1st of ") {
		t.Errorf("highest: %q, %q", top, sn)
	}
	bottom, _ := rankAmong(&c, "rate_per_10k", -1, 2024)
	if !strings.Contains(bottom, "bottom quartile") {
		t.Errorf("lowest: %q", bottom)
	}
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 101: "101st", 111: "111th"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestCouncilNamesLink: council names in tables link to the council's page.
func TestCouncilNamesLink(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "ne-rcc")
	body := f.do(t, "GET", "/regions/North%20East", nil, withCookie(c)).Body.String()
	if !strings.Contains(body, `<a class="govuk-link" href="/councils/`+middlesbrough+`">Middlesbrough</a></td>`) {
		t.Error("the region's Councils table does not link Middlesbrough")
	}
	if councilHref(tabular.Column{Name: "Measure"}, "Middlesbrough") != "" || councilHref(tabular.Column{Name: "Council"}, "Atlantis") != "" {
		t.Error("linked a cell that is not a council name")
	}
}
