// Package demo prepares the demonstration: a synthetic region generated once
// (synth), imported into a database council by council (ingest) with its
// supply, and the demo users who sign in to the web app (an RCC analyst, a
// council placement officer and a provider). The CLI's demo verb parses its
// flags, calls Prepare and Users, prints the picture and serves.
package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/ingest"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/supply"
	"sufficiency/synth"
	"sufficiency/tabular"
)

// DefaultRegion is a real region of RCC size (12 councils).
const DefaultRegion = "North East"

// LoginFile is the file, beside the generated data, that keeps the demo
// users' credentials between runs.
const LoginFile = "demo-login.txt"

// Store is what the demo needs of a database: the store and the users.
type Store interface {
	store.Store
	identity.Store
}

// Config says which region to generate, where, and with which seed.
type Config struct {
	Region string
	Data   string // where the synthetic SSDA903 and supply files are written
	Seed   uint64
}

// Generate returns the manifest of the synthetic region in cfg.Data,
// generating it (2015–2025) when there is none; say reports progress.
func Generate(ctx context.Context, cfg Config, say func(format string, a ...any)) (synth.Manifest, error) {
	start := time.Now()
	man, err := synth.ReadManifest(cfg.Data)
	if err == nil {
		say("reusing the synthetic region in %s (delete it to generate again)", cfg.Data)
		return man, nil
	}
	say("generating a synthetic %s region, 2015–2025, into %s (once; later runs reuse it) ...", cfg.Region, cfg.Data)
	sum, err := synth.Generate(ctx, synth.Config{Out: cfg.Data, Region: cfg.Region, From: 2015, To: 2025, Seed: cfg.Seed})
	if err != nil {
		return synth.Manifest{}, err
	}
	say("generated %d councils, %s children, %s episode rows in %s", len(sum.Councils), thousands(sum.Children), thousands(sum.Episodes), time.Since(start).Round(100*time.Millisecond))
	return synth.ReadManifest(cfg.Data)
}

// Load imports, when st holds no supply, the region's supply files (homes
// from the real Ofsted register, generated fostering households and
// vacancies, and the homes that closed the generator used), then every
// council of the manifest not yet in st (each in its own transaction).
func Load(ctx context.Context, st store.Store, data string, man synth.Manifest, say func(format string, a ...any)) error {
	if err := loadSupply(ctx, st, data, say); err != nil {
		return err
	}
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
		dir := filepath.Join(data, c.Code)
		res, err := ingest.Run(ctx, st, []string{dir}, ingest.Options{Council: c.Code})
		if care.ErrorCode(err) == care.EREJECTED {
			// The generator's output is meant to pass validation; if a rule
			// disagrees, say so loudly and import with the findings recorded.
			say("WARNING: %s %s (%s) failed validation with %d errors; importing it with its errors accepted and recorded",
				c.Code, c.Name, dir, res.Errors)
			res, err = ingest.Run(ctx, st, []string{dir}, ingest.Options{Council: c.Code, AcceptErrors: true})
		}
		if err != nil {
			return fmt.Errorf("importing %s %s: %w", c.Code, c.Name, err)
		}
		say("imported %-9s %-28s %6s children %7s episodes (%s)", c.Code, c.Name, thousands(res.Children), thousands(res.Episodes), time.Since(t0).Round(10*time.Millisecond))
	}
	return nil
}

