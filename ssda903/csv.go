package ssda903

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// maxRecordBytes bounds one CSV record (a row, possibly spanning lines inside
// quotes). Real rows are under 200 bytes; a longer one means an unterminated
// quote has swallowed the rest of the file.
const maxRecordBytes = 1 << 20

// maxHeaderSearch is how many non-blank lines are tried as the header row
// before giving up (Excel exports sometimes start with a title line).
const maxHeaderSearch = 10

// slabRows is how many rows' Values are allocated at once.
const slabRows = 512

// arenaBytes is the size of each block of row text.
const arenaBytes = 64 << 10

// csvReader reads one delimited text file (the DfE CSV loading format or the
// regional platform layout) row by row. It allocates one string per row for
// all of the row's values and one []string per slabRows rows, so the cost per
// row is low and memory holds only the rows the caller keeps.
type csvReader struct {
	file  string
	br    *bufio.Reader
	delim byte
	line  int // physical lines consumed

	rec    []byte   // owned copy of a record that spans reads or lines
	fields [][]byte // fields of the current record
	unq    []byte   // unquoted field bytes (quoted fields with "" escapes)
	fixed  []byte   // current line decoded from Windows-1252

	nonUTF8Line  int // first line that was not UTF-8, or 0
	unterminated bool

	// per file, after the header
	rc       Recognition
	header   []string // the header's column names, normalised
	kinds    []colKind
	arena    []byte // row text; strings point into it, so it is only appended to
	slab     []string
	slabRows int // rows in the last slab allocated
	ncols    int
	lastLA   string
	rowsSeen int // non-blank data lines read
	junkRows int // of which far from the header's width (see junkGuard)
	tables   []*Table
	byGroup  map[groupKey]*Table
	newTable func() *Table

	endedInQuote bool // scanRows stopped at a quoted value never closed (READ-QUOTE)

	f *findingSink
}

type groupKey struct {
	la   string
	year int
}

// csvRecord reads the next record. It returns io.EOF at the end of input.
// fields are valid until the next call.
func (c *csvReader) record() (fields [][]byte, startLine int, err error) {
	startLine = c.line + 1
	data, err := c.br.ReadSlice('\n')
	owned := false
	if err == bufio.ErrBufferFull {
		c.rec = append(c.rec[:0], data...)
		for err == bufio.ErrBufferFull {
			if len(c.rec) > maxRecordBytes {
				return nil, startLine, c.tooLong(startLine)
			}
			data, err = c.br.ReadSlice('\n')
			c.rec = append(c.rec, data...)
		}
		data, owned = c.rec, true
	}
	if err != nil && err != io.EOF {
		return nil, startLine, err
	}
	if len(data) == 0 && err == io.EOF {
		return nil, startLine, io.EOF
	}
	c.line++
	c.unterminated = false
	if !c.split(c.decode(data, startLine)) {
		return c.fields, startLine, nil
	}
	// A quoted field runs on to the next line(s). Read on until a line
	// ends outside quotes, scanning only the new text each time, then
	// split the whole record once.
	if !owned {
		c.rec = append(c.rec[:0], data...)
	}
	for {
		if err == io.EOF {
			c.unterminated = true
			c.split(c.decode(c.rec, startLine))
			return c.fields, startLine, nil
		}
		from := len(c.rec)
		var more []byte
		more, err = c.br.ReadSlice('\n')
		c.rec = append(c.rec, more...)
		for err == bufio.ErrBufferFull && len(c.rec) <= maxRecordBytes {
			more, err = c.br.ReadSlice('\n')
			c.rec = append(c.rec, more...)
		}
		if len(c.rec) > maxRecordBytes {
			return nil, startLine, c.tooLong(startLine)
		}
		if err != nil && err != io.EOF {
			return nil, startLine, err
		}
		if len(c.rec) > from {
			c.line++
		}
		if !c.endsInQuote(c.rec[from:], true) {
			if c.split(c.decode(c.rec, startLine)) {
				c.unterminated = true // cannot happen: the scan said the quote closed
			}
			return c.fields, startLine, nil
		}
	}
}

// decode returns a record without its line end, as valid UTF-8: a record
// that is not UTF-8 is read as Windows-1252.
func (c *csvReader) decode(data []byte, line int) []byte {
	body := trimEOL(data)
	if utf8.Valid(body) {
		return body
	}
	if c.nonUTF8Line == 0 {
		c.nonUTF8Line = line
	}
	c.fixed = appendFixUTF8(c.fixed[:0], body)
	return c.fixed
}

