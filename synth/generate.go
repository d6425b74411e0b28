package synth

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"sufficiency/care"
	"sufficiency/refdata"
)

// Version identifies the generator's model; it is written to manifest.json
// and changes whenever the same seed would give different output.
const Version = "synth/7"

// DefaultRegion is a real region of RCC size (12 councils, about 4,000
// children in care) for demonstrations.
const DefaultRegion = "North East"

// Earliest and latest collection years the generator supports. The DfE
// tables it writes exist from 2012/13; DoLo (2026/27) is not generated.
const (
	MinYear = 2013
	MaxYear = 2026
)

// Config says what to generate.
type Config struct {
	Out      string   // output directory (created; replaced if it holds an earlier synth output)
	Region   string   // one of the nine English regions, or ""
	Councils []string // ONS or DfE codes or names; used when Region is ""; both empty means all England
	From, To int      // collection years ending 31 March (default 2015–2025)
	Seed     uint64   // random seed: the same seed gives byte-identical files
	Workers  int      // councils generated at once (default: the number of CPUs)
	// Progress, if set, is called after each council is written (from the
	// goroutine that wrote it; calls are serialised).
	Progress func(done, total int, council string)
}

// YearCounts are what the generator wrote for one council and year.
type YearCounts struct {
	Year     int         `json:"year"`
	Children int         `json:"children_looked_after"` // children looked after during the year
	Stock    int         `json:"at_31_march"`           // children looked after at 31 March
	Rows     int         `json:"episode_rows"`          // episode rows
	Mix      [nKinds]int `json:"mix"`                   // children at 31 March by kind, in the order of Kinds()
}

// CouncilSummary is what was generated for one council.
type CouncilSummary struct {
	Council  string       `json:"council"`
	Name     string       `json:"name"`
	Children int          `json:"children"` // distinct children generated
	Starts   int          `json:"starts"`
	Ceases   int          `json:"ceases"`
	Years    []YearCounts `json:"years"`

	closedUsed []int32 // World.Homes of the homes that closed the written episodes name (repeats allowed)
}

// Summary describes a finished generation.
type Summary struct {
	Out        string           `json:"out"`
	Seed       uint64           `json:"seed"`
	From       int              `json:"from"`
	To         int              `json:"to"`
	Version    string           `json:"generator"`
	Councils   []CouncilSummary `json:"councils"`
	Children   int              `json:"children"`     // distinct children
	Episodes   int              `json:"episode_rows"` // episode rows over all years
	Provisions int              `json:"provisions"`   // supply: provisions written
	Vacancies  int              `json:"vacancies"`    // supply: vacancies written
	Elapsed    time.Duration    `json:"elapsed_ns"`
}

