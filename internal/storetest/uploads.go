package storetest

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// testUploads checks browser uploads staged in the store (store.UploadStore):
// files round trip byte for byte, an import starts once at a time, its
// progress and outcome are read back, spent files are deleted but the record
// kept, and expired uploads are swept unless their import is running.
func testUploads(t *testing.T, st store.Store) {
	us, ok := st.(store.UploadStore)
	if !ok {
		t.Fatalf("%T is not a store.UploadStore", st)
	}
	ctx := ctxAs("t")
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	files := []store.UploadFile{{Name: "2025/episodes.csv", Data: []byte("CHILD,DECOM\n1,01/04/2024\n")}, {Name: "set-1/header.csv", Data: []byte{0, 1, 2, 255}}}
	up := func(token string, at time.Time) store.Upload {
		return store.Upload{Token: token, User: "ann", Council: "E08000003", Year: 2025, At: at, Files: []string{files[0].Name, files[1].Name}}
	}
	a := fmt.Sprintf("%032x", 1)
	if err := us.StageUpload(ctx, up(a, t0), files, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, job, err := us.UploadOf(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if want := up(a, t0); fmt.Sprint(got) != fmt.Sprint(want) || !got.At.Equal(t0) || job.Stage != "" || !job.Started.IsZero() {
		t.Errorf("UploadOf = %+v %+v, want %+v and no job", got, job, want)
	}
	fs, err := us.UploadFiles(ctx, a)
	if err != nil || len(fs) != 2 || fs[0].Name != files[0].Name || !bytes.Equal(fs[0].Data, files[0].Data) || !bytes.Equal(fs[1].Data, files[1].Data) {
		t.Errorf("UploadFiles = %+v, %v; want %+v", fs, err, files)
	}
	if _, _, err := us.UploadOf(ctx, fmt.Sprintf("%032x", 9)); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("UploadOf(unknown): %v, want ENOTFOUND", err)
	}

	// One import at a time; progress; a refusal leaves the files to try again.
	if err := us.StartUploadImport(ctx, a, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := us.StartUploadImport(ctx, a, t0.Add(time.Minute)); care.ErrorCode(err) != care.ECONFLICT {
		t.Errorf("StartUploadImport while running: %v, want ECONFLICT", err)
	}
	if err := us.UploadProgress(ctx, a, "store", 40, 100); err != nil {
		t.Fatal(err)
	}
	if _, job, _ = us.UploadOf(ctx, a); job.Stage != "store" || job.Done != 40 || job.Total != 100 || !job.Started.Equal(t0.Add(time.Minute)) || !job.Finished.IsZero() {
		t.Errorf("job while running: %+v", job)
	}
	refused := store.UploadJob{Finished: t0.Add(2 * time.Minute), ErrCode: "EREJECTED", ErrMessage: "2 errors"}
	if err := us.FinishUploadImport(ctx, a, refused, false); err != nil {
		t.Fatal(err)
	}
	if _, job, _ = us.UploadOf(ctx, a); job.ErrCode != "EREJECTED" || job.ErrMessage != "2 errors" || !job.Finished.Equal(refused.Finished) {
		t.Errorf("job refused: %+v", job)
	}
	if fs, _ := us.UploadFiles(ctx, a); len(fs) != 2 {
		t.Errorf("files after a refusal: %d, want 2", len(fs))
	}
	// Imported: the files' contents go, the outcome stays.
	if err := us.StartUploadImport(ctx, a, t0.Add(3*time.Minute)); err != nil {
		t.Fatalf("StartUploadImport after a refusal: %v", err)
	}
	if _, job, _ = us.UploadOf(ctx, a); job.ErrCode != "" || !job.Finished.IsZero() || job.Result != nil {
		t.Errorf("job restarted: %+v", job)
	}
	done := store.UploadJob{Finished: t0.Add(4 * time.Minute), Result: []byte(`{"import":1}`)}
	if err := us.FinishUploadImport(ctx, a, done, true); err != nil {
		t.Fatal(err)
	}
	got, job, err = us.UploadOf(ctx, a)
	if err != nil || !got.Spent || len(got.Files) != 2 || string(job.Result) != `{"import":1}` || job.ErrCode != "" {
		t.Errorf("after the import: %+v %+v %v", got, job, err)
	}
	if fs, _ := us.UploadFiles(ctx, a); len(fs) != 0 {
		t.Errorf("files after the import: %d, want none", len(fs))
	}
	if err := us.StartUploadImport(ctx, a, t0.Add(5*time.Minute)); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("StartUploadImport of a spent upload: %v, want ENOTFOUND", err)
	}

	// Sweeping: b never started, c running, d started long ago and never
	// finished; a finished before the cut. Only c stays.
	b, c, d := fmt.Sprintf("%032x", 2), fmt.Sprintf("%032x", 3), fmt.Sprintf("%032x", 4)
	for _, tok := range []string{b, c, d} {
		if err := us.StageUpload(ctx, up(tok, t0), files, t0.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := us.StartUploadImport(ctx, c, t0.Add(90*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := us.StartUploadImport(ctx, d, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	e := fmt.Sprintf("%032x", 5)
	if err := us.StageUpload(ctx, up(e, t0.Add(2*time.Hour)), files, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for tok, want := range map[string]bool{a: false, b: false, c: true, d: false, e: true} {
		_, _, err := us.UploadOf(ctx, tok)
		if kept := err == nil; kept != want {
			t.Errorf("upload %s kept %v after the sweep (%v), want %v", tok[28:], kept, err, want)
		}
	}
	if err := us.DeleteUpload(ctx, e); err != nil {
		t.Fatal(err)
	}
	if _, _, err := us.UploadOf(ctx, e); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("UploadOf after DeleteUpload: %v", err)
	}
	if fs, _ := us.UploadFiles(ctx, e); len(fs) != 0 {
		t.Errorf("files after DeleteUpload: %d", len(fs))
	}
}
