package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"sufficiency/care"
	"sufficiency/web"
)

// runServe is the serve verb.
func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "serve", helpText("serve"))
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free one)")
	db := dbFlag(fs)
	cookies := fs.String("cookies", "auto", "session cookie `MODE`: secure, insecure (plain http) or auto (insecure on loopback only)")
	proxies := fs.String("trusted-proxy", "", "reverse proxies in front of the server: comma-separated `CIDR`s or addresses (e.g. 10.0.0.5,192.168.0.0/24); their X-Forwarded-For gives the client address")
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
	insecure, err := web.InsecureCookies(*cookies, host)
	if err != nil {
		return care.WrapError(care.EINVALID, err, "--cookies")
	}
	trusted, err := web.ParseTrustedProxies(*proxies)
	if err != nil {
		return care.WrapError(care.EINVALID, err, "--trusted-proxy")
	}
	groups, owners, err := readOwnerGroups("serve", *ownerFile)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env, *db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	log := slog.New(slog.NewJSONHandler(env.Stderr, nil))
	srv, err := web.New(web.Config{Store: st, Logger: log, InsecureCookies: insecure, TrustedProxies: trusted, Now: env.Now, OwnerGroups: groups, Owners: owners})
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