// endsInQuote reports whether data, read from inside a quoted field
// (inQuote) or from the start of a field, ends inside a quoted field. It
// follows the same rules as split.
func (c *csvReader) endsInQuote(data []byte, inQuote bool) bool {
	i, n := 0, len(data)
	for i < n {
		if inQuote {
			q := bytes.IndexByte(data[i:], '"')
			if q < 0 {
				return true
			}
			i += q + 1
			if i < n && data[i] == '"' {
				i++
				continue
			}
			inQuote = false
			d := bytes.IndexByte(data[i:], c.delim)
			if d < 0 {
				return false
			}
			i += d + 1
			continue
		}
		k := i
		for k < n && data[k] == ' ' {
			k++
		}
		if k < n && data[k] == '"' {
			inQuote, i = true, k+1
			continue
		}
		d := bytes.IndexByte(data[i:], c.delim)
		if d < 0 {
			return false
		}
		i += d + 1
	}
	return inQuote
}

func (c *csvReader) tooLong(line int) error {
	return fmt.Errorf("the row starting on line %d is longer than %d bytes; it probably has an opening quote (\") that is never closed", line, maxRecordBytes)
}

func trimEOL(b []byte) []byte {
	n := len(b)
	if n > 0 && b[n-1] == '\n' {
		n--
	}
	if n > 0 && b[n-1] == '\r' {
		n--
	}
	return b[:n]
}

// split splits one record into c.fields. A field that starts with a quote
// (after optional spaces) is quoted: delimiters and line breaks inside it are
// data and "" is one quote; anything after the closing quote up to the next
// delimiter is kept as written. A quote elsewhere is an ordinary character.
// It reports whether the record ends inside a quoted field.
func (c *csvReader) split(data []byte) (inQuote bool) {
	c.fields = c.fields[:0]
	c.unq = c.unq[:0]
	n := len(data)
	i := 0
	for {
		k := i
		for k < n && data[k] == ' ' && c.delim != ' ' {
			k++
		}
		if k < n && data[k] == '"' {
			k++
			start := len(c.unq)
			for {
				q := bytes.IndexByte(data[k:n], '"')
				if q < 0 {
					c.unq = append(c.unq, data[k:n]...)
					c.fields = append(c.fields, c.unq[start:])
					return true
				}
				c.unq = append(c.unq, data[k:k+q]...)
				k += q + 1
				if k < n && data[k] == '"' {
					c.unq = append(c.unq, '"')
					k++
					continue
				}
				break
			}
			for k < n && data[k] != c.delim {
				c.unq = append(c.unq, data[k])
				k++
			}
			c.fields = append(c.fields, c.unq[start:len(c.unq):len(c.unq)])
		} else {
			d := bytes.IndexByte(data[i:n], c.delim)
			if d < 0 {
				c.fields = append(c.fields, data[i:n])
				return false
			}
			c.fields = append(c.fields, data[i:i+d])
			k = i + d
		}
		if k >= n {
			return false
		}
		i = k + 1
		if i == n {
			c.fields = append(c.fields, data[n:n])
			return false
		}
	}
}

// detectDelimiter picks the delimiter of a text file from the first of its
// first ten non-blank lines that has one: the most frequent of comma, tab and
// semicolon outside quotes (comma when none occurs). Excel writes
// tab-delimited "Unicode text" and, in some locales, semicolon-delimited CSV.
func detectDelimiter(head []byte) byte {
	head = bytes.TrimPrefix(head, utf8BOM)
	for tries := 0; len(head) > 0 && tries < maxHeaderSearch; {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		tries++
		var counts [3]int
		inq := false
		for _, b := range line {
			switch b {
			case '"':
				inq = !inq
			case ',':
				if !inq {
					counts[0]++
				}
			case '\t':
				if !inq {
					counts[1]++
				}
			case ';':
				if !inq {
					counts[2]++
				}
			}
		}
		best, d := 0, byte(',')
		for i, ch := range []byte{',', '\t', ';'} {
			if counts[i] > best {
				best, d = counts[i], ch
			}
		}
		if best > 0 {
			return d
		}
	}
	return ','
}

