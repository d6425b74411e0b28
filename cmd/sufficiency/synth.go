package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"sufficiency/care"
	"sufficiency/synth"
)

// runSynth generates a synthetic region of DfE-format SSDA903 files with
// supply, calibrated to the councils' published figures.
func runSynth(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "synth", helpText("synth"))
	out := fs.String("out", "", "output directory (written atomically; an earlier synth output there is replaced)")
	region := fs.String("region", "", `English region as the ONS writes it, e.g. "North East", "Yorkshire and The Humber"`)
	la := fs.String("la", "", "comma-separated council codes (ONS E-codes, DfE 3-digit codes or names)")
	from := fs.Int("from", 2015, "first collection year (ending 31 March)")
	to := fs.Int("to", 2025, "last collection year (ending 31 March)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives byte-identical files")
	check := fs.Bool("check", false, "after generating, compare the output with the published figures council by council")
	format := fs.String("format", "text", "output format of the summary and check: text, json or csv")
	workers := fs.Int("workers", 0, "councils generated at once (default: number of CPUs)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "synth: unexpected argument %q; flags only (e.g. synth --out DIR --region \"North East\")", fs.Arg(0))
	}
	if err := checkFormat("synth", *format, "text", "json", "csv"); err != nil {
		return err
	}
	if strings.TrimSpace(*out) == "" {
		return care.Errorf(care.EINVALID, "synth: give --out DIR, the directory to write the councils' files into")
	}
	cfg := synth.Config{Out: *out, Region: *region, From: *from, To: *to, Seed: *seed, Workers: *workers}
	if *la != "" {
		cfg.Councils = strings.Split(*la, ",")
	}
	if synthTerminal(env.Stderr) {
		cfg.Progress = func(done, total int, council string) {
			fmt.Fprintf(env.Stderr, "\rsynth: %d/%d councils", done, total)
			if done == total {
				fmt.Fprintln(env.Stderr)
			}
		}
	}
	sum, err := synth.Generate(ctx, cfg)
	if err != nil {
		return err
	}
	if !*check {
		return sum.Write(env.Stdout, *format)
	}
	rep, err := synth.Check(sum.Out)
	if err != nil {
		return err
	}
	if err := rep.Write(env.Stdout, *format); err != nil {
		return err
	}
	if !rep.WithinTolerance() {
		return care.Errorf(care.EREJECTED, "synth --check: %d council-year figure(s) outside the ±%.0f%% tolerance (see the report)", rep.Outside(), synth.Tolerance*100)
	}
	return nil
}

// synthTerminal reports whether w is a terminal, where progress is drawn.
func synthTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
