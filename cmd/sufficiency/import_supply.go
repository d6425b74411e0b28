package main

import (
	"context"
	"fmt"

	"sufficiency/care"
	"sufficiency/supply"
)

// runImportSupply loads a supply file set (provisions, vacancies, residents;
// see supply/FORMAT.md) into the database, replacing the supply held there.
func runImportSupply(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "import-supply", helpText("import-supply"))
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return care.Errorf(care.EINVALID, "import-supply: give one folder holding provisions.csv (and optionally vacancies.csv, residents.csv, closed.csv); see supply/FORMAT.md")
	}
	set, err := supply.ReadDir(fs.Arg(0))
	if err != nil {
		return err
	}
	path := dbPath(env, *db)
	st, err := openStore(ctx, env, path, mayCreate)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.ReplaceSupplyWithClosed(ctx, set.Provisions, set.Vacancies, set.Closed); err != nil {
		return err
	}
	residents := 0
	byKind := map[care.ProvisionKind]int{}
	for _, p := range set.Provisions {
		residents += len(p.Residents)
		byKind[p.Kind]++
	}
	fmt.Fprintf(env.Stdout, "Imported %d provisions (%d children's homes, %d secure homes, %d residential schools, %d supported accommodation, %d fostering households), %d vacancies, %d residents and %d closed settings into %s\n",
		len(set.Provisions), byKind[care.KindChildrensHome], byKind[care.KindSecureHome], byKind[care.KindResidentialSchool],
		byKind[care.KindSupported], byKind[care.KindFostering], len(set.Vacancies), residents, len(set.Closed), dbName(path))
	return nil
}
