package web

import (
	"container/list"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"sufficiency/analysis"
	"sufficiency/store"
)

// Pictures are cached per (scope, date, suppression, data version): the
// analyses' part of the store's shared data version (store.Versions) goes up
// with every import, erasure and change of provisions, committed with the
// change, so a cached picture is never served after the data it was computed
// from has changed, on this server or any other on the same database. A
// vacancy's change raises only the vacancies' part, which no picture,
// review, market or scope reads. Concurrent requests for the same picture
// wait for one computation. The picture is aggregate; the review worklist,
// which names children, is cached with the child-level reads it was computed
// from, and every view of it notes those reads in its own audit entry
// (reviewCache), as if it had read them itself.

// pictureCacheSize is how many pictures are kept (least recently used out).
const pictureCacheSize = 48

// reviewCacheSize is how many review worklists are kept: a region's holds
// every child in a placement, so fewer than pictures.
const reviewCacheSize = 16

// cacheEntry is one key's value in an lruCache.
type cacheEntry[V any] struct {
	key  string
	done chan struct{} // closed when val/err are set
	val  V
	err  error
	elem *list.Element
	// derived is what pages and the API derive from the value (tiles,
	// charts, encoded answers), by name (lruCache.derived).
	derived map[string]any
}

// lruCache is a small LRU of computed values with one computation per key
// at a time.
type lruCache[V any] struct {
	mu    sync.Mutex
	size  int
	items map[string]*cacheEntry[V]
	lru   *list.List // front: most recently used
	hits  int64
	miss  int64
}

func newLRU[V any](size int) *lruCache[V] {
	return &lruCache[V]{size: size, items: map[string]*cacheEntry[V]{}, lru: list.New()}
}

// cachedPicture is a cached picture: the API's result and the analysis's,
// without the child-level data it was computed from.
type cachedPicture struct {
	res Result
	pr  analysis.PictureResult
}

// pictureCache keeps computed pictures (and markets).
type pictureCache struct{ *lruCache[cachedPicture] }

func newPictureCache() *pictureCache {
	return &pictureCache{newLRU[cachedPicture](pictureCacheSize)}
}

// get returns the cached value of key, computing it with compute once
// when absent. Errors are not kept.
func (c *lruCache[V]) get(key string, compute func() (V, error)) (V, error) {
	c.mu.Lock()
	if e, ok := c.items[key]; ok {
		c.lru.MoveToFront(e.elem)
		c.hits++
		c.mu.Unlock()
		<-e.done
		return e.val, e.err
	}
	e := &cacheEntry[V]{key: key, done: make(chan struct{})}
	e.elem = c.lru.PushFront(e)
	c.items[key] = e
	c.miss++
	for c.lru.Len() > c.size {
		old := c.lru.Back().Value.(*cacheEntry[V])
		c.lru.Remove(old.elem)
		delete(c.items, old.key)
	}
	c.mu.Unlock()
	e.val, e.err = compute()
	if e.err != nil {
		c.mu.Lock()
		if c.items[key] == e {
			c.lru.Remove(e.elem)
			delete(c.items, key)
		}
		c.mu.Unlock()
	}
	close(e.done)
	return e.val, e.err
}

// picture returns the cached picture of key (see get); the child-level
// data a computation read is not kept.
func (c *pictureCache) picture(key string, compute func() (Result, analysis.PictureResult, error)) (Result, analysis.PictureResult, error) {
	p, err := c.get(key, func() (cachedPicture, error) {
		res, pr, err := compute()
		pr.Data = analysis.Data{}
		return cachedPicture{res, pr}, err
	})
	return p.res, p.pr, err
}

// maxDerived bounds the derived values kept per entry (an API answer per
// filter and sort of a worklist is one each).
const maxDerived = 16

