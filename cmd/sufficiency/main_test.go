package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/match"
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

func TestAllocationTextNamesUnits(t *testing.T) {
	for _, tc := range []struct {
		o    match.Objective
		want string
	}{
		{match.ObjectivePolicy, "Objective total 3,603.0 penalty points; total distance 1,234.5 miles; weekly cost £12,345.67"},
		{match.ObjectiveDistance, "Objective total 3,603.0 miles; total distance 1,234.5 miles; weekly cost £12,345.67"},
	} {
		var b bytes.Buffer
		a := match.Allocation{Objective: tc.o, TotalCost: 3602.976, TotalMiles: 1234.49, WeeklyCost: 1234567}
		if err := writeAllocationText(&b, a); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("%s: got %q, want it to contain %q", tc.o, b.String(), tc.want)
		}
	}
	for _, tc := range []struct {
		p    care.Pence
		want string
	}{{0, "£0.00"}, {-1, "-£0.01"}, {99, "£0.99"}, {100000, "£1,000.00"}, {-123456789, "-£1,234,567.89"}} {
		if got := humanPounds(tc.p); got != tc.want {
			t.Errorf("humanPounds(%d) = %q, want %q", tc.p, got, tc.want)
		}
	}
}