// scanCSV reads delimited text from r. Each data row is passed to emit with
// the table it belongs to (one table for the DfE layout; one per LA and year
// for the platform layout). A Row passed to emit may be kept. The tables are
// returned in the order first seen, without rows unless emit appended them.
//
// sizeHint, when not 0, is the size of the input in bytes: the single table
// of a DfE layout file then gets room for the rows the file is estimated to
// hold (at most keep rows, when keep > 0), which saves regrowing Rows for
// large files. A file estimated to hold more than keep rows is read
// sequentially, so that the rows not kept are never held at all.
func scanCSV(r io.Reader, file string, emit func(*Table, Row) error, fs *findingSink, sizeHint int64, keep int, par *parSource) ([]*Table, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, bufferSize(sizeHint))
	}
	head, _ := br.Peek(sniffLen)
	c := &csvReader{file: file, br: br, delim: detectDelimiter(head), f: fs}
	if len(head) >= 3 && bytes.Equal(head[:3], utf8BOM) {
		br.Discard(3)
	}

	// Find the header row.
	var firstErr error
	tried := 0
	var headerLine int
	for {
		fields, line, err := c.record()
		if err == io.EOF {
			if firstErr != nil {
				return nil, firstErr
			}
			return nil, errEmptyText
		}
		if err != nil {
			return nil, err
		}
		if allBlank(fields) {
			continue
		}
		hdr := make([]string, len(fields))
		for i, f := range fields {
			hdr[i] = string(f)
		}
		rc, rerr := RecogniseTable(hdr)
		if rerr == nil {
			c.rc = rc
			headerLine = line
			c.header = make([]string, len(hdr))
			for i, h := range hdr {
				c.header[i] = NormaliseColumnName(h)
			}
			break
		}
		var re *RecogniseError
		if errors.As(rerr, &re) && firstErr == nil {
			firstErr = rerr
		}
		tried++
		if tried >= maxHeaderSearch || !errors.As(rerr, &re) || bytes.Contains(bytes.ToUpper(joinFields(fields)), []byte("CHILD")) {
			return nil, rerr
		}
	}
	if tried > 0 {
		fs.add(Finding{Severity: SeverityWarning, RuleCode: "READ-PREAMBLE", Table: c.rc.Table, File: file, Line: headerLine,
			Message: fmt.Sprintf("the first %d non-blank line(s) before the column names on line %d were ignored; check they are not data", tried, headerLine)})
	}
	for _, m := range c.rc.Missing {
		fs.add(Finding{Severity: SeverityWarning, RuleCode: "READ-MISSING-COLUMN", Table: c.rc.Table, File: file, Line: headerLine, Columns: []string{m},
			Message: fmt.Sprintf("column %s is not in the file; it was read as blank in every row. Add the column if the data has it", m)})
	}
	t := c.rc.Table
	c.kinds = tableKinds[t]
	c.ncols = len(Columns[t])
	newTable := func() *Table {
		return &Table{Name: t, File: file, Layout: c.rc.Layout, Present: append([]bool(nil), c.rc.Present...), Extra: append([]string(nil), c.rc.Extra...),
			Supplied: append([]bool(nil), c.rc.Supplied...)}
	}
	platform := c.rc.Layout == LayoutPlatform
	var single *Table
	if !platform {
		single = newTable()
		est := estimateRows(head, sizeHint)
		if keep > 0 && (est > keep || est == 0 && sizeHint > int64(keep)*256) {
			par = nil // the parallel reader holds every row before they are kept
		}
		if est > 0 {
			if keep > 0 && est > keep {
				est = keep
			}
			single.Rows = make([]Row, 0, est)
		}
		c.tables = append(c.tables, single)
	} else {
		c.byGroup = make(map[groupKey]*Table)
	}
	c.newTable = newTable
	done := false
	if par != nil && !platform && par.ok(br) {
		var err error
		if done, err = c.parallelRows(par, br, emit, fs, single); err != nil {
			return c.tables, err
		}
	}
	if !done {
		if err := c.scanRows(emit, fs, single); err != nil {
			return c.tables, err
		}
	}
	if c.nonUTF8Line > 0 {
		fs.add(Finding{Severity: SeverityWarning, RuleCode: "READ-ENCODING", Table: t, File: file, Line: c.nonUTF8Line,
			Message: "the file is not UTF-8 (first seen on this line); it was read as Windows-1252, the encoding of Excel's plain \"CSV\" format. Check names and postcodes with accents look right, or save as \"CSV UTF-8\""})
	}
	return c.tables, nil
}

