package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/identity"
)

// runUser is the user verb: add, token, list.
func runUser(ctx context.Context, env *Env, args []string) error {
	if handled, err := runUserAdmin(ctx, env, args); handled { // useradmin.go
		return err
	}
	if len(args) == 0 || (args[0] != "add" && args[0] != "token" && args[0] != "list") {
		fmt.Fprintf(env.Stderr, "Usage: sufficiency user %s\n", helpText("user")+helpText("user-admin"))
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return care.Errorf(care.EINVALID, "user: give add, token or list")
	}
	sub := args[0]
	fs := newFlagSet(env, "user "+sub, helpText("user")+helpText("user-admin"))
	name := fs.String("name", "", "user `NAME` (no spaces)")
	role := fs.String("role", "", "`ROLE`: council, rcc, provider or admin")
	council := fs.String("council", "", "council `CODE` (ONS) of a council user")
	region := fs.String("region", "", "region `NAME` of an RCC user, e.g. \"North East\"")
	provider := fs.String("provider", "", "`ORG`anisation of a provider user")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	label := fs.String("label", "", "what the token is for")
	days := fs.Int("days", 90, "token lifetime in `DAYS` (0: no expiry)")
	db := dbFlag(fs)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "user %s takes no arguments", sub)
	}
	mode := mustExist
	if sub == "add" {
		mode = mayCreate // the first user may come before any data
	}
	st, err := openStore(ctx, env, *db, mode)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "list":
		us, err := st.Users(ctx)
		if err != nil {
			return err
		}
		return auth.WriteUsers(env.Stdout, us)
	case "token":
		if *name == "" {
			return care.Errorf(care.EINVALID, "user token: give --name NAME")
		}
		if *days < 0 {
			return care.Errorf(care.EINVALID, "--days %d: give 0 or more", *days)
		}
		svc := auth.NewService(st)
		tok, err := svc.NewAPIToken(ctx, *name, *label, time.Duration(*days)*24*time.Hour)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, tok)
		return nil
	}
	r, err := identity.ParseRole(*role)
	if err != nil {
		return err
	}
	u := identity.User{Name: *name, Role: r, Council: *council, Region: *region, Provider: *provider}
	// Checked before reading a password; every error names a field, whose flag is --FIELD.
	if fe := (*identity.FieldError)(nil); errors.As(u.Validate(), &fe) {
		return care.Errorf(care.EINVALID, "%s: give --%s", fe.Message, fe.Field)
	}
	password, generated, err := newPassword(env, *pwStdin)
	if err != nil {
		return err
	}
	if u, err = auth.AddUser(ctx, st, u, password); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Added %s (%s: %s).\n", u.Name, u.Role, u.Scope())
	if generated {
		fmt.Fprintf(env.Stdout, "Password (shown once): %s\n", password)
	}
	return nil
}
