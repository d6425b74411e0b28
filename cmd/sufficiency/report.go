package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"sufficiency/care"
	"sufficiency/scenario"
	"sufficiency/statement"
)

// runReport is the report verb.
func runReport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "report", helpText("report"))
	o := &analyticsOptions{scope: addScopeFlags(fs), db: dbFlag(fs)}
	fs.StringVar(&o.at, "at", "", "`DATE` (YYYY-MM-DD) the figures describe; default the last date the data covers")
	fs.StringVar(&o.format, "format", "html", "output `FORMAT`: html, pdf or xlsx")
	fs.StringVar(&o.out, "out", "", "write the statement to `PATH`")
	intentions := fs.String("intentions", "", "commissioning intentions: a Markdown `FILE`")
	synthetic := fs.Bool("synthetic", false, "mark the statement as made from synthetic (demonstration) data")
	var scenarioFiles []string
	fs.Func("scenario", "a scenario `FILE` (JSON, as for sufficiency scenario) of the same council or region, reported beside the forecast; repeat for several", func(v string) error {
		scenarioFiles = append(scenarioFiles, v)
		return nil
	})
	inPlacers := fs.Bool("in-placers", true, "read every loaded council's episodes to count other councils' children placed in the area (--in-placers=false is faster on a national database)")
	unsuppressed := fs.Bool("unsuppressed", false, "show counts of 1 to 4 (internal use only: never publish such a copy)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "report takes no arguments; use --la CODE or --region NAME")
	}
	switch o.format {
	case "html", "pdf", "xlsx":
	default:
		return care.Errorf(care.EINVALID, "--format %q: use html, pdf or xlsx", o.format)
	}
	if o.out == "" {
		return care.Errorf(care.EINVALID, "give --out PATH: where to write the %s statement", o.format)
	}
	var md []byte
	if *intentions != "" {
		b, err := os.ReadFile(*intentions)
		if err != nil {
			return care.WrapError(care.EUNUSABLE, err, "cannot read the commissioning intentions %s; give a Markdown file", *intentions)
		}
		md = b
	}
	scens, _, err := scenario.ReadFiles(scenarioFiles)
	if err != nil {
		return err
	}
	st, sc, err := o.openScope(ctx, env, true)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := statement.Build(ctx, st, sc, statement.Options{Options: o.options(env), Unsuppressed: *unsuppressed,
		Intentions: string(md), IntentionsSource: filepath.Base(*intentions), Synthetic: *synthetic, InPlacers: *inPlacers, Scenarios: scens})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := statement.Write(ctx, &buf, o.format, r); err != nil {
		return hint(err, care.EUNUSABLE, "write --format html and print it")
	}
	tmp := o.out + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return care.WrapError(care.EUNUSABLE, err, "cannot write %s; check the folder exists and is writable", o.out)
	}
	if err := os.Rename(tmp, o.out); err != nil {
		os.Remove(tmp)
		return care.WrapError(care.EUNUSABLE, err, "cannot write %s", o.out)
	}
	fmt.Fprintf(env.Stderr, "wrote the %s statement of %s (%d sections, %d tables) to %s\n", o.format, r.Area, len(r.Sections), len(r.Tables()), o.out)
	return nil
}
