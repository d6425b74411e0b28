package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"sufficiency/care"
	"sufficiency/demo"
	"sufficiency/web"
)

// runDemo is the README's first command: on a fresh clone it generates a
// synthetic region calibrated to the real councils' published figures,
// imports it into the embedded database, shows the region's sufficiency
// picture and serves the web app. Second runs reuse what exists and start in
// seconds.
func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "demo", helpText("demo"))
	region := fs.String("region", demo.DefaultRegion, "the English region to generate (10–20 councils is RCC-sized)")
	dataDir := fs.String("data", filepath.Join("data", "demo"), "where the synthetic SSDA903 and supply files are written")
	db := dbFlag(fs)
	seed := fs.Uint64("seed", 1, "random seed of the synthetic region")
	addr := fs.String("addr", "127.0.0.1:8080", "serve the web app on `HOST:PORT`")
	noServe := fs.Bool("no-serve", false, "print the picture and stop, without serving the web app")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dbPath := dbPath(env, *db)
	start := time.Now()
	say := func(format string, a ...any) { fmt.Fprintf(env.Stderr, "demo: "+format+"\n", a...) }
	man, err := demo.Generate(ctx, demo.Config{Region: *region, Data: *dataDir, Seed: *seed}, say)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env, dbPath, mayCreate)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := demo.Load(ctx, st, *dataDir, man, say); err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	say("ready in %s; database %s", time.Since(start).Round(100*time.Millisecond), dbPath)

	// 4. The region's picture, then the web app.
	fmt.Fprintf(env.Stdout, "The sufficiency picture of the synthetic %s region (the web app shows the same and more).\n", *region)
	fmt.Fprintf(env.Stdout, "Try also: sufficiency review --region %q --db %s; sufficiency forecast --region %q --db %s;\n", *region, dbPath, *region, dbPath)
	fmt.Fprintf(env.Stdout, "          sufficiency market --region %q; sufficiency picture --la %s --db %s\n\n", *region, man.Councils[0].Code, dbPath)
	if err := runPicture(ctx, env, []string{"--region", *region, "--db", dbPath}); err != nil {
		return err
	}
	if *noServe {
		return nil
	}
	return serveDemo(ctx, env, dbPath, *dataDir, *region, *addr)
}

// serveDemo serves the web app over the demo database, signed in as an RCC
// analyst of the region (least privilege: the region's councils only). A
// council placement officer (Gateshead, or the region's first council) and a
// provider (the owner with most vacancies in the region's supply) are made
// too, so the placement pages and the provider portal can be tried. The users
// are made on the first run with random passwords, kept in the data directory
// with owner-only permissions (the data are synthetic).
func serveDemo(ctx context.Context, env *Env, dbPath, dataDir, region, addr string) error {
	st, err := openStore(ctx, env, dbPath, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	logins, err := demo.Users(ctx, st, filepath.Join(dataDir, demo.LoginFile), region)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{Store: st, InsecureCookies: true, Now: env.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		host, _, _ := net.SplitHostPort(addr)
		if host == "" {
			host = "127.0.0.1"
		}
		if ln, err = net.Listen("tcp", net.JoinHostPort(host, "0")); err != nil {
			return care.WrapError(care.EINVALID, err, "cannot listen on %s; give another --addr, or --no-serve", addr)
		}
	}
	fmt.Fprintf(env.Stdout, "\nThe web app: http://%s  (sign in as %s, password %s; Ctrl-C to stop)\n", ln.Addr(), logins[0].Name, logins[0].Password)
	for _, l := range logins[1:] {
		fmt.Fprintf(env.Stdout, "  or as %s (%s), password %s\n", l.Name, l.About, l.Password)
	}
	return srv.Serve(ctx, ln)
}
