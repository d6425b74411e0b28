package main

import (
	"io/fs"
	"strings"
	"testing"
)

// TestEveryVerbHasHelp: each verb of the table has help/VERB.txt, and
// "sufficiency help VERB" prints it on standard output after the usage line,
// with the verb's flags; every help file belongs to a verb (or a verb's
// subcommand, VERB-SUB.txt), so none is left behind when a verb goes.
func TestEveryVerbHasHelp(t *testing.T) {
	verbs := map[string]bool{}
	for _, c := range commands() {
		verbs[c.Name] = true
		b, err := helpFiles.ReadFile("help/" + c.Name + ".txt")
		if err != nil {
			t.Errorf("%s: no help/%s.txt", c.Name, c.Name)
			continue
		}
		text := strings.TrimSuffix(string(b), "\n")
		out, errOut, code := runCLI(t, nil, "help", c.Name)
		if code != 0 || errOut != "" {
			t.Errorf("help %s: exit %d, stderr %q", c.Name, code, errOut)
		}
		if want := "Usage: sufficiency " + c.Name + " "; !strings.HasPrefix(out, want) {
			t.Errorf("help %s: starts %q, want %q", c.Name, firstLine(out), want)
		}
		// The whole text, save a verb with subcommands that prints only its synopsis.
		if !strings.Contains(out, text) {
			t.Errorf("help %s does not print help/%s.txt:\n%s", c.Name, c.Name, out)
		}
	}
	files, err := fs.Glob(helpFiles, "help/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("help files: %v, %v", files, err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "help/"), ".txt")
		verb, _, _ := strings.Cut(name, "-")
		if !verbs[name] && !verbs[verb] {
			t.Errorf("%s belongs to no verb", f)
		}
	}
	if _, _, code := runCLI(t, nil, "help", "frobnicate"); code != 2 {
		t.Errorf("help of an unknown verb: exit %d, want 2", code)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
