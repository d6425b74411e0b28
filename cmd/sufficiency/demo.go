package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/ingest"
	"sufficiency/store"
	"sufficiency/supply"
	"sufficiency/synth"
	"sufficiency/web"
)

const demoSynopsis = `[--region NAME] [--data DIR] [--db FILE] [--seed N] [--addr HOST:PORT] [--no-serve]

Generate a synthetic region calibrated to the real councils' published figures (once), import it into the
embedded database, print the region's sufficiency picture and serve the web app on HOST:PORT (default
127.0.0.1:8080, or a free port if that one is taken) until interrupted. The demo signs in as an RCC analyst of
the region: the user name and password are printed, and kept in DIR/demo-login.txt (readable by you only).
--no-serve stops after the picture.`

// defaultDemoRegion is a real region of RCC size (12 councils).
const defaultDemoRegion = "North East"

// runDemo is the README's first command: on a fresh clone it generates a
// synthetic region calibrated to the real councils' published figures,
// imports it into the embedded database, shows the region's sufficiency
// picture and serves the web app. Second runs reuse what exists and start in
// seconds.
func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "demo", demoSynopsis)
	region := fs.String("region", defaultDemoRegion, "the English region to generate (10–20 councils is RCC-sized)")
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

	// 1. The synthetic region (generated once).
	man, err := synth.ReadManifest(*dataDir)
	if err != nil {
		say("generating a synthetic %s region, 2015–2025, into %s (once; later runs reuse it) ...", *region, *dataDir)
		sum, gerr := synth.Generate(ctx, synth.Config{Out: *dataDir, Region: *region, From: 2015, To: 2025, Seed: *seed})
		if gerr != nil {
			return gerr
		}
		say("generated %d councils, %d children, %d episode rows in %s", len(sum.Councils), sum.Children, sum.Episodes, time.Since(start).Round(100*time.Millisecond))
		if man, err = synth.ReadManifest(*dataDir); err != nil {
			return err
		}
	} else {
		say("reusing the synthetic region in %s (delete it to generate again)", *dataDir)
	}

	// 2. Import what is not yet in the database.
	st, err := openStore(ctx, env, dbPath, mayCreate)
	if err != nil {
		return err
	}
	defer st.Close()
	loaded := map[string]bool{}
	sums, err := st.Councils(ctx)
	if err != nil {
		return err
	}
	for _, s := range sums {
		loaded[s.Council] = true
	}
	for _, c := range man.Councils {
		if loaded[c.Code] {
			continue
		}
		t0 := time.Now()
		res, err := ingest.Run(ctx, st, []string{filepath.Join(*dataDir, c.Code)}, ingest.Options{Council: c.Code})
		if care.ErrorCode(err) == care.EREJECTED {
			// The generator's output is meant to pass validation; if a rule
			// disagrees, say so loudly and import with the findings recorded.
			say("WARNING: %s %s failed validation with %d errors (see `sufficiency validate %s`); importing with --accept-errors",
				c.Code, c.Name, res.Errors, filepath.Join(*dataDir, c.Code))
			res, err = ingest.Run(ctx, st, []string{filepath.Join(*dataDir, c.Code)}, ingest.Options{Council: c.Code, AcceptErrors: true})
		}
		if err != nil {
			return fmt.Errorf("importing %s %s: %w", c.Code, c.Name, err)
		}
		say("imported %-9s %-28s %6d children %7d episodes (%s)", c.Code, c.Name, res.Children, res.Episodes, time.Since(t0).Round(10*time.Millisecond))
	}

	// 3. Supply (homes from the real Ofsted register, generated fostering
	// households and vacancies).
	provs, err := st.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		return err
	}
	if len(provs) == 0 {
		set, err := supply.ReadDir(filepath.Join(*dataDir, "supply"))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if err == nil {
			if err := st.ReplaceSupply(ctx, set.Provisions, set.Vacancies); err != nil {
				return err
			}
			say("loaded supply: %d provisions, %d vacancies", len(set.Provisions), len(set.Vacancies))
		}
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

// demoLogin is the file, beside the generated data, that keeps the demo
// user's credentials between runs.
const demoLogin = "demo-login.txt"

// serveDemo serves the web app over the demo database, signed in as an RCC
// analyst of the region (least privilege: the region's councils only). The
// user is made on the first run with a random password, kept in the data
// directory with owner-only permissions (the data are synthetic).
func serveDemo(ctx context.Context, env *Env, dbPath, dataDir, region, addr string) error {
	st, err := openStore(ctx, env, dbPath, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	name, password, err := demoUser(ctx, st, filepath.Join(dataDir, demoLogin), region)
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
	fmt.Fprintf(env.Stdout, "\nThe web app: http://%s  (sign in as %s, password %s; Ctrl-C to stop)\n", ln.Addr(), name, password)
	return srv.Serve(ctx, ln)
}

// demoUser returns the demo user's name and password, making the user (an
// RCC analyst of region) and the credentials file the first time.
func demoUser(ctx context.Context, st Store, file, region string) (name, password string, err error) {
	if b, err := os.ReadFile(file); err == nil {
		if n, p, ok := strings.Cut(strings.TrimSpace(string(b)), " "); ok {
			if _, err := st.UserByName(ctx, n); err == nil {
				return n, p, nil
			}
		}
	}
	// A new user each time the credentials are lost: demo, demo-2, ...
	name = "demo"
	for k := 2; ; k++ {
		if _, err := st.UserByName(ctx, name); care.ErrorCode(err) == care.ENOTFOUND {
			break
		} else if err != nil {
			return "", "", err
		}
		name = fmt.Sprintf("demo-%d", k)
	}
	tok, err := auth.NewToken()
	if err != nil {
		return "", "", err
	}
	password = tok[:16]
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", "", err
	}
	if _, err := st.CreateUser(ctx, auth.User{Name: name, Role: auth.RoleRCC, Region: region, PasswordHash: hash}); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(file, []byte(name+" "+password+"\n"), 0o600); err != nil {
		return "", "", care.WrapError(care.EUNUSABLE, err, "cannot keep the demo login in %s", file)
	}
	return name, password, nil
}
