package postgres

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
	"sufficiency/workflow"
)

// The offers workflow on PostgreSQL: the statements are sqlshared's
// (offersql.go), the same for SQLite (one contract suite,
// storetest.RunOffers, runs against both); only taking and releasing places
// are written here.
//
// Concurrency. Every change runs in one READ COMMITTED transaction that
// first locks the referral's row (SELECT ... FOR UPDATE), so changes to one
// referral and its offers are serialised and each transition is checked
// against the state as it is. Accept then locks every vacancy row of the
// provision (FOR UPDATE, in id order), chooses the vacancy from the locked,
// current rows and takes the places with a conditional UPDATE (places >=
// needed) in the same transaction. A second council accepting the same bed
// waits on the row lock and, once the first commits, sees the vacancy with
// the places gone (or the row deleted) and gets ECONFLICT; nothing is
// reserved twice. At most one accepted offer per referral (partial unique
// index) and one reservation per referral (primary key) are enforced by the
// schema as well. A transaction PostgreSQL aborts to break a deadlock (for
// example against a concurrent ReplaceSupply deleting the same vacancies in
// another order) or for a serialisation failure is retried.

var _ workflow.Store = (*DB)(nil)

// offerRetries is how many times a transaction aborted by PostgreSQL
// (deadlock, serialisation failure) is run again before giving up.
const offerRetries = 5

// stamp is the clock's time as PostgreSQL stores it (microseconds), so what
// a change returns equals what is read back later.
func (db *DB) stamp() time.Time { return db.now().Truncate(time.Microsecond) }

// violates reports whether err is a unique violation of the named constraint
// (or index).
func violates(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == constraint
}

// retryable reports whether PostgreSQL aborted the transaction so that it
// can simply be run again: deadlock detected or serialisation failure.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// offerWrite runs fn as one READ COMMITTED transaction, again (a few times)
// when PostgreSQL aborts it with a deadlock or serialisation failure.
func (db *DB) offerWrite(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.write(ctx, what, fn)
		if err == nil || !retryable(err) {
			return err
		}
		if attempt == offerRetries {
			return care.WrapError(care.ECONFLICT, err, "%s: the database kept aborting the change because of concurrent changes; try again", what)
		}
		select {
		case <-ctx.Done():
			return dbError(ctx.Err(), what)
		case <-time.After(time.Duration(attempt) * 5 * time.Millisecond):
		}
	}
}

// SendReferral records a pseudonymised referral and its shortlist; see workflow.Store.
func (db *DB) SendReferral(ctx context.Context, r workflow.SentReferral, groupSize int, list []workflow.Entry, actor string) (workflow.Sent, error) {
	data, err := workflow.CheckReferral(r, groupSize, list)
	if err != nil {
		return workflow.Sent{}, err
	}
	var start any
	if r.StartDate != "" {
		d, err := time.Parse("2006-01-02", r.StartDate)
		if err != nil {
			return workflow.Sent{}, care.Errorf(care.EINVALID, "referral %s: start date %q is not YYYY-MM-DD", r.Reference, r.StartDate)
		}
		start = d
	}
	actor = sqlshared.OfferActor(ctx, actor)
	now := db.stamp()
	var out workflow.Sent
	err = db.offerWrite(ctx, "send referral "+r.Reference, func(tx pgx.Tx) error {
		if err := workflow.Send(newOfferTx(ctx, tx, now, actor), r, groupSize, list, start, data); err != nil {
			return err
		}
		sent, err := sqlshared.LoadReferrals(ctx, pgTx{tx}, workflow.Filter{Reference: r.Reference})
		if err != nil {
			return err
		}
		out = sent[0]
		return nil
	})
	return out, err
}

// Violates reports whether err is a unique violation of the named
// constraint (or index).
func (pgTx) Violates(err error, constraint string) bool { return violates(err, constraint) }

// offerTx is the offers workflow's steps (workflow.AcceptTx) in one
// transaction: sqlshared's (which lock the referral's row first), with
// PostgreSQL's TakePlaces and Release.
type offerTx struct {
	*sqlshared.OfferTx
	tx pgx.Tx
}

