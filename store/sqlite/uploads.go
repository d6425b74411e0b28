package sqlite

import (
	"context"
	"database/sql"
	"time"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// Browser uploads staged in the database and their imports' progress; see
// store.UploadStore. The statements are sqlshared's (uploadsql.go), the same
// for both stores (storetest.RunUploads).

var _ store.UploadStore = (*DB)(nil)

// StageUpload stores an upload and its files; see store.UploadStore.
func (db *DB) StageUpload(ctx context.Context, u store.Upload, files []store.UploadFile, expired time.Time) error {
	return db.write(ctx, "stage an upload", func(tx *sql.Tx) error {
		return sqlshared.StageUpload(ctx, sqlTx{tx}, u, files, expired)
	})
}

// UploadOf returns an upload and its import; see store.UploadStore.
func (db *DB) UploadOf(ctx context.Context, token string) (u store.Upload, j store.UploadJob, err error) {
	err = db.read(ctx, "read an upload", func(tx *sql.Tx) error {
		u, j, err = sqlshared.UploadOf(ctx, sqlTx{tx}, token)
		return err
	})
	return u, j, err
}

// UploadFiles returns an upload's files; see store.UploadStore.
func (db *DB) UploadFiles(ctx context.Context, token string) (fs []store.UploadFile, err error) {
	err = db.read(ctx, "read an upload's files", func(tx *sql.Tx) error {
		fs, err = sqlshared.UploadFiles(ctx, sqlTx{tx}, token)
		return err
	})
	return fs, err
}

// StartUploadImport marks an upload's import started; see store.UploadStore.
func (db *DB) StartUploadImport(ctx context.Context, token string, at time.Time) error {
	return db.write(ctx, "start an upload's import", func(tx *sql.Tx) error {
		return sqlshared.StartUploadImport(ctx, sqlTx{tx}, token, at)
	})
}

// UploadProgress records a running import's progress; see store.UploadStore.
func (db *DB) UploadProgress(ctx context.Context, token, stage string, done, total int64) error {
	return db.write(ctx, "record an import's progress", func(tx *sql.Tx) error {
		return sqlshared.UploadProgress(ctx, sqlTx{tx}, token, stage, done, total)
	})
}

// FinishUploadImport records how an upload's import ended; see
// store.UploadStore.
func (db *DB) FinishUploadImport(ctx context.Context, token string, j store.UploadJob, spent bool) error {
	return db.write(ctx, "record an import's end", func(tx *sql.Tx) error {
		return sqlshared.FinishUploadImport(ctx, sqlTx{tx}, token, j, spent)
	})
}

// DeleteUpload deletes an upload and its files; see store.UploadStore.
func (db *DB) DeleteUpload(ctx context.Context, token string) error {
	return db.write(ctx, "delete an upload", func(tx *sql.Tx) error {
		return sqlshared.DeleteUpload(ctx, sqlTx{tx}, token)
	})
}
