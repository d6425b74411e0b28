package ssda903

import (
	"bufio"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"sufficiency/care"
	"sufficiency/internal/inputfile"
	"sufficiency/refdata"
)

// ReadOptions control Read.
type ReadOptions struct {
	// Year is the collection year ending 31 March Year (2025 = 2024/25) of
	// every file in the DfE CSV and XML layouts; 0 infers it per file (see
	// Read). It does not override the YEAR column of the platform layout.
	Year int
	// Council is the council the files belong to: an ONS
	// code such as E08000003, a DfE code such as 352 or a name; a known
	// English council becomes its ONS code. Empty takes it from the folder
	// names or the platform LA column (names there become ONS codes too).
	// When set, files in a folder named after another council's ONS code,
	// and platform rows of other councils, are skipped with a
	// READ-OTHER-COUNCIL finding.
	Council string
	// MaxFileBytes is the largest file read; 0 means DefaultMaxFileBytes
	// and a negative value means no limit.
	MaxFileBytes int64
	// Progress, if set, is called now and then with the bytes read so far
	// and the total size of all files. Calls are serialised.
	Progress func(doneBytes, totalBytes int64)
	// MaxRows is the most rows kept of one table (of one council and year
	// in the platform layout); further rows are read and counted but not
	// kept, and one READ-TOO-MANY-ROWS error says how many. 0 means
	// DefaultMaxRows and a negative value means no limit. Memory is then
	// bounded by the rows kept, however large the file.
	MaxRows int
}

// DefaultMaxRows is the default limit on the rows kept of one table:
// five times the largest council-year table in England (about 10,000 rows).
// A file with more rows is the wrong file or several returns run together.
const DefaultMaxRows = 50_000

func (o ReadOptions) maxRows() int {
	switch {
	case o.MaxRows == 0:
		return DefaultMaxRows
	case o.MaxRows < 0:
		return -1
	}
	return o.MaxRows
}

// rowCap keeps at most max rows of each table (fn appends the rows it is
// given to t.Rows) and counts the rest.
type rowCap struct {
	max   int
	over  map[*Table]*overflow
	order []*Table
}

type overflow struct {
	line, rows int // the first row not kept, and how many were not kept
}

func (c *rowCap) wrap(fn func(*Table, Row) error) func(*Table, Row) error {
	if c.max < 0 {
		return fn
	}
	return func(t *Table, r Row) error {
		if len(t.Rows) < c.max {
			return fn(t, r)
		}
		o := c.over[t]
		if o == nil {
			if c.over == nil {
				c.over = map[*Table]*overflow{}
			}
			o = &overflow{line: r.Line}
			c.over[t] = o
			c.order = append(c.order, t)
		}
		o.rows++
		return nil
	}
}

// report adds one READ-TOO-MANY-ROWS error per table that had rows left out.
func (c *rowCap) report(fs *findingSink, file string) {
	for _, t := range c.order {
		o := c.over[t]
		total := len(t.Rows) + o.rows
		fs.add(Finding{Severity: SeverityError, RuleCode: "READ-TOO-MANY-ROWS", Table: t.Name, File: file, Line: o.line, Value: fmt.Sprint(total),
			Message: fmt.Sprintf("the %s table has %s rows, more than the %s kept of one table (the largest council's tables have about 10,000 rows a year): only the first %s were kept and checked, and the %s from this line on were counted but not checked. Check it is the right file and that several years or councils are not run together in it",
				t.Name, thousands(total), thousands(c.max), thousands(len(t.Rows)), thousands(o.rows))})
	}
}

// thousands writes a count with comma thousands separators, as
// tabular.Thousands does (the stores read through this package, and may not
// depend on tabular, a capability).
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// DefaultMaxFileBytes is the default size limit of one input file (1 GiB).
// A council-year of SSDA903 tables is a few megabytes.
const DefaultMaxFileBytes int64 = 1 << 30

func (o ReadOptions) maxBytes() int64 {
	switch {
	case o.MaxFileBytes == 0:
		return DefaultMaxFileBytes
	case o.MaxFileBytes < 0:
		return 0
	}
	return o.MaxFileBytes
}

// maxFindingsPerCode bounds the findings of one READ-* code listed per file;
// the rest are summarised in one more finding.
const maxFindingsPerCode = 100

// findingSink collects findings for one file, listing at most
// maxFindingsPerCode of each code.
type findingSink struct {
	list       []Finding
	count      map[string]int
	suppressed map[string]int
}

