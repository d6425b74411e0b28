package web

import (
	"context"
	"strings"
	"sync"
	"testing"

	"sufficiency/internal/storetest"
	"sufficiency/store"
)

// TestPictureCache: a second view of the same picture is served from the
// cache (no store read), a viewer with other suppression gets their own,
// and an import (which raises the data version) makes the next view compute
// afresh; concurrent views compute once.
func TestPictureCache(t *testing.T) {
	f := newFixture(t)
	hart := f.login(t, "hart")
	reads := func() int {
		// One entry per request; those that read episodes say so.
		evs, err := f.db.AuditLog(context.Background(), store.AuditFilter{Actor: "hart"})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if strings.Contains(e.Detail, store.ActionReadEpisodes) {
				n++
			}
		}
		return n
	}
	get := func(path string) {
		if w := f.do(t, "GET", path, nil, withCookie(hart)); w.Code != 200 {
			t.Fatalf("%s: %d", path, w.Code)
		}
	}
	get("/councils/" + hartlepool)
	n := reads()
	get("/councils/" + hartlepool)
	get("/api/v1/councils/" + hartlepool + "/picture")
	if got := reads(); got != n {
		t.Errorf("a cached picture read episodes again: %d reads, want %d", got, n)
	}
	// Middlesbrough for Hartlepool's user is suppressed: its own entry.
	get("/councils/" + middlesbrough)
	if got := reads(); got == n {
		t.Error("another council's picture came from the cache")
	}
	n = reads()
	// An import raises the data version: the next view computes afresh.
	storetest.MustImport(t, f.db, storetest.Fixture(hartlepool, []int{2024, 2025}, 13, "h"))
	get("/councils/" + hartlepool)
	if got := reads(); got == n {
		t.Error("the picture after an import came from the cache")
	}
	n = reads()
	// Concurrent views of a new date compute once.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); get("/councils/" + hartlepool + "?at=2023-09-30") }()
	}
	wg.Wait()
	if got := reads(); got != n+1 {
		t.Errorf("8 concurrent views read episodes %d times, want once", got-n)
	}
}
