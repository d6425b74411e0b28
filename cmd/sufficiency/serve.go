package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"

	"sufficiency/care"
	"sufficiency/market"
	"sufficiency/web"
)

const serveSynopsis = `[--addr HOST:PORT] [--db FILE|postgres://URL] [--cookies auto|secure|insecure]

Serve the web app and the JSON API (/api/v1) on HOST:PORT (default 127.0.0.1:8080) until interrupted.
Users sign in with accounts made by "sufficiency user add"; API callers use a bearer token from
"sufficiency user token". Session cookies are Secure unless --cookies insecure, or auto (the default) and
the address is a loopback one (plain http://localhost). Requests are logged as JSON lines on stderr.`

// runServe is the serve verb.
func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "serve", serveSynopsis)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free one)")
	db := dbFlag(fs)
	cookies := fs.String("cookies", "auto", "session cookie `MODE`: secure, insecure (plain http) or auto (insecure on loopback only)")
	ownerFile := fs.String("owner-groups", "", "CSV joining the register's owner organisations into groups with their ultimate owner and ownership, for the market page (see market --owner-groups)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "serve takes no arguments")
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return care.Errorf(care.EINVALID, "--addr %q: give HOST:PORT, e.g. 127.0.0.1:8080", *addr)
	}
	var insecure bool
	switch *cookies {
	case "secure":
	case "insecure":
		insecure = true
	case "auto":
		ip := net.ParseIP(host)
		insecure = host == "localhost" || (ip != nil && ip.IsLoopback())
	default:
		return care.Errorf(care.EINVALID, "--cookies %q: use auto, secure or insecure", *cookies)
	}
	var groups map[string]string
	var owners map[string]market.OwnerInfo
	if *ownerFile != "" {
		data, err := readInputFile("serve", "owner-groups", *ownerFile, "owner groups file")
		if err != nil {
			return err
		}
		if groups, owners, err = market.ParseOwnerGroups(bytes.NewReader(data)); err != nil {
			return care.Errorf(care.EINVALID, "%s: %s", *ownerFile, care.ErrorMessage(err))
		}
	}
	st, err := openStore(ctx, env, *db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	log := slog.New(slog.NewJSONHandler(env.Stderr, nil))
	srv, err := web.New(web.Config{Store: st, Logger: log, InsecureCookies: insecure, Now: env.Now, OwnerGroups: groups, Owners: owners})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return care.WrapError(care.EINVALID, err, "cannot listen on %s", *addr)
	}
	fmt.Fprintf(env.Stdout, "Serving on http://%s (Ctrl-C to stop)\n", ln.Addr())
	return srv.Serve(ctx, ln)
}