// derived returns what f derives from the cached value of key under name,
// computed once per entry and name (every call computes it when key is not
// cached, or when the entry already keeps maxDerived values).
func (c *lruCache[V]) derived(key, name string, f func() any) any {
	c.mu.Lock()
	e := c.items[key]
	if e != nil {
		if v, ok := e.derived[name]; ok {
			c.mu.Unlock()
			return v
		}
	}
	c.mu.Unlock()
	v := f()
	if e != nil {
		c.mu.Lock()
		if e.derived == nil {
			e.derived = map[string]any{}
		}
		if len(e.derived) < maxDerived {
			e.derived[name] = v
		}
		c.mu.Unlock()
	}
	return v
}

// encoded is a value encoded as the API's JSON, or why it could not be.
type encoded struct {
	json []byte
	err  error
}

// encodedJSON encodes v (see encodeJSON) as a derived value.
func encodedJSON(v any) any {
	b, err := encodeJSON(v)
	return encoded{b, err}
}

// pictureJSON is the picture's API answer (see picture), encoded once per
// cached picture.
func (a *analyst) pictureJSON(ctx context.Context, sc analysis.Scope, at string, publish bool) ([]byte, error) {
	res, _, err := a.picture(ctx, sc, at, publish)
	if err != nil {
		return nil, err
	}
	enc := func() any { return encodedJSON(res) }
	var e encoded
	if key := a.pictureKey(ctx, sc.Name, sc.Councils, at, publish); key != "" && a.cache != nil {
		e = a.cache.derived(key, "json", enc).(encoded)
	} else {
		e = enc().(encoded)
	}
	return e.json, e.err
}

// worklistJSON is the worklist's API answer for a query (see worklist and
// reviewResponse), encoded once per cached worklist and query.
func (a *analyst) worklistJSON(ctx context.Context, sc analysis.Scope, at string, rq reviewQuery) ([]byte, error) {
	res, err := a.worklist(ctx, sc, at)
	if err != nil {
		return nil, err
	}
	enc := func() any { return encodedJSON(reviewResponse(sc.Name, res, rq)) }
	var e encoded
	if key := a.worklistKey(ctx, sc, at); key != "" {
		e = a.reviews.derived(key, fmt.Sprintf("json %+v", rq), enc).(encoded)
	} else {
		e = enc().(encoded)
	}
	return e.json, e.err
}

// stats returns the hits and misses so far.
func (c *lruCache[V]) stats() (hits, misses int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.miss
}

// cachedWorklist is a cached review worklist with the child-level reads it
// was computed from.
type cachedWorklist struct {
	res   analysis.ReviewResult
	reads []store.Read
}

// reviewCache keeps computed review worklists.
type reviewCache struct{ *lruCache[cachedWorklist] }

func newReviewCache() *reviewCache {
	return &reviewCache{newLRU[cachedWorklist](reviewCacheSize)}
}

// worklist returns the cached worklist of key, computing it once when
// absent, and notes the reads it was computed from in ctx's read log, so
// that every view's audit entry names the child-level data it showed. It
// computes without the cache when ctx has no read log (the store then
// audits each read on its own, which a cached answer would skip).
func (c *reviewCache) worklist(ctx context.Context, key string, compute func(context.Context) (analysis.ReviewResult, error)) (analysis.ReviewResult, error) {
	log := store.ReadLogFrom(ctx)
	if c == nil || key == "" || log == nil {
		return compute(ctx)
	}
	w, err := c.get(key, func() (cachedWorklist, error) {
		// One computation serves many requests: its reads are noted
		// apart and given to each of them below.
		cctx, own := store.WithReadLog(ctx)
		res, err := compute(cctx)
		return cachedWorklist{res, own.Take()}, err
	})
	if err != nil {
		return analysis.ReviewResult{}, err
	}
	for _, rd := range w.reads {
		log.Note(rd.Action, rd.Council, rd.Detail)
	}
	return w.res, nil
}

// pictureKey is the cache key of a picture, or "" when the store keeps no
// data version (nothing is cached then).
func (a *analyst) pictureKey(ctx context.Context, name string, codes []string, at string, publish bool) string {
	vs, ok := a.st.(store.Versioned)
	if !ok {
		return ""
	}
	v, err := analysisVersion(ctx, vs)
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
	v, err := analysisVersion(ctx, vs)
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
	v, err := analysisVersion(ctx, vs)
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
