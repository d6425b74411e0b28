package store

import (
	"context"
	"time"
)

// Upload is a browser upload of a council's SSDA903 files, staged in the
// database until it is imported, cancelled or expires, so that any app
// server sharing the database can check it, import it and show the import's
// progress (UploadStore).
type Upload struct {
	Token   string // the upload's random name, 32 hex digits
	User    string // the uploader's user name; only they see it
	Council string // ONS code
	Year    int    // collection year given (0: read from the files)
	At      time.Time
	// Files are the files' names, in order (their contents: UploadFiles).
	Files []string
	// Spent: the files were imported (or failed for good) and their
	// contents deleted; the record stays for the import's outcome.
	Spent bool
}

// UploadFile is one staged file: its name (a relative path, safe) and bytes.
type UploadFile struct {
	Name string
	Data []byte
}

// UploadJob is the import of an upload: where it has got, then how it ended.
type UploadJob struct {
	Stage       string // "" before it starts; then the import's stage
	Done, Total int64
	Started     time.Time // zero: not started
	Finished    time.Time // zero: not started or still running
	// Result is the outcome as the caller encoded it (the web app's JSON),
	// ErrCode and ErrMessage the error (care code and text), when finished.
	Result     []byte
	ErrCode    string
	ErrMessage string
}

// UploadStore keeps browser uploads and their imports' progress in the
// database (migration 0710 of both stores), shared by every app server.
type UploadStore interface {
	// StageUpload stores an upload and its files, first deleting the
	// uploads staged before expired whose import is not running (and those
	// whose import started before expired and never finished, left by a
	// server that stopped).
	StageUpload(ctx context.Context, u Upload, files []UploadFile, expired time.Time) error
	// UploadOf returns an upload (file names only) and its import.
	// ENOTFOUND when there is none.
	UploadOf(ctx context.Context, token string) (Upload, UploadJob, error)
	// UploadFiles returns an upload's files with their contents, in order;
	// none once spent.
	UploadFiles(ctx context.Context, token string) ([]UploadFile, error)
	// StartUploadImport marks the upload's import started at at. ECONFLICT
	// when it is running already, ENOTFOUND when there is no such upload or
	// it is spent.
	StartUploadImport(ctx context.Context, token string, at time.Time) error
	// UploadProgress records where the running import has got.
	UploadProgress(ctx context.Context, token, stage string, done, total int64) error
	// FinishUploadImport records how the import ended (job's Finished,
	// Result, ErrCode and ErrMessage), deleting the files' contents when
	// spent.
	FinishUploadImport(ctx context.Context, token string, job UploadJob, spent bool) error
	// DeleteUpload deletes an upload and its files (cancelled).
	DeleteUpload(ctx context.Context, token string) error
}
