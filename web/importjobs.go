package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"sufficiency/care"
	"sufficiency/ingest"
	"sufficiency/store"
)

// Imports run in the background so a long one (a large council, several
// years) shows its progress: the Import button starts the job and leads to
// /imports/jobs/{token}, which shows the stage and a progress bar and
// asks the browser to look again every two seconds (a Refresh header: no
// script) until the import is done, then shows the result. A job is its
// starter's only. Its progress and outcome are kept in the database with
// the upload (store.UploadStore), so any app server sharing the database
// shows them, whichever server runs the import; the outcome is kept for an
// hour.

// progressEvery is how often a running import records its progress in the
// database (and at each change of stage).
const progressEvery = time.Second

// progressWriter records an import's progress (ingest.Options.Progress) in
// the database, at most once per progressEvery within a stage, from a
// goroutine of its own: the import never waits for it (in SQLite the
// write waits for the import's own transaction to commit). The server
// running the import shows the latest progress from memory.
type progressWriter struct {
	us    store.UploadStore
	token string
	kick  chan struct{} // a progress to write
	stop  chan struct{} // closed when the import ends

	mu          sync.Mutex
	stage       string
	done, total int64
	lastStage   string
	last        time.Time
}

func newProgressWriter(us store.UploadStore, token string) *progressWriter {
	p := &progressWriter{us: us, token: token, kick: make(chan struct{}, 1), stop: make(chan struct{}), stage: "read", lastStage: "read", last: time.Now()}
	go func() {
		for {
			select {
			case <-p.stop:
				return
			case <-p.kick:
				stage, done, total := p.now()
				// Best effort: a progress not recorded shows the previous
				// one; once the import has ended it changes nothing.
				_ = p.us.UploadProgress(context.Background(), p.token, stage, done, total)
			}
		}
	}()
	return p
}

// progress records where the import has got.
func (p *progressWriter) progress(stage string, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage, p.done, p.total = stage, done, total
	now := time.Now()
	if stage == p.lastStage && now.Sub(p.last) < progressEvery {
		return
	}
	p.lastStage, p.last = stage, now
	select {
	case p.kick <- struct{}{}:
	default: // a write is pending: it will take the latest
	}
}

// now is the latest progress.
func (p *progressWriter) now() (string, int64, int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stage, p.done, p.total
}

// runningHere are the imports running in this process, by upload token.
var runningHere sync.Map // token → *progressWriter

// startImport runs the import of upload token (staged s) in the background
// as u and returns at once. ECONFLICT when the upload is already being
// imported.
func startImport(us store.UploadStore, u userView, token string, s staged, st store.Store, opt ingest.Options) error {
	ctx := context.Background()
	if err := us.StartUploadImport(ctx, token, time.Now().UTC()); err != nil {
		return err
	}
	pw := newProgressWriter(us, token)
	runningHere.Store(token, pw)
	opt.Progress = pw.progress
	// The request ends now: the job gets a context of its own, under the
	// user's name (its store reads are audited one entry each).
	actx := store.WithActor(ctx, u.name)
	go func() {
		var res ingest.Result
		dir, err := materialise(actx, us, token, s)
		if err == nil {
			res, err = ingest.Run(actx, st, stagedPaths(s, dir), opt)
			_ = os.RemoveAll(dir)
		}
		close(pw.stop)
		job := store.UploadJob{Finished: time.Now().UTC()}
		if err != nil {
			job.ErrCode, job.ErrMessage = care.ErrorCode(err), care.ErrorMessage(err)
		}
		res.Findings = nil // shown by the check page and the import's record, not here
		job.Result, _ = json.Marshal(res)
		// Imported (or failed for good): the upload is spent. Refused for
		// its errors: kept, to import despite them.
		spent := err == nil || care.ErrorCode(err) != care.EREJECTED
		_ = us.FinishUploadImport(ctx, token, job, spent)
		runningHere.Delete(token)
	}()
	return nil
}

// userView is who started a job.
type userView struct {
	id   int64
	name string
}

// stageWords name the import's stages.
var stageWords = map[string]string{"read": "Reading the files", "validate": "Checking the returns against the DfE's rules",
	"stitch": "Joining the years into each child's history", "store": "Saving to the database"}

// progressView is the progress page's data.
type progressView struct {
	Stage       string
	Done, Total int64
	Percent     int
	Unit        string
	Elapsed     string
	Href        string
}

// progressPage shows an import's progress, then its result, read from the
// database: the import may run on another app server.
func (h *pageHandlers) progressPage(w http.ResponseWriter, r *http.Request) {
	quietAction(r) // polling: recorded only if it reads child-level data
	u, _ := userFrom(r.Context())
	token := r.PathValue("token")
	notFound := care.Errorf(care.ENOTFOUND, "no import in progress for upload %q: it may have finished more than an hour ago (see Imports)", token)
	us, err := uploadStore(h.data.st)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	var up store.Upload
	var j store.UploadJob
	if _, err = stageToken(token); err == nil {
		up, j, err = us.UploadOf(r.Context(), token)
	}
	if err != nil || up.User != u.Name || j.Started.IsZero() || (!j.Finished.IsZero() && time.Since(j.Finished) > stagingTTL) {
		if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
			pageError(h.render, w, r, err)
			return
		}
		pageError(h.render, w, r, notFound)
		return
	}
	crumbs := []link{{"/", "Home"}, {"/imports", "Imports"}}
	if j.Finished.IsZero() {
		if p, ok := runningHere.Load(token); ok { // running here: the latest
			j.Stage, j.Done, j.Total = p.(*progressWriter).now()
		}
		v := progressView{Stage: stageWords[j.Stage], Done: j.Done, Total: j.Total, Href: "/imports/jobs/" + token,
			Elapsed: strconv.Itoa(int(time.Since(j.Started).Seconds())) + " seconds"}
		if v.Stage == "" {
			v.Stage = j.Stage
		}
		if j.Total > 0 {
			v.Percent = int(100 * j.Done / j.Total)
		}
		switch j.Stage {
		case "read":
			v.Unit = "bytes"
		case "validate":
			v.Unit = "returns"
		case "store":
			v.Unit = "rows"
		}
		w.Header().Set("Refresh", "2")
		w.Header().Set("Cache-Control", "no-store")
		h.render(w, r, 0, "importprogress", pageData{Title: "Importing", Caption: scopeName(up.Council), Breadcrumbs: crumbs, Data: v})
		return
	}
	if j.ErrCode != "" {
		if j.ErrCode == care.EREJECTED {
			http.Redirect(w, r, "/imports/"+token+"?refused=1", http.StatusSeeOther)
			return
		}
		pageError(h.render, w, r, care.Errorf(j.ErrCode, "%s", j.ErrMessage))
		return
	}
	var res ingest.Result
	if err := json.Unmarshal(j.Result, &res); err != nil {
		pageError(h.render, w, r, care.WrapError(care.EINTERNAL, err, "read the outcome of the import of upload %s", token))
		return
	}
	recordAction(r, "view import result", fmt.Sprintf("import %d of %s", res.ImportID, up.Council))
	s := stagedOf(up)
	h.render(w, r, 0, "importdone", pageData{Title: "Returns imported", Caption: scopeName(up.Council), Breadcrumbs: crumbs,
		Data: importsView{Imported: &res, CouncilName: scopeName(up.Council), Upload: &s}})
}
