package web

import (
	"strings"
	"testing"
)

func TestMetrics(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 3; i++ {
		f.do(t, "GET", "/healthz", nil, nil)
	}
	f.do(t, "GET", "/no-such-page", nil, nil)
	w := f.do(t, "GET", "/metrics", nil, nil)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("metrics: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	for _, want := range []string{
		`sufficiency_http_requests_total{method="GET",code="200"} 3`,
		`sufficiency_http_request_duration_seconds_count 4`,
		`sufficiency_http_request_duration_seconds_bucket{le="+Inf"} 4`,
		"sufficiency_http_requests_in_flight 1",
		"# TYPE go_goroutines gauge",
		"sufficiency_data_version ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, `code="200"} 4`) {
		t.Error("the page not found was counted as 200")
	}
}