func (s *findingSink) add(f Finding) {
	if s.count == nil {
		s.count = map[string]int{}
		s.suppressed = map[string]int{}
	}
	s.count[f.RuleCode]++
	if s.count[f.RuleCode] > maxFindingsPerCode {
		s.suppressed[f.RuleCode]++
		return
	}
	s.list = append(s.list, f)
}

// addSuppressed counts n more findings of code that are not listed (they
// came after maxFindingsPerCode listed ones).
func (s *findingSink) addSuppressed(code string, n int) {
	if s.count == nil {
		s.count = map[string]int{}
		s.suppressed = map[string]int{}
	}
	s.count[code] += n
	s.suppressed[code] += n
}

func (s *findingSink) done(file string) []Finding {
	codes := make([]string, 0, len(s.suppressed))
	for c := range s.suppressed {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		sev := SeverityWarning
		for _, f := range s.list {
			if f.RuleCode == c {
				sev = f.Severity
				break
			}
		}
		s.list = append(s.list, Finding{Severity: sev, RuleCode: c, File: file, More: s.suppressed[c],
			Message: fmt.Sprintf("%d more %s findings in this file are not listed", s.suppressed[c], c)})
	}
	return s.list
}

func unusable(file, format string, args ...any) *care.Error {
	return care.Errorf(care.EUNUSABLE, "%s: %s", file, fmt.Sprintf(format, args...))
}

// ReadFile reads one file (any layout) and returns its tables with all their
// rows: one table for a DfE CSV file, the tables of the return for an XML
// file, and one table per LA and year for a platform file. An unusable file
// (empty, binary, a workbook, truncated XML, no recognisable table, too
// large) is an error with code care.EUNUSABLE that names the file and says
// what to do; problems with single rows are findings with READ-* codes.
func ReadFile(path string, opt ReadOptions) ([]*Table, []Finding, error) {
	var tables []*Table
	findings, err := scanFile(path, opt, func(t *Table, r Row) error {
		t.Rows = append(t.Rows, r)
		return nil
	}, &tables, nil)
	return tables, findings, err
}

// ScanFile streams the rows of one file to fn without keeping them, so memory
// does not grow with the file. fn receives the table a row belongs to (the
// same *Table for every row of that table, with Rows left empty) and may keep
// the Row. An error from fn stops the scan and is returned.
func ScanFile(path string, opt ReadOptions, fn func(t *Table, row Row) error) ([]Finding, error) {
	return scanFile(path, opt, fn, nil, nil)
}

// ReadFrom reads one file's content from r; name is used in messages and as
// Table.File. It is ReadFile without the file system.
func ReadFrom(r io.Reader, name string, opt ReadOptions) ([]*Table, []Finding, error) {
	var tables []*Table
	fs := &findingSink{}
	var size int64
	if l, ok := r.(interface{ Len() int }); ok {
		size = int64(l.Len())
	}
	cr := &countingReader{r: r, limit: opt.maxBytes()}
	var par *parSource
	if ra, ok := r.(io.ReaderAt); ok && size > 0 {
		if sz, ok := r.(interface{ Size() int64 }); ok && sz.Size() >= size {
			par = &parSource{ra: ra, base: sz.Size() - size, size: size, cr: cr}
		}
	}
	rc := &rowCap{max: opt.maxRows()}
	tables, err := scanReader(cr, name, rc.wrap(func(t *Table, r Row) error {
		t.Rows = append(t.Rows, r)
		return nil
	}), fs, size, rc.max, par)
	rc.report(fs, name)
	if par != nil && par.used {
		if sk, ok := r.(io.Seeker); ok {
			sk.Seek(0, io.SeekEnd) // read to the end, as the sequential reader leaves it
		}
	}
	if errors.Is(err, errTooLarge) {
		err = unusable(name, "the file is larger than the %s limit; check it is the right file (a council's SSDA903 table is a few MB)", humanBytes(opt.maxBytes()))
	}
	return tables, fs.done(name), err
}

