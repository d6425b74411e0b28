package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/offers"
	"sufficiency/store"
)

var _ offers.Store = (*DB)(nil)

// Audit actions recorded by the offers workflow (council: the placing council).
const (
	actionOfferPrefix = "offer " // + send, offer, decline, accept, withdraw, cancel
)

// offerActor is the given actor, else the context's.
func offerActor(ctx context.Context, actor string) string {
	if a := strings.TrimSpace(actor); a != "" {
		return a
	}
	return store.ActorFrom(ctx)
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// SendReferral records a pseudonymised referral and its shortlist; see offers.Store.
func (db *DB) SendReferral(ctx context.Context, r offers.SentReferral, groupSize int, list []offers.Entry, actor string) (offers.Sent, error) {
	if strings.TrimSpace(r.Reference) == "" {
		return offers.Sent{}, care.Errorf(care.EINVALID, "the referral has no reference: use offers.NewReference")
	}
	if len(list) == 0 {
		return offers.Sent{}, care.Errorf(care.EINVALID, "referral %s: the shortlist is empty; send it to at least one eligible provision", r.Reference)
	}
	if groupSize < 1 || groupSize > 13 {
		return offers.Sent{}, care.Errorf(care.EINVALID, "referral %s: %d places needed; give 1 (the child) to 13 (with 12 siblings)", r.Reference, groupSize)
	}
	seen := map[string]bool{}
	for _, e := range list {
		if e.ProvisionID == "" || e.VacancyID == "" {
			return offers.Sent{}, care.Errorf(care.EINVALID, "referral %s: a shortlist entry has no provision or vacancy id", r.Reference)
		}
		if seen[e.ProvisionID] {
			return offers.Sent{}, care.Errorf(care.EINVALID, "referral %s: provision %s is on the shortlist twice; list each once", r.Reference, e.ProvisionID)
		}
		seen[e.ProvisionID] = true
	}
	data, err := json.Marshal(r)
	if err != nil {
		return offers.Sent{}, care.WrapError(care.EINTERNAL, err, "encode referral %s", r.Reference)
	}
	actor = offerActor(ctx, actor)
	now := store.TimeString(db.now())
	var out offers.Sent
	err = db.write(ctx, "send referral "+r.Reference, func(tx *sql.Tx) error {
		var start any
		if r.StartDate != "" {
			start = r.StartDate
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referrals (reference, council, status, group_size, start_date, sent, sent_at, sent_by, updated_at, updated_by)
			VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)`, r.Reference, r.Council, groupSize, start, string(data), now, actor, now, actor); err != nil {
			if isUnique(err) {
				return care.Errorf(care.ECONFLICT, "referral reference %s is already used; send again to get a fresh reference", r.Reference)
			}
			return err
		}
		names := make([]string, len(list))
		for k, e := range list {
			rank := e.Rank
			if rank < 1 {
				rank = k + 1
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO offers (referral, provision_id, vacancy_id, rank, name, provider, kind, provision_council,
					miles, score, weekly_price, status, updated_at, updated_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`, r.Reference, e.ProvisionID, e.VacancyID, rank, e.Name, e.Provider,
				e.Kind, e.Council, e.Miles, e.Score, int64(e.WeeklyPrice), now, actor); err != nil {
				if isUnique(err) {
					return care.Errorf(care.EINVALID, "referral %s: rank %d is given twice on the shortlist; number the entries 1, 2, 3, ...", r.Reference, rank)
				}
				return err
			}
			names[k] = e.ProvisionID
		}
		if err := offerEvent(ctx, tx, now, actor, r.Reference, "", "send", "", string(offers.ReferralOpen), "", ""); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, db.now(), actor, actionOfferPrefix+"send", r.Council,
			fmt.Sprintf("referral %s sent to %d providers: %s", r.Reference, len(list), strings.Join(names, ", "))); err != nil {
			return err
		}
		sent, err := loadSent(ctx, tx, offers.Filter{Reference: r.Reference})
		if err != nil {
			return err
		}
		out = sent[0]
		return nil
	})
	return out, err
}

