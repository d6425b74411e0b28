package sqlshared

import (
	"context"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// Browser uploads staged in the database and their imports' progress
// (store.UploadStore, migration 0710), written once for both databases.

// errNoUpload is the error for an upload not found (or not the asker's:
// the caller checks the user).
func errNoUpload(token string) error {
	return care.Errorf(care.ENOTFOUND, "no upload %q: it may have been imported, cancelled or expired (uploads are kept for an hour)", token)
}

// unset is the test that an upload's time column col holds no time: NULL in
// PostgreSQL, "" in SQLite (a NOT NULL text column, as expiresArg).
func unset(d Dialect, col string) string {
	if d == SQLite {
		return col + ` = ''`
	}
	return col + ` IS NULL`
}

// instantArg is the value of an upload's time column: NULL (PostgreSQL) or
// "" (SQLite) for none.
func instantArg(d Dialect, t time.Time) any {
	if d == SQLite && t.IsZero() {
		return ""
	}
	return d.Codec().EncodeInstant(t)
}

// deleteUploads deletes the files, then the records, of the uploads a WHERE
// clause over uploads selects ($1... its arguments).
func deleteUploads(ctx context.Context, tx Tx, where string, args ...any) error {
	if _, err := tx.Exec(ctx, `DELETE FROM upload_files WHERE token IN (SELECT token FROM uploads WHERE `+where+`)`, args...); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM uploads WHERE `+where, args...)
	return err
}

// StageUpload stores u and its files after deleting the expired uploads;
// see store.UploadStore.
func StageUpload(ctx context.Context, tx Tx, u store.Upload, files []store.UploadFile, expired time.Time) error {
	d := tx.Dialect()
	c := d.Codec()
	// Not running: never started, or finished before expired; or started
	// before expired and never finished (its server stopped).
	if err := deleteUploads(ctx, tx, `staged_at < $1 AND (`+unset(d, "started_at")+` OR (NOT (`+unset(d, "finished_at")+`) AND finished_at < $1)
		OR (`+unset(d, "finished_at")+` AND started_at < $1))`, c.EncodeInstant(expired)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO uploads (token, user_name, council, year, staged_at, files) VALUES ($1, $2, $3, $4, $5, $6)`,
		u.Token, u.User, u.Council, u.Year, c.EncodeInstant(u.At), strings.Join(u.Files, "\n")); err != nil {
		return err
	}
	for i, f := range files {
		if _, err := tx.Exec(ctx, `INSERT INTO upload_files (token, seq, name, data) VALUES ($1, $2, $3, $4)`, u.Token, i, f.Name, f.Data); err != nil {
			return err
		}
	}
	return nil
}

// UploadOf reads an upload and its import; see store.UploadStore.
func UploadOf(ctx context.Context, tx Tx, token string) (store.Upload, store.UploadJob, error) {
	c := tx.Dialect().Codec()
	u := store.Upload{Token: token}
	var j store.UploadJob
	var files string
	at, started, finished := c.Instant(), c.Instant(), c.Instant()
	err := tx.QueryRow(ctx, `SELECT user_name, council, year, staged_at, files, spent, stage, done, total, started_at, finished_at, result, error_code, error_message
		FROM uploads WHERE token = $1`, token).Scan(&u.User, &u.Council, &u.Year, at.Dest(), &files, &u.Spent, &j.Stage, &j.Done, &j.Total,
		started.Dest(), finished.Dest(), &j.Result, &j.ErrCode, &j.ErrMessage)
	if tx.NoRows(err) {
		return u, j, errNoUpload(token)
	}
	if err != nil {
		return u, j, err
	}
	if files != "" {
		u.Files = strings.Split(files, "\n")
	}
	if u.At, err = at.Value(); err != nil {
		return u, j, err
	}
	if j.Started, err = started.Value(); err != nil {
		return u, j, err
	}
	j.Finished, err = finished.Value()
	return u, j, err
}

// UploadFiles reads an upload's files; see store.UploadStore.
func UploadFiles(ctx context.Context, tx Tx, token string) ([]store.UploadFile, error) {
	var out []store.UploadFile
	err := tx.Each(ctx, `SELECT name, data FROM upload_files WHERE token = $1 ORDER BY seq`, []any{token}, func(r Row) error {
		var f store.UploadFile
		if err := r.Scan(&f.Name, &f.Data); err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// StartUploadImport marks an upload's import started unless it is running
// or spent; see store.UploadStore.
func StartUploadImport(ctx context.Context, tx Tx, token string, at time.Time) error {
	d := tx.Dialect()
	c := d.Codec()
	n, err := tx.Exec(ctx, `UPDATE uploads SET stage = 'read', done = 0, total = 0, started_at = $2, finished_at = $4, result = NULL, error_code = '', error_message = ''
		WHERE token = $1 AND spent = $3 AND (`+unset(d, "started_at")+` OR NOT (`+unset(d, "finished_at")+`))`, token, c.EncodeInstant(at), c.EncodeBool(false), instantArg(d, time.Time{}))
	if err != nil || n == 1 {
		return err
	}
	var running int
	err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM uploads WHERE token = $1 AND spent = $2`, token, c.EncodeBool(false)).Scan(&running)
	if err != nil {
		return err
	}
	if running == 0 {
		return errNoUpload(token)
	}
	return care.Errorf(care.ECONFLICT, "this upload is already being imported")
}

// UploadProgress records a running import's progress; see store.UploadStore.
func UploadProgress(ctx context.Context, tx Tx, token, stage string, done, total int64) error {
	_, err := tx.Exec(ctx, `UPDATE uploads SET stage = $2, done = $3, total = $4 WHERE token = $1 AND `+unset(tx.Dialect(), "finished_at"), token, stage, done, total)
	return err
}

// FinishUploadImport records an import's end; see store.UploadStore.
func FinishUploadImport(ctx context.Context, tx Tx, token string, j store.UploadJob, spent bool) error {
	c := tx.Dialect().Codec()
	if _, err := tx.Exec(ctx, `UPDATE uploads SET finished_at = $2, result = $3, error_code = $4, error_message = $5, spent = $6 WHERE token = $1`,
		token, c.EncodeInstant(j.Finished), j.Result, j.ErrCode, j.ErrMessage, c.EncodeBool(spent)); err != nil {
		return err
	}
	if !spent {
		return nil
	}
	_, err := tx.Exec(ctx, `DELETE FROM upload_files WHERE token = $1`, token)
	return err
}

// DeleteUpload deletes an upload and its files; see store.UploadStore.
func DeleteUpload(ctx context.Context, tx Tx, token string) error {
	return deleteUploads(ctx, tx, `token = $1`, token)
}
