package web

import (
	"context"
	"encoding/json"
	"path/filepath"
	"time"

	"net/http"
	"net/url"
	"strings"
	"sufficiency/ingest"
	"sufficiency/store"
	"sufficiency/store/sqlite"
	"sufficiency/synth"
	"testing"
)

// TestForecastPages: a council user runs a forecast in the browser's form,
// is sent to its page (a fan chart with its table), finds it in the list and
// the API; another council's user cannot see it; bad input is named.
func TestForecastPages(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a synthetic council")
	}
	f := newSynthFixture(t)
	hart := f.login(t, "hart")
	post := func(c *http.Cookie, form url.Values) *http.Response {
		r := f.do(t, "POST", "/forecasts", strings.NewReader(form.Encode()), withCookie(c))
		return r.Result()
	}
	bad := post(hart, url.Values{"scope": {"council:" + hartlepool}, "years": {"9"}, "sims": {"10"}, "budget": {"lots"}})
	if bad.StatusCode != 400 {
		t.Fatalf("bad form: status %d", bad.StatusCode)
	}
	res := post(hart, url.Values{"scope": {"council:" + hartlepool}, "years": {"2"}, "sims": {"60"}, "budget": {"£5,000,000, 5200000"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/forecasts/") {
		t.Fatalf("run: status %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	page := f.do(t, "GET", res.Header.Get("Location"), nil, withCookie(hart))
	body := page.Body.String()
	if page.Code != 200 || !strings.Contains(body, `id="chart-fan"`) || !strings.Contains(body, "<polygon") || !strings.Contains(body, "Table behind this chart") {
		t.Fatalf("forecast page: %d, fan chart missing:\n%.2000s", page.Code, body)
	}
	if !strings.Contains(body, "Chance of overspending") {
		t.Error("no budget gap table")
	}
	list := f.do(t, "GET", "/api/v1/forecasts", nil, withCookie(hart))
	var got struct {
		Forecasts []ForecastSummary `json:"forecasts"`
	}
	if err := json.Unmarshal(list.Body.Bytes(), &got); err != nil || len(got.Forecasts) != 1 || got.Forecasts[0].Sims != 60 || got.Forecasts[0].By != "hart" {
		t.Fatalf("API list: %v %+v", err, got)
	}
	// Another council's user and a provider do not see it; an RCC of the region does.
	nw := f.login(t, "nw-rcc")
	if w := f.do(t, "GET", res.Header.Get("Location"), nil, withCookie(nw)); w.Code != 404 {
		t.Errorf("other region's user: status %d, want 404", w.Code)
	}
	ne := f.login(t, "ne-rcc")
	if w := f.do(t, "GET", res.Header.Get("Location"), nil, withCookie(ne)); w.Code != 200 {
		t.Errorf("the region's RCC: status %d", w.Code)
	}
	// A council user may not forecast another council.
	if r := post(hart, url.Values{"scope": {"council:" + middlesbrough}, "years": {"1"}, "sims": {"50"}}); r.StatusCode != 403 {
		t.Errorf("forecast of another council: status %d, want 403", r.StatusCode)
	}
}

// newSynthFixture is newFixture's users over a synthetic Hartlepool and
// Middlesbrough of three collection years (enough history to fit a forecast).
func newSynthFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := store.WithActor(context.Background(), "test")
	dir := t.TempDir()
	codes := []string{hartlepool, middlesbrough}
	if _, err := synth.Generate(ctx, synth.Config{Out: filepath.Join(dir, "syn"), Councils: codes, From: 2022, To: 2024, Seed: 3, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(dir, "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, c := range codes {
		if _, err := ingest.Run(ctx, db, []string{filepath.Join(dir, "syn", c)}, ingest.Options{Council: c, AcceptErrors: true}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range testUsers {
		u.PasswordHash = testHash()
		if _, err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	clk := &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	db.Now = clk.Now
	srv, err := New(Config{Store: db, InsecureCookies: true, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, srv: srv, clock: clk}
}

// TestBacktestPage: the backtest page scores the published-statistics model
// and the baselines, with a chart and its table.
func TestBacktestPage(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "hart")
	w := f.do(t, "GET", "/backtest", nil, withCookie(c))
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, `id="chart-backtest"`) || !strings.Contains(body, "Mean absolute % error") {
		t.Fatalf("backtest: %d\n%.1500s", w.Code, body)
	}
}
