package main

import (
	"context"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/ingest"
	"sufficiency/ssda903"
	"sufficiency/ssda903/rules"
)

// runValidate reads SSDA903 files and checks them against the DfE rules of
// their collection year. It returns EREJECTED when any error is found and
// EUNUSABLE when a file cannot be read at all.
func runValidate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "validate", helpText("validate"))
	year := fs.Int("year", 0, "collection year ending 31 March `YYYY` (2025 = 2024/25); inferred from the data when omitted")
	la := fs.String("la", "", "council the files belong to: ONS `code` (E08000003), DfE code or name")
	format := fs.String("format", "text", "output `format`: text, json or csv")
	limit := fs.Int("limit", 10, "text format: rows listed per rule (0 lists all)")
	postcodes := fs.Bool("postcodes", true, "check postcodes against the ONS Postcode Directory (rules 392c, 454, 503G, 503H, 1015); -postcodes=false skips them")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return care.Errorf(care.EINVALID, "validate: name the SSDA903 files or folders to check, e.g. sufficiency validate ./903/2025")
	}
	if err := checkFormat("validate", *format, "text", "json", "csv"); err != nil {
		return err
	}
	if *year != 0 && (*year < 2000 || *year > 2100) {
		return care.Errorf(care.EINVALID, "validate: --year %d is not a collection year; give the year it ends, e.g. --year 2025 for 2024/25", *year)
	}

	opt := ingest.RuleOptions(*postcodes)
	if *postcodes {
		// Load the postcode index while the files are read.
		warm := make(chan struct{})
		go func() {
			defer close(warm)
			if pc, err := geo.ParsePostcode("M1 1AE"); err == nil {
				geo.Known(pc)
			}
		}()
		defer func() { <-warm }()
	}
	bar := newProgressBar(env.Stderr) // drawn only when stderr is a terminal
	returns, findings, readErr := ssda903.Read(fs.Args(), ssda903.ReadOptions{Year: *year, Council: *la,
		Progress: func(done, total int64) { bar.update("read", done, total) }})
	bar.done()
	if readErr != nil && len(returns) == 0 {
		return readErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	reports, findings, errs := rules.CheckAll(returns, findings, opt)
	var err error
	switch *format {
	case "json":
		err = rules.WriteJSON(env.Stdout, reports, findings)
	case "csv":
		err = rules.WriteCSV(env.Stdout, findings)
	default:
		err = rules.WriteText(env.Stdout, reports, findings, *limit, rules.TextHints{ListAll: "--limit 0", EveryRow: "--format csv"})
	}
	if err != nil {
		return care.WrapError(care.EINTERNAL, err, "validate: writing the report")
	}
	if readErr != nil {
		return readErr
	}
	if errs > 0 {
		return care.Errorf(care.EREJECTED, "%d validation errors: correct them in the case management system (or the files) and validate again; warnings do not block an import", errs)
	}
	return nil
}
