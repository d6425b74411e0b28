package main

import (
	"bytes"
	"context"
	"strings"

	"sufficiency/care"
	"sufficiency/match"
)

func runAllocate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "allocate", helpText("allocate"))
	refPath := fs.String("referrals", "", "referrals: a JSON array of referrals, or the minimal CSV child_id,home_postcode[,sibling_group]")
	vacPath := fs.String("vacancies", "", "vacancies: the minimal CSV place_id,postcode,places; a supply vacancies.csv (with --supply); or a JSON supply file")
	supplyPath := fs.String("supply", "", "supply file set directory or JSON supply file holding the provisions (full form)")
	db := fs.String("db", "", "database to read the supply from when neither --supply nor a JSON --vacancies is given (default $SUFFICIENCY_DB)")
	objective := fs.String("objective", "policy", "what to minimise once the most children are placed: policy (the ranking score) or distance (miles only)")
	keep := fs.Bool("keep-siblings", false, "place each sibling group in one home or not at all")
	policyPath := fs.String("policy", "", "policy file overriding the default weights")
	at := fs.String("at", "", "date of the allocation (default: each referral's start date)")
	format := fs.String("format", "text", "output format: text, json or csv (child_id,place_id,miles)")
	from := fs.String("from", "", "without --referrals: first day of the placement starts to allocate from the database")
	to := fs.String("to", "", "without --referrals: last day of the placement starts (also the allocation date unless --at)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *format {
	case "text", "json", "csv":
	default:
		return care.Errorf(care.EINVALID, "allocate: --format %q: use text, json or csv", *format)
	}
	obj := match.Objective(*objective)
	if obj != match.ObjectivePolicy && obj != match.ObjectiveDistance {
		return care.Errorf(care.EINVALID, "allocate: --objective %q: use policy or distance", *objective)
	}
	var refData []byte
	if *refPath == "" {
		if *from == "" || *to == "" {
			return care.Errorf(care.EINVALID, "allocate: give --referrals FILE, or --from and --to to allocate the placement starts imported in the database")
		}
	} else {
		var err error
		if refData, err = readInputFile("allocate", "referrals", *refPath, "a JSON array of referrals, or a CSV with header child_id,home_postcode[,sibling_group]"); err != nil {
			return err
		}
	}
	var alloc match.Allocation
	if refData != nil && match.IsMinimalCSV(refData) {
		if *vacPath == "" {
			return care.Errorf(care.EINVALID, "allocate: --vacancies is required with minimal referrals: give place_id,postcode,places")
		}
		vacData, err := readInputFile("allocate", "vacancies", *vacPath, "a CSV with header place_id,postcode,places")
		if err != nil {
			return err
		}
		if alloc, err = match.AllocateMinimalCSV(refData, vacData, *keep); err != nil {
			return err
		}
	} else {
		day, err := parseDate("at", *at)
		if err != nil {
			return err
		}
		var refs []care.Referral
		if refData != nil {
			if refs, err = care.ReadReferrals(bytes.NewReader(refData)); err != nil {
				return err
			}
		} else {
			fromDay, err := parseDate("from", *from)
			if err != nil {
				return err
			}
			toDay, err := parseDate("to", *to)
			if err != nil {
				return err
			}
			if refs, err = referralsFromStore(ctx, env, *db, fromDay, toDay); err != nil {
				return err
			}
			if day.IsZero() {
				day = toDay
			}
		}
		pol, err := loadPolicy(*policyPath)
		if err != nil {
			return err
		}
		supplyArg, vacArg := *supplyPath, *vacPath
		if supplyArg == "" && strings.HasSuffix(strings.ToLower(vacArg), ".json") {
			supplyArg, vacArg = vacArg, ""
		}
		ix, err := supplySource{path: supplyArg, vacPath: vacArg, db: *db}.index(ctx, env, pol)
		if err != nil {
			return err
		}
		if alloc, err = match.Allocate(ix, refs, match.AllocateOptions{Objective: obj, KeepSiblings: *keep, At: day}); err != nil {
			return err
		}
	}
	switch *format {
	case "csv":
		return alloc.WriteCSV(env.Stdout, env.Stderr)
	case "json":
		return alloc.WriteJSON(env.Stdout)
	}
	return alloc.WriteText(env.Stdout)
}