// loadSupply imports the region's supply files when st holds no supply:
// first, so that the returns are validated against the settings open and
// closed (rule 1008, ingest.ProviderList).
func loadSupply(ctx context.Context, st store.Store, data string, say func(format string, a ...any)) error {
	provs, err := st.Provisions(ctx, store.ProvisionFilter{})
	if err != nil || len(provs) > 0 {
		return err
	}
	set, err := supply.ReadDir(filepath.Join(data, "supply"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := st.ReplaceSupplyWithClosed(ctx, set.Provisions, set.Vacancies, set.Closed); err != nil {
		return err
	}
	say("loaded supply: %s provisions, %s vacancies, %s closed settings", thousands(len(set.Provisions)), thousands(len(set.Vacancies)), thousands(len(set.Closed)))
	return nil
}

// Login is one demo user's sign-in.
type Login struct {
	Name, Password, About string
}

// Users returns the demo users' sign-ins, the RCC analyst of the region
// first (least privilege: the region's councils only), then a council
// placement officer (Gateshead, or the region's first council) and a
// provider (the owner with most vacancies in the region's supply), so the
// placement pages and the provider portal can be tried. The users are made
// the first time with random passwords and kept in file (a line "name
// password" each, owner-only permissions: the data are synthetic); a user
// whose line is missing, or who no longer exists, is made again.
func Users(ctx context.Context, st Store, file, region string) ([]Login, error) {
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
	officer := identity.User{Role: identity.RoleCouncil}
	if cs, err := refdata.CouncilsInRegion(region); err == nil && len(cs) > 0 {
		officer.Council = cs[0].Code
		for _, c := range cs {
			if c.Code == "E08000037" { // Gateshead, the council of the samples
				officer.Council = c.Code
			}
		}
	}
	provider, err := Provider(ctx, st, region)
	if err != nil {
		return nil, err
	}
	wants := []struct {
		base, about string
		user        identity.User
	}{
		{"demo", "RCC analyst, " + region, identity.User{Role: identity.RoleRCC, Region: region}},
		{"demo-officer", "council placement officer, " + councilName(officer.Council), officer},
		{"demo-provider", "provider, " + provider, identity.User{Role: identity.RoleProvider, Provider: provider}},
	}
	var out []Login
	changed := false
	for _, w := range wants {
		if w.user.Role == identity.RoleProvider && provider == "" || w.user.Role == identity.RoleCouncil && officer.Council == "" {
			continue
		}
		if l, ok := keptUser(ctx, st, order, kept, w.base, w.user.Role); ok {
			l.About = w.about
			out = append(out, l)
			continue
		}
		l, err := makeUser(ctx, st, w.base, w.user)
		if err != nil {
			return nil, err
		}
		l.About = w.about
		out = append(out, l)
		changed = true
	}
	if changed {
		var b strings.Builder
		for _, l := range out {
			fmt.Fprintf(&b, "%s %s\n", l.Name, l.Password)
		}
		if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
			return nil, care.WrapError(care.EUNUSABLE, err, "cannot keep the demo logins in %s", file)
		}
	}
	return out, nil
}

// keptUser is the user kept in the file for the role named base, if it
// still exists with that role.
func keptUser(ctx context.Context, st Store, order []string, kept map[string]string, base string, role identity.Role) (Login, bool) {
	for _, n := range order {
		if n != base && !strings.HasPrefix(n, base+"-") {
			continue
		}
		if base == "demo" && (strings.HasPrefix(n, "demo-officer") || strings.HasPrefix(n, "demo-provider")) {
			continue
		}
		if u, err := st.UserByName(ctx, n); err == nil && u.Role == role {
			return Login{Name: n, Password: kept[n]}, true
		}
	}
	return Login{}, false
}

// councilName names a council code, or returns it as it is.
func councilName(code string) string {
	if c, ok := refdata.CouncilByCode(code); ok {
		return c.Name
	}
	return code
}

// makeUser makes a user named base (or base-2, base-3, ... when taken)
// with a random password.
func makeUser(ctx context.Context, st Store, base string, u identity.User) (Login, error) {
	name := base
	for k := 2; ; k++ {
		if _, err := st.UserByName(ctx, name); care.ErrorCode(err) == care.ENOTFOUND {
			break
		} else if err != nil {
			return Login{}, err
		}
		name = fmt.Sprintf("%s-%d", base, k)
	}
	password, err := auth.NewPassword()
	if err != nil {
		return Login{}, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return Login{}, err
	}
	u.Name, u.PasswordHash = name, hash
	if _, err := st.CreateUser(ctx, u); err != nil {
		return Login{}, err
	}
	return Login{Name: name, Password: password}, nil
}

// Provider is the owner organisation with the most vacancies in the
// region's councils' supply ("" when the supply has none; ties go to the
// first name in order).
func Provider(ctx context.Context, st store.Store, region string) (string, error) {
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

// thousands writes a count as people read it (28,632).
func thousands(n int) string { return tabular.Thousands(int64(n)) }
