package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"sufficiency/care"
	"sufficiency/ingest"
	"sufficiency/store"
	"sufficiency/store/sqlite"
	"sufficiency/supply"
	"sufficiency/synth"
)

const demoSynopsis = "[--region NAME] [--data DIR] [--db FILE] [--seed N]"

// defaultDemoRegion is a real region of RCC size (12 councils).
const defaultDemoRegion = "North East"

// runDemo is the README's first command: on a fresh clone it generates a
// synthetic region calibrated to the real councils' published figures,
// imports it into the embedded database and shows the region's sufficiency
// picture. Second runs reuse what exists and start in seconds.
func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "demo", demoSynopsis)
	region := fs.String("region", defaultDemoRegion, "the English region to generate (10–20 councils is RCC-sized)")
	dataDir := fs.String("data", filepath.Join("data", "demo"), "where the synthetic SSDA903 and supply files are written")
	dbFlag := fs.String("db", "", "database file (default sufficiency.db, or $SUFFICIENCY_DB)")
	seed := fs.Uint64("seed", 1, "random seed of the synthetic region")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dbPath := *dbFlag
	if dbPath == "" {
		dbPath = env.Getenv("SUFFICIENCY_DB")
	}
	if dbPath == "" {
		dbPath = "sufficiency.db"
	}
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
	st, err := sqlite.Open(ctx, dbPath)
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

	// 4. Until the web app lands, show the region's picture instead.
	fmt.Fprintf(env.Stdout, "The web app is not built yet, so here is the sufficiency picture of the synthetic %s region.\n", *region)
	fmt.Fprintf(env.Stdout, "Try next: sufficiency review --region %q --db %s; sufficiency forecast --region %q --db %s;\n", *region, dbPath, *region, dbPath)
	fmt.Fprintf(env.Stdout, "          sufficiency market --region %q; sufficiency picture --la %s --db %s\n\n", *region, man.Councils[0].Code, dbPath)
	return runPicture(ctx, env, []string{"--region", *region, "--db", dbPath})
}