var (
	_ workflow.AcceptTx = (*offerTx)(nil)
	_ workflow.SendTx   = (*offerTx)(nil)
)

// newOfferTx starts the workflow's steps in tx by actor at now.
func newOfferTx(ctx context.Context, tx pgx.Tx, now time.Time, actor string) *offerTx {
	return &offerTx{OfferTx: &sqlshared.OfferTx{Ctx: ctx, Tx: pgTx{tx}, Now: now, Actor: actor}, tx: tx}
}

// vacancyRow is a vacancy as locked by TakePlaces.
type vacancyRow struct {
	id        string
	places    int
	validFrom *time.Time
	price     int64
}

// TakePlaces locks the provision's vacancies and chooses one from their
// current state: the shortlisted vacancy first, else another free by the
// start date, earliest valid-from (none first), then by id.
func (t *offerTx) TakePlaces(provision string, group int, start, shortlisted string) (workflow.Taken, error) {
	ctx, tx := t.Ctx, t.tx
	rows, err := tx.Query(ctx, `SELECT id, places, valid_from, weekly_price FROM vacancies
		WHERE provision_id = $1 ORDER BY id FOR UPDATE`, provision)
	if err != nil {
		return workflow.Taken{}, err
	}
	vacs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (vacancyRow, error) {
		var v vacancyRow
		err := r.Scan(&v.id, &v.places, &v.validFrom, &v.price)
		return v, err
	})
	if err != nil {
		return workflow.Taken{}, err
	}
	var cands []vacancyRow
	for _, v := range vacs {
		if v.places < group {
			continue
		}
		if start != "" && v.validFrom != nil && store.DateString(*v.validFrom) > start {
			continue
		}
		cands = append(cands, v)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if (a.id == shortlisted) != (b.id == shortlisted) {
			return a.id == shortlisted
		}
		af, bf := "", ""
		if a.validFrom != nil {
			af = store.DateString(*a.validFrom)
		}
		if b.validFrom != nil {
			bf = store.DateString(*b.validFrom)
		}
		if af != bf {
			return af < bf
		}
		return a.id < b.id
	})
	var left int
	if len(cands) > 0 {
		// The WHERE on places is the guard; with the row locked it holds.
		err = tx.QueryRow(ctx, `UPDATE vacancies SET places = places - $1 WHERE id = $2 AND places >= $1 RETURNING places`,
			group, cands[0].id).Scan(&left)
		if errors.Is(err, pgx.ErrNoRows) {
			cands = nil
		} else if err != nil {
			return workflow.Taken{}, err
		}
	}
	if len(cands) == 0 {
		return workflow.Taken{}, workflow.ErrNoVacancy(provision, group, start)
	}
	vac := cands[0]
	if left == 0 {
		if err := sqlshared.DropEmptyVacancy(ctx, t.Tx, vac.id); err != nil {
			return workflow.Taken{}, err
		}
	}
	taken := workflow.Taken{VacancyID: vac.id, Left: left, Price: vac.price}
	if vac.validFrom != nil {
		taken.ValidFrom = *vac.validFrom
	}
	return taken, nil
}

// Respond records a provider's offer or decline; see workflow.Store.
func (db *DB) Respond(ctx context.Context, c workflow.Change) (workflow.Offer, error) {
	if err := c.Check(); err != nil {
		return workflow.Offer{}, err
	}
	actor := sqlshared.OfferActor(ctx, c.Actor)
	now := db.stamp()
	var out workflow.Offer
	err := db.offerWrite(ctx, string(c.Action)+" referral "+c.Referral, func(tx pgx.Tx) error {
		if err := workflow.Respond(newOfferTx(ctx, tx, now, actor), c); err != nil {
			return err
		}
		var err error
		out, err = sqlshared.LoadOffer(ctx, pgTx{tx}, c.Referral, c.ProvisionID)
		return err
	})
	return out, err
}