func offerEvent(ctx context.Context, tx *sql.Tx, at, actor, ref, provision, action, from, to string, reason offers.Reason, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO offer_events (referral, provision_id, at, actor, action, from_status, to_status, reason, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ref, provision, at, actor, action, from, to, string(reason), note)
	return err
}

// referralState reads a referral's status, council, places needed and start
// date. ENOTFOUND when there is no such referral.
func referralState(ctx context.Context, tx *sql.Tx, ref string) (status offers.ReferralStatus, council string, group int, start string, err error) {
	var st string
	err = tx.QueryRowContext(ctx, `SELECT status, council, group_size, COALESCE(start_date, '') FROM referrals WHERE reference = ?`, ref).
		Scan(&st, &council, &group, &start)
	if errors.Is(err, sql.ErrNoRows) {
		err = care.Errorf(care.ENOTFOUND, "no referral %q: check the reference printed by \"referral send\" (\"offer list\" shows them all)", ref)
	}
	return offers.ReferralStatus(st), council, group, start, err
}

// offerState reads one offer's status. ENOTFOUND, listing the shortlist, when
// the provision was not sent the referral.
func offerState(ctx context.Context, tx *sql.Tx, ref, provision string) (offers.Status, string, error) {
	var st, vac string
	err := tx.QueryRowContext(ctx, `SELECT status, vacancy_id FROM offers WHERE referral = ? AND provision_id = ?`, ref, provision).Scan(&st, &vac)
	if errors.Is(err, sql.ErrNoRows) {
		var ids []string
		rows, qerr := tx.QueryContext(ctx, `SELECT provision_id FROM offers WHERE referral = ? ORDER BY rank`, ref)
		if qerr != nil {
			return "", "", qerr
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return "", "", err
			}
			ids = append(ids, id)
		}
		return "", "", care.Errorf(care.ENOTFOUND, "provision %q was not sent referral %s; only its shortlist can answer: %s", provision, ref, strings.Join(ids, ", "))
	}
	return offers.Status(st), vac, err
}

// setOffer moves one offer from one status to another with a conditional
// update, so a change made meanwhile is never overwritten.
func setOffer(ctx context.Context, tx *sql.Tx, ref, provision string, from, to offers.Status, now, actor string, extra string, args ...any) error {
	q := `UPDATE offers SET status = ?, updated_at = ?, updated_by = ?` + extra + ` WHERE referral = ? AND provision_id = ? AND status = ?`
	all := append([]any{string(to), now, actor}, args...)
	all = append(all, ref, provision, string(from))
	res, err := tx.ExecContext(ctx, q, all...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return care.Errorf(care.ECONFLICT, "the offer of %s for referral %s changed meanwhile; look at it again (offer list --referral %s)", provision, ref, ref)
	}
	return nil
}

func notOpen(ref string, st offers.ReferralStatus) error {
	if st == offers.ReferralPlaced {
		return care.Errorf(care.ECONFLICT, "referral %s is already placed: an offer was accepted, so no more answers are needed", ref)
	}
	return care.Errorf(care.ECONFLICT, "referral %s was cancelled: no answer is needed", ref)
}