func scanFile(path string, opt ReadOptions, fn func(*Table, Row) error, out *[]*Table, progress func(int64)) ([]Finding, error) {
	fs := &findingSink{}
	f, err := inputfile.Open(path)
	if err != nil {
		return nil, unusable(path, "cannot open the file (%v)", unwrapPathError(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, unusable(path, "cannot read the file (%v)", unwrapPathError(err))
	}
	if st.IsDir() {
		return nil, unusable(path, "is a folder; use Read to read a folder")
	}
	limit := opt.maxBytes()
	if limit > 0 && st.Size() > limit {
		return nil, unusable(path, "the file is %s, larger than the %s limit. Check it is the right file: a council's SSDA903 table is a few MB", humanBytes(st.Size()), humanBytes(limit))
	}
	cr := &countingReader{r: f, limit: limit, progress: progress}
	var par *parSource
	if out != nil { // rows are kept anyway: read a large file on all cores
		par = &parSource{ra: f, size: st.Size(), cr: cr}
	}
	keep := 0 // rows kept per table: ScanFile keeps none
	rc := &rowCap{max: -1}
	if out != nil {
		rc.max = opt.maxRows()
		keep = rc.max
		fn = rc.wrap(fn)
	}
	tables, err := scanReader(cr, path, fn, fs, st.Size(), keep, par)
	rc.report(fs, path)
	if out != nil {
		*out = tables
	}
	if progress != nil {
		progress(cr.n)
	}
	if errors.Is(err, errTooLarge) {
		return fs.done(path), unusable(path, "the file grew past the %s limit while being read", humanBytes(limit))
	}
	return fs.done(path), err
}

// scanReader sniffs the content and runs the CSV or XML reader. Errors that
// make the file unusable come back as *care.Error with code EUNUSABLE. size
// is the input's size if known (else 0); keep is how many rows of a table
// fn keeps (0 none, negative all), so that room for them may be made in
// advance.
//
// par, if not nil, gives random access to the input behind r (which must
// then be its countingReader): a large CSV file is then read in parallel.
func scanReader(r io.Reader, name string, fn func(*Table, Row) error, fs *findingSink, size int64, keep int, par *parSource) ([]*Table, error) {
	br := bufio.NewReaderSize(r, bufferSize(size))
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		if errors.Is(err, errTooLarge) {
			return nil, err
		}
		return nil, unusable(name, "cannot read the file (%v)", err)
	}
	kind, enc, bareCR := sniff(head)
	switch kind {
	case kindEmpty:
		return nil, unusable(name, "the file is empty. Export the table again; a table with no rows still needs its row of column names")
	case kindBinary:
		return nil, unusable(name, "the file is not text (it holds binary data). Give the CSV or XML files exported from your case-management system")
	case kindXLSX:
		return nil, unusable(name, "this is an Excel workbook, not a CSV file. In Excel, save each table's sheet with Save As → \"CSV UTF-8\"")
	case kindXLS:
		return nil, unusable(name, "this is an Excel 97-2003 workbook, not a CSV file. In Excel, save each table's sheet with Save As → \"CSV UTF-8\"")
	case kindZip:
		return nil, unusable(name, "this is a zip archive. Unzip it and give the folder")
	case kindPDF:
		return nil, unusable(name, "this is a PDF document, not a CSV or XML file")
	}
	var src io.Reader = br
	switch enc {
	case encUTF16LE, encUTF16BE:
		br.Discard(2)
		src = bufio.NewReaderSize(&utf16Reader{r: br, bigEndian: enc == encUTF16BE}, 64<<10)
	}
	if bareCR {
		src = crReader{src}
	}
	var tables []*Table
	if kind == kindXML {
		tables, err = scanXML(src, name, fn, fs)
	} else {
		sizeHint := size
		if enc != encUTF8 {
			sizeHint /= 2
		}
		if keep == 0 {
			sizeHint = 0
		}
		if enc != encUTF8 || bareCR {
			par = nil // src is not br: the offsets would not match
		}
		tables, err = scanCSV(src, name, fn, fs, sizeHint, keep, par)
	}
	if err != nil {
		var ce *care.Error
		switch {
		case errors.As(err, &ce), errors.Is(err, errTooLarge):
			return tables, err
		case err == errEmptyText:
			return tables, unusable(name, "the file has no rows, not even column names. Export the table again")
		}
		var re *RecogniseError
		if errors.As(err, &re) {
			return tables, unusable(name, "%s", re.Reason)
		}
		return tables, care.WrapError(care.EUNUSABLE, err, "%s", name)
	}
	return tables, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Read reads SSDA903 files and groups their tables into Returns, one per
// council and collection year, sorted by council then year. PATHs are files
// or folders; folders are walked recursively for .csv, .tsv, .txt and .xml
// files (hidden files and Excel lock files are skipped, Excel workbooks are
// skipped with a READ-SKIPPED finding). Files are read in parallel.
//
// Each table's council is ReadOptions.Council if given, else the nearest
// folder named like an ONS code (E08000003), else the platform LA column,
// else "". Councils known to refdata are given by ONS code (the platform
// layout's "Barnet" is E09000003); others are kept as given. Each table's
// collection year is, in order:
//  1. ReadOptions.Year, if given (DfE CSV and XML layouts);
//  2. the platform YEAR column;
//  3. the nearest folder named like a year ("2025", "2024-25"; the layout
//     DIR/<ONS code>/<year ending>/<table>.csv of the synthetic generator);
//  4. a year in the file name ("2019-episodes.csv", "SSDA903_2024-25_header.csv");
//  5. the data: the latest collection year (1 April–31 March) holding at
//     least 1% of the episode start and end dates (DECOM, DEC) of the
//     files in the same folder with the same name year, so that a single
//     mistyped date does not move the file.
//
// A bare four-digit year from a folder or file name is ambiguous: "2019" may
// mean 2018/19 or 2019/20 (the peers' sample files name the year it starts).
// When the data put the file in the year after the named one, the data win
// and a READ-YEAR warning says so; ReadOptions.Year settles it.
//
// Two files with the same table for the same council and year are rejected
// (care.EUNUSABLE) unless their content is the same, in which case the
// second is ignored with a READ-DUPLICATE-FILE warning.
//
// The error, if any, is a *care.Error with code EUNUSABLE listing every
// unusable file; the returns read from the other files are still returned.
func Read(paths []string, opt ReadOptions) ([]*Return, []Finding, error) {
	if strings.TrimSpace(opt.Council) != "" {
		// The council given is checked against the embedded register, so an
		// unknown or mistyped one is never read into a return nobody can see.
		if _, err := refdata.LookupCouncil(opt.Council); err != nil {
			return nil, nil, care.WrapError(care.EINVALID, err, "the council the files belong to")
		}
	}
	opt.Council = refdata.NormaliseCouncil(opt.Council)
	files, findings, errs := collectFiles(paths)
	var total int64
	for _, f := range files {
		total += f.size
	}
	results := make([]fileResult, len(files))

	var mu sync.Mutex
	var done int64
	report := func(delta int64) {
		if opt.Progress == nil {
			return
		}
		mu.Lock()
		done += delta
		opt.Progress(done, total)
		mu.Unlock()
	}
	workers := runtime.GOMAXPROCS(0)
	if workers > len(files) {
		workers = len(files)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				var last int64
				prog := func(n int64) { report(n - last); last = n }
				var tables []*Table
				fnd, err := scanFile(files[i].path, opt, func(t *Table, r Row) error {
					t.Rows = append(t.Rows, r)
					return nil
				}, &tables, prog)
				results[i] = fileResult{path: files[i].path, tables: tables, findings: fnd, err: err}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	if done < total { // files that could not be read count as done
		report(total - done)
	}

	for _, r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
		}
	}
	returns, gf, gerrs := group(results, opt)
	errs = append(errs, gerrs...)
	for _, r := range results {
		findings = append(findings, r.findings...)
	}
	findings = append(findings, gf...)
	labelFindings(findings, returns)
	return returns, findings, joinUnusable(errs)
}

func joinUnusable(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = care.ErrorMessage(e)
	}
	return &care.Error{Code: care.EUNUSABLE, Message: fmt.Sprintf("%d files cannot be used:\n  %s", len(errs), strings.Join(msgs, "\n  ")), Err: errors.Join(errs...)}
}

