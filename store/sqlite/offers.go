package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
	"sufficiency/workflow"
)

// The offers workflow on SQLite: the statements are sqlshared's
// (offersql.go), the same for PostgreSQL (storetest.RunOffers runs against
// both), in SQLite's IMMEDIATE write transactions (one writer: changes are
// serialised). Only taking and releasing places are written here.

var _ workflow.Store = (*DB)(nil)

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// Violates reports whether err is a unique violation; SQLite's errors name
// the columns, not the constraint, so any unique violation counts.
func (sqlTx) Violates(err error, _ string) bool { return isUnique(err) }

// offerTx is the offers workflow's steps (workflow.AcceptTx) in one
// transaction: sqlshared's, with SQLite's TakePlaces and Release.
type offerTx struct {
	*sqlshared.OfferTx
	tx *sql.Tx
}

var (
	_ workflow.AcceptTx = (*offerTx)(nil)
	_ workflow.SendTx   = (*offerTx)(nil)
)

// offerTx starts the workflow's steps in tx by actor, now.
func (db *DB) offerTx(ctx context.Context, tx *sql.Tx, actor string) *offerTx {
	return &offerTx{OfferTx: &sqlshared.OfferTx{Ctx: ctx, Tx: sqlTx{tx}, Now: db.now(), Actor: actor}, tx: tx}
}