// Respond records a provider's offer or decline; see offers.Store.
func (db *DB) Respond(ctx context.Context, c offers.Change) (offers.Offer, error) {
	if err := c.Check(); err != nil {
		return offers.Offer{}, err
	}
	actor := offerActor(ctx, c.Actor)
	nowT := db.now()
	now := store.TimeString(nowT)
	var out offers.Offer
	err := db.write(ctx, string(c.Action)+" referral "+c.Referral, func(tx *sql.Tx) error {
		rst, council, _, _, err := referralState(ctx, tx, c.Referral)
		if err != nil {
			return err
		}
		if rst != offers.ReferralOpen {
			return notOpen(c.Referral, rst)
		}
		from, _, err := offerState(ctx, tx, c.Referral, c.ProvisionID)
		if err != nil {
			return err
		}
		to, err := offers.Next(from, c.Action)
		if err != nil {
			return care.Errorf(care.ECONFLICT, "%s for referral %s: %s", c.ProvisionID, c.Referral, care.ErrorMessage(err))
		}
		note := strings.TrimSpace(c.Note)
		if err := setOffer(ctx, tx, c.Referral, c.ProvisionID, from, to, now, actor,
			`, reason = ?, note = ?, offered_price = ?, responded_at = ?`, string(c.Reason), note, int64(c.Price), now); err != nil {
			return err
		}
		if err := offerEvent(ctx, tx, now, actor, c.Referral, c.ProvisionID, string(c.Action), string(from), string(to), c.Reason, note); err != nil {
			return err
		}
		detail := fmt.Sprintf("referral %s, provision %s: %s → %s", c.Referral, c.ProvisionID, from, to)
		if c.Reason != "" {
			detail += " (" + string(c.Reason) + ")"
		}
		if err := appendAudit(ctx, tx, nowT, actor, actionOfferPrefix+string(c.Action), council, detail); err != nil {
			return err
		}
		out, err = loadOffer(ctx, tx, c.Referral, c.ProvisionID)
		return err
	})
	return out, err
}

// Accept accepts an offer and reserves its place atomically; see offers.Store.
//
// The reservation is a conditional UPDATE of the vacancy (places >= needed)
// inside the IMMEDIATE transaction that also marks the offer accepted, so of
// two councils accepting the last place at once, from any number of
// connections or processes, exactly one succeeds and the other gets
// ECONFLICT. A vacancy left with no place is deleted (a vacancy has at least
// one place; match refuses empty ones), its details kept on the reservation.
func (db *DB) Accept(ctx context.Context, ref, provision, actor string) (offers.Reservation, error) {
	if strings.TrimSpace(ref) == "" || strings.TrimSpace(provision) == "" {
		return offers.Reservation{}, care.Errorf(care.EINVALID, "give the referral reference and the provision whose offer is accepted")
	}
	actor = offerActor(ctx, actor)
	nowT := db.now()
	now := store.TimeString(nowT)
	var out offers.Reservation
	err := db.write(ctx, "accept offer for referral "+ref, func(tx *sql.Tx) error {
		rst, council, group, start, err := referralState(ctx, tx, ref)
		if err != nil {
			return err
		}
		nextRef, err := offers.NextReferral(rst, offers.ReferralAccept)
		if err != nil {
			if rst == offers.ReferralPlaced {
				var with string
				tx.QueryRowContext(ctx, `SELECT provision_id FROM offers WHERE referral = ? AND status = 'accepted'`, ref).Scan(&with)
				return care.Errorf(care.ECONFLICT, "referral %s is already placed with %s; cancel the referral first to release that place", ref, with)
			}
			return care.Errorf(care.ECONFLICT, "referral %s: %s", ref, care.ErrorMessage(err))
		}
		from, offeredVac, err := offerState(ctx, tx, ref, provision)
		if err != nil {
			return err
		}
		to, err := offers.Next(from, offers.ActionAccept)
		if err != nil {
			return care.Errorf(care.ECONFLICT, "%s for referral %s: %s", provision, ref, care.ErrorMessage(err))
		}
		// Take the places: the shortlisted vacancy first, else another of
		// the provision's vacancies free by the start date. The WHERE on
		// places is the guard: it fails when another council got there first.
		var vacID string
		var left int
		var validFrom sql.NullString
		var price int64
		err = tx.QueryRowContext(ctx, `UPDATE vacancies SET places = places - ?1
			WHERE id = (SELECT id FROM vacancies WHERE provision_id = ?2 AND places >= ?1
			            AND (?3 = '' OR valid_from IS NULL OR valid_from <= ?3)
			            ORDER BY id <> ?4, COALESCE(valid_from, ''), id LIMIT 1)
			  AND places >= ?1
			RETURNING id, places, valid_from, weekly_price`, group, provision, start, offeredVac).Scan(&vacID, &left, &validFrom, &price)
		if errors.Is(err, sql.ErrNoRows) {
			what := "a place"
			if group > 1 {
				what = fmt.Sprintf("%d places together", group)
			}
			by := ""
			if start != "" {
				by = " by " + start
			}
			return care.Errorf(care.ECONFLICT, "provision %s has no vacancy with %s free%s any more: another referral was given it first (or the provider's vacancies changed); nothing was reserved, so accept another offer or ask the provider to update its vacancies", provision, what, by)
		}
		if err != nil {
			return err
		}
		if left == 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM vacancies WHERE id = ? AND places = 0`, vacID); err != nil {
				return err
			}
		}
		if err := setOffer(ctx, tx, ref, provision, from, to, now, actor, ""); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET status = ?, updated_at = ?, updated_by = ? WHERE reference = ? AND status = ?`,
			string(nextRef), now, actor, ref, string(rst)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reservations (referral, provision_id, vacancy_id, places, places_left, valid_from, weekly_price, reserved_at, reserved_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ref, provision, vacID, group, left, validFrom, price, now, actor); err != nil {
			if isUnique(err) {
				return care.Errorf(care.ECONFLICT, "referral %s already has a reservation; cancel the referral first to release it", ref)
			}
			return err
		}
		if err := offerEvent(ctx, tx, now, actor, ref, provision, string(offers.ActionAccept), string(from), string(to), "", ""); err != nil {
			return err
		}
		if err := offerEvent(ctx, tx, now, actor, ref, "", string(offers.ReferralAccept), string(rst), string(nextRef), "", ""); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, nowT, actor, actionOfferPrefix+"accept", council,
			fmt.Sprintf("referral %s, provision %s: accepted; %d place(s) of vacancy %s reserved, %d left", ref, provision, group, vacID, left)); err != nil {
			return err
		}
		if err := withdrawOpen(ctx, tx, ref, council, now, nowT, actor, "another offer was accepted", false); err != nil {
			return err
		}
		out = offers.Reservation{Referral: ref, ProvisionID: provision, VacancyID: vacID, Places: group, PlacesLeft: left, At: nowT, By: actor}
		return nil
	})
	return out, err
}

