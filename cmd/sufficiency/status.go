package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"sufficiency/care"
	"sufficiency/internal/errwriter"
	"sufficiency/store"
)

const statusSynopsis = `[--db FILE] [--format text|json]

Shows what is loaded: for each council, the collection years, children, episodes and the last import.`

// councilStatus is one council as the status verb writes it.
type councilStatus struct {
	Council      string `json:"council"`
	Years        []int  `json:"years"`
	Children     int    `json:"children"`
	Episodes     int    `json:"episodes"`
	Imports      int    `json:"imports"`
	LastImportID int64  `json:"last_import_id"`
	LastImport   string `json:"last_import"`
	LastActor    string `json:"last_import_by"`
	Errors       int    `json:"last_import_errors"`
	Warnings     int    `json:"last_import_warnings"`
	Accepted     bool   `json:"last_import_accepted_errors"`
}

// runStatus is the status verb.
func runStatus(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet(env, "status", statusSynopsis)
	db := dbFlag(fset)
	format := fset.String("format", "text", "output `FORMAT`: text or json")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return care.Errorf(care.EINVALID, "status takes no arguments")
	}
	if *format != "text" && *format != "json" {
		return care.Errorf(care.EINVALID, "status: unknown --format %q; use text or json", *format)
	}
	path := dbPath(env, *db)
	shown := path
	if u, err := url.Parse(path); err == nil && isPostgresURL(path) {
		shown = u.Redacted()
	}
	var out []councilStatus
	if _, err := os.Stat(path); !isPostgresURL(path) && err != nil && errors.Is(err, fs.ErrNotExist) {
		if *format == "json" {
			return writeStatusJSON(env.Stdout, shown, out)
		}
		fmt.Fprintf(env.Stdout, "Nothing is loaded: there is no database at %s yet. Import SSDA903 returns with sufficiency import PATH --la CODE.\n", path)
		return nil
	}
	st, err := openStore(ctx, env, path, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	summaries, err := st.Councils(ctx)
	if err != nil {
		return err
	}
	imports, err := st.Imports(ctx, "")
	if err != nil {
		return err
	}
	byID := map[int64]store.ImportRecord{}
	for _, r := range imports {
		byID[r.ID] = r
	}
	for _, s := range summaries {
		cs := councilStatus{Council: s.Council, Years: s.Years, Children: s.Children, Episodes: s.Episodes, Imports: s.Imports,
			LastImportID: s.LastImportID, LastActor: s.LastActor}
		if cs.Years == nil {
			cs.Years = []int{}
		}
		if !s.LastImport.IsZero() {
			cs.LastImport = s.LastImport.UTC().Format(time.RFC3339)
		}
		if r, ok := byID[s.LastImportID]; ok {
			cs.Errors, cs.Warnings, cs.Accepted = r.Errors, r.Warnings, r.AcceptedErrors
		}
		out = append(out, cs)
	}
	if *format == "json" {
		return writeStatusJSON(env.Stdout, shown, out)
	}
	return writeStatusText(env.Stdout, shown, out)
}

func writeStatusJSON(w io.Writer, path string, cs []councilStatus) error {
	if cs == nil {
		cs = []councilStatus{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Database string          `json:"database"`
		Councils []councilStatus `json:"councils"`
	}{path, cs})
}

func writeStatusText(w io.Writer, path string, cs []councilStatus) error {
	ew := &errwriter.Writer{W: w}
	if len(cs) == 0 {
		fmt.Fprintf(ew, "Nothing is loaded in %s yet. Import SSDA903 returns with sufficiency import PATH --la CODE.\n", path)
		return ew.Err
	}
	fmt.Fprintf(ew, "Database %s: %d council(s)\n\n", path, len(cs))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "council\tyears\tchildren\tepisodes\timports\tlast import\tby\tfindings")
	for _, c := range cs {
		years := "none"
		if len(c.Years) > 0 {
			years = care.YearLabel(c.Years[0])
			if len(c.Years) > 1 {
				years += " to " + care.YearLabel(c.Years[len(c.Years)-1])
				if c.Years[len(c.Years)-1]-c.Years[0]+1 != len(c.Years) {
					years += fmt.Sprintf(" (%d years)", len(c.Years))
				}
			}
		}
		findings := fmt.Sprintf("%d errors, %d warnings", c.Errors, c.Warnings)
		if c.Accepted {
			findings += " (accepted)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", c.Council, years, c.Children, c.Episodes, c.Imports,
			strings.Replace(c.LastImport, "T", " ", 1), c.LastActor, findings)
	}
	tw.Flush()
	return ew.Err
}
