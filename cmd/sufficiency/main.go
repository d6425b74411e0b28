// Command sufficiency is the one binary of the sufficiency platform: it reads
// SSDA903 returns, builds the sufficiency picture, forecasts, matches and
// allocates placements, and serves the web app. Run "sufficiency help".
package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

func main() {
	if os.Getenv("GOGC") == "" && (len(os.Args) < 2 || os.Args[1] != "serve" && os.Args[1] != "demo") {
		debug.SetGCPercent(oneShotGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "sufficiency:", care.ErrorMessage(err))
	}
	os.Exit(exitCode(err))
}

// oneShotGCPercent is the garbage collector's target for the commands that
// read a scope, answer and exit (every verb but serve and demo, which keep
// Go's 100; GOGC, when set, wins): the heap may grow three times past the
// live data between collections. England's picture then takes 1.9–2.1 s
// instead of 2.1–3.4 s and 835 MB instead of 726 MB (docs/BENCHMARKS.md):
// each collection stops the goroutine reading SQLite by signal, which cost
// up to 2 s of system time.
const oneShotGCPercent = 300

// Env is what a command may touch of the outside world. Commands never read
// os.* directly, so the whole CLI runs in-process in tests.
type Env struct {
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Now    func() time.Time
}

// run is the testable program: it dispatches args[0] to a command.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	env := &Env{Getenv: getenv, Stdin: stdin, Stdout: stdout, Stderr: stderr, Now: time.Now}
	// Every read and write of child-level data is audited under this name.
	ctx = store.WithActor(ctx, actorName(getenv))
	if len(args) >= 2 && args[0] == "help" {
		// "sufficiency help VERB" is "sufficiency VERB -h": the verb's own
		// synopsis and flags, on standard output.
		for _, c := range commands() {
			if c.Name == args[1] {
				env.Stderr = stdout
				return c.Run(ctx, env, []string{"-h"})
			}
		}
		usage(stderr)
		return care.Errorf(care.EINVALID, "no command %q; run \"sufficiency help\" for the list", args[1])
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.Name == args[0] {
			return c.Run(ctx, env, args[1:])
		}
	}
	usage(stderr)
	return care.Errorf(care.EINVALID, "unknown command %q; run \"sufficiency help\" for the list", args[0])
}

// command is one verb of the CLI.
type command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, env *Env, args []string) error
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "sufficiency: secure the right homes, in the right places, at the right time for children in care.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: sufficiency <command> [flags]   (sufficiency <command> -h for a command's flags)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-16s %s\n", c.Name, c.Summary)
	}
}

// exitCode maps an error to the process exit status, once, here:
// 0 success; 1 the data was read but breaks rules or the action failed;
// 2 unusable input or a usage mistake.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	switch care.ErrorCode(err) {
	case care.EINVALID, care.EUNUSABLE, care.ENOTFOUND:
		return 2
	case care.EREJECTED, care.ECONFLICT:
		return 1
	}
	return 1
}

// hint adds, to an error of the given code, how to fix it in the CLI's
// words: the core says what is wrong, the edge says which command or flag
// helps. Other errors pass unchanged.
func hint(err error, code, advice string) error {
	if err == nil || care.ErrorCode(err) != code {
		return err
	}
	return care.Errorf(code, "%s: %s", care.ErrorMessage(err), advice)
}

// helpFiles are the verbs' help texts: help/VERB.txt is what follows
// "Usage: sufficiency VERB " (a subcommand's file is named VERB-SUB.txt).
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpText is the help text of name (a verb, or "offer-outcomes"), without
// its final newline; it panics on a name with no file (a test checks that
// every verb has one).
func helpText(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic("no help text for " + name)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// newFlagSet returns a FlagSet for a command that reports errors as EINVALID
// and prints its usage to env.Stderr.
func newFlagSet(env *Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: sufficiency %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, mapping flag errors to EINVALID. Flags may follow
// positional arguments ("validate DIR --year 2025"): they are moved in front.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			name := a
			for len(name) > 0 && name[0] == '-' {
				name = name[1:]
			}
			if eq := strings.IndexByte(name, '='); eq >= 0 {
				continue
			}
			if f := fs.Lookup(name); f != nil {
				if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
					continue
				}
				if i+1 < len(args) {
					flags = append(flags, args[i+1])
					i++
				}
			}
			continue
		}
		positional = append(positional, a)
	}
	if err := fs.Parse(append(flags, positional...)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return care.Errorf(care.EINVALID, "%s: %v", fs.Name(), err)
	}
	return nil
}

// actorName is who runs the command, for the audit log: $SUFFICIENCY_ACTOR if
// set (e.g. a named analyst on a shared account), else the operating-system user.
func actorName(getenv func(string) string) string {
	if a := getenv("SUFFICIENCY_ACTOR"); a != "" {
		return a
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "os:" + u.Username
	}
	if u := getenv("USER"); u != "" {
		return "os:" + u
	}
	return store.UnknownActor
}

// checkFormat refuses (EINVALID) a --format the verb does not write.
func checkFormat(verb, format string, allowed ...string) error {
	if slices.Contains(allowed, format) {
		return nil
	}
	list := strings.Join(allowed, ", ")
	if len(allowed) == 2 {
		list = allowed[0] + " or " + allowed[1]
	}
	return care.Errorf(care.EINVALID, "%s: --format %q: use %s", verb, format, list)
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