// resolve turns the config's region or codes into councils.
func (cfg *Config) resolve() ([]refdata.Council, error) {
	if cfg.From == 0 {
		cfg.From = 2015
	}
	if cfg.To == 0 {
		cfg.To = 2025
	}
	if cfg.From < MinYear || cfg.To > MaxYear || cfg.From > cfg.To {
		return nil, care.Errorf(care.EINVALID,
			"years %d to %d are not possible: give collection years ending 31 March with %d <= from <= to <= %d",
			cfg.From, cfg.To, MinYear, MaxYear)
	}
	if strings.TrimSpace(cfg.Out) == "" {
		return nil, care.Errorf(care.EINVALID, "no output directory was given")
	}
	if cfg.Region != "" && len(cfg.Councils) > 0 {
		return nil, care.Errorf(care.EINVALID, "give either a region or council codes, not both")
	}
	if cfg.Region != "" {
		cs, err := refdata.CouncilsInRegion(cfg.Region)
		if err != nil {
			return nil, care.WrapError(care.EINVALID, nil, "%s", care.ErrorMessage(err))
		}
		return cs, nil
	}
	if len(cfg.Councils) == 0 {
		return refdata.Councils(), nil
	}
	var out []refdata.Council
	seen := map[string]bool{}
	var bad []string
	for _, code := range cfg.Councils {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		c, ok := refdata.CouncilByCode(code)
		if !ok {
			bad = append(bad, code)
			continue
		}
		if !seen[c.Code] {
			seen[c.Code] = true
			out = append(out, c)
		}
	}
	if len(bad) > 0 {
		return nil, care.Errorf(care.EINVALID,
			"unknown council code %s: give ONS codes (E08000003), DfE codes (352) or names of English children's services councils",
			strings.Join(bad, ", "))
	}
	if len(out) == 0 {
		return nil, care.Errorf(care.EINVALID, "no councils given: the list of council codes is empty")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// prepareOut checks the output directory and returns the temporary directory
// to write into (beside it, so the final rename stays on one file system).
func prepareOut(out string) (string, error) {
	out = filepath.Clean(out)
	if fi, err := os.Stat(out); err == nil {
		if !fi.IsDir() {
			return "", care.Errorf(care.EINVALID, "%s is a file, not a directory: the output must be a new or existing directory", out)
		}
		ents, err := os.ReadDir(out)
		if err != nil {
			return "", care.WrapError(care.EINVALID, err, "cannot read %s", out)
		}
		if len(ents) > 0 {
			if _, err := os.Stat(filepath.Join(out, "manifest.json")); err != nil {
				return "", care.Errorf(care.EINVALID,
					"%s exists and is not an earlier synth output (no manifest.json): give an empty or new directory", out)
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", care.WrapError(care.EINVALID, err, "cannot use %s as the output directory", out)
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", care.WrapError(care.EINVALID, err, "cannot create %s: the output directory must be in a writable place", parent)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return "", care.WrapError(care.EINVALID, err, "cannot write in %s: the output directory must be in a writable place", parent)
	}
	return tmp, nil
}

// finish moves the finished temporary directory into place, replacing an
// earlier output.
func finish(tmp, out string) error {
	out = filepath.Clean(out)
	var old string
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return care.WrapError(care.EINVALID, err, "cannot replace %s", out)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return care.WrapError(care.EINVALID, err, "cannot move the output into %s", out)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// Generate writes a synthetic region: for each council and collection year
// the SSDA903 tables (DfE CSV layout) with the PlacementCosts and Needs
// extension tables, the region's supply in supply/, and manifest.json. It
// writes into a temporary directory beside cfg.Out and renames it at the end,
// so a failure leaves nothing half-written. Bad configuration (unknown region
// or council, impossible years, an output path that is a file or not
// writable) gives EINVALID.
func Generate(ctx context.Context, cfg Config) (Summary, error) {
	start := time.Now()
	councils, err := cfg.resolve()
	if err != nil {
		return Summary{}, err
	}
	tmp, err := prepareOut(cfg.Out)
	if err != nil {
		return Summary{}, err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	nat := NationalFromRefdata()
	world := WorldFromRefdata()
	inputs := make([]*CouncilInput, len(councils))
	for i, c := range councils {
		in, err := CouncilFromRefdata(c.Code, cfg.From, cfg.To)
		if err != nil {
			return Summary{}, err
		}
		inputs[i] = in
	}
	quotas, err := placesFromRefdata()
	if err != nil {
		return Summary{}, err
	}
	sums, err := run(ctx, inputs, nat, world, quotas, cfg, tmp)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Out: filepath.Clean(cfg.Out), Seed: cfg.Seed, From: cfg.From, To: cfg.To, Version: Version, Councils: sums}
	for _, cs := range sums {
		sum.Children += cs.Children
		for _, y := range cs.Years {
			sum.Episodes += y.Rows
		}
	}
	closed := map[int32]bool{}
	for _, cs := range sums {
		for _, h := range cs.closedUsed {
			closed[h] = true
		}
	}
	np, nv, err := writeSupply(filepath.Join(tmp, "supply"), inputs, nat, world, cfg.Seed, cfg.To, closed)
	if err != nil {
		return Summary{}, err
	}
	sum.Provisions, sum.Vacancies = np, nv
	if err := writeManifest(filepath.Join(tmp, "manifest.json"), sum); err != nil {
		return Summary{}, err
	}
	if err := finish(tmp, cfg.Out); err != nil {
		return Summary{}, err
	}
	ok = true
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// run generates councils in parallel, each from its own seeded random
// source, so the output does not depend on scheduling.
func run(ctx context.Context, inputs []*CouncilInput, nat *National, world *World, quotas map[string]map[int32]int, cfg Config, dir string) ([]CouncilSummary, error) {
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sums := make([]CouncilSummary, len(inputs))
	errs := make([]error, len(inputs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				in := inputs[i]
				s := newSim(in, nat, world, cfg.Seed, quotas[in.Code])
				if err := s.run(ctx, cfg.From, cfg.To, filepath.Join(dir, in.Code)); err != nil {
					errs[i] = err
					cancel()
					continue
				}
				s.stats.Children = s.children
				sums[i] = s.stats
				if cfg.Progress != nil {
					mu.Lock()
					done++
					cfg.Progress(done, len(inputs), in.Code)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range inputs {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			var ce *care.Error
			if errors.As(err, &ce) {
				return nil, err
			}
			return nil, care.WrapError(care.EINTERNAL, err, "generating %s", inputs[i].Code)
		}
	}
	if err := ctx.Err(); err != nil && errors.Is(err, context.Canceled) {
		return nil, err
	}
	return sums, nil
}

// Manifest is the content of manifest.json.
type Manifest struct {
	Generator string            `json:"generator"`
	Seed      uint64            `json:"seed"`
	From      int               `json:"from"`
	To        int               `json:"to"`
	Councils  []ManifestCouncil `json:"councils"`
	Children  int               `json:"children"`
	Episodes  int               `json:"episode_rows"`
	Supply    struct {
		Provisions int `json:"provisions"`
		Vacancies  int `json:"vacancies"`
	} `json:"supply"`
}

// ManifestCouncil is one council in manifest.json.
type ManifestCouncil struct {
	Code     string         `json:"code"`
	Name     string         `json:"name"`
	Children int            `json:"children"`
	Years    []ManifestYear `json:"years"`
}

// ManifestYear is one council-year in manifest.json.
type ManifestYear struct {
	Year     int `json:"year"`
	Children int `json:"children_looked_after"`
	Stock    int `json:"at_31_march"`
	Episodes int `json:"episode_rows"`
}

func writeManifest(path string, s Summary) error {
	m := Manifest{Generator: s.Version, Seed: s.Seed, From: s.From, To: s.To, Children: s.Children, Episodes: s.Episodes}
	m.Supply.Provisions, m.Supply.Vacancies = s.Provisions, s.Vacancies
	for _, c := range s.Councils {
		mc := ManifestCouncil{Code: c.Council, Name: c.Name, Children: c.Children}
		for _, y := range c.Years {
			mc.Years = append(mc.Years, ManifestYear{Year: y.Year, Children: y.Children, Stock: y.Stock, Episodes: y.Rows})
		}
		m.Councils = append(m.Councils, mc)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadManifest reads DIR/manifest.json.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return m, care.WrapError(care.EUNUSABLE, err, "%s is not a synth output (no readable manifest.json)", dir)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, care.WrapError(care.EUNUSABLE, err, "%s/manifest.json is not valid", dir)
	}
	return m, nil
}