// withdrawOpen withdraws every pending or offered offer of the referral, and
// the accepted one too when withAccepted (the referral is being cancelled).
func withdrawOpen(ctx context.Context, tx *sql.Tx, ref, council, now string, nowT time.Time, actor, why string, withAccepted bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT provision_id, status FROM offers WHERE referral = ? AND status IN ('pending', 'offered', 'accepted') ORDER BY rank`, ref)
	if err != nil {
		return err
	}
	type open struct {
		id string
		st offers.Status
	}
	var list []open
	for rows.Next() {
		var o open
		var st string
		if err := rows.Scan(&o.id, &st); err != nil {
			rows.Close()
			return err
		}
		o.st = offers.Status(st)
		if o.st == offers.StatusAccepted && !withAccepted {
			continue
		}
		list = append(list, o)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, o := range list {
		to, err := offers.Next(o.st, offers.ActionWithdraw)
		if err != nil {
			return err
		}
		if err := setOffer(ctx, tx, ref, o.id, o.st, to, now, actor, ""); err != nil {
			return err
		}
		if err := offerEvent(ctx, tx, now, actor, ref, o.id, string(offers.ActionWithdraw), string(o.st), string(to), "", why); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, nowT, actor, actionOfferPrefix+"withdraw", council,
			fmt.Sprintf("referral %s, provision %s: %s → %s (%s)", ref, o.id, o.st, to, why)); err != nil {
			return err
		}
	}
	return nil
}

// Cancel cancels a referral and releases its place; see offers.Store.
func (db *DB) Cancel(ctx context.Context, ref, note, actor string) error {
	if strings.TrimSpace(ref) == "" {
		return care.Errorf(care.EINVALID, "give the reference of the referral to cancel")
	}
	actor = offerActor(ctx, actor)
	note = strings.TrimSpace(note)
	nowT := db.now()
	now := store.TimeString(nowT)
	return db.write(ctx, "cancel referral "+ref, func(tx *sql.Tx) error {
		rst, council, _, _, err := referralState(ctx, tx, ref)
		if err != nil {
			return err
		}
		next, err := offers.NextReferral(rst, offers.ReferralCancel)
		if err != nil {
			return care.Errorf(care.ECONFLICT, "referral %s: %s", ref, care.ErrorMessage(err))
		}
		if err := withdrawOpen(ctx, tx, ref, council, now, nowT, actor, "referral cancelled", true); err != nil {
			return err
		}
		if err := releasePlace(ctx, tx, ref, council, now, nowT, actor); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET status = ?, note = ?, updated_at = ?, updated_by = ? WHERE reference = ? AND status = ?`,
			string(next), note, now, actor, ref, string(rst))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return care.Errorf(care.ECONFLICT, "referral %s changed meanwhile; look at it again", ref)
		}
		if err := offerEvent(ctx, tx, now, actor, ref, "", string(offers.ReferralCancel), string(rst), string(next), "", note); err != nil {
			return err
		}
		return appendAudit(ctx, tx, nowT, actor, actionOfferPrefix+"cancel", council, fmt.Sprintf("referral %s: %s → %s", ref, rst, next))
	})
}

