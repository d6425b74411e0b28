package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/ingest"
	"sufficiency/refdata"
	"sufficiency/tabular"
)

// councilFolders finds the council folders under paths (ingest.CouncilFolders),
// saying how to import files of one council when there are none.
func councilFolders(paths []string) ([]ingest.Folder, error) {
	folders, err := ingest.CouncilFolders(paths)
	if care.ErrorCode(err) == care.EINVALID {
		return nil, care.Errorf(care.EINVALID, "import: %s: without --la every PATH must be a folder of council folders (as synth writes them); give --la CODE to import the files of one council", care.ErrorMessage(err))
	}
	if err != nil {
		return nil, care.WrapError(care.ErrorCode(err), err, "import")
	}
	return folders, nil
}

// importMany imports each council's folder in its own transaction (a
// refused council leaves the others imported), importWorkers at a time,
// printing a line per council on stderr as it finishes and a summary on
// stdout. EREJECTED when any council was refused.
func importMany(ctx context.Context, env *Env, st Store, folders []ingest.Folder, opt ingest.Options, format string) error {
	start := time.Now()
	var children, episodes, imported int
	var refused, failed []string
	results := ingest.RunMany(ctx, st, folders, opt, importWorkers, func(k int, d ingest.Outcome) {
		f := d.Folder
		name := f.Council
		if n := refdata.CouncilName(f.Council); n != "" {
			name = f.Council + " " + n
		}
		switch {
		case d.Err == nil:
			imported++
			children += d.Result.Children
			episodes += d.Result.Episodes
			fmt.Fprintf(env.Stderr, "[%*d/%d] %s: %s children, %s episodes, %d errors, %d warnings (%.1f s)\n", len(fmt.Sprint(len(folders))), k, len(folders),
				name, thousands(d.Result.Children), thousands(d.Result.Episodes), d.Result.Errors, d.Result.Warnings, d.Took.Seconds())
		case care.ErrorCode(d.Err) == care.EREJECTED:
			refused = append(refused, f.Council)
			fmt.Fprintf(env.Stderr, "[%*d/%d] %s: refused, %d validation errors (import it alone to see them, or use --accept-errors)\n", len(fmt.Sprint(len(folders))), k, len(folders), name, d.Result.Errors)
		default:
			failed = append(failed, f.Council)
			fmt.Fprintf(env.Stderr, "[%*d/%d] %s: not imported: %v\n", len(fmt.Sprint(len(folders))), k, len(folders), name, d.Err)
		}
	})
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
			r := row{Council: d.Folder.Council, Imported: d.Err == nil, ImportID: d.Result.ImportID, Children: d.Result.Children,
				Episodes: d.Result.Episodes, Errors: d.Result.Errors, Warnings: d.Result.Warnings}
			if d.Err != nil {
				r.Error = d.Err.Error()
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
