package main

import (
	"context"
	"strings"

	"sufficiency/care"
	"sufficiency/ingest"
	"sufficiency/refdata"
	"sufficiency/store"
)

// runChildren is the children verb.
func runChildren(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "children", helpText("children"))
	la := fs.String("la", "", "council `CODE` as imported (e.g. E08000003); required")
	db := dbFlag(fs)
	format := fs.String("format", "text", "output `FORMAT`: text, json or csv")
	actor := fs.String("actor", "", "who is reading, recorded in the audit log (default: the operating-system user)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "children takes no arguments; give the council with --la CODE")
	}
	if strings.TrimSpace(*la) == "" {
		return care.Errorf(care.EINVALID, "children: give the council with --la CODE (as imported, e.g. E08000003); sufficiency status lists what is loaded")
	}
	if err := checkFormat("children", *format, "text", "json", "csv"); err != nil {
		return err
	}
	st, err := openStore(ctx, env, *db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	code, err := refdata.CouncilCode(*la)
	if err != nil {
		return err
	}
	children, err := st.Children(store.WithActor(ctx, cliActor(env, *actor)), code)
	if err != nil {
		return err
	}
	return ingest.WriteChildren(env.Stdout, *format, ingest.ChildRecords(children))
}
