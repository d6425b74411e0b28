package ingest

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/store"
)

// Folder is one council's folder of a multi-council import.
type Folder struct {
	Council string // ONS code
	Dir     string
}

// Outcome is what importing one council's folder came to.
type Outcome struct {
	Folder Folder
	Result Result
	Err    error // nil: imported; EREJECTED: refused for validation errors
	Took   time.Duration
}

// CouncilFolders finds, under each path, the folders named by a council's
// code (ONS or DfE) or name, as synth writes a region (DIR/E08000003/2025/...),
// sorted by council. A path that is itself a council's folder counts as
// one. EINVALID for a path that is not a folder or holds no council folder,
// or a council with two folders.
func CouncilFolders(paths []string) ([]Folder, error) {
	seen := map[string]string{}
	var out []Folder
	add := func(code, dir string) error {
		if prev, ok := seen[code]; ok {
			return care.Errorf(care.EINVALID, "council %s has two folders, %s and %s", code, prev, dir)
		}
		seen[code] = dir
		out = append(out, Folder{code, dir})
		return nil
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.IsDir() {
			return nil, care.Errorf(care.EINVALID, "%s is not a folder of council folders (as synth writes them)", p)
		}
		if c, ok := refdata.CouncilByCode(filepath.Base(filepath.Clean(p))); ok {
			if err := add(c.Code, p); err != nil {
				return nil, err
			}
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, care.WrapError(care.EUNUSABLE, err, "cannot read the folder %s", p)
		}
		n := 0
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			if c, ok := refdata.CouncilByCode(e.Name()); ok {
				if err := add(c.Code, filepath.Join(p, e.Name())); err != nil {
					return nil, err
				}
				n++
			}
		}
		if n == 0 {
			return nil, care.Errorf(care.EINVALID, "%s holds no folder named by a council code (e.g. E08000003)", p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Council < out[j].Council })
	return out, nil
}

// RunMany imports each council's folder in its own transaction (a refused
// council leaves the others imported), workers at a time, the council set
// in opt for each. done is called, from one goroutine, as each finishes (k
// of len(folders)). It returns the outcomes in the order of folders; after
// ctx ends, folders not started have a zero Outcome.
//
// Into a database holding no episodes, a store that is a store.BulkLoader
// builds the episodes' secondary indexes once, after every council (the
// same rows and indexes, in a fraction of the time); the error returned is
// that step's, when it fails (each imported council is stored whole
// nonetheless, and the store builds the indexes when next opened).
func RunMany(ctx context.Context, st store.Store, folders []Folder, opt Options, workers int, done func(k int, o Outcome)) ([]Outcome, error) {
	out := make([]Outcome, len(folders))
	fail := func(err error) ([]Outcome, error) {
		for i := range folders {
			out[i] = Outcome{Folder: folders[i], Err: err}
		}
		return out, nil
	}
	if opt.Rules.Provider == nil {
		// The provider list once for every council (see ProviderList).
		p, err := ProviderList(ctx, st)
		if err != nil {
			return fail(err)
		}
		opt.Rules.Provider = p
	}
	bl, bulk := st.(store.BulkLoader)
	if bulk {
		if _, err := bl.BeginBulkLoad(ctx); err != nil {
			return fail(err)
		}
	}
	runMany(ctx, st, folders, opt, workers, out, done)
	if bulk {
		// Built even when ctx has ended: the councils imported are then
		// complete, with their indexes.
		if err := bl.EndBulkLoad(context.WithoutCancel(ctx)); err != nil {
			return out, err
		}
	}
	return out, nil
}

// runMany is RunMany's imports, writing each outcome into out.
func runMany(ctx context.Context, st store.Store, folders []Folder, opt Options, workers int, out []Outcome, done func(k int, o Outcome)) {
	type finished struct {
		i int
		o Outcome
	}
	jobs := make(chan int)
	results := make(chan finished)
	var wg sync.WaitGroup
	for w := 0; w < max(workers, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				o := opt
				o.Council = folders[i].Council
				res, err := Run(ctx, st, []string{folders[i].Dir}, o)
				results <- finished{i, Outcome{folders[i], res, err, time.Since(t0)}}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range folders {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	k := 0
	for f := range results {
		k++
		out[f.i] = f.o
		if done != nil {
			done(k, f.o)
		}
	}
}