type inputFile struct {
	path string
	size int64
}

type fileResult struct {
	path     string
	tables   []*Table
	findings []Finding
	err      error
}

var readableExt = map[string]bool{".csv": true, ".tsv": true, ".txt": true, ".xml": true}
var workbookExt = map[string]bool{".xlsx": true, ".xls": true, ".xlsm": true, ".xlsb": true, ".ods": true}

// collectFiles expands PATHs into the files to read.
func collectFiles(paths []string) ([]inputFile, []Finding, []error) {
	var files []inputFile
	var findings []Finding
	var errs []error
	seen := map[string]bool{}
	add := func(p string, size int64) {
		key := filepath.Clean(p)
		if abs, err := filepath.Abs(p); err == nil {
			key = abs
		}
		if !seen[key] {
			seen[key] = true
			files = append(files, inputFile{p, size})
		}
	}
	if len(paths) == 0 {
		errs = append(errs, care.Errorf(care.EUNUSABLE, "no files given: name the SSDA903 files or the folder that holds them"))
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, unusable(p, "cannot open (%v)", unwrapPathError(err)))
			continue
		}
		if !st.IsDir() {
			add(p, st.Size())
			continue
		}
		n := 0
		werr := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, unusable(path, "cannot read (%v)", unwrapPathError(err)))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if path != p && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$")) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			ext := strings.ToLower(filepath.Ext(name))
			switch {
			case readableExt[ext]:
				info, err := d.Info()
				if err != nil {
					errs = append(errs, unusable(path, "cannot read (%v)", unwrapPathError(err)))
					return nil
				}
				add(path, info.Size())
				n++
			case workbookExt[ext]:
				findings = append(findings, Finding{Severity: SeverityWarning, RuleCode: "READ-SKIPPED", File: path,
					Message: "an Excel workbook was skipped; only CSV and XML files are read. Save each table's sheet as \"CSV UTF-8\" if it holds SSDA903 data"})
			}
			return nil
		})
		if werr != nil {
			errs = append(errs, unusable(p, "cannot read the folder (%v)", werr))
		} else if n == 0 {
			errs = append(errs, unusable(p, "the folder holds no CSV or XML files"))
		}
	}
	return files, findings, errs
}

