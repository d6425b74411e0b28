package web

import (
	"context"
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
// starter's only, is kept in this server's memory (with several servers
// behind one address the progress page needs the same server: sticky
// sessions) and forgotten an hour after it ends.

// importJob is one import running or done.
type importJob struct {
	user    int64
	council string
	up      staged

	mu           sync.Mutex
	stage        string
	done, total  int64
	finished     time.Time // zero while running
	res          ingest.Result
	err          error
	started, end time.Time
}

// progress records how far the import has got (ingest.Options.Progress).
func (j *importJob) progress(stage string, done, total int64) {
	j.mu.Lock()
	j.stage, j.done, j.total = stage, done, total
	j.mu.Unlock()
}

// importJobs are the jobs of this process, by upload token.
var importJobs = struct {
	sync.Mutex
	m map[string]*importJob
}{m: map[string]*importJob{}}

// jobTTL is how long a finished job's result is kept.
const jobTTL = time.Hour

// startImport runs the import of upload token in the background as u and
// returns at once. ECONFLICT when the upload is already being imported.
func startImport(u userView, token, dir string, s staged, st store.Store, opt ingest.Options) error {
	importJobs.Lock()
	defer importJobs.Unlock()
	now := time.Now()
	for k, j := range importJobs.m {
		j.mu.Lock()
		old := !j.finished.IsZero() && now.Sub(j.finished) > jobTTL
		j.mu.Unlock()
		if old {
			delete(importJobs.m, k)
		}
	}
	if j, ok := importJobs.m[token]; ok {
		j.mu.Lock()
		running := j.finished.IsZero()
		j.mu.Unlock()
		if running {
			return care.Errorf(care.ECONFLICT, "this upload is already being imported")
		}
	}
	j := &importJob{user: u.id, council: s.Council, up: s, stage: "read", started: now}
	importJobs.m[token] = j
	opt.Progress = j.progress
	// The request ends now: the job gets a context of its own, under the
	// user's name (its store reads are audited one entry each).
	ctx := store.WithActor(context.Background(), u.name)
	go func() {
		res, err := ingest.Run(ctx, st, stagedPaths(s, dir), opt)
		if err == nil || care.ErrorCode(err) != care.EREJECTED {
			_ = os.RemoveAll(dir) // imported (or failed for good): the upload is spent
		}
		j.mu.Lock()
		j.res, j.err, j.finished = res, err, time.Now()
		j.mu.Unlock()
	}()
	return nil
}

// userView is who started a job.
type userView struct {
	id   int64
	name string
}

// jobOf returns the job of token if it is u's.
func jobOf(u userView, token string) (*importJob, bool) {
	importJobs.Lock()
	j, ok := importJobs.m[token]
	importJobs.Unlock()
	if !ok || j.user != u.id {
		return nil, false
	}
	return j, true
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

// progressPage shows an import's progress, then its result.
func (h *pageHandlers) progressPage(w http.ResponseWriter, r *http.Request) {
	quietAction(r) // polling: recorded only if it reads child-level data
	u, _ := userFrom(r.Context())
	token := r.PathValue("token")
	j, ok := jobOf(userView{u.ID, u.Name}, token)
	if !ok {
		pageError(h.render, w, r, care.Errorf(care.ENOTFOUND, "no import in progress for upload %q: it may have finished more than an hour ago (see Imports)", token))
		return
	}
	j.mu.Lock()
	stage, done, total, finished, res, err, started := j.stage, j.done, j.total, j.finished, j.res, j.err, j.started
	j.mu.Unlock()
	crumbs := []link{{"/", "Home"}, {"/imports", "Imports"}}
	if finished.IsZero() {
		v := progressView{Stage: stageWords[stage], Done: done, Total: total, Href: "/imports/jobs/" + token,
			Elapsed: strconv.Itoa(int(time.Since(started).Seconds())) + " seconds"}
		if v.Stage == "" {
			v.Stage = stage
		}
		if total > 0 {
			v.Percent = int(100 * done / total)
		}
		switch stage {
		case "read":
			v.Unit = "bytes"
		case "validate":
			v.Unit = "returns"
		case "store":
			v.Unit = "rows"
		}
		w.Header().Set("Refresh", "2")
		w.Header().Set("Cache-Control", "no-store")
		h.render(w, r, 0, "importprogress", pageData{Title: "Importing", Caption: scopeName(j.council), Breadcrumbs: crumbs, Data: v})
		return
	}
	if err != nil {
		if care.ErrorCode(err) == care.EREJECTED {
			http.Redirect(w, r, "/imports/"+token+"?refused=1", http.StatusSeeOther)
			return
		}
		pageError(h.render, w, r, err)
		return
	}
	recordAction(r, "view import result", fmt.Sprintf("import %d of %s", res.ImportID, j.council))
	up := j.up
	h.render(w, r, 0, "importdone", pageData{Title: "Returns imported", Caption: scopeName(j.council), Breadcrumbs: crumbs,
		Data: importsView{Imported: &res, CouncilName: scopeName(j.council), Upload: &up}})
}
