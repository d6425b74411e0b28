package web

import (
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"sufficiency/store"
)

// metrics counts requests for GET /metrics (Prometheus text format 0.0.4):
// requests by method and status, their durations as a histogram, requests in
// flight, and the process's goroutines, heap and GC, and the store's shared
// data version. Only aggregate numbers: nothing about any child or user.
type metrics struct {
	start    time.Time
	inFlight atomic.Int64
	mu       sync.Mutex
	requests map[[2]string]uint64 // method, status → count
	buckets  []uint64             // by durationBuckets, cumulative when written
	count    uint64
	sum      float64
}

// durationBuckets are the histogram's upper bounds in seconds.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

func newMetrics() *metrics {
	return &metrics{start: time.Now(), requests: map[[2]string]uint64{}, buckets: make([]uint64, len(durationBuckets))}
}

// countRequests counts every request the server answers.
func (s *Server) countRequests(next http.Handler) http.Handler {
	m := s.metrics
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.inFlight.Add(1)
		defer m.inFlight.Add(-1)
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		d := time.Since(start).Seconds()
		method := r.Method
		switch method {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodHead, http.MethodPatch:
		default:
			method = "other" // bounded labels
		}
		m.mu.Lock()
		m.requests[[2]string{method, strconv.Itoa(status)}]++
		for i, le := range durationBuckets {
			if d <= le {
				m.buckets[i]++
				break
			}
		}
		m.count++
		m.sum += d
		m.mu.Unlock()
	})
}

// serveMetrics writes the metrics in Prometheus text format.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	m := s.metrics
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	m.mu.Lock()
	keys := make([][2]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	fmt.Fprintln(w, "# HELP sufficiency_http_requests_total HTTP requests answered, by method and status code.")
	fmt.Fprintln(w, "# TYPE sufficiency_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "sufficiency_http_requests_total{method=%q,code=%q} %d\n", k[0], k[1], m.requests[k])
	}
	fmt.Fprintln(w, "# HELP sufficiency_http_request_duration_seconds Time to answer a request.")
	fmt.Fprintln(w, "# TYPE sufficiency_http_request_duration_seconds histogram")
	var cum uint64
	for i, le := range durationBuckets {
		cum += m.buckets[i]
		fmt.Fprintf(w, "sufficiency_http_request_duration_seconds_bucket{le=%q} %d\n", strconv.FormatFloat(le, 'g', -1, 64), cum)
	}
	fmt.Fprintf(w, "sufficiency_http_request_duration_seconds_bucket{le=\"+Inf\"} %d\n", m.count)
	fmt.Fprintf(w, "sufficiency_http_request_duration_seconds_sum %g\n", m.sum)
	fmt.Fprintf(w, "sufficiency_http_request_duration_seconds_count %d\n", m.count)
	m.mu.Unlock()
	fmt.Fprintln(w, "# HELP sufficiency_http_requests_in_flight Requests being answered now.")
	fmt.Fprintln(w, "# TYPE sufficiency_http_requests_in_flight gauge")
	fmt.Fprintf(w, "sufficiency_http_requests_in_flight %d\n", m.inFlight.Load())

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for _, g := range []struct {
		name, help, typ string
		v               float64
	}{
		{"go_goroutines", "Goroutines that currently exist.", "gauge", float64(runtime.NumGoroutine())},
		{"go_memstats_heap_alloc_bytes", "Heap bytes allocated and still in use.", "gauge", float64(ms.HeapAlloc)},
		{"go_memstats_sys_bytes", "Bytes obtained from the operating system.", "gauge", float64(ms.Sys)},
		{"go_gc_cycles_total", "Completed GC cycles.", "counter", float64(ms.NumGC)},
		{"process_start_time_seconds", "Start time of the server since the Unix epoch.", "gauge", float64(m.start.Unix())},
	} {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %g\n", g.name, g.help, g.name, g.typ, g.name, g.v)
	}
	if vs, ok := s.cfg.Store.(store.Versioned); ok {
		if v, err := vs.DataVersion(r.Context()); err == nil {
			fmt.Fprintln(w, "# HELP sufficiency_data_version The shared data version: raised by every import and supply change.")
			fmt.Fprintln(w, "# TYPE sufficiency_data_version gauge")
			fmt.Fprintf(w, "sufficiency_data_version %d\n", v)
		}
	}
}