// junkGuardRows: once this many rows are far from the header's width (more
// values than columns, or fewer than half) and they are most of the rows
// read, the file is junk and reading stops (EUNUSABLE). Memory then stays
// bounded however large the junk (issue 15: validate of 200 MB of junk);
// a real table with a few broken rows is read as before.
const junkGuardRows = 1000

// scanRows reads the data rows after the header to the end of the input,
// passing each to emit with its table (single for the DfE layout).
func (c *csvReader) scanRows(emit func(*Table, Row) error, fs *findingSink, single *Table) error {
	t, file := c.rc.Table, c.file
	platform := c.rc.Layout == LayoutPlatform
	width := len(c.rc.Index)
	var key groupKey
	var cur *Table

	for {
		fields, line, err := c.record()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if c.unterminated {
			fs.add(Finding{Severity: SeverityError, RuleCode: "READ-QUOTE", Table: t, File: file, Line: line,
				Message: fmt.Sprintf("a quoted value starting on this line is never closed, so this row and the %d line(s) after it were left out. Check the quotes (\") in this row", c.line-line)})
			c.endedInQuote = true
			break
		}
		nf := len(fields)
		for nf > width && len(trimSpace(fields[nf-1])) == 0 {
			nf--
		}
		if allBlank(fields[:nf]) {
			continue
		}
		c.rowsSeen++
		if nf > width || 2*nf < width {
			c.junkRows++
			if c.junkRows >= junkGuardRows && 2*c.junkRows > c.rowsSeen {
				return unusable(file, "%d of the first %d rows do not have the header's %d columns (most have less than half of them, or more): this does not look like an SSDA903 %s table, so it was not read. Check it is the right file and that it was saved as CSV with commas",
					c.junkRows, c.rowsSeen, width, t)
			}
		}
		if nf > width {
			fs.add(Finding{Severity: SeverityError, RuleCode: "READ-FIELDS", Table: t, File: file, Line: line,
				Value:   string(truncBytes(joinFields(fields[width:nf]), 60)),
				Message: fmt.Sprintf("the row has %d values but the header has %d columns, so the values cannot be matched to columns; the row was left out. A value probably contains the delimiter: put it in quotes", nf, width)})
			continue
		}
		if nf < width {
			fs.add(Finding{Severity: SeverityWarning, RuleCode: "READ-FIELDS-SHORT", Table: t, File: file, Line: line,
				Message: fmt.Sprintf("the row has %d values but the header has %d columns; the last %d were read as blank. Check the row is complete", nf, width, width-nf)})
		}
		if c.isHeaderAgain(fields[:nf]) {
			fs.add(Finding{Severity: SeverityWarning, RuleCode: "READ-HEADER-REPEAT", Table: t, File: file, Line: line,
				Message: "the column names appear again on this line (files joined together?); the line was skipped"})
			continue
		}
		row, la, yearField, ok := c.makeRow(fields[:nf], line)
		if !ok {
			continue
		}
		tab := single
		if platform {
			y, yok := parseYearBytes(yearField)
			if !yok {
				fs.add(Finding{Severity: SeverityError, RuleCode: "READ-PLATFORM-YEAR", Table: t, File: file, Line: line, Columns: []string{colYear}, Value: string(yearField),
					Message: "YEAR is not a collection year such as 2025 (the year ending 31 March), so the row cannot be put in a return; it was left out. Correct YEAR"})
				continue
			}
			row.LA, row.Year = la, y
			if cur == nil || key.la != la || key.year != y {
				key = groupKey{la, y}
				cur = c.byGroup[key]
				if cur == nil {
					cur = c.newTable()
					cur.BareYear = len(yearField) == 4 || len(yearField) == 6 && yearField[4] == '.'
					c.byGroup[key] = cur
					c.tables = append(c.tables, cur)
				}
			}
			tab = cur
		}
		if err := emit(tab, row); err != nil {
			return err
		}
	}
	return nil
}

// bufferSize is the read buffer for an input of size bytes (0 if unknown).
func bufferSize(size int64) int {
	const max = 256 << 10
	if size <= 0 || size >= max {
		return max
	}
	if size < 4<<10 {
		return 4 << 10
	}
	return int(size) + 1
}

