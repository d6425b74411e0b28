package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/ingest"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/store/postgres"
	"sufficiency/store/sqlite"
)

// runBackup is the backup verb.
func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "backup", helpText("backup"))
	db := dbFlag(fs)
	out := fs.String("out", "", "the backup `FILE` to write (must not exist)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return care.Errorf(care.EINVALID, "backup: give the file to write with --out FILE")
	}
	path := dbPath(env, *db)
	if isPostgresURL(path) {
		return care.Errorf(care.EINVALID, "backup: %s is PostgreSQL: back it up with pg_dump -Fc -f FILE '%s' (see docs/DEPLOY.md)", dbName(path), dbName(path))
	}
	st, err := openStore(ctx, env, *db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.(*sqlite.DB).Backup(ctx, *out); err != nil {
		return err
	}
	fi, err := os.Stat(*out)
	if err != nil {
		return care.WrapError(care.EINTERNAL, err, "backup: read back %s", *out)
	}
	fmt.Fprintf(env.Stdout, "Backed up %s to %s (%s bytes).\n", path, *out, thousands(int(fi.Size())))
	return nil
}

// runRestore is the restore verb.
func runRestore(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "restore", helpText("restore"))
	db := dbFlag(fs)
	force := fs.Bool("force", false, "replace an existing database (stop every server using it first)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return care.Errorf(care.EINVALID, "restore: name the one backup FILE to restore")
	}
	target := dbPath(env, *db)
	if isPostgresURL(target) {
		return care.Errorf(care.EINVALID, "restore: %s is PostgreSQL: restore it with pg_restore -d '%s' FILE (see docs/DEPLOY.md)", dbName(target), dbName(target))
	}
	if _, err := os.Stat(target); err == nil && !*force {
		return care.Errorf(care.EINVALID, "restore: %s exists: give --force to replace it (stop every server using it first)", target)
	}
	from := fs.Arg(0)
	v, err := sqlite.CheckBackup(ctx, from)
	if err != nil {
		return err
	}
	if err := sqlite.Restore(ctx, from, target); err != nil {
		return err
	}
	st, err := sqlite.Open(ctx, target)
	if err != nil {
		return err
	}
	defer st.Close()
	sums, err := st.Councils(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Restored %s from %s (schema version %d, brought up to date): %d councils.\n", target, from, v, len(sums))
	return nil
}

// runMigrate is the migrate verb.
func runMigrate(ctx context.Context, env *Env, args []string) error {
	status := len(args) > 0 && args[0] == "status"
	if status {
		args = args[1:]
	}
	fs := newFlagSet(env, "migrate", helpText("migrate"))
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return care.Errorf(care.EINVALID, "migrate: unknown argument %q: use migrate or migrate status", fs.Arg(0))
	}
	path := dbPath(env, *db)
	if !status {
		st, err := openStore(ctx, env, *db, mayCreate)
		if err != nil {
			return err
		}
		st.Close()
	}
	var ms []store.Migration
	var err error
	if isPostgresURL(path) {
		ms, err = postgres.MigrationStatus(ctx, path)
	} else {
		ms, err = sqlite.MigrationStatus(ctx, path)
	}
	if err != nil {
		return err
	}
	pending, err := store.WriteMigrations(env.Stdout, ms)
	if err != nil {
		return err
	}
	if pending > 0 {
		fmt.Fprintf(env.Stdout, "%d migration(s) pending: run sufficiency migrate --db %s\n", pending, dbName(path))
	} else {
		fmt.Fprintf(env.Stdout, "%s is up to date.\n", dbName(path))
	}
	return nil
}

// runErase is the erase verb.
func runErase(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "erase", helpText("erase"))
	db := dbFlag(fs)
	la := fs.String("la", "", "the council holding the child: ONS `CODE` (e.g. E08000003)")
	child := fs.String("child", "", "the child's CHILD `ID` as the council gave it")
	reason := fs.String("reason", "", "why: the request's reference (recorded in the audit log)")
	actor := fs.String("actor", "", "who is erasing (default: the operating-system user)")
	leftBefore := fs.String("left-before", "", "retention: erase every child whose care ended before `YYYY-MM-DD`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || strings.TrimSpace(*la) == "" || (strings.TrimSpace(*child) == "") == (*leftBefore == "") {
		fs.Usage()
		return care.Errorf(care.EINVALID, "erase: give --la CODE, either --child ID or --left-before YYYY-MM-DD, and --reason TEXT")
	}
	if strings.TrimSpace(*reason) == "" {
		return care.Errorf(care.EINVALID, "erase: give the reason (e.g. the request's reference or the retention policy) with --reason")
	}
	code, err := refdata.CouncilCode(*la)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env, *db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx = store.WithActor(ctx, cliActor(env, *actor))
	if *leftBefore != "" {
		return eraseLeftBefore(ctx, env, st, code, *leftBefore, strings.TrimSpace(*reason))
	}
	e, err := st.EraseChild(ctx, code, strings.TrimSpace(*child), strings.TrimSpace(*reason))
	if err != nil {
		return hint(err, care.ENOTFOUND, "\"sufficiency children --la "+code+"\" lists them")
	}
	fmt.Fprintf(env.Stdout, "Erased child %s of %s: %d episodes, %d rows of stored returns, %d findings, %d referral drafts. Recorded in the audit log.\n",
		strings.TrimSpace(*child), code, e.Episodes, e.ReturnRows, e.Findings, e.Drafts)
	return nil
}

// eraseLeftBefore erases every child of the council who left care before
// the date (no open episode, the last one ended before it), one at a time.
func eraseLeftBefore(ctx context.Context, env *Env, st Store, council, date, reason string) error {
	before, err := time.Parse("2006-01-02", date)
	if err != nil {
		return care.Errorf(care.EINVALID, "erase: --left-before %q is not a date: write it as YYYY-MM-DD", date)
	}
	n, err := ingest.EraseLeftCare(ctx, st, council, before, reason)
	if err != nil {
		return care.WrapError(care.ErrorCode(err), err, "erase: stopped after erasing %d children", n)
	}
	fmt.Fprintf(env.Stdout, "Erased %d children of %s who left care before %s. Each is recorded in the audit log.\n", n, council, before.Format("2 January 2006"))
	return nil
}
