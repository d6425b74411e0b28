package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"sufficiency/auth"
	"sufficiency/care"
)

// runUserAdmin runs the administration subcommands of "user"; handled is
// false for the others (add, token --name, list).
func runUserAdmin(ctx context.Context, env *Env, args []string) (handled bool, err error) {
	if len(args) == 0 {
		return false, nil
	}
	sub, rest := args[0], args[1:]
	switch {
	case sub == "disable" || sub == "enable" || sub == "password":
	case (sub == "session" || sub == "token") && len(rest) > 0 && (rest[0] == "list" || rest[0] == "end" || rest[0] == "revoke"):
		sub, rest = sub+" "+rest[0], rest[1:]
	case sub == "session":
		return true, care.Errorf(care.EINVALID, "user session: say list or end")
	default:
		return false, nil
	}
	fs := newFlagSet(env, "user "+sub, helpText("user-admin"))
	name := fs.String("name", "", "the user's `NAME`")
	id := fs.String("id", "", "the session's or token's `ID`, as the list shows it")
	pwStdin := fs.Bool("password-stdin", false, "read the new password from the first line of standard input")
	format := fs.String("format", "text", "list output: text or json")
	db := dbFlag(fs)
	if err := parseFlags(fs, rest); err != nil {
		return true, err
	}
	if fs.NArg() > 0 {
		return true, care.Errorf(care.EINVALID, "user %s takes no arguments (got %q)", sub, fs.Arg(0))
	}
	if err := checkFormat("user "+sub, *format, "text", "json"); err != nil {
		return true, err
	}
	needName := sub == "disable" || sub == "enable" || sub == "password"
	if needName && strings.TrimSpace(*name) == "" {
		return true, care.Errorf(care.EINVALID, "user %s: give --name NAME (see \"sufficiency user list\")", sub)
	}
	if (sub == "session end" || sub == "token revoke") && strings.TrimSpace(*id) == "" {
		return true, care.Errorf(care.EINVALID, "user %s: give --id ID, as \"user %s list\" shows it", sub, strings.Fields(sub)[0])
	}
	st, err := openStore(ctx, env, *db, mustExist)
	if err != nil {
		return true, err
	}
	defer st.Close()
	adm, w := st, env.Stdout
	switch sub {
	case "disable", "enable":
		u, err := adm.SetDisabled(ctx, *name, sub == "disable")
		if err != nil {
			return true, err
		}
		if u.Disabled {
			fmt.Fprintf(w, "%s is disabled: their sessions have ended and their API tokens no longer work.\n", u.Name)
		} else {
			fmt.Fprintf(w, "%s is enabled.\n", u.Name)
		}
	case "password":
		password, generated, err := newPassword(env, *pwStdin)
		if err != nil {
			return true, err
		}
		n, err := auth.ChangePassword(ctx, adm, *name, password)
		if err != nil {
			return true, err
		}
		fmt.Fprintf(w, "Password of %s changed; %d session(s) ended.\n", *name, n)
		if generated {
			fmt.Fprintf(w, "New password (shown once): %s\n", password)
		}
	case "session list":
		ss, err := adm.Sessions(ctx, *name)
		if err != nil {
			return true, err
		}
		return true, auth.WriteSessions(w, *format, ss)
	case "session end":
		if err := adm.EndSession(ctx, *id); err != nil {
			return true, hint(err, care.ENOTFOUND, "list them with \"sufficiency user session list\"")
		}
		fmt.Fprintf(w, "Session %s ended.\n", strings.ToLower(strings.TrimSpace(*id)))
	case "token list":
		ts, err := adm.APITokens(ctx, *name)
		if err != nil {
			return true, err
		}
		return true, auth.WriteTokens(w, *format, ts)
	case "token revoke":
		if err := adm.RevokeAPIToken(ctx, *id); err != nil {
			return true, hint(err, care.ENOTFOUND, "list them with \"sufficiency user token list\"")
		}
		fmt.Fprintf(w, "API token %s revoked.\n", strings.ToLower(strings.TrimSpace(*id)))
	}
	return true, nil
}

// newPassword reads a password from standard input, or makes one.
func newPassword(env *Env, fromStdin bool) (password string, generated bool, err error) {
	if fromStdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", false, care.Errorf(care.EINVALID, "--password-stdin: no password on standard input")
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	}
	p, err := auth.NewPassword()
	return p, err == nil, err
}
