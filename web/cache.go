package web

import (
	"container/list"
	"context"
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
	v, err := vs.DataVersion(ctx)
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
	return strings.Join([]string{itoa64(v), name, strings.Join(codes, ","), day, p}, "|")
}

func itoa64(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
