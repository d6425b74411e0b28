package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs the program in-process and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, getenv func(string) string, args ...string) (string, string, int) {
	t.Helper()
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), args, getenv, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), exitCode(err)
}

func TestHelpListsCommands(t *testing.T) {
	out, _, code := runCLI(t, nil, "help")
	if code != 0 || !strings.Contains(out, "version") {
		t.Fatalf("help: code %d, out %q", code, out)
	}
}

func TestUnknownCommandExits2(t *testing.T) {
	_, errOut, code := runCLI(t, nil, "frobnicate")
	if code != 2 || !strings.Contains(errOut, "Commands:") {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
}

func TestParseFlagsAfterPositional(t *testing.T) {
	env := &Env{Stderr: &bytes.Buffer{}}
	fs := newFlagSet(env, "x", "")
	year := fs.Int("year", 0, "")
	pub := fs.Bool("publish", false, "")
	if err := parseFlags(fs, []string{"dir1", "--year", "2025", "dir2", "--publish"}); err != nil {
		t.Fatal(err)
	}
	if *year != 2025 || !*pub || strings.Join(fs.Args(), ",") != "dir1,dir2" {
		t.Fatalf("year %d publish %v args %v", *year, *pub, fs.Args())
	}
	if err := parseFlags(newFlagSet(env, "y", ""), []string{"--nope"}); err == nil {
		t.Fatal("unknown flag accepted")
	}
}

// "sufficiency help VERB" prints the verb's own synopsis and flags (issue 17:
// it used to print the general command list).
func TestHelpVerbPrintsVerbUsage(t *testing.T) {
	for _, verb := range []string{"forecast", "picture", "allocate"} {
		out, _, code := runCLI(t, nil, "help", verb)
		if code != 0 || !strings.Contains(out, "Usage: sufficiency "+verb) || strings.Contains(out, "Commands:") {
			t.Errorf("help %s: code %d, out %q", verb, code, out)
		}
	}
	_, errOut, code := runCLI(t, nil, "help", "frobnicate")
	if code != 2 || !strings.Contains(errOut, "Commands:") {
		t.Errorf("help frobnicate: code %d, stderr %q", code, errOut)
	}
}
