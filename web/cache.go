package web

import (
	"container/list"
	"context"
	"strconv"
	"strings"
	"sync"

	"sufficiency/analysis"
	"sufficiency/store"
)

// Pictures are cached per (scope, date, suppression, data version): the
// store's shared data version (store.Versioned) goes up with every import,
// erasure and supply change, committed with the change, so a cached picture
// is never served after the data it was computed from has changed, on this
// server or any other on the same database. Concurrent requests for the same
// picture wait for one computation. Only aggregate results are cached (the
// picture); the review worklist, which names children, is computed for each
// request so that each view reads (and the store audits) the child-level
// data.

// pictureCacheSize is how many pictures are kept (least recently used out).
const pictureCacheSize = 48

type cacheEntry struct {
	key  string
	done chan struct{} // closed when res/err are set
	res  Result
	pr   analysis.PictureResult
	err  error
	elem *list.Element
	// derived is what pages derive from the picture (tiles, charts).
	derived any
}

// pictureCache is a small LRU of computed pictures with one computation
// per key at a time.
type pictureCache struct {
	mu    sync.Mutex
	items map[string]*cacheEntry
	lru   *list.List // front: most recently used
	hits  int64
	miss  int64
}

func newPictureCache() *pictureCache {
	return &pictureCache{items: map[string]*cacheEntry{}, lru: list.New()}
}

// get returns the cached picture of key, computing it with compute once
// when absent. Errors are not kept.
func (c *pictureCache) get(key string, compute func() (Result, analysis.PictureResult, error)) (Result, analysis.PictureResult, error) {
	c.mu.Lock()
	if e, ok := c.items[key]; ok {
		c.lru.MoveToFront(e.elem)
		c.hits++
		c.mu.Unlock()
		<-e.done
		return e.res, e.pr, e.err
	}
	e := &cacheEntry{key: key, done: make(chan struct{})}
	e.elem = c.lru.PushFront(e)
	c.items[key] = e
	c.miss++
	for c.lru.Len() > pictureCacheSize {
		old := c.lru.Back().Value.(*cacheEntry)
		c.lru.Remove(old.elem)
		delete(c.items, old.key)
	}
	c.mu.Unlock()
	e.res, e.pr, e.err = compute()
	e.pr.Data = analysis.Data{} // the child-level data read is not kept
	if e.err != nil {
		c.mu.Lock()
		if c.items[key] == e {
			c.lru.Remove(e.elem)
			delete(c.items, key)
		}
		c.mu.Unlock()
	}
	close(e.done)
	return e.res, e.pr, e.err
}

// derived returns what f derives from the cached picture of key, computed
// once per entry (every call computes it when key is not cached).
func (c *pictureCache) derived(key string, f func() any) any {
	c.mu.Lock()
	e := c.items[key]
	if e != nil && e.derived != nil {
		v := e.derived
		c.mu.Unlock()
		return v
	}
	c.mu.Unlock()
	v := f()
	if e != nil {
		c.mu.Lock()
		e.derived = v
		c.mu.Unlock()
	}
	return v
}

// stats returns the hits and misses so far.
func (c *pictureCache) stats() (hits, misses int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.miss
}

// pictureKey is the cache key of a picture, or "" when the store keeps no
// data version (nothing is cached then).
func (a *analyst) pictureKey(ctx context.Context, name string, codes []string, at string, publish bool) string {
	vs, ok := a.st.(store.Versioned)
	if !ok {
		return ""
	}
	v, err := dataVersion(ctx, vs)
	if err != nil {
		return ""
	}
	day := at
	if day == "" {
		// The default date can be today when the data reach beyond it.
		day = "latest " + a.now().UTC().Format("2006-01-02")
	}
	p := "full"
	if publish {
		p = "published"
	}
	return strings.Join([]string{strconv.FormatInt(v, 10), name, strings.Join(codes, ","), day, p}, "|")
}

// councilsCache keeps the store's list of loaded councils for one data
// version: every page resolves its scope from it, and it changes only with
// an import or erasure (which raise the version).
type councilsCache struct {
	mu      sync.Mutex
	version int64
	sums    []store.CouncilSummary
	// scopes are the scopes resolved at this version (resolved).
	scopes map[string]any
}

// maxResolvedScopes bounds the scopes kept per version.
const maxResolvedScopes = 1024

// resolved returns the scope key resolves to (f), resolved once per data
// version: a scope depends only on the councils loaded. Errors are not kept.
func (a *analyst) resolved(ctx context.Context, key string, f func() (any, error)) (any, error) {
	vs, ok := a.st.(store.Versioned)
	if !ok || a.councilList == nil {
		return f()
	}
	v, err := dataVersion(ctx, vs)
	if err != nil {
		return nil, err
	}
	c := a.councilList
	c.mu.Lock()
	if c.scopes == nil || c.version != v {
		// The list of councils is read again below (summaries) when
		// the version has changed.
		c.scopes = map[string]any{}
	}
	out, ok := c.scopes[key]
	c.mu.Unlock()
	if ok {
		return out, nil
	}
	if out, err = f(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.version == v && c.sums != nil {
		if c.scopes == nil || len(c.scopes) >= maxResolvedScopes {
			// Names in any case and codes of both kinds: bounded.
			c.scopes = map[string]any{}
		}
		c.scopes[key] = out
	}
	c.mu.Unlock()
	return out, nil
}

// summaries returns the store's councils, from the cache while the data
// version is unchanged (uncached when the store keeps no version).
func (a *analyst) summaries(ctx context.Context) ([]store.CouncilSummary, error) {
	vs, ok := a.st.(store.Versioned)
	if !ok || a.councilList == nil {
		return a.st.Councils(ctx)
	}
	v, err := dataVersion(ctx, vs)
	if err != nil {
		return nil, err
	}
	c := a.councilList
	c.mu.Lock()
	if c.sums != nil && c.version == v {
		out := c.sums
		c.mu.Unlock()
		return out, nil
	}
	c.mu.Unlock()
	sums, err := a.st.Councils(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.version != v {
		c.scopes = nil
	}
	c.version, c.sums = v, sums
	c.mu.Unlock()
	return sums, nil
}

// scopeStore is the store as analysis resolves scopes through it, with
// the councils list cached (see summaries).
type scopeStore struct {
	store.Store
	a *analyst
}

func (s scopeStore) Councils(ctx context.Context) ([]store.CouncilSummary, error) {
	return s.a.summaries(ctx)
}