// placedTable is a table with the council and year it was put in.
type placedTable struct {
	t       *Table
	council string
	year    int
}

// group assigns every table a council and year and builds the Returns.
func group(results []fileResult, opt ReadOptions) ([]*Return, []Finding, []error) {
	var findings []Finding
	var errs []error
	var placed []placedTable

	// DfE CSV and XML tables are grouped by folder, council and name year,
	// so that the tables of one return share a year inferred from its
	// episodes.
	type gkey struct {
		dir, council string
		nameYear     int
		definite     bool
	}
	type gval struct {
		tables []*Table
	}
	groups := map[gkey]*gval{}
	var gorder []gkey

	var platform []placedTable
	for _, r := range results {
		if len(r.tables) == 0 {
			continue
		}
		if r.tables[0].Layout == LayoutPlatform {
			p, f := placePlatform(r, opt)
			platform = append(platform, p...)
			findings = append(findings, f...)
			continue
		}
		council := pathCouncil(r.path)
		if opt.Council != "" {
			if council != "" && refdata.IsONSCode(opt.Council) && !strings.EqualFold(council, opt.Council) {
				findings = append(findings, Finding{Severity: SeverityWarning, RuleCode: "READ-OTHER-COUNCIL", File: r.path,
					Message: fmt.Sprintf("the file is in a folder for council %s, not %s; it was skipped", council, opt.Council)})
				continue
			}
			council = opt.Council
		}
		if opt.Year != 0 {
			for _, t := range r.tables {
				placed = append(placed, placedTable{t, council, opt.Year})
			}
			continue
		}
		y, definite := pathYear(r.path)
		k := gkey{dir: filepath.Dir(r.path), council: council, nameYear: y, definite: definite}
		if r.tables[0].Layout == LayoutXML {
			k.dir = r.path // one XML file is one return
		}
		g := groups[k]
		if g == nil {
			g = &gval{}
			groups[k] = g
			gorder = append(gorder, k)
		}
		g.tables = append(g.tables, r.tables...)
	}

	for _, k := range gorder {
		g := groups[k]
		if k.definite {
			for _, t := range g.tables {
				placed = append(placed, placedTable{t, k.council, k.nameYear})
			}
			continue
		}
		// The year the group's data point to: from its Episodes tables if
		// they agree, else from any dated table if they agree.
		groupYear, agree := 0, true
		for pass := 0; pass < 2 && groupYear == 0; pass++ {
			agree = true
			for _, t := range g.tables {
				if pass == 0 && t.Name != Episodes {
					continue
				}
				if y := dataYear(t); y != 0 {
					if groupYear != 0 && y != groupYear {
						agree = false
					}
					if groupYear == 0 || y > groupYear {
						groupYear = y
					}
				}
			}
			if !agree {
				break
			}
		}
		shifted := false
		for _, t := range g.tables {
			y := groupYear
			if !agree {
				y = dataYear(t)
			}
			switch {
			case k.nameYear != 0 && (y == k.nameYear || y == 0):
				y = k.nameYear
			case k.nameYear != 0 && y == k.nameYear+1:
				shifted = true
			case k.nameYear != 0:
				findings = append(findings, Finding{Severity: SeverityWarning, RuleCode: "READ-YEAR", Table: t.Name, File: t.File,
					Message: fmt.Sprintf("the folder or file name says %d but most recent dates in the data fall in %s; the table was read as %s. Check it is the right file, or give the collection year",
						k.nameYear, yearLabel(y), yearLabel(k.nameYear))})
				y = k.nameYear
			case y == 0:
				errs = append(errs, unusable(t.File, "cannot tell which collection year the %s table is for: neither its folder nor its name holds a year, and nothing in the same folder has dates to go by. Put the files in a folder named after the year ending 31 March (e.g. 2025) or give the collection year", t.Name))
				continue
			}
			placed = append(placed, placedTable{t, k.council, y})
		}
		if shifted {
			findings = append(findings, Finding{Severity: SeverityWarning, RuleCode: "READ-YEAR", File: g.tables[0].File,
				Message: fmt.Sprintf("the name says %d, but the data run to %s, so the files named %d in this folder were read as %s (%d is taken as the year the collection starts). Give the collection year if that is wrong",
					k.nameYear, yearLabel(k.nameYear+1), k.nameYear, yearLabel(k.nameYear+1), k.nameYear)})
		}
	}

	p, f := settlePlatformYears(platform)
	placed = append(placed, p...)
	findings = append(findings, f...)

	// Build the returns and reject conflicting duplicates.
	type rkey struct {
		council string
		year    int
	}
	rets := map[rkey]*Return{}
	for _, p := range placed {
		k := rkey{p.council, p.year}
		ret := rets[k]
		if ret == nil {
			ret = &Return{Council: p.council, Year: p.year, Tables: map[TableName]*Table{}}
			rets[k] = ret
		}
		old := ret.Tables[p.t.Name]
		if old == nil {
			ret.Tables[p.t.Name] = p.t
			continue
		}
		if contentHash(old) == contentHash(p.t) {
			findings = append(findings, Finding{Severity: SeverityWarning, RuleCode: "READ-DUPLICATE-FILE", Table: p.t.Name, File: p.t.File, Council: p.council, Year: p.year,
				Message: fmt.Sprintf("holds the same %s rows as %s for %s; it was ignored", p.t.Name, old.File, returnLabel(p.council, p.year))})
			continue
		}
		hint := "Remove the one that is out of date, or give each council and year its own folder (e.g. E08000003/2025/)"
		if p.council == "" {
			hint = "The council is not known, so files of different councils look alike: give each council's files a folder named with its ONS code (e.g. E08000003/2025/), or remove the file that is out of date"
		}
		errs = append(errs, care.Errorf(care.EUNUSABLE, "%s and %s both hold the %s table for %s, with different rows. %s",
			old.File, p.t.File, p.t.Name, returnLabel(p.council, p.year), hint))
	}
	out := make([]*Return, 0, len(rets))
	for _, r := range rets {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Council != out[j].Council {
			return out[i].Council < out[j].Council
		}
		return out[i].Year < out[j].Year
	})
	return out, findings, errs
}

