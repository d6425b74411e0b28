package main

import (
	"context"
	"fmt"
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
	results, ierr := ingest.RunMany(ctx, st, folders, opt, importWorkers, func(k int, d ingest.Outcome) {
		f := d.Folder
		name := f.Council
		if n := refdata.CouncilName(f.Council); n != "" {
			name = f.Council + " " + n
		}
		switch {
		case d.Err == nil:
			fmt.Fprintf(env.Stderr, "[%*d/%d] %s: %s children, %s episodes, %d errors, %d warnings (%.1f s)\n", len(fmt.Sprint(len(folders))), k, len(folders),
				name, thousands(d.Result.Children), thousands(d.Result.Episodes), d.Result.Errors, d.Result.Warnings, d.Took.Seconds())
		case care.ErrorCode(d.Err) == care.EREJECTED:
			fmt.Fprintf(env.Stderr, "[%*d/%d] %s: refused, %d validation errors (import it alone to see them, or use --accept-errors)\n", len(fmt.Sprint(len(folders))), k, len(folders), name, d.Result.Errors)
		default:
			fmt.Fprintf(env.Stderr, "[%*d/%d] %s: not imported: %v\n", len(fmt.Sprint(len(folders))), k, len(folders), name, d.Err)
		}
	})
	sum := ingest.Summarise(results)
	if ierr != nil {
		return care.WrapError(care.ErrorCode(ierr), ierr, "import: %d of %d councils imported, but their episodes' indexes could not be built (the database builds them when next opened)", sum.Imported, len(folders))
	}
	if err := ctx.Err(); err != nil {
		return care.WrapError(care.EINTERNAL, err, "import stopped after %d of %d councils (each imported council is complete; the others are unchanged)", sum.Imported, len(folders))
	}
	wall := time.Since(start)
	var err error
	if format == "json" {
		err = ingest.WriteManyJSON(env.Stdout, results, wall)
	} else {
		err = sum.WriteText(env.Stdout, wall)
	}
	if err != nil {
		return err
	}
	return sum.Err()
}

// importWorkers is how many councils a multi-council import reads and
// validates at once; their writes to the database take turns.
const importWorkers = 2

// thousands writes n with thousands separators (1,234,567).
func thousands(n int) string { return tabular.Thousands(int64(n)) }

// manyOptions are the ingest options of a multi-council import.
func manyOptions(year int, accept bool, who string) ingest.Options {
	return ingest.Options{Year: year, AcceptErrors: accept, Actor: who, Rules: ingest.RuleOptions(false), Hints: importHints}
}