// estimateRows estimates the number of lines in a file of size bytes from
// the line lengths in its first bytes, with a margin; 0 when not worth it.
func estimateRows(head []byte, size int64) int {
	lines := bytes.Count(head, []byte{'\n'})
	if size <= int64(len(head)) || lines < 8 {
		return 0
	}
	est := size * int64(lines) / int64(len(head))
	est += est / 16
	if est > 50_000_000 {
		est = 50_000_000
	}
	return int(est)
}

// isHeaderAgain reports whether a record repeats the header row.
func (c *csvReader) isHeaderAgain(fields [][]byte) bool {
	if len(fields) != len(c.header) || len(fields) == 0 {
		return false
	}
	// Cheap test first: the CHILD column holds its own name.
	for i, f := range fields {
		if c.rc.Index[i] == 0 && !bytes.EqualFold(trimSpace(f), []byte("CHILD")) && !bytes.EqualFold(trimSpace(f), []byte("CHILDID")) {
			return false
		}
	}
	for i, f := range fields {
		if NormaliseColumnName(string(f)) != c.header[i] {
			return false
		}
	}
	return true
}

var errEmptyText = errors.New("the file has no rows (it is empty or blank)")

// makeRow normalises one record's fields into a Row. It reports false for a
// row that has no values in any table column.
func (c *csvReader) makeRow(fields [][]byte, line int) (row Row, la string, year []byte, ok bool) {
	// Normalising never makes a value longer, so the row fits in the sum
	// of its fields' lengths, and the arena block is never reallocated
	// while the row is written: strings may point into it at once.
	need := 0
	for _, f := range fields {
		need += len(f)
	}
	if cap(c.arena)-len(c.arena) < need {
		// Blocks start small (small files are common) and grow to arenaBytes.
		size := 2 * cap(c.arena)
		if size < 4<<10 {
			size = 4 << 10
		}
		if size > arenaBytes {
			size = arenaBytes
		}
		if need > size {
			size = need
		}
		c.arena = make([]byte, 0, size)
	}
	if len(c.slab) < c.ncols {
		c.slabRows = 2 * c.slabRows
		if c.slabRows < 16 {
			c.slabRows = 16
		}
		if c.slabRows > slabRows {
			c.slabRows = slabRows
		}
		c.slab = make([]string, c.ncols*c.slabRows)
	}
	// The next slot of the slab is zeroed: only non-blank values are set.
	vals := c.slab[:c.ncols:c.ncols]
	buf := c.arena
	base := len(buf)
	var laB []byte
	var lowerCols uint64
	var supplied []string
	for i, f := range fields {
		ci := c.rc.Index[i]
		switch {
		case ci <= colSupplied:
			if v := trimSpace(f); len(v) > 0 {
				if supplied == nil {
					supplied = make([]string, len(c.rc.Supplied))
				}
				supplied[colSupplied-ci] = string(bytes.ToUpper(v))
			}
		case ci >= 0:
			if c.kinds[ci] == kindCode && ci < 64 && hasLowerASCII(f) {
				lowerCols |= 1 << uint(ci)
			}
			start := len(buf)
			buf = appendNormalised(buf, f, c.kinds[ci])
			if n := len(buf) - start; n > 0 {
				vals[ci] = unsafe.String(&buf[start], n)
			}
		case ci == colIsLA:
			laB = trimSpace(f)
		case ci == colIsYear:
			year = trimSpace(f)
		}
	}
	if len(buf) == base && len(laB) == 0 && len(year) == 0 {
		return Row{}, "", nil, false
	}
	c.arena = buf
	c.slab = c.slab[c.ncols:]
	if laB != nil {
		if string(laB) != c.lastLA { // no allocation for the comparison
			c.lastLA = string(laB)
		}
		la = c.lastLA
	}
	return Row{Line: line, Values: vals, Lower: lowerCols, Supplied: supplied}, la, year, true
}