// releasePlace gives a held reservation's places back to its vacancy,
// re-creating the vacancy if it was used up and its provision is still in
// the supply.
func releasePlace(ctx context.Context, tx *sql.Tx, ref, council, now string, nowT time.Time, actor string) error {
	var prov, vac string
	var places int
	var validFrom sql.NullString
	var price int64
	err := tx.QueryRowContext(ctx, `SELECT provision_id, vacancy_id, places, valid_from, weekly_price FROM reservations
		WHERE referral = ? AND released_at IS NULL`, ref).Scan(&prov, &vac, &places, &validFrom, &price)
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
	detail := fmt.Sprintf("referral %s: %d place(s) given back to vacancy %s of %s", ref, places, vac, prov)
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
			detail = fmt.Sprintf("referral %s: provision %s is no longer in the supply; no place to give back", ref, prov)
		case taken > 0:
			// The id now names another provision's vacancy (supply replaced): add a fresh one.
			vac = vac + "-released-" + ref
			fallthrough
		default:
			if _, err := tx.ExecContext(ctx, `INSERT INTO vacancies (id, provision_id, places, valid_from, updated_at, weekly_price) VALUES (?, ?, ?, ?, ?, ?)`,
				vac, prov, places, validFrom, now, price); err != nil {
				return err
			}
			detail = fmt.Sprintf("referral %s: vacancy %s of %s restored with %d place(s)", ref, vac, prov, places)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE reservations SET released_at = ?, released_by = ? WHERE referral = ?`, now, actor, ref); err != nil {
		return err
	}
	if err := offerEvent(ctx, tx, now, actor, ref, prov, "release", "reserved", "released", "", ""); err != nil {
		return err
	}
	return appendAudit(ctx, tx, nowT, actor, actionOfferPrefix+"release", council, detail)
}

// Referrals returns sent referrals with their offers; see offers.Store.
func (db *DB) Referrals(ctx context.Context, f offers.Filter) ([]offers.Sent, error) {
	var out []offers.Sent
	err := db.read(ctx, "read referrals", func(tx *sql.Tx) error {
		var err error
		out, err = loadSent(ctx, tx, f)
		return err
	})
	return out, err
}

// loadSent reads the referrals matching f with their offers, reservation and events.
func loadSent(ctx context.Context, tx *sql.Tx, f offers.Filter) ([]offers.Sent, error) {
	var where strings.Builder
	var args []any
	where.WriteString("WHERE 1=1")
	if f.Reference != "" {
		where.WriteString(" AND r.reference = ?")
		args = append(args, f.Reference)
	}
	if f.Council != "" {
		where.WriteString(" AND r.council = ?")
		args = append(args, f.Council)
	}
	if f.Status != "" {
		where.WriteString(" AND r.status = ?")
		args = append(args, string(f.Status))
	}
	if f.ProvisionID != "" {
		where.WriteString(" AND EXISTS (SELECT 1 FROM offers x WHERE x.referral = r.reference AND x.provision_id = ?)")
		args = append(args, f.ProvisionID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT r.reference, r.status, r.group_size, r.sent, r.sent_at, r.sent_by, r.updated_at, r.updated_by, r.note
		FROM referrals r `+where.String()+` ORDER BY r.sent_at, r.reference`, args...)
	if err != nil {
		return nil, err
	}
	var out []offers.Sent
	index := map[string]int{}
	for rows.Next() {
		var s offers.Sent
		var ref, st, data, sentAt, updAt string
		if err := rows.Scan(&ref, &st, &s.GroupSize, &data, &sentAt, &s.SentBy, &updAt, &s.UpdatedBy, &s.Note); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &s.Referral); err != nil {
			rows.Close()
			return nil, fmt.Errorf("referral %s: stored JSON: %w", ref, err)
		}
		s.Status = offers.ReferralStatus(st)
		if s.SentAt, err = store.ParseTimeString(sentAt); err != nil {
			rows.Close()
			return nil, err
		}
		if s.UpdatedAt, err = store.ParseTimeString(updAt); err != nil {
			rows.Close()
			return nil, err
		}
		s.Offers, s.Events = []offers.Offer{}, []offers.Event{}
		index[ref] = len(out)
		out = append(out, s)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if f.Reference != "" && len(out) == 0 {
		return nil, care.Errorf(care.ENOTFOUND, "no referral %q: check the reference printed by \"referral send\" (\"offer list\" shows them all)", f.Reference)
	}
	if len(out) == 0 {
		return out, nil
	}
	list, err := queryOffers(ctx, tx, `JOIN referrals r ON r.reference = o.referral `+where.String(), args...)
	if err != nil {
		return nil, err
	}
	for _, o := range list {
		if i, ok := index[o.Referral]; ok {
			out[i].Offers = append(out[i].Offers, o)
		}
	}
	rs, err := tx.QueryContext(ctx, `SELECT v.referral, v.provision_id, v.vacancy_id, v.places, v.places_left, v.reserved_at, v.reserved_by,
			COALESCE(v.released_at, ''), COALESCE(v.released_by, '')
		FROM reservations v JOIN referrals r ON r.reference = v.referral `+where.String(), args...)
	if err != nil {
		return nil, err
	}
	for rs.Next() {
		var v offers.Reservation
		var at, rel string
		if err := rs.Scan(&v.Referral, &v.ProvisionID, &v.VacancyID, &v.Places, &v.PlacesLeft, &at, &v.By, &rel, &v.ReleasedBy); err != nil {
			rs.Close()
			return nil, err
		}
		if v.At, err = store.ParseTimeString(at); err != nil {
			rs.Close()
			return nil, err
		}
		if v.Released, err = store.ParseTimeString(rel); err != nil {
			rs.Close()
			return nil, err
		}
		if i, ok := index[v.Referral]; ok {
			out[i].Reservation = &v
		}
	}
	if err := rs.Close(); err != nil {
		return nil, err
	}
	es, err := tx.QueryContext(ctx, `SELECT e.referral, e.at, e.actor, e.provision_id, e.action, e.from_status, e.to_status, e.reason, e.note
		FROM offer_events e JOIN referrals r ON r.reference = e.referral `+where.String()+` ORDER BY e.id`, args...)
	if err != nil {
		return nil, err
	}
	defer es.Close()
	for es.Next() {
		var ref, at, reason string
		var e offers.Event
		if err := es.Scan(&ref, &at, &e.Actor, &e.ProvisionID, &e.Action, &e.From, &e.To, &reason, &e.Note); err != nil {
			return nil, err
		}
		if e.At, err = store.ParseTimeString(at); err != nil {
			return nil, err
		}
		e.Reason = offers.Reason(reason)
		if i, ok := index[ref]; ok {
			out[i].Events = append(out[i].Events, e)
		}
	}
	return out, es.Err()
}