// placePlatform assigns the tables of one platform-layout file.
func placePlatform(r fileResult, opt ReadOptions) ([]placedTable, []Finding) {
	var placed []placedTable
	var findings []Finding
	codes := map[string]string{} // LA as written → council code
	las := map[string]bool{}
	for _, t := range r.tables {
		if len(t.Rows) > 0 {
			la := t.Rows[0].LA
			if _, ok := codes[la]; !ok {
				codes[la] = refdata.NormaliseCouncil(la)
			}
			las[strings.ToUpper(codes[la])] = true
		}
	}
	other := map[string]int{}
	blank := 0
	for _, t := range r.tables {
		if len(t.Rows) == 0 {
			continue
		}
		la, year := t.Rows[0].LA, t.Rows[0].Year
		council := codes[la]
		switch {
		case opt.Council != "" && len(las) == 1:
			council = opt.Council
		case opt.Council != "":
			if !strings.EqualFold(council, opt.Council) {
				other[la] += len(t.Rows)
				continue
			}
			council = opt.Council
		case la == "" && pathCouncil(r.path) != "":
			council = pathCouncil(r.path)
		case la == "":
			blank += len(t.Rows)
			continue
		}
		placed = append(placed, placedTable{t, council, year})
	}
	for la, n := range other {
		findings = append(findings, Finding{Severity: SeverityWarning, RuleCode: "READ-OTHER-COUNCIL", Table: r.tables[0].Name, File: r.path,
			Message: fmt.Sprintf("%d rows for LA %q were skipped: only council %s was asked for", n, la, opt.Council)})
	}
	if blank > 0 {
		findings = append(findings, Finding{Severity: SeverityError, RuleCode: "READ-PLATFORM-LA", Table: r.tables[0].Name, File: r.path, Columns: []string{colLA},
			Message: fmt.Sprintf("%d rows have a blank LA, so they cannot be put in a council's return; they were left out. Fill in LA, or name the council when the file holds one council", blank)})
	}
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Message < findings[j].Message })
	return placed, findings
}

