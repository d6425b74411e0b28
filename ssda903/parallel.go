package ssda903

import (
	"bufio"
	"bytes"
	"io"
	"runtime"
	"sync"
)

// Reading one large CSV file on several cores.
//
// When the whole input can be read at any offset (a file, or a bytes or
// strings reader given to ReadFrom), a DfE-layout CSV file of at least
// parMinBytes after its header is cut into one byte range per core, each
// starting just after a line break, and each range is read by its own
// csvReader (the same code as the sequential reader: record, split,
// makeRow). The ranges' rows and findings are then joined in file order,
// line numbers shifted by the lines of the ranges before them, so the result
// is exactly what the sequential reader gives.
//
// A cut is only right if it falls between records. A quoted value may hold
// line breaks, so a cut can fall inside one; the range before it then ends
// inside quotes (its last record is unterminated). In that case, and when any
// range meets an error (whose message would carry a line number relative to
// the range), or the input turns out longer than its size said, the ranges'
// results are dropped and the file is read sequentially from the header on:
// the parallel path only ever gives the same answer faster.

// parMinBytes is the least data (after the header) read in parallel, and
// parChunkMin the smallest range given to one core (variables so that the
// tests can cut small inputs).
var (
	parMinBytes int64 = 4 << 20
	parChunkMin int64 = 2 << 20
)

// parSource gives the CSV reader random access to its whole input.
type parSource struct {
	ra   io.ReaderAt
	base int64           // offset in ra of the input's first byte
	size int64           // input size in bytes from base
	cr   *countingReader // the sequential reader's source (bytes consumed, limit, progress)
	used bool            // set when the rows were read in parallel
}

// start returns the offset in ra of the first byte br has not handed out.
func (p *parSource) start(br *bufio.Reader) int64 {
	return p.base + p.cr.n - int64(br.Buffered())
}

// ok reports whether the rest of the input is worth reading in parallel.
func (p *parSource) ok(br *bufio.Reader) bool {
	if p == nil || p.ra == nil || runtime.GOMAXPROCS(0) < 2 {
		return false
	}
	if p.cr.limit > 0 && p.size > p.cr.limit {
		return false // the sequential reader reports the size limit
	}
	return p.base+p.size-p.start(br) >= parMinBytes
}

// nextLineStart returns the offset just after the first '\n' at or after
// off (before end), or end if there is none.
func nextLineStart(ra io.ReaderAt, off, end int64) (int64, error) {
	buf := make([]byte, 4<<10)
	for off < end {
		n := int64(len(buf))
		if end-off < n {
			n = end - off
		}
		m, err := ra.ReadAt(buf[:n], off)
		if i := bytes.IndexByte(buf[:m], '\n'); i >= 0 {
			return off + int64(i) + 1, nil
		}
		off += int64(m)
		if err != nil && err != io.EOF {
			return 0, err
		}
		if m == 0 {
			break
		}
	}
	return end, nil
}

// rangeResult is what one range's reader found.
type rangeResult struct {
	c    *csvReader
	fs   findingSink
	rows []Row
	err  error
	n    int64 // bytes read
}

// parallelRows reads the data rows of a DfE-layout file (the header already
// read through br) in parallel byte ranges. It reports false, having changed
// nothing, when the sequential reader must do it instead.
func (c *csvReader) parallelRows(par *parSource, br *bufio.Reader, emit func(*Table, Row) error, fs *findingSink, single *Table) (bool, error) {
	start, end := par.start(br), par.base+par.size
	n := runtime.GOMAXPROCS(0)
	if most := int((end - start) / parChunkMin); n > most {
		n = most
	}
	if n < 2 {
		return false, nil
	}
	bounds := []int64{start}
	for i := 1; i < n; i++ {
		at, err := nextLineStart(par.ra, start+(end-start)*int64(i)/int64(n), end)
		if err != nil {
			return false, nil
		}
		if at > bounds[len(bounds)-1] && at < end {
			bounds = append(bounds, at)
		}
	}
	bounds = append(bounds, end)
	if len(bounds) < 3 {
		return false, nil
	}
	// The input must end where its size says (a file may have grown).
	var one [1]byte
	if m, _ := par.ra.ReadAt(one[:], end); m > 0 {
		return false, nil
	}

	// Rows per byte, from the text already buffered after the header.
	sample, _ := br.Peek(br.Buffered())
	perByte := 0.0
	if lines := bytes.Count(sample, []byte{'\n'}); lines >= 8 {
		perByte = float64(lines) / float64(len(sample)) * 1.06
	}

	// Progress: the ranges' bytes added to what the header phase read.
	var mu sync.Mutex
	before := start - par.base
	var read int64
	progress := func(delta int64) {
		mu.Lock()
		read += delta
		par.cr.progress(before + read)
		mu.Unlock()
	}

	results := make([]rangeResult, len(bounds)-1)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res := &results[i]
			size := bounds[i+1] - bounds[i]
			cr := &countingReader{r: io.NewSectionReader(par.ra, bounds[i], size)}
			if par.cr.progress != nil {
				var last int64
				cr.progress = func(n int64) { progress(n - last); last = n }
			}
			rc := &csvReader{file: c.file, br: bufio.NewReaderSize(cr, bufferSize(size)), delim: c.delim, f: &res.fs,
				rc: c.rc, header: c.header, kinds: c.kinds, ncols: c.ncols, newTable: c.newTable}
			if perByte > 0 {
				res.rows = make([]Row, 0, int(perByte*float64(size))+64)
			}
			res.c = rc
			res.err = rc.scanRows(func(_ *Table, r Row) error {
				res.rows = append(res.rows, r)
				return nil
			}, &res.fs, single)
			res.n = cr.n
		}(i)
	}
	wg.Wait()
	for i, r := range results {
		if r.err != nil || (r.c.endedInQuote && i < len(results)-1) {
			return false, nil // see the package comment above: read sequentially
		}
	}

	// Join in file order.
	par.used = true
	rows := 0
	for _, r := range results {
		rows += len(r.rows)
	}
	if free := cap(single.Rows) - len(single.Rows); free < rows {
		single.Rows = append(make([]Row, 0, len(single.Rows)+rows), single.Rows...)
	}
	off := c.line
	for _, r := range results {
		for _, f := range r.fs.list {
			f.Line += off
			fs.add(f)
		}
		for code, k := range r.fs.suppressed {
			fs.addSuppressed(code, k)
		}
		if c.nonUTF8Line == 0 && r.c.nonUTF8Line > 0 {
			c.nonUTF8Line = r.c.nonUTF8Line + off
		}
		for _, row := range r.rows {
			row.Line += off
			if err := emit(single, row); err != nil {
				return true, err
			}
		}
		off += r.c.line
	}
	c.line = off
	par.cr.n = end - par.base
	return true, nil
}
