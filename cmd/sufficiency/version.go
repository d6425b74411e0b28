package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

func runVersion(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "version", helpText("version"))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	fmt.Fprintln(env.Stdout, "sufficiency", v)
	return nil
}
