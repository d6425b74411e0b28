package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/tabular"
)

// runPicture is the picture verb.
func runPicture(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "picture", helpText("picture"))
	o := analyticsFlags(fs)
	publish := fs.Bool("publish", false, "suppress small numbers (1 to 4) in every table, for publication")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := o.check(fs); err != nil {
		return err
	}
	st, sc, err := o.openScope(ctx, env, false)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := analysis.Picture(ctx, st, sc, analysis.PictureOptions{
		Options: o.options(env), Publish: *publish, InPlacers: true, Published: true, CoverageNotes: true, YearOnly: true, ScopedSupply: true,
	})
	if err != nil {
		return err
	}
	// The placement workflow's evidence (declines by reason, referrals no
	// home could meet, time to place), when referrals were made in the year.
	outcomes, err := analysis.ReferralOutcomes(ctx, st, sc.Name, sc.Councils, res.At, *publish)
	if err != nil {
		return err
	}
	return writeTables(env, o.format, o.out, append(res.Tables, outcomes...))
}

// scopeFlags are --la and --region: the one scope flag set, registered by
// every verb that takes a scope and parsed once (parse) into the value
// passed down (parsed).
type scopeFlags struct {
	la, region string             // as given (a forecast record keeps what was asked)
	parsed     analysis.ScopeSpec // set by parse
}

// addScopeFlags registers --la and --region on fs.
func addScopeFlags(fs *flag.FlagSet) *scopeFlags {
	f := &scopeFlags{}
	fs.StringVar(&f.la, "la", "", "council `CODE` (ONS code, DfE code or name; several comma-separated), or all")
	fs.StringVar(&f.region, "region", "", "region `NAME` (e.g. \"North West\"), or England")
	return f
}

// parse parses the flags into parsed (analysis.ParseScope), the CLI's flags
// named in the advice; EINVALID for neither when the verb requires a scope.
func (f *scopeFlags) parse(required bool) (err error) {
	if required && f.la == "" && f.region == "" {
		return care.Errorf(care.EINVALID, "give a council (--la CODE) or a region (--region NAME)")
	}
	f.parsed, err = analysis.ParseScope(f.la, f.region)
	return hint(err, care.EINVALID, "give --la CODE or --region NAME")
}

// analyticsOptions are the flags the picture, review, market and report
// verbs share.
type analyticsOptions struct {
	scope           *scopeFlags
	db              *string
	at, format, out string
}

func analyticsFlags(fs *flag.FlagSet) *analyticsOptions {
	o := &analyticsOptions{scope: addScopeFlags(fs), db: dbFlag(fs)}
	fs.StringVar(&o.at, "at", "", "`DATE` (YYYY-MM-DD) to measure at; default the last date the data covers")
	fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text, json, csv or xlsx")
	fs.StringVar(&o.out, "out", "", "write to `FILE` instead of standard output (needed for xlsx)")
	return o
}

func (o *analyticsOptions) check(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "this command takes no arguments; use --la CODE or --region NAME")
	}
	return checkTableFormat(o.format, o.out)
}

// options are the analysis options of the flags: --at, and today from env.
func (o *analyticsOptions) options(env *Env) analysis.Options {
	return analysis.Options{At: o.at, AtName: "--at", Now: env.Now}
}

// openScope parses --la or --region (required: one of them), opens the
// database and resolves the scope in it; the caller closes the store.
func (o *analyticsOptions) openScope(ctx context.Context, env *Env, required bool) (Store, analysis.Scope, error) {
	if err := o.scope.parse(required); err != nil {
		return nil, analysis.Scope{}, err
	}
	st, err := openStore(ctx, env, *o.db, mustExist)
	if err != nil {
		return nil, analysis.Scope{}, err
	}
	sc, err := analysis.Resolve(ctx, st, o.scope.parsed)
	err = hint(err, care.EINVALID, "give --la CODE or --region NAME (or --region England)") // none given: several loaded
	if sc.Loaded == nil || sc.Name != "" && len(sc.Councils) == 0 {
		err = hint(err, care.ENOTFOUND, "import SSDA903 returns first (sufficiency import PATH --la CODE)")
	}
	if err != nil {
		st.Close()
		return nil, analysis.Scope{}, err
	}
	return st, sc, nil
}

// writeTables writes the tables to --out or standard output.
func writeTables(env *Env, format, out string, tables []tabular.Table) error {
	if out == "" {
		return tabular.Write(env.Stdout, format, tables)
	}
	f, err := os.Create(out)
	if err != nil {
		return care.WrapError(care.EUNUSABLE, err, "cannot create %s; check the folder exists and is writable", out)
	}
	if err := tabular.Write(f, format, tables); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return care.WrapError(care.EUNUSABLE, err, "cannot write %s", out)
	}
	fmt.Fprintf(env.Stderr, "wrote %d tables to %s\n", len(tables), out)
	return nil
}

// checkTableFormat refuses a --format tables are not written in, and xlsx
// without --out.
func checkTableFormat(format, out string) error {
	switch format {
	case tabular.FormatText, tabular.FormatJSON, tabular.FormatCSV:
	case tabular.FormatXLSX:
		if out == "" {
			return care.Errorf(care.EINVALID, "--format xlsx writes an Excel workbook: give --out FILE.xlsx")
		}
	default:
		return care.Errorf(care.EINVALID, "--format %q: use text, json, csv or xlsx", format)
	}
	return nil
}