// settlePlatformYears reads a bare platform YEAR ("2017") as the year the
// collection starts when the data say so: when every Episodes table of that
// council and YEAR has most of its recent dates in the collection year after
// the one YEAR names (episodes of YEAR 2017 running April 2017–March 2018),
// all its tables move to that year, with one READ-YEAR warning. Peers'
// platform samples name the starting year; the DfE names the ending year, so
// the data decide, as they do for a bare year in a file name.
func settlePlatformYears(tables []placedTable) ([]placedTable, []Finding) {
	type cy struct {
		council string
		year    int
	}
	shift := map[cy]bool{}
	for _, p := range tables {
		if p.t.Name != Episodes {
			continue
		}
		k := cy{p.council, p.year}
		ok, seen := shift[k]
		if seen && !ok {
			continue
		}
		shift[k] = p.t.BareYear && dataYear(p.t) == p.year+1
	}
	var findings []Finding
	warned := map[cy]bool{}
	for i := range tables {
		k := cy{tables[i].council, tables[i].year}
		if !shift[k] || !tables[i].t.BareYear {
			continue
		}
		tables[i].year++
		if !warned[k] {
			warned[k] = true
			findings = append(findings, Finding{Severity: SeverityWarning, RuleCode: "READ-YEAR", Table: Episodes, File: tables[i].t.File, Columns: []string{colYear},
				Message: fmt.Sprintf("YEAR says %d for council %s, but the episodes run to %s, so its rows were read as %s (%d is taken as the year the collection starts). Write YEAR as %d/%02d to be explicit, or give the collection year",
					k.year, k.council, yearLabel(k.year+1), yearLabel(k.year+1), k.year, k.year, (k.year+1)%100)})
		}
	}
	return tables, findings
}

// labelFindings sets Council and Year on file findings when the file went
// into exactly one return.
func labelFindings(findings []Finding, returns []*Return) {
	type cy struct {
		council string
		year    int
	}
	byFile := map[string][]cy{}
	for _, r := range returns {
		for _, t := range r.Tables {
			byFile[t.File] = append(byFile[t.File], cy{r.Council, r.Year})
		}
	}
	for i := range findings {
		f := &findings[i]
		if f.Year != 0 || f.Council != "" {
			continue
		}
		if rs := byFile[f.File]; len(rs) > 0 {
			same := true
			for _, x := range rs[1:] {
				if x != rs[0] {
					same = false
				}
			}
			if same {
				f.Council, f.Year = rs[0].council, rs[0].year
			}
		}
	}
}

func yearLabel(y int) string {
	if y == 0 {
		return "no year"
	}
	return fmt.Sprintf("%d/%02d", y-1, y%100)
}

func returnLabel(council string, year int) string {
	if council == "" {
		return fmt.Sprintf("collection year %s", yearLabel(year))
	}
	return fmt.Sprintf("council %s, collection year %s", council, yearLabel(year))
}