// queryOffers reads offers joined as tail says, by referral then rank.
func queryOffers(ctx context.Context, tx *sql.Tx, tail string, args ...any) ([]offers.Offer, error) {
	rows, err := tx.QueryContext(ctx, `SELECT o.referral, o.provision_id, o.vacancy_id, o.rank, o.name, o.provider, o.kind, o.provision_council,
			o.miles, o.score, o.weekly_price, o.status, o.reason, o.note, o.offered_price, COALESCE(o.responded_at, ''), o.updated_at, o.updated_by
		FROM offers o `+tail+` ORDER BY o.referral, o.rank`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []offers.Offer
	for rows.Next() {
		var o offers.Offer
		var price, offered int64
		var st, reason, resp, upd string
		if err := rows.Scan(&o.Referral, &o.ProvisionID, &o.VacancyID, &o.Rank, &o.Name, &o.Provider, &o.Kind, &o.Council,
			&o.Miles, &o.Score, &price, &st, &reason, &o.Note, &offered, &resp, &upd, &o.UpdatedBy); err != nil {
			return nil, err
		}
		o.WeeklyPrice, o.OfferedPrice = care.Pence(price), care.Pence(offered)
		o.Status, o.Reason = offers.Status(st), offers.Reason(reason)
		if o.RespondedAt, err = store.ParseTimeString(resp); err != nil {
			return nil, err
		}
		if o.UpdatedAt, err = store.ParseTimeString(upd); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func loadOffer(ctx context.Context, tx *sql.Tx, ref, provision string) (offers.Offer, error) {
	list, err := queryOffers(ctx, tx, `WHERE o.referral = ? AND o.provision_id = ?`, ref, provision)
	if err != nil {
		return offers.Offer{}, err
	}
	if len(list) != 1 {
		return offers.Offer{}, care.Errorf(care.ENOTFOUND, "provision %q was not sent referral %s", provision, ref)
	}
	return list[0], nil
}

// Declines counts declined offers by council, provider and reason; see offers.Store.
func (db *DB) Declines(ctx context.Context, f offers.DeclineFilter) ([]offers.DeclineCount, error) {
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return nil, care.Errorf(care.EINVALID, "the period is empty: --from %s is not before --to %s", store.DateString(f.From), store.DateString(f.To))
	}
	var out []offers.DeclineCount
	err := db.read(ctx, "count declines", func(tx *sql.Tx) error {
		var where strings.Builder
		var args []any
		where.WriteString("WHERE o.status = 'declined'")
		if !f.From.IsZero() {
			where.WriteString(" AND o.responded_at >= ?")
			args = append(args, store.TimeString(f.From))
		}
		if !f.To.IsZero() {
			where.WriteString(" AND o.responded_at < ?")
			args = append(args, store.TimeString(f.To))
		}
		if f.Council != "" {
			where.WriteString(" AND r.council = ?")
			args = append(args, f.Council)
		}
		if f.Provider != "" {
			where.WriteString(" AND o.provider = ?")
			args = append(args, f.Provider)
		}
		rows, err := tx.QueryContext(ctx, `SELECT r.council, o.provider, o.reason, COUNT(*) FROM offers o JOIN referrals r ON r.reference = o.referral
			`+where.String()+` GROUP BY r.council, o.provider, o.reason ORDER BY r.council, o.provider, o.reason`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c offers.DeclineCount
			var reason string
			if err := rows.Scan(&c.Council, &c.Provider, &reason, &c.Count); err != nil {
				return err
			}
			c.Reason = offers.Reason(reason)
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}