// hasLowerASCII reports whether b holds an ASCII lower-case letter.
func hasLowerASCII(b []byte) bool {
	for _, c := range b {
		if c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

// parseYearBytes is parseYearValue without allocating for the common form.
func parseYearBytes(b []byte) (int, bool) {
	if len(b) == 4 {
		y, ok := 0, true
		for _, c := range b {
			if c < '0' || c > '9' {
				ok = false
				break
			}
			y = y*10 + int(c-'0')
		}
		if ok {
			return y, y >= 1990 && y <= 2100
		}
	}
	return parseYearValue(string(b))
}

// parseYearValue reads a collection year as written in the platform YEAR
// column: "2025", "2025.0" (spreadsheet number), "2024/25" or "2024-25".
func parseYearValue(s string) (int, bool) {
	if len(s) == 6 && s[4] == '.' && s[5] == '0' {
		s = s[:4]
	}
	if len(s) == 7 && (s[4] == '/' || s[4] == '-' || s[4] == '_') {
		y, err1 := strconv.Atoi(s[:4])
		e, err2 := strconv.Atoi(s[5:])
		if err1 == nil && err2 == nil && (y+1)%100 == e && y >= 1990 && y < 2100 {
			return y + 1, true
		}
		return 0, false
	}
	if len(s) != 4 {
		return 0, false
	}
	y, ok := digits(s)
	return y, ok && y >= 1990 && y <= 2100
}

func allBlank(fields [][]byte) bool {
	for _, f := range fields {
		if len(trimSpace(f)) > 0 {
			return false
		}
	}
	return true
}

func joinFields(fields [][]byte) []byte { return bytes.Join(fields, []byte{','}) }

func truncBytes(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return append(append([]byte(nil), b[:n]...), "…"...)
}

// edgeSpace reports whether a value starting or ending with byte c may need
// trimming (white space, or the first or last byte of U+00A0 or U+FEFF).
func edgeSpace(c byte) bool {
	return c <= ' ' || c == 0xC2 || c == 0xA0 || c == 0xEF || c == 0xBF
}

// trimSpace removes ASCII white space, no-break spaces (U+00A0) and stray
// byte-order marks (U+FEFF) from both ends.
func trimSpace(b []byte) []byte {
	for len(b) > 0 {
		switch {
		case b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' || b[0] == '\f' || b[0] == '\v':
			b = b[1:]
		case len(b) >= 2 && b[0] == 0xC2 && b[1] == 0xA0:
			b = b[2:]
		case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
			b = b[3:]
		default:
			goto right
		}
	}
right:
	for n := len(b); n > 0; n = len(b) {
		switch {
		case b[n-1] == ' ' || b[n-1] == '\t' || b[n-1] == '\r' || b[n-1] == '\n' || b[n-1] == '\f' || b[n-1] == '\v':
			b = b[:n-1]
		case n >= 2 && b[n-2] == 0xC2 && b[n-1] == 0xA0:
			b = b[:n-2]
		case n >= 3 && b[n-3] == 0xEF && b[n-2] == 0xBB && b[n-1] == 0xBF:
			b = b[:n-3]
		default:
			return b
		}
	}
	return b
}

// appendNormalised appends value v normalised for a column of kind k.
func appendNormalised(dst, v []byte, k colKind) []byte {
	if n := len(v); n > 0 && !edgeSpace(v[0]) && !edgeSpace(v[n-1]) {
		// nothing to trim (the usual case)
	} else {
		v = trimSpace(v)
	}
	// ="0123" is how spreadsheets write text that must keep its leading zeros.
	if len(v) >= 3 && v[0] == '=' && v[1] == '"' && v[len(v)-1] == '"' {
		v = trimSpace(v[2 : len(v)-1])
	}
	switch k {
	case kindCode:
		lower := false
		for _, c := range v {
			if c >= 'a' && c <= 'z' {
				lower = true
				break
			}
		}
		if !lower {
			return append(dst, v...)
		}
		for _, c := range v {
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
		}
	case kindLower:
		for _, c := range v {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
	case kindPostcode:
		space := false
		for _, c := range v {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				space = true
				continue
			}
			if space {
				dst = append(dst, ' ')
				space = false
			}
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
		}
	default:
		dst = append(dst, v...)
	}
	return dst
}

// normaliseString is appendNormalised for a string (used by the XML reader).
func normaliseString(v string, k colKind) string {
	b := trimSpace([]byte(v))
	if k == kindID || k == kindDate || k == kindText {
		if len(b) == len(v) {
			return v
		}
		return string(b)
	}
	return string(appendNormalised(make([]byte, 0, len(b)), b, k))
}
