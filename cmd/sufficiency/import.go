package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"sufficiency/care"
	"sufficiency/ingest"
	"sufficiency/store"
)

// runImport is the import verb.
func runImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "import", helpText("import"))
	la := fs.String("la", "", "council the files belong to: ONS `CODE` (e.g. E08000003); required")
	db := dbFlag(fs)
	year := fs.Int("year", 0, "collection year ending 31 March `YYYY` of DfE CSV/XML files; inferred from the data when omitted")
	accept := fs.Bool("accept-errors", false, "import what can be interpreted despite validation errors, recording every finding")
	actor := fs.String("actor", "", "who is importing, recorded with the import (default: the operating-system user)")
	format := fs.String("format", "text", "output `FORMAT`: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return care.Errorf(care.EINVALID, "import: name the SSDA903 files or folders to import, e.g. sufficiency import ./903 --la E08000003")
	}
	if err := checkFormat("import", *format, "text", "json"); err != nil {
		return err
	}
	if strings.TrimSpace(*la) == "" {
		folders, err := councilFolders(fs.Args())
		if err != nil {
			return care.Errorf(care.EINVALID, "%v (or give the council the files belong to with --la CODE, its ONS code, e.g. E08000003)", err)
		}
		st, err := openStore(ctx, env, *db, mayCreate)
		if err != nil {
			return err
		}
		defer st.Close()
		who := cliActor(env, *actor)
		return importMany(store.WithActor(ctx, who), env, st, folders, manyOptions(*year, *accept, who), *format)
	}
	if *year != 0 && (*year < 2000 || *year > 2100) {
		return care.Errorf(care.EINVALID, "import: --year %d is not a collection year; give the year it ends, e.g. --year 2025 for 2024/25", *year)
	}
	st, err := openStore(ctx, env, *db, mayCreate)
	if err != nil {
		return err
	}
	defer st.Close()
	who := cliActor(env, *actor)
	bar := newProgressBar(env.Stderr)
	res, err := ingest.Run(store.WithActor(ctx, who), st, fs.Args(), ingest.Options{
		Council: *la, Year: *year, AcceptErrors: *accept, Actor: who, Progress: bar.update,
		Rules: ingest.RuleOptions(false), Hints: importHints, // the same reference data as validate
	})
	bar.done()
	if err != nil && care.ErrorCode(err) != care.EREJECTED {
		return err
	}
	if *format == "json" {
		if werr := res.WriteJSON(env.Stdout); werr != nil {
			return werr
		}
	} else if werr := res.WriteText(env.Stdout, err == nil, importHints); werr != nil {
		return werr
	}
	return err
}

// importHints are the CLI's words for what to do when errors refuse an import.
var importHints = ingest.Hints{SeeFindings: "sufficiency validate", AcceptErrors: "--accept-errors", Council: "--la"}

// cliActor is who runs the command, for the audit log: the name given with
// --actor, else the same actor main puts in every command's context
// ($SUFFICIENCY_ACTOR, else the operating-system user; see actorName).
func cliActor(env *Env, given string) string {
	if s := strings.TrimSpace(given); s != "" {
		return s
	}
	return actorName(env.Getenv)
}

// progressBar draws the stage and percentage of a long run on stderr, only
// when stderr is a terminal.
type progressBar struct {
	w      io.Writer
	on     bool
	last   string
	drawn  bool
	stages map[string]string
}

func newProgressBar(w io.Writer) *progressBar {
	on := false
	if f, ok := w.(*os.File); ok {
		on = term.IsTerminal(int(f.Fd()))
	}
	return &progressBar{w: w, on: on, stages: map[string]string{
		"read": "reading files", "validate": "validating", "stitch": "stitching years", "store": "writing to the database",
		"simulate": "simulating",
	}}
}

func (p *progressBar) update(stage string, done, total int64) {
	if !p.on {
		return
	}
	pct := 100
	if total > 0 {
		pct = int(done * 100 / total)
	}
	line := fmt.Sprintf("%s %3d%%", p.stages[stage], pct)
	if line == p.last {
		return
	}
	p.last = line
	p.drawn = true
	fmt.Fprintf(p.w, "\r\033[K%s", line)
}

func (p *progressBar) done() {
	if p.on && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