// SendReferral records a pseudonymised referral and its shortlist; see workflow.Store.
func (db *DB) SendReferral(ctx context.Context, r workflow.SentReferral, groupSize int, list []workflow.Entry, actor string) (workflow.Sent, error) {
	data, err := workflow.CheckReferral(r, groupSize, list)
	if err != nil {
		return workflow.Sent{}, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	var start any
	if r.StartDate != "" {
		start = r.StartDate
	}
	var out workflow.Sent
	err = db.write(ctx, "send referral "+r.Reference, func(tx *sql.Tx) error {
		if err := workflow.Send(db.offerTx(ctx, tx, actor), r, groupSize, list, start, data); err != nil {
			return err
		}
		sent, err := sqlshared.LoadReferrals(ctx, sqlTx{tx}, workflow.Filter{Reference: r.Reference})
		if err != nil {
			return err
		}
		out = sent[0]
		return nil
	})
	return out, err
}

// TakePlaces takes the places: the shortlisted vacancy first, else another
// of the provision's vacancies free by the start date. The WHERE on places
// is the guard: it fails when another council got there first.
func (t *offerTx) TakePlaces(provision string, group int, start, shortlisted string) (workflow.Taken, error) {
	var taken workflow.Taken
	var validFrom sql.NullString
	err := t.tx.QueryRowContext(t.Ctx, `UPDATE vacancies SET places = places - ?1
		WHERE id = (SELECT id FROM vacancies WHERE provision_id = ?2 AND places >= ?1
		            AND (?3 = '' OR valid_from IS NULL OR valid_from <= ?3)
		            ORDER BY id <> ?4, COALESCE(valid_from, ''), id LIMIT 1)
		  AND places >= ?1
		RETURNING id, places, valid_from, weekly_price`, group, provision, start, shortlisted).Scan(&taken.VacancyID, &taken.Left, &validFrom, &taken.Price)
	if errors.Is(err, sql.ErrNoRows) {
		return taken, workflow.ErrNoVacancy(provision, group, start)
	}
	if err != nil {
		return taken, err
	}
	taken.ValidFrom = validFrom
	if taken.Left == 0 {
		if err := sqlshared.DropEmptyVacancy(t.Ctx, t.Tx, taken.VacancyID); err != nil {
			return taken, err
		}
	}
	return taken, nil
}

// Respond records a provider's offer or decline; see workflow.Store.
func (db *DB) Respond(ctx context.Context, c workflow.Change) (workflow.Offer, error) {
	if err := c.Check(); err != nil {
		return workflow.Offer{}, err
	}
	actor := sqlshared.OfferActor(ctx, c.Actor)
	var out workflow.Offer
	err := db.write(ctx, string(c.Action)+" referral "+c.Referral, func(tx *sql.Tx) error {
		if err := workflow.Respond(db.offerTx(ctx, tx, actor), c); err != nil {
			return err
		}
		var err error
		out, err = sqlshared.LoadOffer(ctx, sqlTx{tx}, c.Referral, c.ProvisionID)
		return err
	})
	return out, err
}

// Accept accepts an offer and reserves its place atomically; see workflow.Store.
//
// The reservation is a conditional UPDATE of the vacancy (places >= needed)
// inside the IMMEDIATE transaction that also marks the offer accepted, so of
// two councils accepting the last place at once, from any number of
// connections or processes, exactly one succeeds and the other gets
// ECONFLICT. A vacancy left with no place is deleted (a vacancy has at least
// one place; match refuses empty ones), its details kept on the reservation.
func (db *DB) Accept(ctx context.Context, ref, provision, actor string) (workflow.Reservation, error) {
	if err := workflow.CheckAccept(ref, provision); err != nil {
		return workflow.Reservation{}, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	var out workflow.Reservation
	err := db.write(ctx, "accept offer for referral "+ref, func(tx *sql.Tx) error {
		t := db.offerTx(ctx, tx, actor)
		var err error
		if out, err = workflow.Accept(t, ref, provision); err != nil {
			return err
		}
		out.At, out.By = t.Now, actor
		return nil
	})
	return out, err
}

// Cancel cancels a referral and releases its place; see workflow.Store.
func (db *DB) Cancel(ctx context.Context, ref, note, actor string) error {
	if err := workflow.CheckCancel(ref); err != nil {
		return err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	return db.write(ctx, "cancel referral "+ref, func(tx *sql.Tx) error {
		return workflow.Cancel(db.offerTx(ctx, tx, actor), ref, note)
	})
}

// Release gives a held reservation's places back to its vacancy,
// re-creating the vacancy if it was used up and its provision is still in
// the supply.
func (t *offerTx) Release(ref, council string) error {
	ctx, tx, now := t.Ctx, t.tx, store.TimeString(t.Now)
	var prov, vac string
	var places int
	var validFrom sql.NullString
	var price int64
	err := tx.QueryRowContext(ctx, sqlshared.SQLite.SQL(sqlshared.HeldReservation), ref).Scan(&prov, &vac, &places, &validFrom, &price)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE vacancies SET places = places + ?, updated_at = ? WHERE id = ? AND provision_id = ?`, places, now, vac, prov)
	if err != nil {
		return err
	}
	detail := workflow.ReleasedBack(ref, vac, prov, places)
	if n, _ := res.RowsAffected(); n == 0 {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM provisions WHERE id = ?`, prov).Scan(&exists); err != nil {
			return err
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM vacancies WHERE id = ?`, vac).Scan(&taken); err != nil {
			return err
		}
		switch {
		case exists == 0:
			detail = workflow.ReleasedGone(ref, prov)
		case taken > 0:
			// The id now names another provision's vacancy (supply replaced): add a fresh one.
			vac = workflow.ReleasedVacancyID(vac, ref)
			fallthrough
		default:
			if _, err := tx.ExecContext(ctx, sqlshared.SQLite.SQL(sqlshared.InsertVacancy),
				vac, prov, places, validFrom, now, price); err != nil {
				return err
			}
			detail = workflow.ReleasedRestored(ref, vac, prov, places)
		}
	}
	return t.MarkReleased(ref, prov, council, detail)
}

// Referrals returns sent referrals with their offers; see workflow.Store.
func (db *DB) Referrals(ctx context.Context, f workflow.Filter) (out []workflow.Sent, err error) {
	err = db.read(ctx, "read referrals", func(tx *sql.Tx) error {
		out, err = sqlshared.LoadReferrals(ctx, sqlTx{tx}, f)
		return err
	})
	return out, err
}

// Declines counts declined offers by council, provider and reason; see workflow.Store.
func (db *DB) Declines(ctx context.Context, f workflow.DeclineFilter) (out []workflow.DeclineCount, err error) {
	if err := workflow.CheckDeclines(f); err != nil {
		return nil, err
	}
	err = db.read(ctx, "count declines", func(tx *sql.Tx) error {
		out, err = sqlshared.Declines(ctx, sqlTx{tx}, f)
		return err
	})
	return out, err
}
