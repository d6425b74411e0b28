package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// ReplaceSupply replaces every provision and vacancy; see store.Store.
func (db *DB) ReplaceSupply(ctx context.Context, provisions []care.Provision, vacancies []care.Vacancy) error {
	return db.replaceSupply(ctx, provisions, vacancies, nil, false)
}

// ReplaceSupplyWithClosed replaces every provision, vacancy and closed
// setting in one transaction; see store.Store.
func (db *DB) ReplaceSupplyWithClosed(ctx context.Context, provisions []care.Provision, vacancies []care.Vacancy, closed []care.Provision) error {
	return db.replaceSupply(ctx, provisions, vacancies, closed, true)
}

// ClosedSettings returns the settings that have closed; see store.Store.
func (db *DB) ClosedSettings(ctx context.Context) (out []care.Provision, err error) {
	err = db.read(ctx, "read closed settings", func(tx pgx.Tx) error {
		out, err = sqlshared.ClosedSettings(ctx, pgTx{tx})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// replaceSupply writes provisions and vacancies and, withClosed, the
// closed settings, in one transaction.
func (db *DB) replaceSupply(ctx context.Context, provisions []care.Provision, vacancies []care.Vacancy, closed []care.Provision, withClosed bool) error {
	if err := store.CheckSupply(provisions, vacancies); err != nil {
		return err
	}
	if err := store.CheckClosed(provisions, closed); err != nil {
		return err
	}
	return db.write(ctx, "replace supply", func(tx pgx.Tx) error {
		if err := sqlshared.ClearSupply(ctx, pgTx{tx}); err != nil {
			return err
		}
		if withClosed {
			if err := sqlshared.ReplaceClosed(ctx, pgTx{tx}, closed); err != nil {
				return err
			}
		}
		ps := provisions
		if err := copyRows(ctx, tx, "provisions", []string{"id", "kind", "name", "owner", "sector", "council", "postcode", "places", "rating",
			"min_age", "max_age", "sexes", "needs", "provider", "in_house", "sibling_capacity", "specialisms", "weekly_price", "registered"},
			len(ps), func(i int) []any {
				return sqlshared.ProvisionValues(&ps[i], sqlshared.Native)
			}, nil); err != nil {
			return err
		}
		type resident struct {
			id  string
			seq int
			r   care.Resident
		}
		var rs []resident
		for _, p := range ps {
			for i, r := range p.Residents {
				rs = append(rs, resident{p.ID, i, r})
			}
		}
		if err := copyRows(ctx, tx, "provision_residents", []string{"provision_id", "seq", "age", "sex", "risks"}, len(rs), func(i int) []any {
			return sqlshared.ResidentValues(rs[i].id, rs[i].seq, rs[i].r)
		}, nil); err != nil {
			return err
		}
		vs := vacancies
		return copyRows(ctx, tx, "vacancies", []string{"id", "provision_id", "places", "valid_from", "updated_at", "weekly_price"}, len(vs), func(i int) []any {
			return sqlshared.VacancyValues(&vs[i], sqlshared.Native)
		}, nil)
	})
}

// where builds a WHERE clause of "col = ANY($n)" conditions.
type where struct {
	b    strings.Builder
	args []any
}

func (w *where) in(col string, xs []string) {
	if len(xs) == 0 {
		return
	}
	w.args = append(w.args, xs)
	fmt.Fprintf(&w.b, " AND %s = ANY($%d)", col, len(w.args))
}

func (w *where) String() string { return "WHERE true" + w.b.String() }

func strs[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// Provisions returns provisions matching f; see store.Store.
func (db *DB) Provisions(ctx context.Context, f store.ProvisionFilter) ([]care.Provision, error) {
	var out []care.Provision
	err := db.read(ctx, "read provisions", func(tx pgx.Tx) error {
		var w where
		w.in("p.id", f.IDs)
		w.in("p.council", f.Councils)
		w.in("p.kind", strs(f.Kinds))
		rows, err := tx.Query(ctx, `SELECT id, kind, name, owner, sector, council, postcode, places, rating, min_age, max_age,
				sexes, needs, provider, in_house, sibling_capacity, specialisms, weekly_price, registered
			FROM provisions p `+w.String()+` ORDER BY id`, w.args...)
		if err := readRows(rows, err, func(rows sqlshared.Rows) (err error) {
			out, err = sqlshared.ReadAll(rows, func(r sqlshared.Row) (care.Provision, error) { return sqlshared.ScanProvision(r, sqlshared.Native) })
			return err
		}); err != nil || len(out) == 0 {
			return err
		}
		rs, err := tx.Query(ctx, sqlshared.ResidentsOf+w.String()+sqlshared.ResidentsOrder, w.args...)
		return readRows(rs, err, func(rows sqlshared.Rows) error { return sqlshared.ReadResidents(rows, out) })
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Vacancies returns vacancies matching f; see store.Store.
func (db *DB) Vacancies(ctx context.Context, f store.VacancyFilter) (out []care.Vacancy, err error) {
	err = db.read(ctx, "read vacancies", func(tx pgx.Tx) error {
		out, err = sqlshared.Vacancies(ctx, pgTx{tx}, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