// Accept accepts an offer and reserves its place atomically; see workflow.Store.
//
// With the referral's row locked, it locks every vacancy row of the
// provision (FOR UPDATE, in id order, so two acceptances lock in the same
// order), picks the shortlisted vacancy if it still has the places by the
// start date, else another of the provision's (earliest valid-from first),
// and takes the places with an UPDATE guarded by places >= needed. Of two
// councils accepting the last place at once, from any number of connections,
// the second waits for the first's row lock, then reads the vacancy as the
// first left it (gone, when its last place was taken) and gets ECONFLICT. A
// vacancy left with no place is deleted, its details kept on the
// reservation.
func (db *DB) Accept(ctx context.Context, ref, provision, actor string) (workflow.Reservation, error) {
	if err := workflow.CheckAccept(ref, provision); err != nil {
		return workflow.Reservation{}, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	now := db.stamp()
	var out workflow.Reservation
	err := db.offerWrite(ctx, "accept offer for referral "+ref, func(tx pgx.Tx) error {
		var err error
		if out, err = workflow.Accept(newOfferTx(ctx, tx, now, actor), ref, provision); err != nil {
			return err
		}
		out.At, out.By = now, actor
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
	now := db.stamp()
	return db.offerWrite(ctx, "cancel referral "+ref, func(tx pgx.Tx) error {
		return workflow.Cancel(newOfferTx(ctx, tx, now, actor), ref, note)
	})
}

// Release gives a held reservation's places back to its vacancy,
// re-creating the vacancy if it was used up and its provision is still in
// the supply (the provision row is locked against a concurrent supply
// refresh meanwhile).
func (t *offerTx) Release(ref, council string) error {
	ctx, tx, now := t.Ctx, t.tx, t.Now
	var prov, vac string
	var places int
	var validFrom *time.Time
	var price int64
	err := tx.QueryRow(ctx, sqlshared.HeldReservation, ref).Scan(&prov, &vac, &places, &validFrom, &price)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var vf any
	if validFrom != nil {
		vf = *validFrom
	}
	var detail string
	var exists int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM provisions WHERE id = $1 FOR KEY SHARE) p`, prov).Scan(&exists); err != nil {
		return err
	}
	if exists == 0 {
		detail = workflow.ReleasedGone(ref, prov)
	} else {
		// Give the places back to the vacancy, or restore it when it was
		// used up (deleted); the upsert makes two releases at once safe.
		var inserted bool
		err := tx.QueryRow(ctx, `INSERT INTO vacancies AS v (id, provision_id, places, valid_from, updated_at, weekly_price)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET places = v.places + EXCLUDED.places, updated_at = EXCLUDED.updated_at
				WHERE v.provision_id = EXCLUDED.provision_id
			RETURNING (xmax = 0)`, vac, prov, places, vf, now, price).Scan(&inserted)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			// The id now names another provision's vacancy (supply replaced): add a fresh one.
			vac = workflow.ReleasedVacancyID(vac, ref)
			if _, err := tx.Exec(ctx, sqlshared.InsertVacancy,
				vac, prov, places, vf, now, price); err != nil {
				return err
			}
			inserted = true
		case err != nil:
			return err
		}
		if inserted {
			detail = workflow.ReleasedRestored(ref, vac, prov, places)
		} else {
			detail = workflow.ReleasedBack(ref, vac, prov, places)
		}
	}
	return t.MarkReleased(ref, prov, council, detail)
}

// Referrals returns sent referrals with their offers; see workflow.Store.
func (db *DB) Referrals(ctx context.Context, f workflow.Filter) (out []workflow.Sent, err error) {
	err = db.read(ctx, "read referrals", func(tx pgx.Tx) error {
		out, err = sqlshared.LoadReferrals(ctx, pgTx{tx}, f)
		return err
	})
	return out, err
}

// Declines counts declined offers by council, provider and reason; see workflow.Store.
func (db *DB) Declines(ctx context.Context, f workflow.DeclineFilter) (out []workflow.DeclineCount, err error) {
	if err := workflow.CheckDeclines(f); err != nil {
		return nil, err
	}
	err = db.read(ctx, "count declines", func(tx pgx.Tx) error {
		out, err = sqlshared.Declines(ctx, pgTx{tx}, f)
		return err
	})
	return out, err
}
