package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/internal/inputfile"
	"sufficiency/match"
	"sufficiency/refdata"
)

func runMatch(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "match", helpText("match"))
	refPath := fs.String("referral", "", "the referral, a JSON object (see match/testdata/referral.json)")
	supplyPath := fs.String("supply", "", "supply: a supply file set directory (provisions.csv, vacancies.csv, residents.csv) or a JSON supply file")
	db := fs.String("db", "", "database to read the supply from when --supply is not given: SQLite FILE or postgres:// URL (default $SUFFICIENCY_DB)")
	top := fs.Int("top", 10, "candidates to list")
	excluded := fs.Int("excluded", 20, "excluded provisions to list, nearest first (0: only the counts)")
	policyPath := fs.String("policy", "", "policy file overriding the default weights (see --show-policy)")
	at := fs.String("at", "", "date of the search (default: the referral's start date)")
	format := fs.String("format", "text", "output format: text or json")
	showPolicy := fs.Bool("show-policy", false, "print the default policy file with its documentation and exit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *showPolicy {
		_, err := io.WriteString(env.Stdout, match.DefaultPolicyText())
		return err
	}
	if err := checkFormat("match", *format, "text", "json"); err != nil {
		return err
	}
	if *refPath == "" {
		return care.Errorf(care.EINVALID, "match: --referral is required: give the referral as a JSON file")
	}
	ref, err := readReferralFile("match", *refPath)
	if err != nil {
		return err
	}
	day, err := parseDate("at", *at)
	if err != nil {
		return err
	}
	pol, err := loadPolicy(*policyPath)
	if err != nil {
		return err
	}
	ix, err := supplySource{path: *supplyPath, db: *db}.index(ctx, env, pol)
	if err != nil {
		return err
	}
	res, err := ix.Search(ref, match.Options{At: day, Now: searchClock(env, day), Top: max(*top, 0)})
	if err != nil {
		return err
	}
	if *format == "json" {
		return match.WriteJSON(env.Stdout, res, *top, *excluded)
	}
	return match.WriteText(env.Stdout, ref, res, ix, *top, *excluded, councilName)
}

// searchClock is the "now" a search judges vacancies by: the --at date when
// one is given (a search as of 10 April 2025 asks how fresh each vacancy was
// then, not today), else the clock.
func searchClock(env *Env, at time.Time) time.Time {
	if !at.IsZero() {
		return at
	}
	return env.Now()
}

func parseDate(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return t, care.Errorf(care.EINVALID, "--%s %q: write the date as YYYY-MM-DD", name, s)
	}
	return t, nil
}

func loadPolicy(path string) (match.Policy, error) {
	pol := match.DefaultPolicy()
	if path == "" {
		return pol, nil
	}
	f, err := inputfile.Open(path)
	if err != nil {
		return pol, care.WrapError(care.EUNUSABLE, err, "cannot read the policy file")
	}
	defer f.Close()
	pol, err = match.ParsePolicy(f, &pol)
	return pol, hint(err, care.EINVALID, "\"sufficiency match --show-policy\" prints the default policy")
}

// supplySource says where a command reads supply from: files (--supply,
// --vacancies) or, when no --supply is given, the database (--db or
// $SUFFICIENCY_DB).
type supplySource struct {
	path, vacPath, db string
}

// load reads provisions and vacancies from a supply file set directory or a
// JSON supply file, else from the database; vacPath, if given, replaces the
// vacancies with a supply-format vacancies.csv or the vacancies of a JSON
// supply file.
func (src supplySource) load(ctx context.Context, env *Env) (provs []care.Provision, vacs []care.Vacancy, err error) {
	if src.path != "" {
		provs, vacs, err = match.ReadSupplyFrom(src.path)
	} else {
		path := dbPath(env, src.db)
		if _, err := os.Stat(path); src.db == "" && env.Getenv("SUFFICIENCY_DB") == "" && err != nil {
			return nil, nil, care.Errorf(care.EINVALID, "--supply is required: give a supply file set directory (see supply/FORMAT.md) or a JSON supply file, or a database with --db")
		}
		st, err := openStore(ctx, env, path, mustExist)
		if err != nil {
			return nil, nil, err
		}
		defer st.Close()
		provs, vacs, err = analysis.StoredSupply(ctx, st)
		err = hint(err, care.ENOTFOUND, "load it first, or give --supply")
	}
	if err == nil && src.vacPath != "" {
		vacs, err = match.ReadVacanciesFrom(src.vacPath)
	}
	return provs, vacs, err
}

func (src supplySource) index(ctx context.Context, env *Env, pol match.Policy) (*match.Index, error) {
	provs, vacs, err := src.load(ctx, env)
	if err != nil {
		return nil, err
	}
	return match.NewIndex(provs, vacs, pol, nil)
}

// readInputFile reads the file a flag names, with messages that say which
// flag and file and what to do: missing, a folder, unreadable or empty.
func readInputFile(verb, flag, path, what string) ([]byte, error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil && os.IsNotExist(err):
		return nil, care.Errorf(care.EINVALID, "%s: --%s %s: no such file; give %s", verb, flag, path, what)
	case err != nil:
		return nil, care.WrapError(care.EUNUSABLE, err, "%s: --%s %s cannot be read", verb, flag, path)
	case fi.IsDir():
		return nil, care.Errorf(care.EINVALID, "%s: --%s %s is a folder; give %s", verb, flag, path, what)
	}
	data, err := inputfile.ReadFile(path)
	if err != nil {
		return nil, care.WrapError(care.EUNUSABLE, err, "%s: --%s %s cannot be read", verb, flag, path)
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))) == 0 {
		return nil, care.Errorf(care.EINVALID, "%s: --%s %s is empty; give %s", verb, flag, path, what)
	}
	return data, nil
}

// readReferralFile reads and checks one referral: its fields (care.ParseReferral,
// errors prefixed with the file) and that its placing council is a real one.
func readReferralFile(verb, path string) (care.Referral, error) {
	data, err := readInputFile(verb, "referral", path, "the referral as a JSON object (see match/testdata/referral.json)")
	if err != nil {
		return care.Referral{}, err
	}
	ref, err := care.ParseReferral(data, "referral")
	if err != nil {
		return care.Referral{}, care.WrapError(care.EINVALID, err, "%s", path)
	}
	if err := checkReferralCouncil(ref); err != nil {
		return care.Referral{}, care.WrapError(care.EINVALID, err, "%s", path)
	}
	return ref, nil
}

// checkReferralCouncil refuses a placing council that is not an English
// council: it decides what "in area" means and who is told of offers.
func checkReferralCouncil(ref care.Referral) error {
	if ref.Council == "" {
		return nil
	}
	if _, ok := refdata.CouncilByCode(ref.Council); !ok {
		return care.Errorf(care.EINVALID, "referral.council: %q is not a council code; give the placing council's ONS code (e.g. E06000005) or DfE code (e.g. 841)", ref.Council)
	}
	return nil
}

// councilName names a council code ("E08000007" is "Stockport"); codes the
// register does not hold are shown as they are.
func councilName(code string) string {
	if c, ok := refdata.CouncilByCode(code); ok {
		return c.Name
	}
	return code
}
