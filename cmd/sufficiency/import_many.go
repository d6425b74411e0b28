package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"sufficiency/care"
	"sufficiency/ingest"
	"sufficiency/refdata"
	"sufficiency/tabular"
)

// councilFolder is one council's folder of a multi-council import.
type councilFolder struct {
	Council string // ONS code
	Dir     string
}

// councilFolders finds, under each path, the folders named by a council's
// code (ONS or DfE) or name, as synth writes a region (DIR/E08000003/2025/...),
// sorted by council. A path that is itself a council's folder counts as
// one. An error for a path that is not a folder or holds no council folder.
func councilFolders(paths []string) ([]councilFolder, error) {
	seen := map[string]string{}
	var out []councilFolder
	add := func(code, dir string) error {
		if prev, ok := seen[code]; ok {
			return care.Errorf(care.EINVALID, "import: council %s has two folders, %s and %s: import them separately", code, prev, dir)
		}
		seen[code] = dir
		out = append(out, councilFolder{code, dir})
		return nil
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.IsDir() {
			return nil, care.Errorf(care.EINVALID, "import: without --la every PATH must be a folder of council folders (as synth writes them); %s is not a folder: give --la CODE to import files of one council", p)
		}
		if c, ok := refdata.CouncilByCode(filepath.Base(filepath.Clean(p))); ok {
			if err := add(c.Code, p); err != nil {
				return nil, err
			}
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, care.WrapError(care.EUNUSABLE, err, "import: cannot read the folder %s", p)
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
			return nil, care.Errorf(care.EINVALID, "import: %s holds no folder named by a council code (e.g. E08000003): give --la CODE to import the files of one council", p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Council < out[j].Council })
	return out, nil
}

// importMany imports each council's folder in its own transaction (a
// refused council leaves the others imported), importWorkers at a time,
// printing a line per council on stderr as it finishes and a summary on
// stdout. EREJECTED when any council was refused.
func importMany(ctx context.Context, env *Env, st Store, folders []councilFolder, opt ingest.Options, format string) error {
	start := time.Now()
	type done struct {
		i   int
		res ingest.Result
		err error
		dur time.Duration
	}
	results := make([]done, len(folders))
	jobs := make(chan int)
	finished := make(chan done)
	var wg sync.WaitGroup
	for w := 0; w < importWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				o := opt
				o.Council = folders[i].Council
				res, err := ingest.Run(ctx, st, []string{folders[i].Dir}, o)
				finished <- done{i, res, err, time.Since(t0)}
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
	go func() { wg.Wait(); close(finished) }()
	var children, episodes, imported int
	var refused, failed []string
	k := 0
	for d := range finished {
		k++
		results[d.i] = d
		f := folders[d.i]
		name := f.Council
		if c, ok := refdata.CouncilByCode(f.Council); ok {
			name = f.Council + " " + c.Name
		}
		switch {
		case d.err == nil:
			imported++
			children += d.res.Children
			episodes += d.res.Episodes
			fmt.Fprintf(env.Stderr, "[%*d/%d] %s: %s children, %s episodes, %d errors, %d warnings (%.1f s)\n", len(fmt.Sprint(len(folders))), k, len(folders),
				name, thousands(d.res.Children), thousands(d.res.Episodes), d.res.Errors, d.res.Warnings, d.dur.Seconds())
		case care.ErrorCode(d.err) == care.EREJECTED:
			refused = append(refused, f.Council)
			fmt.Fprintf(env.Stderr, "[%*d/%d] %s: refused, %d validation errors (import it alone to see them, or use --accept-errors)\n", len(fmt.Sprint(len(folders))), k, len(folders), name, d.res.Errors)
		default:
			failed = append(failed, f.Council)
			fmt.Fprintf(env.Stderr, "[%*d/%d] %s: not imported: %v\n", len(fmt.Sprint(len(folders))), k, len(folders), name, d.err)
		}
	}
	if err := ctx.Err(); err != nil {
		return care.WrapError(care.EINTERNAL, err, "import stopped after %d of %d councils (each imported council is complete; the others are unchanged)", imported, len(folders))
	}
	wall := time.Since(start)
	if format == "json" {
		type row struct {
			Council  string `json:"council"`
			Imported bool   `json:"imported"`
			ImportID int64  `json:"import_id,omitempty"`
			Children int    `json:"children"`
			Episodes int    `json:"episodes"`
			Errors   int    `json:"errors"`
			Warnings int    `json:"warnings"`
			Error    string `json:"error,omitempty"`
		}
		var rows []row
		for _, d := range results {
			r := row{Council: folders[d.i].Council, Imported: d.err == nil, ImportID: d.res.ImportID, Children: d.res.Children,
				Episodes: d.res.Episodes, Errors: d.res.Errors, Warnings: d.res.Warnings}
			if d.err != nil {
				r.Error = d.err.Error()
			}
			rows = append(rows, r)
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Councils []row   `json:"councils"`
			Seconds  float64 `json:"seconds"`
		}{rows, wall.Seconds()}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(env.Stdout, "Imported %d of %d councils in %.1f s: %s children, %s episodes.\n", imported, len(folders), wall.Seconds(), thousands(children), thousands(episodes))
		if len(refused) > 0 {
			fmt.Fprintf(env.Stdout, "Refused for validation errors (nothing imported for them): %s.\n", strings.Join(refused, ", "))
		}
		if len(failed) > 0 {
			fmt.Fprintf(env.Stdout, "Not imported: %s.\n", strings.Join(failed, ", "))
		}
	}
	switch {
	case len(failed) > 0:
		return care.Errorf(care.EINTERNAL, "import: %d of %d councils could not be imported (%s); the others are imported", len(failed), len(folders), strings.Join(failed, ", "))
	case len(refused) > 0:
		return care.Errorf(care.EREJECTED, "import: %d of %d councils were refused for validation errors (%s); the others are imported", len(refused), len(folders), strings.Join(refused, ", "))
	}
	return nil
}

// importWorkers is how many councils a multi-council import reads and
// validates at once; their writes to the database take turns.
const importWorkers = 2

// thousands writes n with thousands separators (1,234,567).
func thousands(n int) string { return tabular.Thousands(int64(n)) }

// manyOptions are the ingest options of a multi-council import.
func manyOptions(year int, accept bool, who string) ingest.Options {
	return ingest.Options{Year: year, AcceptErrors: accept, Actor: who, Rules: ingest.RuleOptions(false)}
}