// pathCouncil returns the ONS code of the nearest of the three folders
// above the file that is named like one.
func pathCouncil(path string) string {
	dir := filepath.Dir(path)
	for level := 0; level < 3; level++ {
		base := filepath.Base(dir)
		if refdata.IsONSCode(base) {
			return strings.ToUpper(base)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	return ""
}

// pathYear returns the year named by the file's folder or the one above it
// when named like a year, or else by the file name. definite is true for
// forms that name both years ("2024-25"), which say the year ending
// unambiguously.
func pathYear(path string) (year int, definite bool) {
	dir := filepath.Dir(path)
	for level := 0; level < 2; level++ {
		if y, def, ok := yearName(filepath.Base(dir), true); ok {
			return y, def
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	y, def, _ := yearName(base, false)
	return y, def
}

// yearName finds a year in a folder or file name. With whole, the name must
// be only the year ("2025", "2024-25", "2024_2025"); otherwise the year may be
// anywhere in the name as a run of exactly four digits. A name with two
// different years that are not consecutive says nothing.
func yearName(s string, whole bool) (year int, definite, ok bool) {
	type run struct{ start, end int }
	var runs []run
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		runs = append(runs, run{i, j})
		i = j
	}
	if whole {
		if len(runs) == 0 || runs[0].start != 0 || runs[len(runs)-1].end != len(s) || len(runs) > 2 {
			return 0, false, false
		}
		for _, c := range s {
			if !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '/' {
				return 0, false, false
			}
		}
	}
	for i, r := range runs {
		if r.end-r.start != 4 {
			continue
		}
		y, _ := digits(s[r.start:r.end])
		if y < 1990 || y > 2100 {
			continue
		}
		if i+1 < len(runs) && runs[i+1].start == r.end+1 && strings.ContainsRune("-_/", rune(s[r.end])) {
			n := runs[i+1]
			v, _ := digits(s[n.start:n.end])
			if (n.end-n.start == 2 && v == (y+1)%100) || (n.end-n.start == 4 && v == y+1) {
				return y + 1, true, true
			}
		}
		if whole && len(runs) != 1 {
			return 0, false, false
		}
		// A second, different four-digit year makes the name ambiguous.
		for _, o := range runs[i+1:] {
			if o.end-o.start == 4 {
				if v, _ := digits(s[o.start:o.end]); v != y && v >= 1990 && v <= 2100 {
					return 0, false, false
				}
			}
		}
		return y, false, true
	}
	return 0, false, false
}

// yearEvidence lists the date columns that place each table's rows in a
// collection year.
var yearEvidence = map[TableName][]string{
	Episodes:       {"DECOM", "DEC"},
	Reviews:        {"REVIEW"},
	Missing:        {"MIS_START", "MIS_END"},
	SWEpisodes:     {"SW_DECOM", "SW_DEC"},
	PlacedAdoption: {"DATE_PLACED"},
	DoLo:           {"DOLO_START", "DOLO_END"},
	PlacementCosts: {"DECOM"},
}

// CollectionYear returns the collection year that d falls in: the year of
// the 31 March ending the 1 April–31 March year (1 April 2024 → 2025).
func CollectionYear(d time.Time) int {
	if d.Month() >= time.April {
		return d.Year() + 1
	}
	return d.Year()
}

// dataYear returns the latest collection year holding at least 1% (and at
// least one) of the table's evidence dates, or 0 when it has none.
func dataYear(t *Table) int {
	cols := yearEvidence[t.Name]
	if len(cols) == 0 {
		return 0
	}
	idx := make([]int, 0, len(cols))
	for _, c := range cols {
		idx = append(idx, Col(t.Name, c))
	}
	counts := map[int]int{}
	total := 0
	for _, r := range t.Rows {
		for _, i := range idx {
			if i < len(r.Values) {
				if d, ok := ParseDate(r.Values[i]); ok {
					counts[CollectionYear(d)]++
					total++
				}
			}
		}
	}
	if total == 0 {
		return 0
	}
	need := (total + 99) / 100
	best := 0
	for y, n := range counts {
		if n >= need && y > best {
			best = y
		}
	}
	return best
}

// contentHash is an order-independent hash of a table's rows, with dates
// compared as dates (so the DfE and platform layouts of the same data match).
func contentHash(t *Table) uint64 {
	kinds := tableKinds[t.Name]
	var sum uint64
	h := fnv.New64a()
	for _, r := range t.Rows {
		h.Reset()
		for i, v := range r.Values {
			if i < len(kinds) && kinds[i] == kindDate {
				if d, ok := ParseDate(v); ok {
					v = d.Format("20060102")
				}
			}
			h.Write([]byte(v))
			h.Write([]byte{0x1f})
		}
		sum += h.Sum64()*2 + 1
	}
	return sum + uint64(len(t.Rows))
}
