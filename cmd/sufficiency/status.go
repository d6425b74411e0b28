package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"

	"sufficiency/care"
	"sufficiency/ingest"
)

// runStatus is the status verb.
func runStatus(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet(env, "status", helpText("status"))
	db := dbFlag(fset)
	format := fset.String("format", "text", "output `FORMAT`: text or json")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return care.Errorf(care.EINVALID, "status takes no arguments")
	}
	if err := checkFormat("status", *format, "text", "json"); err != nil {
		return err
	}
	path := dbPath(env, *db)
	shown := path
	if u, err := url.Parse(path); err == nil && isPostgresURL(path) {
		shown = u.Redacted()
	}
	if _, err := os.Stat(path); !isPostgresURL(path) && err != nil && errors.Is(err, fs.ErrNotExist) {
		if *format == "json" {
			return ingest.WriteStatusJSON(env.Stdout, shown, nil)
		}
		fmt.Fprintf(env.Stdout, "Nothing is loaded: there is no database at %s yet. Import SSDA903 returns with sufficiency import PATH --la CODE.\n", path)
		return nil
	}
	st, err := openStore(ctx, env, path, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	out, err := ingest.Status(ctx, st)
	if err != nil {
		return err
	}
	if *format == "json" {
		return ingest.WriteStatusJSON(env.Stdout, shown, out)
	}
	return ingest.WriteStatusText(env.Stdout, shown, out, "Import SSDA903 returns with sufficiency import PATH --la CODE.")
}
