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
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/supply"
	"sufficiency/synth"
	"sufficiency/web"
)

const demoSynopsis = `[--region NAME] [--data DIR] [--db FILE] [--seed N] [--addr HOST:PORT] [--no-serve]

Generate a synthetic region calibrated to the real councils' published figures (once), import it into the
embedded database, print the region's sufficiency picture and serve the web app on HOST:PORT (default
127.0.0.1:8080, or a free port if that one is taken) until interrupted. Three users are made: an RCC analyst of
the region, a council placement officer (Gateshead in the North East) and a provider with homes in the region;
their user names and passwords are printed, and kept in DIR/demo-login.txt (readable by you only).
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
	logins, err := demoUsers(ctx, st, filepath.Join(dataDir, demoLogin), region)
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
	fmt.Fprintf(env.Stdout, "\nThe web app: http://%s  (sign in as %s, password %s; Ctrl-C to stop)\n", ln.Addr(), logins[0].name, logins[0].password)
	for _, l := range logins[1:] {
		fmt.Fprintf(env.Stdout, "  or as %s (%s), password %s\n", l.name, l.about, l.password)
	}
	return srv.Serve(ctx, ln)
}

// demoLoginUser is one demo user's sign-in.
type demoLoginUser struct {
	name, password, about string
}

// demoUsers returns the demo users' sign-ins, the RCC analyst first, making
// the users and the credentials file (a line "name password" each) the
// first time, and any user whose line is missing.
func demoUsers(ctx context.Context, st Store, file, region string) ([]demoLoginUser, error) {
	kept := map[string]string{}
	var order []string
	if b, err := os.ReadFile(file); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if n, p, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
				kept[n] = p
				order = append(order, n)
			}
		}
	}
	officer := auth.User{Role: auth.RoleCouncil}
	if cs, err := refdata.CouncilsInRegion(region); err == nil && len(cs) > 0 {
		officer.Council = cs[0].Code
		for _, c := range cs {
			if c.Code == "E08000037" { // Gateshead, the council of the samples
				officer.Council = c.Code
			}
		}
	}
	provider, err := demoProvider(ctx, st, region)
	if err != nil {
		return nil, err
	}
	wants := []struct {
		base, about string
		user        auth.User
	}{
		{"demo", "RCC analyst, " + region, auth.User{Role: auth.RoleRCC, Region: region}},
		{"demo-officer", "council placement officer, " + councilName(officer.Council), officer},
		{"demo-provider", "provider, " + provider, auth.User{Role: auth.RoleProvider, Provider: provider}},
	}
	var out []demoLoginUser
	changed := false
	for _, w := range wants {
		if w.user.Role == auth.RoleProvider && provider == "" || w.user.Role == auth.RoleCouncil && officer.Council == "" {
			continue
		}
		// The user kept in the file for this role, if it still exists.
		found := false
		for _, n := range order {
			if n != w.base && !strings.HasPrefix(n, w.base+"-") {
				continue
			}
			if w.base == "demo" && (strings.HasPrefix(n, "demo-officer") || strings.HasPrefix(n, "demo-provider")) {
				continue
			}
			if u, err := st.UserByName(ctx, n); err == nil && u.Role == w.user.Role {
				out = append(out, demoLoginUser{n, kept[n], w.about})
				found = true
				break
			}
		}
		if found {
			continue
		}
		l, err := makeDemoUser(ctx, st, w.base, w.user)
		if err != nil {
			return nil, err
		}
		l.about = w.about
		out = append(out, l)
		changed = true
	}
	if changed {
		var b strings.Builder
		for _, l := range out {
			fmt.Fprintf(&b, "%s %s\n", l.name, l.password)
		}
		if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
			return nil, care.WrapError(care.EUNUSABLE, err, "cannot keep the demo logins in %s", file)
		}
	}
	return out, nil
}

// makeDemoUser makes a user named base (or base-2, base-3, ... when taken)
// with a random password.
func makeDemoUser(ctx context.Context, st Store, base string, u auth.User) (demoLoginUser, error) {
	name := base
	for k := 2; ; k++ {
		if _, err := st.UserByName(ctx, name); care.ErrorCode(err) == care.ENOTFOUND {
			break
		} else if err != nil {
			return demoLoginUser{}, err
		}
		name = fmt.Sprintf("%s-%d", base, k)
	}
	tok, err := auth.NewToken()
	if err != nil {
		return demoLoginUser{}, err
	}
	password := tok[:16]
	hash, err := auth.HashPassword(password)
	if err != nil {
		return demoLoginUser{}, err
	}
	u.Name, u.PasswordHash = name, hash
	if _, err := st.CreateUser(ctx, u); err != nil {
		return demoLoginUser{}, err
	}
	return demoLoginUser{name: name, password: password}, nil
}

// demoProvider is the owner organisation with the most vacancies in the
// region's councils' supply ("" when the supply has none).
func demoProvider(ctx context.Context, st Store, region string) (string, error) {
	cs, err := refdata.CouncilsInRegion(region)
	if err != nil {
		return "", nil
	}
	var codes []string
	for _, c := range cs {
		codes = append(codes, c.Code)
	}
	provs, err := st.Provisions(ctx, store.ProvisionFilter{Councils: codes})
	if err != nil {
		return "", err
	}
	owner := map[string]string{}
	var ids []string
	for _, p := range provs {
		if p.Owner != "" {
			owner[p.ID] = p.Owner
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return "", nil
	}
	vacs, err := st.Vacancies(ctx, store.VacancyFilter{ProvisionIDs: ids})
	if err != nil {
		return "", err
	}
	count := map[string]int{}
	for _, v := range vacs {
		count[owner[v.ProvisionID]]++
	}
	best := ""
	for o, n := range count {
		if o != "" && (n > count[best] || n == count[best] && o < best) {
			best = o
		}
	}
	return best, nil
}
